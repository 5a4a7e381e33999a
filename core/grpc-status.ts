import { isGrpcServiceError } from '@temporalio/client';

/** The gRPC status codes gongflow tells apart in Temporal's answers. */
export const GrpcStatus = {
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  NOT_FOUND: 5,
  FAILED_PRECONDITION: 9,
} as const;

/** gRPC 5 NOT_FOUND (raw or wrapped by the SDK): the workflow, schedule or namespace does not exist. */
export function isGrpcNotFound(error: unknown): boolean {
  return grpcStatusOf(error) === GrpcStatus.NOT_FOUND;
}

/** Errors wrapping errors: deeper than this, a chain is not the SDK's wrapping of a gRPC answer. */
const MAX_CAUSE_DEPTH = 5;

/**
 * The gRPC status of a failed Temporal client call: the service error's own, or that of the service error
 * it wraps (the SDK rethrows some answers as its own errors with the gRPC error as their cause, e.g. a
 * `ServiceError` or an update's failure). Undefined when no gRPC answer is in the chain.
 */
export function grpcStatusOf(error: unknown): number | undefined {
  let current: unknown = error;
  for (let depth = 0; depth <= MAX_CAUSE_DEPTH && current instanceof Error; depth += 1) {
    if (isGrpcServiceError(current)) return Number(current.code);
    current = current.cause;
  }
  return undefined;
}
