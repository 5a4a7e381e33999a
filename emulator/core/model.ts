/**
 * The emulator's state, one record type per Gong concept. Times are epoch milliseconds internally and
 * become ISO strings only when a response is built. IDs are digit strings everywhere.
 */

export interface UserRecord {
  id: string;
  emailAddress: string;
  created: number;
  active: boolean;
  emailAliases: string[];
  firstName: string;
  lastName: string;
  title: string | null;
  phoneNumber: string | null;
  extension: string | null;
  personalMeetingUrls: string[];
  settings: {
    webConferencesRecorded: boolean;
    preventWebConferenceRecording: boolean;
    telephonyCallsImported: boolean;
    emailsImported: boolean;
    preventEmailImport: boolean;
    nonRecordedMeetingsImported: boolean;
    gongConnectEnabled: boolean;
  };
  managerId: string | null;
  meetingConsentPageUrl: string | null;
  spokenLanguages: { language: string; primary: boolean }[];
  workspaceId: string;
  isAvatar: boolean;
  settingsHistory: { setting: string; value: boolean; time: number }[];
}

export interface PartyRecord {
  id: string;
  emailAddress: string | null;
  name: string | null;
  title: string | null;
  userId: string | null;
  speakerId: string | null;
  affiliation: 'Internal' | 'External' | 'Unknown';
  phoneNumber: string | null;
  methods: ('Invitee' | 'Attendee')[];
  crmContactId: string | null;
}

export interface MonologueRecord {
  speakerId: string;
  topic: string | null;
  sentences: { start: number; end: number; text: string }[];
}

export interface CallRecord {
  id: string;
  title: string;
  /** Scheduled start (web conferences) or null. */
  scheduled: number | null;
  started: number;
  /** Seconds. */
  duration: number;
  primaryUserId: string;
  direction: 'Inbound' | 'Outbound' | 'Conference' | 'Unknown';
  system: string;
  scope: 'Internal' | 'External' | 'Unknown';
  media: 'Video' | 'Audio';
  language: string;
  workspaceId: string;
  sdrDisposition: string | null;
  clientUniqueId: string | null;
  customData: string | null;
  purpose: string | null;
  meetingUrl: string | null;
  isPrivate: boolean;
  calendarEventId: string | null;
  /** When Gong finishes processing: before this instant the call is invisible to the API. */
  processedAt: number;
  /** Set once webhooks for this call have been considered. */
  webhooksFired: boolean;
  parties: PartyRecord[];
  accountCrmId: string | null;
  dealCrmId: string | null;
  accountName: string | null;
  trackers: { id: string; name: string; type: 'KEYWORD' | 'SMART'; phrase: string; times: number[] }[];
  topics: { name: string; duration: number }[];
  transcript: MonologueRecord[];
  /** Gong's AI brief; null when Gong has none (short calls, AI off): the field is then omitted. */
  brief: string | null;
  keyPoints: string[];
  outcome: { id: string; category: string; name: string } | null;
  comments: {
    id: string;
    commenterUserId: string;
    comment: string;
    posted: number;
    audioStartTime: number;
  }[];
  mediaUploaded: boolean;
  downloadMediaUrl: string | null;
  /** Users given access through the API (PUT /v2/calls/users-access). */
  accessUserIds: string[];
}

export interface WorkspaceRecord {
  id: string;
  name: string;
  description: string;
}

export interface TrackerRecord {
  trackerId: string;
  trackerName: string;
  workspaceId: string;
  keywords: string[];
  affiliation: string;
  created: number;
  creatorUserId: string;
}

export interface ScorecardRecord {
  scorecardId: string;
  scorecardName: string;
  workspaceId: string;
  enabled: boolean;
  updaterUserId: string;
  created: number;
  updated: number;
  /** `MANUAL` in every real answer seen. */
  reviewMethod: string;
  questions: {
    questionId: string;
    questionRevisionId: string;
    questionText: string;
    isOverall: boolean;
    questionType: string;
    minRange: number;
    maxRange: number;
  }[];
}

