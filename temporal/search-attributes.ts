/**
 * Typed search attributes gongflow registers on the server (`gongflow dev`, `--search-attribute` on an
 * embedded dev server, the operator API on others): runs are listed by definition, connection and trigger;
 * connection entity workflows publish their status (active, needs_reauth, revoked); a rerun names the run
 * it reruns.
 */
export const SEARCH_ATTRIBUTES = {
  GongflowDefinition: 'Keyword',
  GongflowVersion: 'Keyword',
  GongflowDefinitionHash: 'Keyword',
  GongflowConnection: 'Keyword',
  GongflowTrigger: 'Keyword',
  GongflowConnectionStatus: 'Keyword',
  GongflowRerunOf: 'Keyword',
} as const;

export type SearchAttributeName = keyof typeof SEARCH_ATTRIBUTES;
