import type { ApiOperation } from './operation';

export type RouteMatch =
  | { kind: 'found'; operation: ApiOperation; params: Record<string, string> }
  | { kind: 'wrong-method' }
  | { kind: 'not-found' };

interface CompiledRoute {
  operation: ApiOperation;
  pattern: RegExp;
  keys: string[];
  static: boolean;
}

/**
 * Gong's operations as one small routing table. One catch-all Fastify route per API host dispatches
 * through it: registering ~80 Fastify routes per company cost more start-up time than the whole seed.
 * Static paths win over parametric ones (`/v2/calls/extensive` before `/v2/calls/:id`).
 */
export function compileRouter(
  operations: readonly ApiOperation[],
): (method: string, path: string) => RouteMatch {
  const routes: CompiledRoute[] = operations.map((operation) => {
    const keys: string[] = [];
    const source = operation.path
      .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
      .replace(/:([A-Za-z]+)/g, (_, key: string) => {
        keys.push(key);
        return '([^/]+)';
      });
    return { operation, pattern: new RegExp(`^${source}/?$`), keys, static: keys.length === 0 };
  });
  routes.sort((a, b) => Number(b.static) - Number(a.static));
  return (method, path) => {
    let pathKnown = false;
    for (const route of routes) {
      const match = route.pattern.exec(path);
      if (!match) continue;
      if (route.operation.method !== method) {
        pathKnown = true;
        continue;
      }
      const params: Record<string, string> = {};
      route.keys.forEach((key, index) => (params[key] = decodeURIComponent(match[index + 1] ?? '')));
      return { kind: 'found', operation: route.operation, params };
    }
    return pathKnown ? { kind: 'wrong-method' } : { kind: 'not-found' };
  };
}
