/**
 * The Gong emulator: a local, faithful Gong (OAuth app host + one API host per company) for
 * development, demos and tests. See emulator/README.md.
 */
export { startEmulator, type EmulatorOptions, type GongEmulator } from './emulator';
export type { EmulatorCompanyCredentials, EmulatorAdmin } from './admin/admin';
export type { RequestLogEntry } from './core/request-log';
export type { WebhookRule, WebhookDelivery, WebhookRuleFilter } from './webhooks/types';
