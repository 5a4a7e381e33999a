import { jsonDepth } from './json-depth';

describe('jsonDepth', () => {
  it('counts nesting levels', () => {
    expect(jsonDepth(1)).toBe(0);
    expect(jsonDepth({})).toBe(1);
    expect(jsonDepth({ a: [1, { b: null }] })).toBe(3);
  });

  it('measures a 100,000-level document without overflowing the stack, and stops past the limit', () => {
    let deep: unknown = 0;
    for (let index = 0; index < 100_000; index++) deep = [deep];
    expect(jsonDepth(deep)).toBe(100_000);
    expect(jsonDepth(deep, 64)).toBe(65);
  });
});
