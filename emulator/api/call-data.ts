import { isoTime } from '../core/clock';
import type { CompanyState } from '../core/company';
import type { CallRecord } from '../core/model';
import { callBasicView } from './views';

/** `contentSelector` of /v2/calls/extensive: which parts of the call to include. */
export interface ContentSelector {
  context?: 'None' | 'Basic' | 'Extended' | null;
  contextTiming?: ('Now' | 'TimeOfCall')[] | null;
  exposedFields?: {
    parties?: boolean | null;
    media?: boolean | null;
    content?: Partial<Record<ContentField, boolean | null>> | null;
    interaction?: Partial<
      Record<'speakers' | 'video' | 'personInteractionStats' | 'questions', boolean | null>
    > | null;
    collaboration?: { publicComments?: boolean | null } | null;
  } | null;
}

type ContentField =
  | 'structure'
  | 'topics'
  | 'trackers'
  | 'trackerOccurrences'
  | 'pointsOfInterest'
  | 'brief'
  | 'outline'
  | 'highlights'
  | 'callOutcome'
  | 'keyPoints';

/** What a webhook sends: everything, as a rule with all fields exposed. */
export const FULL_SELECTOR: ContentSelector = {
  context: 'Extended',
  exposedFields: {
    parties: true,
    content: {
      structure: true,
      topics: true,
      trackers: true,
      trackerOccurrences: true,
      pointsOfInterest: true,
      brief: true,
      outline: true,
      highlights: true,
      callOutcome: true,
      keyPoints: true,
    },
    interaction: { speakers: true, video: true, personInteractionStats: true, questions: true },
    collaboration: { publicComments: true },
  },
};

