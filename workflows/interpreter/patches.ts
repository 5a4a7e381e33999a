/**
 * Behaviour changes of the interpreter after histories were recorded, each guarded with `patched(id)`:
 * runs that started before a change replay the old way, new runs take the new one. Never reuse an id;
 * once no run of the old behaviour can be open any more, switch to `deprecatePatch(id)`, then remove.
 */
export const PATCHES = {
  /** forEach over a list kept in the blob store reads it in slices (before: failed "items must be a list"). */
  forEachBlobList: 'gongflow-foreach-blob-list',
  /** Approval steps are decided by the `gongflow.approve` update (approvers enforced), not a bare signal. */
  approvalUpdates: 'gongflow-approval-updates',
  /**
   * Expressions are bounded: `matches` uses RE2 (linear time), every evaluation has a cost budget and a
   * shape limit, and a workflow task's evaluations are paced (before: JavaScript RegExp, no bounds).
   */
  expressionLimits: 'gongflow-expression-limits',
  /**
   * OpenTelemetry workflow interceptors (workflows/tracing-interceptors.ts): their span ids draw on the
   * workflow's seeded random numbers, which also name child workflows, so runs recorded without them
   * replay without them.
   */
  tracing: 'gongflow-tracing',
} as const;
