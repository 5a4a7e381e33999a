import type { RateLimits } from './company';
import { DAY } from './clock';

/**
 * Gong's per-company budget (3 calls/s, 10,000/day by default), shared by every key and token of the
 * company. Over it: 429 with Retry-After in whole seconds. Windows run on the emulated clock.
 */
export class CompanyRateLimiter {
  private recent: number[] = [];
  private day = -1;
  private dayCount = 0;
  /** A "429 storm" fault: every request is refused until this instant. */
  stormUntil = 0;

  /** Returns the seconds to wait, or 0 if the request may proceed (and then counts it). */
  take(now: number, limits: RateLimits): number {
    if (now < this.stormUntil) return Math.max(1, Math.ceil((this.stormUntil - now) / 1000));
    const today = Math.floor(now / DAY);
    if (today !== this.day) {
      this.day = today;
      this.dayCount = 0;
    }
    if (this.dayCount >= limits.perDay) return Math.max(1, Math.ceil(((today + 1) * DAY - now) / 1000));
    this.recent = this.recent.filter((time) => time > now - 1000);
    if (this.recent.length >= limits.perSecond) {
      const oldest = this.recent[0] ?? now;
      return Math.max(1, Math.ceil((oldest + 1000 - now) / 1000));
    }
    this.recent.push(now);
    this.dayCount++;
    return 0;
  }

  usage(): { lastSecond: number; today: number } {
    return { lastSecond: this.recent.length, today: this.dayCount };
  }

  reset(): void {
    this.recent = [];
    this.day = -1;
    this.dayCount = 0;
    this.stormUntil = 0;
  }
}
