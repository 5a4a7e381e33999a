import type { FastifyRequest } from 'fastify';
import type { CompanyRuntime, EmulatorContext } from '../context';
import type { CompanyState } from '../core/company';
import type { Caller } from './auth';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface OperationContext {
  context: EmulatorContext;
  runtime: CompanyRuntime;
  company: CompanyState;
  now: number;
  /** First value of each query parameter. */
  query: Record<string, string | undefined>;
  /** Every value of each query parameter (repeated parameters, e.g. `?ids=1&ids=2`). */
  queryAll: Record<string, string[]>;
  params: Record<string, string | undefined>;
  body: unknown;
  request: FastifyRequest;
  caller: Caller;
  /** Enforces an extra scope that depends on the request (e.g. media URLs). */
  requireScope(scope: string): void;
}

export interface OperationResult {
  status?: number;
  body?: Record<string, unknown>;
}

/** One Gong API operation: method, path, the scope a Bearer token needs, and what it does. */
export interface ApiOperation {
  method: HttpMethod;
  /** Fastify path syntax, e.g. `/v2/users/:id`. */
  path: string;
  scope: string | null;
  handle(ctx: OperationContext): OperationResult | Promise<OperationResult>;
}

export function defineOperations(...operations: ApiOperation[]): ApiOperation[] {
  return operations;
}
