import { ServiceError } from '@temporalio/client';
import { GrpcStatus, grpcStatusOf } from './grpc-status';

/** An error shaped as @grpc/grpc-js rejects a call (what the SDK's `isGrpcServiceError` recognises). */
function grpcError(code: number, details: string): Error {
  return Object.assign(new Error(`${code} ${details}`), { code, details, metadata: {} });
}

describe('grpcStatusOf', () => {
  it('reads the status of a raw gRPC error', () => {
    expect(grpcStatusOf(grpcError(5, 'workflow not found'))).toBe(GrpcStatus.NOT_FOUND);
  });

  it('reads the status of the gRPC error the SDK wraps', () => {
    const wrapped = new ServiceError('Unexpected error', { cause: grpcError(9, 'refused') });
    expect(grpcStatusOf(wrapped)).toBe(GrpcStatus.FAILED_PRECONDITION);
  });

  it('finds none in errors that carry no gRPC answer', () => {
    expect(grpcStatusOf(new Error('plain', { cause: new Error('also plain') }))).toBeUndefined();
    expect(grpcStatusOf(Object.assign(new Error('code only'), { code: 3 }))).toBeUndefined();
    expect(grpcStatusOf('not an error')).toBeUndefined();
    expect(grpcStatusOf(undefined)).toBeUndefined();
  });
});
