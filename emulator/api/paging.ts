import { GongApiError } from '../core/api-error';
import { verifyCursor, signCursor } from '../core/cursor';
import type { OperationContext } from './operation';

export const PAGE_SIZE = 100;

export interface Page<T> {
  items: T[];
  records: { totalRecords: number; currentPageSize: number; currentPageNumber: number; cursor?: string };
}

/**
 * Gong's paging: fixed pages of 100, `currentPageNumber` 0-based, a `cursor` only while more remain.
 * GET operations read the cursor from the query; POST operations only from the JSON body (a query
 * cursor on a POST is ignored and page 1 comes back again, exactly like Gong).
 */
export function paginate<T>(ctx: OperationContext, op: string, items: readonly T[]): Page<T> {
  const cursor = cursorOf(ctx);
  let pageNumber = 0;
  if (cursor !== undefined) {
    const claims = verifyCursor(
      cursor,
      { op, companyId: ctx.company.id, nowMs: ctx.now },
      ctx.context.cursorSecret,
    );
    pageNumber = claims.pageNumber;
  }
  const start = pageNumber * PAGE_SIZE;
  const slice = items.slice(start, start + PAGE_SIZE);
  const records: Page<T>['records'] = {
    totalRecords: items.length,
    currentPageSize: slice.length,
    currentPageNumber: pageNumber,
  };
  if (start + PAGE_SIZE < items.length) {
    records.cursor = signCursor(
      {
        pageNumber: pageNumber + 1,
        pageSize: PAGE_SIZE,
        total: items.length,
        op,
        companyId: ctx.company.id,
        exp: Math.floor(ctx.now / 1000) + ctx.context.settings.cursorTtlSeconds,
      },
      ctx.context.cursorSecret,
    );
  }
  return { items: slice, records };
}

function cursorOf(ctx: OperationContext): string | undefined {
  if (ctx.request.method === 'GET') return ctx.query['cursor'] || undefined;
  const body = ctx.body;
  if (body && typeof body === 'object' && 'cursor' in body) {
    const cursor: unknown = body.cursor;
    if (cursor === null || cursor === undefined || cursor === '') return undefined;
    if (typeof cursor !== 'string') throw new GongApiError(400, 'cursor must be a string');
    return cursor;
  }
  return undefined;
}
