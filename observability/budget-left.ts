import { Gauge } from 'prom-client';
import { processRegistry } from './metrics';

const DAY_MS = 86_400_000;

/** What the latest reservation of a company told this process about its day. */
interface DailyLeft {
  /** UTC day number the count belongs to. */
  day: number;
  left: number;
  quota: number;
}

const companies = new Map<string, DailyLeft>();

/**
 * Gong requests a company may still make today (its daily quota less the requests the budget handed slots
 * to), per company API host. Read from the answers of the reservations this process already makes, so a
 * scrape costs no Temporal round trip; the price is that each worker knows the count as of its own latest
 * reservation (take the minimum across workers). A company not called since the UTC day turned shows its
 * full quota again, as the budget would.
 */
new Gauge({
  name: 'gongflow_gong_budget_left',
  help: "Gong requests left in the company's daily quota (as of this process's latest reservation), by company API host.",
  labelNames: ['company'],
  registers: [processRegistry],
  collect() {
    const today = Math.floor(Date.now() / DAY_MS);
    this.reset();
    for (const [company, known] of companies) {
      this.set({ company }, known.day >= today ? known.left : known.quota);
    }
  },
});

/** Records what a reservation answered: `left` requests of `quota` remain on the day of `atMs`. */
export function recordBudgetLeft(company: string, atMs: number, left: number, quota: number): void {
  const day = Math.floor(atMs / DAY_MS);
  const known = companies.get(company);
  // Answers of one batch arrive in slot order, but a later day's count never gives way to an earlier one's.
  if (known && known.day > day) return;
  companies.set(company, { day, left: Math.max(0, left), quota });
}
