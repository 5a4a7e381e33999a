import { deliveryCounts } from './manage';

describe('deliveryCounts', () => {
  it('says what deliveries did in words, not JSON', () => {
    expect(deliveryCounts({ started: 3, duplicate: 0, unauthorized: 1 })).toBe('3 started, 1 unauthorized');
    expect(deliveryCounts({})).toBe('none');
  });
});
