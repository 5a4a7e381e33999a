import type {
  AnsweredScorecardRecord,
  CallOutcomeRecord,
  CallRecord,
  CrmIntegrationRecord,
  CrmRequestRecord,
  EmailRecord,
  EngagementEventRecord,
  FlowFolderRecord,
  FlowInstanceRecord,
  FlowRecord,
  LibraryFolderRecord,
  LogEntryRecord,
  ManualAssociationRecord,
  MeetingRecord,
  PermissionProfileRecord,
  ScorecardRecord,
  TaskRecord,
  TrackerRecord,
  UserRecord,
  WorkspaceRecord,
} from './model';
import type { Random } from './random';

export interface RateLimits {
  perSecond: number;
  perDay: number;
}

/** One Gong customer: its data, its API host and its own request budget. */
export interface CompanyState {
  id: string;
  name: string;
  /** Host-name-like label (`us-12345`), used to build realistic URLs. */
  cell: string;
  domain: string;
  timeZone: string;
  /** Set once the company's API listener is up. */
  apiBaseUrl: string;
  /** Fresh IDs for objects created at run time; deterministic for a given sequence of requests. */
  ids: Random;
  limits: RateLimits;
  processingDelayMs: number;
  /** Meetings are a limited-release API: when off, /v2/meetings answers 403 as Gong does. */
  meetingsEnabled: boolean;
  workspaces: WorkspaceRecord[];
  users: UserRecord[];
  calls: CallRecord[];
  trackers: TrackerRecord[];
  scorecards: ScorecardRecord[];
  answeredScorecards: AnsweredScorecardRecord[];
  libraryFolders: LibraryFolderRecord[];
  flowFolders: FlowFolderRecord[];
  flows: FlowRecord[];
  flowInstances: FlowInstanceRecord[];
  bulkAssignments: Map<
    string,
    {
      id: string;
      created: number;
      flowId: string;
      crmProspectIds: string[];
      failures: { prospectId: string; error: string }[];
    }
  >;
  tasks: TaskRecord[];
  callOutcomes: CallOutcomeRecord[];
  meetings: Map<string, MeetingRecord>;
  crmIntegrations: CrmIntegrationRecord[];
  crmRequests: Map<string, CrmRequestRecord>;
  permissionProfiles: PermissionProfileRecord[];
  logs: LogEntryRecord[];
  manualAssociations: ManualAssociationRecord[];
  emails: EmailRecord[];
  engagementEvents: Map<string, EngagementEventRecord>;
  integrationSettings: { id: string; settings: { integrationType: string; allowedOrigin: string }[] } | null;
  erasures: { kind: 'email' | 'phone'; value: string; requestedAt: number }[];
}

export function userById(company: CompanyState, id: string): UserRecord | undefined {
  return company.users.find((user) => user.id === id);
}

export function userByEmail(company: CompanyState, email: string): UserRecord | undefined {
  const wanted = email.toLowerCase();
  return company.users.find((user) => user.emailAddress.toLowerCase() === wanted);
}

export function callById(company: CompanyState, id: string): CallRecord | undefined {
  return company.calls.find((call) => call.id === id);
}

/** A call exists for the API only once Gong has finished processing it. */
export function isProcessed(call: CallRecord, now: number): boolean {
  return call.processedAt <= now;
}

export function fullName(user: UserRecord): string {
  return `${user.firstName} ${user.lastName}`;
}

/** Keeps calls ordered by start time (the order Gong lists them in). */
export function addCall(company: CompanyState, call: CallRecord): void {
  company.calls.push(call);
  company.calls.sort((a, b) => a.started - b.started || a.id.localeCompare(b.id));
}
