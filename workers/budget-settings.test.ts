import { GongBudgetConfigSchema } from '../config/schema';
import { budgetSettings } from './worker';

describe("a worker's Gong budget settings", () => {
  it('take leases of the configured length, none at 0, and send the shard only the limits', () => {
    const defaults = budgetSettings(GongBudgetConfigSchema.parse({}));
    expect(defaults).toEqual({
      limits: { requestsPerSecond: 3, requestsPerDay: 10_000 },
      leases: { leases: true, leaseMs: 5_000 },
    });
    expect(budgetSettings(GongBudgetConfigSchema.parse({ companyLeaseMs: 0 })).leases).toEqual({
      leases: false,
    });
    expect(budgetSettings(GongBudgetConfigSchema.parse({ companyLeaseMs: 12_000 })).leases).toEqual({
      leases: true,
      leaseMs: 12_000,
    });
  });
});
