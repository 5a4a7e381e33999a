import { DAY, HOUR } from '../core/clock';
import type { CompanyState, RateLimits } from '../core/company';
import type {
  AnsweredScorecardRecord,
  CallOutcomeRecord,
  FlowFolderRecord,
  FlowInstanceRecord,
  FlowRecord,
  LibraryFolderRecord,
  LogEntryRecord,
  PermissionProfileRecord,
  ScorecardRecord,
  TaskRecord,
  TrackerRecord,
  WorkspaceRecord,
} from '../core/model';
import { createRandom } from '../core/random';
import { seedCalls } from './calls';
import { seedUsers } from './users';
import { TRACKERS } from './vocabulary';

export interface CompanySeedOptions {
  seed: number;
  name: string;
  now: number;
  userCount: number;
  callCount: number;
  limits: RateLimits;
  processingDelayMs: number;
}

/** A complete, deterministic Gong tenant: the same seed and name always give the same data. */
export function seedCompany(options: CompanySeedOptions): CompanyState {
  const random = createRandom(options.seed).fork(options.name);
  const ids = random.fork('runtime-ids');
  const data = random.fork('data');
  const slug =
    options.name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'company';
  const cell = `us-${String(data.int(10000, 99999))}`;
  const domain = `${slug}.example`;
  const now = options.now;
  const workspaces: WorkspaceRecord[] = [
    { id: data.numericId(19), name: 'Initial workspace', description: 'The built-in workspace' },
    { id: data.numericId(19), name: 'Customer Success', description: 'Renewals and expansion' },
  ];
  const mainWorkspace = workspaces[0]!.id;
  const users = seedUsers({
    random: data.fork('users'),
    count: options.userCount,
    domain,
    cell,
    workspaceId: mainWorkspace,
    now,
  });
  const people = users.filter((user) => !user.isAvatar);
  const callOutcomes = seedOutcomes(data.fork('outcomes'));
  const calls = seedCalls({
    random: data.fork('calls'),
    users,
    outcomes: callOutcomes,
    count: options.callCount,
    now,
    processingDelayMs: options.processingDelayMs,
    workspaceId: mainWorkspace,
  });
  // Seeded calls are history: webhooks never fire for them, even the ones still processing.
  for (const call of calls) call.webhooksFired = call.processedAt <= now;
  const admin = people[0]!;
  const trackerRandom = data.fork('trackers');
  const trackers: TrackerRecord[] = TRACKERS.map((tracker) => ({
    trackerId: trackerRandom.numericId(19),
    trackerName: tracker.name,
    workspaceId: mainWorkspace,
    keywords: [...tracker.phrases],
    affiliation: 'Whoever',
    created: now - 300 * DAY,
    creatorUserId: admin.id,
  }));
  const scorecardRandom = data.fork('scorecards');
  const scorecards: ScorecardRecord[] = ['Discovery call scorecard', 'Demo scorecard'].map((name, index) => ({
    scorecardId: scorecardRandom.numericId(19),
    scorecardName: name,
    workspaceId: mainWorkspace,
    enabled: true,
    updaterUserId: admin.id,
    created: now - (200 - index) * DAY,
    updated: now - (20 - index) * DAY,
    reviewMethod: 'MANUAL',
    questions: ['Did the rep set an agenda?', 'Did the rep uncover the pain?', 'Overall score'].map(
      (questionText, questionIndex) => ({
        questionId: scorecardRandom.numericId(19),
        questionRevisionId: scorecardRandom.numericId(19),
        questionText,
        isOverall: questionIndex === 2,
        questionType: 'RANGE',
        minRange: 1,
        maxRange: 5,
      }),
    ),
  }));
  const visibleCalls = calls.filter((call) => call.processedAt <= now && call.scope === 'External');
  const answerRandom = data.fork('answers');
  const answeredScorecards: AnsweredScorecardRecord[] = visibleCalls.slice(0, 40).map((call) => {
    const scorecard = answerRandom.pick(scorecards);
    const managerId = users.find((user) => user.id === call.primaryUserId)?.managerId;
    const reviewer = people.find((user) => user.id === managerId);
    return {
      answeredScorecardId: answerRandom.numericId(19),
      scorecardId: scorecard.scorecardId,
      callId: call.id,
      reviewedUserId: call.primaryUserId,
      reviewerUserId: reviewer?.id ?? admin.id,
      reviewTime: call.started + DAY,
      visibilityType: answerRandom.pick(['PUBLIC', 'PRIVATE', 'OPT_IN_USERS'] as const),
      answers: scorecard.questions.map((question) => ({
        questionId: question.questionId,
        questionRevisionId: question.questionRevisionId,
        isOverall: question.isOverall,
        score: answerRandom.int(question.minRange, question.maxRange),
      })),
    };
  });
  const libraryRandom = data.fork('library');
  const libraryFolders: LibraryFolderRecord[] = [];
  for (const name of ['Best discovery calls', 'Objection handling', 'Onboarding examples']) {
    const parent = libraryFolders[0];
    libraryFolders.push({
      id: libraryRandom.numericId(19),
      name,
      parentFolderId: name === 'Objection handling' && parent ? parent.id : null,
      createdBy: admin.id,
      updated: now - libraryRandom.int(1, 90) * DAY,
      workspaceId: mainWorkspace,
      calls: visibleCalls.slice(libraryRandom.int(0, 20), libraryRandom.int(22, 30)).map((call) => ({
        callId: call.id,
        note: `Good example: ${call.title}`,
        addedBy: admin.id,
        created: call.started + 2 * DAY,
        fromSec: 60,
        toSec: 240,
      })),
    });
  }
  const flowRandom = data.fork('flows');
  const flowFolders: FlowFolderRecord[] = ['Company flows', 'Outbound prospecting'].map((name, index) => ({
    id: flowRandom.numericId(19),
    name,
    parentFolderId: null,
    createdById: admin.id,
    visibility: index === 0 ? 'Company' : 'Shared',
    workspaceId: mainWorkspace,
  }));
  const flows: FlowRecord[] = ['Inbound lead follow-up', 'Cold outbound: VP Sales', 'Post-demo nurture'].map(
    (name, index) => ({
      id: flowRandom.numericId(19),
      name,
      folderId: flowFolders[index % flowFolders.length]!.id,
      ownerUserId: admin.id,
      visibility: index === 0 ? 'Company' : 'Shared',
      creationDate: now - (100 + index) * DAY,
      exclusive: index === 1,
      workspaceId: mainWorkspace,
      steps: [
        { id: flowRandom.numericId(19), type: 'EMAIL', dayOffset: 0 },
        { id: flowRandom.numericId(19), type: 'CALL', dayOffset: 2 },
        { id: flowRandom.numericId(19), type: 'LINKEDIN', dayOffset: 4 },
      ],
    }),
  );
  const flowInstances: FlowInstanceRecord[] = Array.from({ length: 6 }, (_, index) => ({
    flowInstanceId: flowRandom.numericId(19),
    flowId: flows[index % flows.length]!.id,
    crmProspectId: `003${flowRandom.numericId(12)}`,
    ownerUserId: admin.id,
    created: now - flowRandom.int(1, 20) * DAY,
    status: 'Running',
  }));
  const taskRandom = data.fork('tasks');
  const tasks: TaskRecord[] = people.slice(0, 20).flatMap((user) =>
    Array.from({ length: 3 }, (_, index) => ({
      id: taskRandom.numericId(18),
      userId: user.id,
      workspaceId: mainWorkspace,
      type: index === 0 ? ('MANUAL' as const) : ('FLOW' as const),
      taskAction: index === 2 ? ('EMAIL' as const) : ('CALL' as const),
      status: 'OPEN' as const,
      title: index === 0 ? 'Call back about pricing' : 'Flow step',
      dueDate: now + (index - 1) * DAY,
      flowId: index === 0 ? null : flows[index % flows.length]!.id,
      crmProspectId: `003${taskRandom.numericId(12)}`,
    })),
  );
  const profileRandom = data.fork('profiles');
  const permissionProfiles: PermissionProfileRecord[] = ['Admin', 'Manager', 'Rep'].map((name, index) => ({
    id: profileRandom.numericId(19),
    workspaceId: mainWorkspace,
    name,
    description: `${name} permissions`,
    userIds: people.filter((_, userIndex) => userIndex % 3 === index).map((user) => user.id),
    settings: {
      callsAccess: {
        permissionLevel: index === 0 ? 'all' : index === 1 ? 'managers-team' : 'own',
        teamLeadIds: [],
      },
      scoreCalls: index < 2,
      downloadCallMedia: index === 0,
      privateCalls: index === 0,
      deleteCalls: index === 0,
      manageScorecards: index === 0,
    },
  }));
  const logRandom = data.fork('logs');
  const logs: LogEntryRecord[] = Array.from({ length: 150 }, () => {
    const user = logRandom.pick(people);
    // Call-related log types need a processed call; a tiny company may have none yet.
    const logType = visibleCalls.length
      ? logRandom.pick(['AccessLog', 'UserActivityLog', 'UserCallPlay'] as const)
      : 'AccessLog';
    const call = visibleCalls.length ? logRandom.pick(visibleCalls) : null;
    const eventTime = now - logRandom.int(1, 30 * 24) * HOUR;
    const clientIp = `10.0.${String(logRandom.int(0, 255))}.${String(logRandom.int(1, 254))}`;
    return {
      logType,
      userId: user.id,
      eventTime,
      logRecord:
        !call || logType === 'AccessLog'
          ? { ipAddress: clientIp, userAgent: 'Mozilla/5.0' }
          : logType === 'UserCallPlay'
            ? { callId: call.id, callTitle: call.title }
            : userActivityRecord(logRandom.numericId(19), eventTime, clientIp, call.id),
    };
  }).sort((a, b) => a.eventTime - b.eventTime);
  const manualAssociations = visibleCalls
    .filter((call) => call.accountCrmId)
    .slice(0, 12)
    .map((call) => ({
      callId: call.id,
      userId: call.primaryUserId,
      created: call.started + 3 * HOUR,
      accountCrmId: call.accountCrmId!,
      dealCrmId: call.dealCrmId,
    }));
  const emailRandom = data.fork('emails');
  const emails = visibleCalls.slice(0, 30).flatMap((call) => {
    const external = call.parties.find((party) => party.affiliation === 'External' && party.emailAddress);
    const host = users.find((user) => user.id === call.primaryUserId);
    if (!external?.emailAddress || !host) return [];
    return [
      {
        id: emailRandom.numericId(19),
        from: host.emailAddress,
        to: [external.emailAddress],
        sentTime: call.started + HOUR,
        mailbox: host.emailAddress,
        messageHash: emailRandom.numericId(16),
      },
    ];
  });
  return {
    id: data.numericId(19),
    name: options.name,
    cell,
    domain,
    timeZone: 'UTC',
    apiBaseUrl: '',
    ids,
    limits: { ...options.limits },
    processingDelayMs: options.processingDelayMs,
    meetingsEnabled: true,
    workspaces,
    users,
    calls,
    trackers,
    scorecards,
    answeredScorecards,
    libraryFolders,
    flowFolders,
    flows,
    flowInstances,
    bulkAssignments: new Map(),
    tasks,
    callOutcomes,
    meetings: new Map(),
    crmIntegrations: [],
    crmRequests: new Map(),
    permissionProfiles,
    logs,
    manualAssociations,
    emails,
    engagementEvents: new Map(),
    integrationSettings: null,
    erasures: [],
  };
}

