/**
 * The validator and compiler of definitions lives in compiler/ (one module per construct family); this
 * entry point keeps the import path every caller uses.
 */
export {
  compileDefinition,
  GONG_BUDGET_WAIT_ALLOWANCE_MS,
  resolveRunPath,
  type CompileOptions,
  type CompileResult,
} from './compiler';
