import { z } from 'zod';
import { DEFAULT_READ_RETRY, GongId, NullableInt, NullableString, RequestId } from './common';
import type { GongActionDefinition } from './types';

export const listLibraryFolders = {
  name: 'gong.library.folders.list',
  summary: 'Public library folders (private and archived folders are never returned).',
  method: 'GET',
  path: '/v2/library/folders',
  inputIn: 'query',
  input: z.strictObject({
    workspaceId: GongId.optional().describe('Only folders of this workspace.'),
  }),
  response: z.looseObject({
    requestId: RequestId,
    folders: z.array(
      z.looseObject({
        id: GongId,
        name: NullableString,
        parentFolderId: GongId.nullish(),
        createdBy: GongId.nullish(),
        updated: NullableString,
      }),
    ),
  }),
  scopes: ['api:library:read'],
  semantics: 'read',
  timeoutMs: 30_000,
  retry: DEFAULT_READ_RETRY,
  example: { workspaceId: '623457276584334' },
  source: 'openapi-2024-11',
} satisfies GongActionDefinition;

export const getLibraryFolderContent = {
  name: 'gong.library.folder-content.get',
  summary: 'The calls (and call snippets) saved in a library folder.',
  method: 'GET',
  path: '/v2/library/folder-content',
  inputIn: 'query',
  input: z.strictObject({
    folderId: GongId.describe('The library folder ID (see gong.library.folders.list).'),
  }),
  response: z.looseObject({
    requestId: RequestId,
    id: GongId.nullish(),
    name: NullableString,
    createdBy: GongId.nullish(),
    updated: NullableString,
    calls: z.array(
      z.looseObject({
        id: GongId,
        title: NullableString,
        note: NullableString,
        addedBy: GongId.nullish(),
        created: NullableString,
        url: NullableString,
        snippet: z.looseObject({ fromSec: NullableInt, toSec: NullableInt }).nullish(),
      }),
    ),
  }),
  scopes: ['api:library:read'],
  semantics: 'read',
  timeoutMs: 30_000,
  retry: DEFAULT_READ_RETRY,
  example: { folderId: '3843152912968920037' },
  source: 'openapi-2024-11',
} satisfies GongActionDefinition;

export const libraryActions = [listLibraryFolders, getLibraryFolderContent];
