/** Typed search attributes gongflow sets on runs so they can be listed by definition, connection and trigger. */
export const SEARCH_ATTRIBUTES = {
  GongflowDefinition: 'Keyword',
  GongflowVersion: 'Keyword',
  GongflowDefinitionHash: 'Keyword',
  GongflowConnection: 'Keyword',
  GongflowTrigger: 'Keyword',
} as const;

export type SearchAttributeName = keyof typeof SEARCH_ATTRIBUTES;
