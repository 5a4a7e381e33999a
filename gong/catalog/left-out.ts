import type { LeftOutGongOperation } from './types';

const deprecatedCrm =
  "Superseded generic CRM endpoint: its operation is named '...Deprecated' in the 2024-02 export (no description, scope or tag) and is gone from the 2024-11 export; no sign Gong still serves it. Use";
const olderCrm =
  'Older generic CRM endpoint: in the 2024-02 export only, without a description, scope or tag, gone from the 2024-11 export; no sign Gong still serves it. Use';

/**
 * Operations of Gong's exports (and ones seen elsewhere) that the catalog deliberately leaves out, with the
 * reason. docs/actions.md lists them; a test checks every operation of both exports is either here or in
 * the catalog. `gong.request` can still call any of them.
 */
export const LEFT_OUT_OPERATIONS: readonly LeftOutGongOperation[] = [
  {
    method: 'PUT',
    path: '/v2/crm/integration/new',
    source: 'openapi-2024-02',
    reason: `${deprecatedCrm} PUT /v2/crm/integrations (gong.crm.integrations.register).`,
  },
  {
    method: 'GET',
    path: '/v2/crm/integration/list',
    source: 'openapi-2024-02',
    reason: `${deprecatedCrm} GET /v2/crm/integrations (gong.crm.integrations.list).`,
  },
  {
    method: 'DELETE',
    path: '/v2/crm/integration/delete',
    source: 'openapi-2024-02',
    reason: `${deprecatedCrm} DELETE /v2/crm/integrations (gong.crm.integrations.delete).`,
  },
  {
    method: 'POST',
    path: '/v2/crm/object/entities',
    source: 'openapi-2024-02',
    reason: `${deprecatedCrm} POST /v2/crm/entities (gong.crm.entities.upload).`,
  },
  {
    method: 'GET',
    path: '/v2/crm/object/list',
    source: 'openapi-2024-02',
    reason: `${deprecatedCrm} GET /v2/crm/entities (gong.crm.entities.get).`,
  },
  {
    method: 'POST',
    path: '/v2/crm/object/schema',
    source: 'openapi-2024-02',
    reason: `${deprecatedCrm} POST /v2/crm/entity-schema (gong.crm.entity-schema.upload).`,
  },
  {
    method: 'GET',
    path: '/v2/crm/object/schema/list',
    source: 'openapi-2024-02',
    reason: `${deprecatedCrm} GET /v2/crm/entity-schema (gong.crm.entity-schema.list).`,
  },
  {
    method: 'POST',
    path: '/v2/crm/map/users',
    source: 'openapi-2024-02',
    reason: `${olderCrm} POST /v2/crm/entities with objectType BUSINESS_USER (gong.crm.entities.upload).`,
  },
  {
    method: 'POST',
    path: '/v2/crm/stages',
    source: 'openapi-2024-02',
    reason: `${olderCrm} POST /v2/crm/entities with objectType STAGE (gong.crm.entities.upload).`,
  },
  {
    method: 'GET',
    path: '/v2/askanything/generate-brief',
    source: 'third-party',
    reason:
      'Seen only in user-built tool lists (2025); not documented by Gong and superseded by GET /v2/entities/get-brief (gong.entities.brief.get).',
  },
];