export interface AnsweredScorecardRecord {
  answeredScorecardId: string;
  scorecardId: string;
  callId: string;
  reviewedUserId: string;
  reviewerUserId: string;
  reviewTime: number;
  visibilityType: 'PUBLIC' | 'PRIVATE' | 'OPT_IN_USERS';
  answers: { questionId: string; questionRevisionId: string; isOverall: boolean; score: number }[];
}

export interface LibraryFolderRecord {
  id: string;
  name: string;
  parentFolderId: string | null;
  createdBy: string;
  updated: number;
  workspaceId: string;
  calls: { callId: string; note: string; addedBy: string; created: number; fromSec: number; toSec: number }[];
}

export interface FlowFolderRecord {
  id: string;
  name: string;
  parentFolderId: string | null;
  createdById: string;
  visibility: 'Company' | 'Personal' | 'Shared';
  workspaceId: string;
}

export interface FlowRecord {
  id: string;
  name: string;
  folderId: string;
  ownerUserId: string;
  visibility: 'Company' | 'Personal' | 'Shared';
  creationDate: number;
  exclusive: boolean;
  workspaceId: string;
  steps: { id: string; type: string; dayOffset: number }[];
}

export interface FlowInstanceRecord {
  flowInstanceId: string;
  flowId: string;
  crmProspectId: string;
  ownerUserId: string;
  created: number;
  status: 'Running' | 'Pending' | 'Paused';
}

export interface TaskRecord {
  id: string;
  userId: string;
  workspaceId: string;
  type: 'FLOW' | 'MANUAL';
  taskAction: 'CALL' | 'EMAIL' | 'LINKEDIN' | 'GENERAL';
  status: 'OPEN' | 'DONE' | 'DISMISSED';
  title: string;
  dueDate: number;
  flowId: string | null;
  crmProspectId: string | null;
}

export interface CallOutcomeRecord {
  id: string;
  callOutcome: string;
  displayOrder: number;
  connectStatus: 'CONNECTED' | 'NOT_CONNECTED';
  sentiment: 'POSITIVE' | 'NEUTRAL' | 'NEGATIVE';
  todoAction: 'COMPLETE' | 'COMPLETE_AND_REMOVE';
  automation: 'MARK_AS_OPT_OUT' | null;
  category: 'ANSWERED' | 'NOT_ANSWERED';
}

export interface MeetingRecord {
  meetingId: string;
  startTime: string;
  endTime: string;
  title: string | null;
  invitees: { email?: string; displayName?: string; firstName?: string; lastName?: string }[];
  externalId: string | null;
  organizerEmail: string;
}

export interface CrmRequestRecord {
  clientRequestId: string;
  integrationId: string;
  kind: 'upload' | 'delete';
  /** Status is derived from the clock: PENDING until `startsAt`, IN_PROGRESS until `finishesAt`. */
  createdAt: number;
  startsAt: number;
  finishesAt: number;
  errors: { line: number; description: string }[];
  successCount: number;
}

export interface CrmIntegrationRecord {
  integrationId: string;
  ownerEmail: string;
  name: string;
  deleted: boolean;
  /** objectType -> crmId -> fields */
  objects: Map<string, Map<string, Record<string, unknown>>>;
  /** objectType -> uniqueName -> field definition */
  schema: Map<string, Map<string, Record<string, unknown>>>;
}

export interface PermissionProfileRecord {
  id: string;
  workspaceId: string;
  name: string;
  description: string;
  userIds: string[];
  settings: Record<string, unknown>;
}

export interface LogEntryRecord {
  logType: string;
  userId: string;
  eventTime: number;
  logRecord: Record<string, unknown>;
}

export interface ManualAssociationRecord {
  callId: string;
  userId: string;
  created: number;
  accountCrmId: string;
  dealCrmId: string | null;
}

export interface EmailRecord {
  id: string;
  from: string;
  to: string[];
  sentTime: number;
  mailbox: string;
  messageHash: string;
}

export interface EngagementEventRecord {
  eventId: string;
  kind: string;
  timestamp: string;
  email: string | null;
  contentId: string | null;
  contentUrl: string | null;
  reportingSystem: string | null;
  eventName: string | null;
}
