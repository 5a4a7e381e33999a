import { compileRouter } from '../../emulator/api/router';
import type { ApiOperation } from '../../emulator/api/operation';
import { createClock } from '../../emulator/core/clock';
import { signCursor, verifyCursor } from '../../emulator/core/cursor';
import { createRandom } from '../../emulator/core/random';
import { CompanyRateLimiter } from '../../emulator/core/rate-limiter';

/** Fast checks of the emulator's pure pieces; behaviour through HTTP is covered by the other files. */

describe('rate limiter', () => {
  it('allows perSecond requests in any sliding second and tells how long to wait', () => {
    const limiter = new CompanyRateLimiter();
    const limits = { perSecond: 3, perDay: 100 };
    expect([0, 100, 200].map((at) => limiter.take(at, limits))).toEqual([0, 0, 0]);
    expect(limiter.take(900, limits)).toBe(1);
    expect(limiter.take(1_000, limits)).toBe(0);
    expect(limiter.usage()).toEqual({ lastSecond: 3, today: 4 });
  });

  it('refuses everything during a storm', () => {
    const limiter = new CompanyRateLimiter();
    limiter.stormUntil = 2_500;
    expect(limiter.take(0, { perSecond: 10, perDay: 10 })).toBe(3);
    expect(limiter.take(2_500, { perSecond: 10, perDay: 10 })).toBe(0);
  });
});

describe('router', () => {
  const op = (method: ApiOperation['method'], path: string): ApiOperation => ({
    method,
    path,
    scope: null,
    handle: () => ({}),
  });
  const route = compileRouter([
    op('GET', '/v2/calls/:id'),
    op('POST', '/v2/calls/extensive'),
    op('GET', '/v2/users'),
  ]);

  it('prefers static paths, extracts parameters and tells wrong methods from unknown paths', () => {
    expect(route('POST', '/v2/calls/extensive')).toMatchObject({
      kind: 'found',
      operation: { path: '/v2/calls/extensive' },
    });
    expect(route('GET', '/v2/calls/123')).toMatchObject({ kind: 'found', params: { id: '123' } });
    expect(route('DELETE', '/v2/users')).toEqual({ kind: 'wrong-method' });
    expect(route('GET', '/v2/nothing')).toEqual({ kind: 'not-found' });
  });
});

describe('cursor', () => {
  const secret = Buffer.from('secret');
  const claims = { pageNumber: 1, pageSize: 100, total: 150, op: 'users.list', companyId: '1', exp: 100 };

  it('round-trips, and refuses expired, foreign and tampered cursors', () => {
    const cursor = signCursor(claims, secret);
    expect(verifyCursor(cursor, { op: 'users.list', companyId: '1', nowMs: 99_000 }, secret)).toEqual(claims);
    expect(() => verifyCursor(cursor, { op: 'users.list', companyId: '1', nowMs: 100_000 }, secret)).toThrow(
      'cursor has expired',
    );
    expect(() => verifyCursor(cursor, { op: 'calls.list', companyId: '1', nowMs: 0 }, secret)).toThrow(
      'cursor is invalid',
    );
    expect(() =>
      verifyCursor(cursor, { op: 'users.list', companyId: '1', nowMs: 0 }, Buffer.from('other')),
    ).toThrow();
  });
});

describe('clock and randomness', () => {
  it('a frozen clock moves only when advanced or set', () => {
    const clock = createClock('frozen', 1_000);
    expect(clock.now()).toBe(1_000);
    expect(clock.advance(500)).toBe(1_500);
    expect(clock.set(10)).toBe(10);
  });

  it('a seeded generator is reproducible and makes 19-digit IDs beyond 2^53', () => {
    const a = createRandom(42);
    const b = createRandom(42);
    const ids = Array.from({ length: 5 }, () => a.numericId());
    expect(Array.from({ length: 5 }, () => b.numericId())).toEqual(ids);
    for (const id of ids) {
      expect(id).toMatch(/^[1-9]\d{18}$/);
      expect(BigInt(id) > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
    }
  });
});
