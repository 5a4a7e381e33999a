import { CACHED_RUN_MIB, defaultMaxCachedWorkflows } from './workflow-cache';

describe('the default workflow cache size', () => {
  it('fits the cached runs in the heap at CACHED_RUN_MIB each, after a reserve', () => {
    expect(defaultMaxCachedWorkflows(40, 4_144)).toBe(Math.floor((4_144 - 200) / CACHED_RUN_MIB));
    expect(defaultMaxCachedWorkflows(40, 4_144)).toBe(986);
    // Under half of what Temporal's default caches on the same heap: (4,144 - 200) x 600 / 1,024 = 2,310.
    expect(defaultMaxCachedWorkflows(40, 4_144)).toBeLessThan(2_310 / 2);
  });

  it('never goes below the workflow tasks run at once (a small heap, a container)', () => {
    expect(defaultMaxCachedWorkflows(40, 256)).toBe(40);
    expect(defaultMaxCachedWorkflows(40, 100)).toBe(40);
  });

  it("follows this process's heap limit when none is given", () => {
    expect(defaultMaxCachedWorkflows(1)).toBeGreaterThanOrEqual(1);
  });
});
