/**
 * How fast work of a lost worker (kill -9, a machine gone) is taken over. Temporal notices a lost attempt only
 * when its heartbeats stop: the attempt is retried on another worker once this much time passed without one
 * (it was 60 s: a killed worker's Gong calls waited a minute). Activities heartbeat every
 * `ACTIVITY_HEARTBEAT_INTERVAL_MS` while they run, so a live one has this much slack for a slow server.
 */
export const ACTIVITY_HEARTBEAT_TIMEOUT_MS = 6_000;

/** How often a running activity heartbeats; workers throttle heartbeats to no longer than this either. */
export const ACTIVITY_HEARTBEAT_INTERVAL_MS = 2_000;

/**
 * How long a workflow task waits for the worker that has its workflow cached before any worker takes it. The
 * budget workflow of a company is cached on one worker: were it killed, every reservation (so every Gong call)
 * would wait this long once after the heartbeat timeout.
 */
export const STICKY_TASK_TIMEOUT_MS = 2_000;
