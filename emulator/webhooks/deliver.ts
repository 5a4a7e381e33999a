import type { CompanyRuntime, EmulatorContext } from '../context';
import { FULL_SELECTOR, callDataView } from '../api/call-data';
import { isoTime } from '../core/clock';
import { toJson } from '../core/json';
import type { CallRecord } from '../core/model';
import { signWebhookJwt } from './jwt';
import { ruleMatches } from './filter';
import type { WebhookDelivery, WebhookRule } from './types';

/** Fires every enabled rule of the company whose filter matches a call that just finished processing. */
export function fireWebhooksForCall(
  context: EmulatorContext,
  runtime: CompanyRuntime,
  call: CallRecord,
): void {
  for (const rule of runtime.webhookRules.values())
    if (rule.enabled && ruleMatches(rule.filter, call))
      void deliverWebhook(context, runtime, rule, call, false);
}

/**
 * One POST of `{isTest, callData}` to the rule's URL. Gong documents no retries, so there are none:
 * a failed delivery is only recorded.
 */
export async function deliverWebhook(
  context: EmulatorContext,
  runtime: CompanyRuntime,
  rule: WebhookRule,
  call: CallRecord,
  isTest: boolean,
): Promise<WebhookDelivery> {
  const now = context.clock.now();
  const body = toJson({
    isTest,
    callData: callDataView(runtime.state, call, FULL_SELECTOR, { mediaUrls: false, now }),
  });
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (rule.authMethod === 'jwt' && rule.privateKeyPem)
    headers['authorization'] = signWebhookJwt({
      privateKeyPem: rule.privateKeyPem,
      url: rule.url,
      body,
      nowMs: now,
      ttlSeconds: context.settings.webhookJwtTtlSeconds,
    });
  const delivery: WebhookDelivery = {
    seq: context.webhookDeliveries.length + 1,
    ruleId: rule.id,
    companyId: runtime.state.id,
    callId: call.id,
    isTest,
    url: rule.url,
    time: isoTime(now),
    status: null,
    error: null,
  };
  context.webhookDeliveries.push(delivery);
  try {
    const response = await fetch(rule.url, {
      method: 'POST',
      headers,
      body,
      signal: AbortSignal.timeout(10_000),
    });
    delivery.status = response.status;
    await response.arrayBuffer();
  } catch (error) {
    delivery.error = error instanceof Error ? error.message : String(error);
  }
  return delivery;
}