/** One `CallData` of /v2/calls/extensive (and of webhook payloads), shaped by the selector. */
export function callDataView(
  company: CompanyState,
  call: CallRecord,
  selector: ContentSelector | null | undefined,
  options: { mediaUrls: boolean; now: number },
): Record<string, unknown> {
  const data: Record<string, unknown> = { metaData: callBasicView(company, call) };
  const fields = selector?.exposedFields ?? {};
  const contextLevel = selector?.context ?? 'None';
  if (contextLevel !== 'None') {
    const timing = selector?.contextTiming?.[0] ?? 'Now';
    const objects: Record<string, unknown>[] = [];
    if (call.accountCrmId)
      objects.push({
        objectType: 'Account',
        objectId: call.accountCrmId,
        fields:
          contextLevel === 'Extended'
            ? [
                { name: 'Name', value: call.accountName },
                { name: 'Industry', value: 'Software' },
              ]
            : [],
        timing,
      });
    if (call.dealCrmId)
      objects.push({
        objectType: 'Opportunity',
        objectId: call.dealCrmId,
        fields:
          contextLevel === 'Extended'
            ? [
                { name: 'Name', value: `${call.accountName ?? 'Deal'} - New Business` },
                { name: 'StageName', value: 'Discovery' },
                { name: 'Amount', value: 48000 },
              ]
            : [],
        timing,
      });
    data['context'] = objects.length ? [{ system: 'Salesforce', objects }] : [];
  }
  if (fields.parties)
    data['parties'] = call.parties.map((party) => ({
      id: party.id,
      emailAddress: party.emailAddress,
      name: party.name,
      title: party.title,
      userId: party.userId,
      speakerId: party.speakerId,
      context: party.crmContactId
        ? [
            {
              system: 'Salesforce',
              objects: [{ objectType: 'Contact', objectId: party.crmContactId, fields: [], timing: 'Now' }],
            },
          ]
        : [],
      affiliation: party.affiliation,
      phoneNumber: party.phoneNumber,
      methods: party.methods,
    }));
  const content = fields.content;
  if (content && Object.values(content).some(Boolean)) {
    const out: Record<string, unknown> = {};
    if (content.structure)
      out['structure'] = [
        { name: 'Intro', duration: Math.round(call.duration * 0.1) },
        { name: 'Discussion', duration: Math.round(call.duration * 0.75) },
        {
          name: 'Wrap-up',
          duration: call.duration - Math.round(call.duration * 0.1) - Math.round(call.duration * 0.75),
        },
      ];
    if (content.trackers)
      out['trackers'] = call.trackers.map((tracker) => {
        const speakerId = call.parties[0]?.speakerId ?? null;
        const occurrences = tracker.times.map((startTime) => ({ startTime, speakerId }));
        return {
          id: tracker.id,
          name: tracker.name,
          count: tracker.times.length,
          type: tracker.type,
          occurrences: content.trackerOccurrences ? occurrences : [],
          phrases: [
            {
              count: tracker.times.length,
              occurrences: content.trackerOccurrences ? occurrences : [],
              phrase: tracker.phrase,
            },
          ],
        };
      });
    if (content.topics) out['topics'] = call.topics;
    if (content.pointsOfInterest)
      out['pointsOfInterest'] = {
        actionItems: call.transcript
          .flatMap((monologue) =>
            monologue.sentences
              .filter((sentence) => /send|follow up|review/i.test(sentence.text))
              .map((sentence) => ({
                snippetStartTime: sentence.start / 1000,
                snippetEndTime: sentence.end / 1000,
                speakerID: monologue.speakerId,
                snippet: sentence.text,
              })),
          )
          .slice(0, 3),
      };
    // Like Gong, a call without a brief has no `brief` key at all (not `null`).
    if (content.brief && call.brief !== null) out['brief'] = call.brief;
    if (content.outline)
      out['outline'] = call.topics.map((topic, index) => ({
        section: topic.name,
        startTime: index * 60,
        duration: topic.duration,
        items: [{ text: `Discussed ${topic.name.toLowerCase()}`, startTime: index * 60 + 5 }],
      }));
    if (content.highlights)
      out['highlights'] = [
        {
          title: 'Next steps',
          items: call.keyPoints.slice(0, 2).map((text) => ({ text, startTimes: [30] })),
        },
      ];
    if (content.callOutcome) out['callOutcome'] = call.outcome;
    if (content.keyPoints) out['keyPoints'] = call.keyPoints.map((text) => ({ text }));
    data['content'] = out;
  }
  const interaction = fields.interaction;
  if (interaction && Object.values(interaction).some(Boolean)) {
    const out: Record<string, unknown> = {};
    const talk = new Map<string, number>();
    for (const monologue of call.transcript)
      for (const sentence of monologue.sentences)
        talk.set(
          monologue.speakerId,
          (talk.get(monologue.speakerId) ?? 0) + (sentence.end - sentence.start) / 1000,
        );
    if (interaction.speakers)
      out['speakers'] = call.parties
        .filter((party) => party.speakerId)
        .map((party) => ({
          id: party.speakerId,
          userId: party.userId,
          talkTime: talk.get(party.speakerId ?? '') ?? 0,
        }));
    if (interaction.personInteractionStats)
      out['interactionStats'] = [
        { name: 'Talk Ratio', value: 0.46 },
        { name: 'Longest Monologue', value: 74 },
        { name: 'Interactivity', value: 5.8 },
        { name: 'Patience', value: 0.9 },
      ];
    if (interaction.video)
      out['video'] =
        call.media === 'Video'
          ? [
              { name: 'Browser', duration: Math.round(call.duration * 0.2) },
              { name: 'Presentation', duration: Math.round(call.duration * 0.3) },
              { name: 'WebcamPrimaryUser', duration: Math.round(call.duration * 0.5) },
            ]
          : [];
    if (interaction.questions) out['questions'] = { companyCount: 6, nonCompanyCount: 3 };
    data['interaction'] = out;
  }
  if (fields.collaboration?.publicComments)
    data['collaboration'] = {
      publicComments: call.comments.map((comment) => ({
        id: comment.id,
        audioStartTime: comment.audioStartTime,
        audioEndTime: comment.audioStartTime + 10,
        commenterUserId: comment.commenterUserId,
        comment: comment.comment,
        posted: isoTime(comment.posted),
        inReplyTo: null,
        duringCall: false,
      })),
    };
  if (fields.media && options.mediaUrls) {
    const expires = Math.floor(options.now / 1000) + 8 * 3600;
    const base = `${company.apiBaseUrl}/_media/${call.id}`;
    data['media'] = {
      audioUrl: `${base}/audio.mp3?expires=${String(expires)}`,
      videoUrl: call.media === 'Video' ? `${base}/video.mp4?expires=${String(expires)}` : null,
    };
  }
  return data;
}
