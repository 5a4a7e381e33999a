import { DAY } from '../core/clock';
import type { UserRecord } from '../core/model';
import type { Random } from '../core/random';
import { FIRST_NAMES, LANGUAGES, LAST_NAMES, MANAGER_TITLES, SALES_TITLES } from './vocabulary';

export interface NewUserInput {
  id: string;
  firstName: string;
  lastName: string;
  emailAddress: string;
  title: string | null;
  managerId: string | null;
  created: number;
  workspaceId: string;
  isAvatar?: boolean;
  active?: boolean;
  phoneNumber?: string | null;
}

export function buildUser(input: NewUserInput, random: Random, cell: string): UserRecord {
  const recorded = random.chance(0.9);
  const language = random.pick(LANGUAGES);
  return {
    id: input.id,
    emailAddress: input.emailAddress,
    created: input.created,
    active: input.active ?? true,
    emailAliases: [],
    firstName: input.firstName,
    lastName: input.lastName,
    title: input.title,
    phoneNumber: input.phoneNumber ?? null,
    extension: null,
    personalMeetingUrls: [`https://zoom.us/j/${random.numericId(10)}`],
    settings: {
      webConferencesRecorded: recorded,
      preventWebConferenceRecording: !recorded,
      telephonyCallsImported: random.chance(0.5),
      emailsImported: random.chance(0.8),
      preventEmailImport: false,
      nonRecordedMeetingsImported: random.chance(0.7),
      gongConnectEnabled: random.chance(0.6),
    },
    managerId: input.managerId,
    meetingConsentPageUrl: recorded ? `https://${cell}.app.gong.io/meetings/consent/${input.id}` : null,
    spokenLanguages: [{ language, primary: true }],
    workspaceId: input.workspaceId,
    isAvatar: input.isAvatar ?? false,
    settingsHistory: [{ setting: 'webConferencesRecorded', value: recorded, time: input.created + DAY }],
  };
}

/**
 * Sales teams: one manager per eight reps, a couple of Gong "avatar" users (Gong staff visible only
 * with includeAvatars), and a deactivated leaver, as real instances have.
 */
export function seedUsers(options: {
  random: Random;
  count: number;
  domain: string;
  cell: string;
  workspaceId: string;
  now: number;
}): UserRecord[] {
  const { random, count, domain, cell, workspaceId, now } = options;
  const users: UserRecord[] = [];
  const emails = new Set<string>();
  let currentManager: string | null = null;
  for (let index = 0; index < count; index++) {
    const firstName = random.pick(FIRST_NAMES);
    const lastName = random.pick(LAST_NAMES);
    let local = `${firstName}.${lastName}`.toLowerCase();
    for (let suffix = 2; emails.has(local); suffix++)
      local = `${firstName}.${lastName}${suffix}`.toLowerCase();
    emails.add(local);
    const isManager = index % 9 === 0;
    const id = random.numericId(19);
    const user = buildUser(
      {
        id,
        firstName,
        lastName,
        emailAddress: `${local}@${domain}`,
        title: isManager ? random.pick(MANAGER_TITLES) : random.pick(SALES_TITLES),
        managerId: isManager ? (users[0]?.id ?? null) : currentManager,
        created: now - random.int(30, 900) * DAY,
        workspaceId,
        // One leaver, as in every real instance (unless the company has a single user).
        active: count === 1 || index !== count - 1,
        phoneNumber: random.chance(0.6) ? `+1 415 555 ${String(random.int(1000, 9999))}` : null,
      },
      random,
      cell,
    );
    if (isManager) currentManager = id;
    users.push(user);
  }
  for (const [firstName, lastName] of [
    ['Gong', 'Support'],
    ['Gong', 'Onboarding'],
  ] as const) {
    users.push(
      buildUser(
        {
          id: random.numericId(19),
          firstName,
          lastName,
          emailAddress: `${lastName.toLowerCase()}.avatar@gong.io`,
          title: null,
          managerId: null,
          created: now - 400 * DAY,
          workspaceId,
          isAvatar: true,
        },
        random,
        cell,
      ),
    );
  }
  return users;
}
