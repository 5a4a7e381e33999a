/**
 * Where the catalog (and the emulator with it) deliberately differs from Gong's official OpenAPI exports, each
 * with its evidence: real Gong's recorded answers win over the export (issue 18). Rendered in docs/actions.md.
 * Entries marked `emulatorExtra` are fields the emulator sends although the catalog's response schema does
 * not describe them: the strict conformance test (test/emulator/conformance.test.ts) allows exactly these.
 */
import { observedProfileFlags } from './permissions';

export interface DeliberateDifference {
  /** The catalog actions concerned. */
  actions: readonly string[];
  /** The field, as a path in the input or in Gong's answer, e.g. `scorecards[].questions[].maxRange`. */
  fields: readonly string[];
  /** What Gong's export says. */
  gongExport: string;
  /** What gongflow does instead. */
  gongflow: string;
  /** Why, and the evidence. */
  reason: string;
  emulatorExtra?: true;
}

const RECORDED = 'Real Gong does so in recorded traffic';

export const DELIBERATE_DIFFERENCES: readonly DeliberateDifference[] = [
  {
    actions: ['gong.settings.scorecards.list'],
    fields: [
      'scorecards[].scorecardId',
      'scorecards[].workspaceId',
      'scorecards[].updaterUserId',
      'scorecards[].questions[].questionId',
      'scorecards[].questions[].questionRevisionId',
    ],
    gongExport: 'int64 JSON numbers',
    gongflow: 'JSON strings (the emulator) or numbers accepted; they stay as Gong sent them',
    reason: `${RECORDED}: every ID of this answer is a string, e.g. "scorecardId": "2872937706428335733".`,
  },
  {
    actions: ['gong.settings.scorecards.list'],
    fields: ['scorecards[].questions[].minRange', 'scorecards[].questions[].maxRange'],
    gongExport: 'int32 JSON numbers',
    gongflow: 'JSON strings on the wire (the emulator), numbers in the step output',
    reason: `${RECORDED} ("maxRange": "5"); as numbers, comparing \`q.maxRange\` with a number works against real Gong and the emulator alike.`,
  },
  {
    actions: ['gong.settings.scorecards.list'],
    fields: [
      'scorecards[].reviewMethod',
      'scorecards[].questions[].updaterUserId',
      'scorecards[].questions[].created',
      'scorecards[].questions[].updated',
    ],
    gongExport: 'not listed',
    gongflow: 'described by the catalog, sent by the emulator',
    reason: `${RECORDED} ("reviewMethod": "MANUAL").`,
  },
  {
    actions: [
      'gong.permission-profiles.list',
      'gong.permission-profiles.get',
      'gong.permission-profiles.create',
      'gong.permission-profiles.update',
    ],
    fields: [...observedProfileFlags],
    gongExport: 'not listed',
    gongflow: 'in every profile of the answer (catalog and emulator); not accepted as known inputs',
    reason: `${RECORDED}, on list, get, create and update alike; whether Gong takes them as input is unknown (sent anyway with a warning).`,
  },
  {
    actions: ['gong.users.list', 'gong.users.get', 'gong.users.extensive'],
    fields: ['users[].conferencingProviders', 'user.conferencingProviders'],
    gongExport: 'not listed',
    gongflow: 'described as "any" by the catalog, sent as null by the emulator',
    reason: `${RECORDED}, always null so far.`,
  },
  {
    actions: ['gong.logs.list'],
    fields: ['logEntries[].logRecord', 'logEntries[].impersonator*'],
    gongExport: 'logRecord: a free map; impersonator fields listed',
    gongflow:
      'a UserActivityLog record has auditId, tableChanges, customData, remoteCallsAuditData, action, httpRequest, workspaceId; impersonator fields left out when nobody impersonated',
    reason: `${RECORDED}. Other log types have no recorded or documented shape: the emulator's are minimal inventions.`,
  },
  {
    actions: ['gong.calls.list'],
    fields: ['fromDateTime', 'toDateTime'],
    gongExport: 'required inputs',
    gongflow: 'optional inputs',
    reason:
      'Real Gong answers GET /v2/calls without them (recorded); the export itself describes what happens when they are absent.',
  },
  {
    actions: ['gong.calls.create'],
    fields: ['parties[].speakerId', 'parties[].affiliation'],
    gongExport: 'not listed',
    gongflow: 'accepted inputs',
    reason: 'Real Gong answered 200 to parties carrying them (recorded); their effect is unknown.',
  },
  {
    actions: ['gong.integration-settings.update'],
    fields: ['integrationId'],
    gongExport: 'in the answer',
    gongflow: 'optional in the catalog; the emulator answers only requestId',
    reason: 'Real Gong answered only requestId (recorded).',
  },
  {
    actions: ['gong.meetings.delete'],
    fields: ['organizerEmail', 'requestId'],
    gongExport: 'the request body (DeleteMeetingRequest: organizerEmail)',
    gongflow: 'requestId, with organizerEmail optional',
    reason:
      "Gong's answers carry requestId everywhere; the export's answer type looks copied from the request.",
  },
  {
    actions: ['gong.flows.prospects.assign', 'gong.flows.prospects.assign-cool-off-override'],
    fields: ['bulkAssignmentId'],
    gongExport: 'not listed',
    gongflow: 'sent by the emulator only (not in the catalog)',
    reason:
      'Gong documents no way to learn a bulk assignment ID; the emulator hands one out so gong.flows.prospects.bulk-assignments.get can be exercised.',
    emulatorExtra: true,
  },
  {
    actions: ['gong.entities.brief.get'],
    fields: ['briefSections[].body'],
    gongExport: 'no export; Gong documents no section field beyond title',
    gongflow: 'sent by the emulator only (not in the catalog)',
    reason: "The emulator's briefs need content to test with; read it as dyn(section).body.",
    emulatorExtra: true,
  },
];

/** Answer fields the emulator may send beyond an action's response schema, by action name. */
export function emulatorExtras(actionName: string): Set<string> {
  return new Set(
    DELIBERATE_DIFFERENCES.filter(
      (difference) => difference.emulatorExtra && difference.actions.includes(actionName),
    ).flatMap((difference) => difference.fields),
  );
}
