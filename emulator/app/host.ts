import formbody from '@fastify/formbody';
import Fastify, { type FastifyInstance } from 'fastify';
import type { EmulatorContext } from '../context';
import { installBodyParsers } from '../api/host';
import type { EmulatorAdmin } from '../admin/admin';
import { registerAdminRoutes } from '../admin/routes';
import { registerOAuthRoutes } from './oauth';

/** The "app.gong.io" host: OAuth consent and token endpoints, plus the emulator's admin API. */
export function buildAppHost(context: EmulatorContext, admin: EmulatorAdmin): FastifyInstance {
  const app = Fastify({ logger: false, forceCloseConnections: true });
  installBodyParsers(app);
  void app.register(formbody);
  registerOAuthRoutes(app, context);
  registerAdminRoutes(app, admin);
  return app;
}
