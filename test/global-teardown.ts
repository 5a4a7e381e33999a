import type { DevServer } from '../temporal/dev-server';

export default async function globalTeardown(): Promise<void> {
  const server = (globalThis as { __gongflowDevServer?: DevServer }).__gongflowDevServer;
  await server?.stop();
}
