import type { Client } from '@temporalio/client';
import type { WebhookDeliveryReport } from '../workflows/triggers/webhook-endpoint';
import { webhookEndpointWorkflowId } from './ids';

/** Reports gathered per connection before one signal carries them (a burst's reports, a few hundred bytes each). */
const MAX_REPORTS_PER_SIGNAL = 200;

/**
 * The endpoint's delivery counters (`gongflow triggers` shows them), fed best effort: reports are gathered for
 * `flushMs` and sent in one `deliveries` signal per connection. One signal per delivery was one more server
 * write and one more endpoint workflow task for every delivery, beside the run's start.
 */
export class WebhookDeliveryReports {
  private readonly gathered = new Map<string, WebhookDeliveryReport[]>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly client: Client,
    private readonly flushMs = 500,
  ) {}

  add(connectionId: string, report: Omit<WebhookDeliveryReport, 'at'>): void {
    const reports = this.gathered.get(connectionId) ?? [];
    reports.push({ ...report, at: new Date().toISOString() });
    this.gathered.set(connectionId, reports);
    if (reports.length >= MAX_REPORTS_PER_SIGNAL) void this.flush();
    else if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), this.flushMs);
      this.timer.unref();
    }
  }

  /** Sends what is gathered; never fails (counters are not worth an error). */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batches = [...this.gathered];
    this.gathered.clear();
    await Promise.all(
      batches.map(([connectionId, reports]) =>
        this.client.workflow
          .getHandle(webhookEndpointWorkflowId(connectionId))
          .signal<[WebhookDeliveryReport[]]>('deliveries', reports)
          .catch(() => undefined),
      ),
    );
  }
}