function seedOutcomes(random: ReturnType<typeof createRandom>): CallOutcomeRecord[] {
  const rows: [
    string,
    CallOutcomeRecord['connectStatus'],
    CallOutcomeRecord['sentiment'],
    CallOutcomeRecord['category'],
  ][] = [
    ['Meeting booked', 'CONNECTED', 'POSITIVE', 'ANSWERED'],
    ['Interested, follow up', 'CONNECTED', 'POSITIVE', 'ANSWERED'],
    ['Not interested', 'CONNECTED', 'NEGATIVE', 'ANSWERED'],
    ['Wrong number', 'NOT_CONNECTED', 'NEUTRAL', 'NOT_ANSWERED'],
    ['Left voicemail', 'NOT_CONNECTED', 'NEUTRAL', 'NOT_ANSWERED'],
    ['No answer', 'NOT_CONNECTED', 'NEUTRAL', 'NOT_ANSWERED'],
  ];
  return rows.map(([callOutcome, connectStatus, sentiment, category], index) => ({
    id: random.numericId(19),
    callOutcome,
    displayOrder: index + 1,
    connectStatus,
    sentiment,
    todoAction: category === 'ANSWERED' ? 'COMPLETE' : 'COMPLETE_AND_REMOVE',
    automation: callOutcome === 'Not interested' ? 'MARK_AS_OPT_OUT' : null,
    category,
  }));
}

/**
 * A UserActivityLog record as real Gong writes one (recorded traffic, issue 18): the audit of one web request,
 * with the tables it changed. Gong's export only says the record's fields depend on the log type.
 */
function userActivityRecord(auditId: string, eventTime: number, clientIp: string, callId: string) {
  const at = (offsetMs: number) => new Date(eventTime - offsetMs).toISOString();
  return {
    auditId,
    tableChanges: [
      {
        preSnapshotTimestamp: at(70),
        postSnapshotTimestamp: at(3),
        rowChanges: [],
        tableName: 'public.call_view',
      },
    ],
    customData: [],
    remoteCallsAuditData: [],
    action: null,
    httpRequest: {
      referrerUri: `https://app.gong.io/call?id=${callId}`,
      clientIp,
      verb: 'GET',
      endpointUri: '/call',
      body: null,
      parameters: [{ values: [callId], key: 'id' }],
    },
    workspaceId: null,
  };
}
