import { DAY, HOUR, MINUTE } from '../core/clock';
import type { CallOutcomeRecord, CallRecord, MonologueRecord, PartyRecord, UserRecord } from '../core/model';
import type { Random } from '../core/random';
import {
  BUYER_LINES,
  CALL_KINDS,
  CALL_SYSTEMS,
  CUSTOMER_COMPANIES,
  CUSTOMER_TITLES,
  FIRST_NAMES,
  LAST_NAMES,
  SELLER_LINES,
  TOPICS,
  TRACKERS,
} from './vocabulary';

export interface CallSkeleton {
  id: string;
  title: string;
  started: number;
  durationSeconds: number;
  primaryUser: UserRecord;
  /** Other internal participants besides the primary user. */
  colleagues: UserRecord[];
  /** External participants; none makes the call internal. */
  externals: {
    name: string | null;
    emailAddress: string | null;
    title: string | null;
    phoneNumber: string | null;
  }[];
  direction: CallRecord['direction'];
  system: string;
  media: CallRecord['media'];
  workspaceId: string;
  processedAt: number;
  isPrivate: boolean;
  accountName: string | null;
  outcome: CallOutcomeRecord | null;
  clientUniqueId?: string | null;
  customData?: string | null;
  purpose?: string | null;
  meetingUrl?: string | null;
  scheduled?: number | null;
  language?: string;
}

/** Builds a full call (parties, transcript, trackers, topics, brief) from its skeleton. */
export function buildCall(skeleton: CallSkeleton, random: Random): CallRecord {
  const parties: PartyRecord[] = [];
  const internal = [skeleton.primaryUser, ...skeleton.colleagues];
  for (const user of internal) {
    parties.push({
      id: random.numericId(19),
      emailAddress: user.emailAddress,
      name: `${user.firstName} ${user.lastName}`,
      title: user.title,
      userId: user.id,
      speakerId: random.numericId(19),
      affiliation: 'Internal',
      phoneNumber: null,
      methods: ['Invitee', 'Attendee'],
      crmContactId: null,
    });
  }
  for (const external of skeleton.externals) {
    parties.push({
      id: random.numericId(19),
      emailAddress: external.emailAddress,
      name: external.name,
      title: external.title,
      userId: null,
      speakerId: random.numericId(19),
      affiliation: external.emailAddress || external.name ? 'External' : 'Unknown',
      phoneNumber: external.phoneNumber,
      methods: external.emailAddress ? ['Invitee', 'Attendee'] : ['Attendee'],
      crmContactId: external.emailAddress ? `003${random.numericId(12)}` : null,
    });
  }
  const transcript = buildTranscript(parties, skeleton.durationSeconds, random);
  const trackers = TRACKERS.filter(() => random.chance(0.5)).map((tracker) => ({
    id: `${tracker.name.length}${random.numericId(18)}`,
    name: tracker.name,
    type: random.chance(0.8) ? ('KEYWORD' as const) : ('SMART' as const),
    phrase: random.pick(tracker.phrases),
    times: Array.from({ length: random.int(1, 4) }, () =>
      random.int(5, Math.max(6, skeleton.durationSeconds - 5)),
    ),
  }));
  let remaining = skeleton.durationSeconds;
  const topics = TOPICS.filter(() => random.chance(0.5)).map((name) => {
    const duration = Math.min(remaining, random.int(30, 600));
    remaining -= duration;
    return { name, duration };
  });
  const external = !!skeleton.externals.length;
  return {
    id: skeleton.id,
    title: skeleton.title,
    scheduled:
      skeleton.scheduled === undefined
        ? skeleton.started - (skeleton.started % (15 * MINUTE))
        : skeleton.scheduled,
    started: skeleton.started,
    duration: skeleton.durationSeconds,
    primaryUserId: skeleton.primaryUser.id,
    direction: skeleton.direction,
    system: skeleton.system,
    scope: external ? 'External' : 'Internal',
    media: skeleton.media,
    language: skeleton.language ?? 'eng',
    workspaceId: skeleton.workspaceId,
    sdrDisposition: null,
    clientUniqueId: skeleton.clientUniqueId ?? null,
    customData: skeleton.customData ?? null,
    purpose: skeleton.purpose ?? null,
    meetingUrl:
      skeleton.meetingUrl === undefined ? `https://zoom.us/j/${random.numericId(10)}` : skeleton.meetingUrl,
    isPrivate: skeleton.isPrivate,
    calendarEventId: skeleton.direction === 'Conference' ? random.numericId(12) : null,
    processedAt: skeleton.processedAt,
    webhooksFired: false,
    parties,
    accountCrmId: skeleton.accountName ? `001${random.numericId(12)}` : null,
    dealCrmId: skeleton.accountName && random.chance(0.7) ? `006${random.numericId(12)}` : null,
    accountName: skeleton.accountName,
    trackers,
    topics,
    transcript,
    brief: `${skeleton.primaryUser.firstName} met ${skeleton.accountName ?? 'the team'} to cover ${
      topics.map((topic) => topic.name.toLowerCase()).join(', ') || 'general questions'
    }.`,
    keyPoints: transcript.slice(0, 3).map((monologue) => monologue.sentences[0]?.text ?? ''),
    outcome: skeleton.outcome
      ? { id: skeleton.outcome.id, category: skeleton.outcome.category, name: skeleton.outcome.callOutcome }
      : null,
    comments: random.chance(0.3)
      ? [
          {
            id: random.numericId(19),
            commenterUserId: skeleton.primaryUser.managerId ?? skeleton.primaryUser.id,
            comment: 'Nice handling of the pricing objection.',
            posted: skeleton.started + skeleton.durationSeconds * 1000 + 2 * HOUR,
            audioStartTime: random.int(0, skeleton.durationSeconds),
          },
        ]
      : [],
    mediaUploaded: true,
    downloadMediaUrl: null,
    accessUserIds: [],
  };
}

