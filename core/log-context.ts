/**
 * The header a run's workflow puts on each activity it schedules so that the activity's log lines name the
 * definition too (workflows/log-context-interceptors.ts writes it, workers/activity-log-context.ts reads it).
 */
export const DEFINITION_HEADER = 'gongflow-definition';
