/**
 * Modules the workflow sandbox loads once per worker thread instead of once per run (Temporal's
 * `preloadModules`, workers/bundle.ts).
 *
 * Temporal gives every cached run its own copy of every module it imports, so that no state leaks
 * between runs. For large modules without state that costs memory for nothing: the OpenTelemetry
 * semantic conventions (thousands of constants, imported by the tracing interceptors) and CEL with RE2
 * (parser, type registry, regex engine) took about half of a cached run's heap (1.1-1.2 MB a run measured
 * in a heap snapshot with 100 idle pollers; 0.6 MB with these shared, BENCHMARKS.md "Cached run memory").
 *
 * What may be listed here, and what these modules may import:
 * - nothing that holds per-run state at module level: the modules are shared by every run of the thread.
 *   Caches of pure results (parsed programs, compiled regexes) are fine, as is state set and reset inside
 *   one synchronous call (the expression cost meter);
 * - nothing that changes its exports after loading: Temporal deep-freezes shared modules' exports;
 * - not `@temporalio/workflow` (it reads the running workflow) nor `@opentelemetry/api` (its global tracer
 *   provider is set by each run's tracing interceptor).
 * `test/shared-modules.test.ts` walks this file's imports and fails on those two.
 */
import * as semanticConventions from '@opentelemetry/semantic-conventions';
import * as expressions from '../definitions/expressions';
// Not a module to share but a patch of the sandbox, applied once per thread before Temporal freezes it.
import { SHARED_ASYNC_LOCAL_STORAGE } from './async-local-storage';

/**
 * Referenced so the bundler keeps them: a bare `require` of a package marked free of side effects is
 * dropped from the preload function.
 */
export const SHARED_MODULES = [semanticConventions, expressions, SHARED_ASYNC_LOCAL_STORAGE];