function buildTranscript(parties: PartyRecord[], durationSeconds: number, random: Random): MonologueRecord[] {
  const speakers = parties.filter((party) => party.speakerId);
  if (!speakers.length) return [];
  const monologues: MonologueRecord[] = [];
  let cursorMs = 0;
  const totalMs = durationSeconds * 1000;
  const turns = Math.min(24, Math.max(2, Math.floor(durationSeconds / 60)));
  for (let turn = 0; turn < turns && cursorMs < totalMs; turn++) {
    const party = speakers[turn % speakers.length];
    if (!party?.speakerId) continue;
    const lines = party.affiliation === 'Internal' ? SELLER_LINES : BUYER_LINES;
    const sentences = Array.from({ length: random.int(1, 3) }, () => {
      const start = cursorMs;
      const end = Math.min(totalMs, start + random.int(2_000, 9_000));
      cursorMs = end + random.int(200, 1_500);
      return { start, end, text: random.pick(lines) };
    });
    monologues.push({
      speakerId: party.speakerId,
      topic: random.chance(0.6) ? random.pick(TOPICS) : null,
      sentences,
    });
  }
  return monologues;
}

/**
 * A realistic history: about three calls a weekday per few reps across the last 60 days, a handful
 * scheduled in the recent past that Gong is still processing, and some private ones.
 */
export function seedCalls(options: {
  random: Random;
  users: UserRecord[];
  outcomes: CallOutcomeRecord[];
  count: number;
  now: number;
  processingDelayMs: number;
  workspaceId: string;
}): CallRecord[] {
  const { random, users, outcomes, count, now, processingDelayMs, workspaceId } = options;
  const hosts = users.filter((user) => user.active && !user.isAvatar);
  const calls: CallRecord[] = [];
  for (let index = 0; index < count; index++) {
    const primaryUser = random.pick(hosts);
    const account = random.pick(CUSTOMER_COMPANIES);
    const isInternal = random.chance(0.1);
    const durationSeconds = random.int(5, 55) * 60 + random.int(0, 59);
    // The newest few calls start shortly before "now": still processing, invisible to the API.
    const started =
      index < 3
        ? now - durationSeconds * 1000 - Math.round(((index + 1) * processingDelayMs) / 4)
        : now - random.int(2 * HOUR, 60 * DAY);
    const kind = random.pick(CALL_KINDS);
    const externals = isInternal
      ? []
      : Array.from({ length: random.int(1, 3) }, () => {
          const first = random.pick(FIRST_NAMES);
          const last = random.pick(LAST_NAMES);
          return {
            name: `${first} ${last}`,
            emailAddress: `${first}.${last}@${account.domain}`.toLowerCase(),
            title: random.pick(CUSTOMER_TITLES),
            phoneNumber: random.chance(0.3) ? `+1 212 555 ${String(random.int(1000, 9999))}` : null,
          };
        });
    const colleague = random.chance(0.3)
      ? [random.pick(hosts)].filter((user) => user.id !== primaryUser.id)
      : [];
    const direction = random.chance(0.75) ? 'Conference' : random.chance(0.5) ? 'Outbound' : 'Inbound';
    calls.push(
      buildCall(
        {
          id: random.numericId(19),
          title: isInternal ? `${kind} prep` : `${account.name} | ${kind}`,
          started,
          durationSeconds,
          primaryUser,
          colleagues: colleague,
          externals,
          direction,
          system: direction === 'Conference' ? random.pick(CALL_SYSTEMS) : 'RingCentral',
          media: direction === 'Conference' ? 'Video' : 'Audio',
          workspaceId,
          processedAt: started + durationSeconds * 1000 + processingDelayMs,
          isPrivate: random.chance(0.05),
          accountName: isInternal ? null : account.name,
          outcome: direction === 'Conference' ? null : random.pick(outcomes),
        },
        random,
      ),
    );
  }
  calls.sort((a, b) => a.started - b.started || a.id.localeCompare(b.id));
  return calls;
}
