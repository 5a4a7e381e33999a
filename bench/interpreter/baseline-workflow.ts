/**
 * The benchmark's baseline: twenty-steps.yaml written by hand as an ordinary Temporal workflow, calling the
 * same activity (`runGongAction`) with the same activity options the compiled plan gives each step
 * (interpreter.bench.ts checks they are equal before measuring). Workflow code: deterministic, activities
 * by type only.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { BASELINE_ACTIVITY_OPTIONS } from './baseline-options';

type Action = keyof typeof BASELINE_ACTIVITY_OPTIONS;

export interface BaselineArgs {
  connectionId: string;
  input?: { from?: string; to?: string };
}

interface UserOutput {
  user: { id: string; active?: boolean };
}
interface CallOutput {
  call: { id: string };
}

function gong<T>(connectionId: string, action: Action, stepId: string, input: Record<string, unknown> = {}) {
  const { runGongAction } = proxyActivities<Activities>({
    ...BASELINE_ACTIVITY_OPTIONS[action],
    summary: stepId,
  });
  return runGongAction({ connectionId, action, input, stepId }) as Promise<T>;
}

export async function handWrittenTwentySteps(args: BaselineArgs): Promise<unknown> {
  const { connectionId } = args;
  const from = args.input?.from ?? '2000-01-01T00:00:00Z';
  const to = args.input?.to ?? '2100-01-01T00:00:00Z';
  const users = await gong<{ users: Array<{ id: string }> }>(connectionId, 'gong.users.list', 'users');
  const calls = await gong<{ calls: Array<{ id: string }> }>(connectionId, 'gong.calls.list', 'calls', {
    fromDateTime: from,
    toDateTime: to,
  });
  const userIds = users.users.map((user) => user.id);
  const callIds = calls.calls.map((call) => call.id);
  const user = (stepId: string, id: string | undefined) =>
    gong<UserOutput>(connectionId, 'gong.users.get', stepId, { id });
  const call = (stepId: string, id: string | undefined) =>
    gong<CallOutput>(connectionId, 'gong.calls.get', stepId, { id });
  const user1 = await user('user1', userIds[0]);
  const user2 = await user('user2', userIds[1]);
  await user('user3', userIds[2]);
  await user('user4', userIds[3]);
  await user('user5', userIds[4]);
  const call1 = await call('call1', callIds[0]);
  const call2 = await call('call2', callIds[1]);
  const call3 = await call('call3', callIds[2]);
  await call('call4', callIds[3]);
  await call('call5', callIds[4]);
  const again1 = await user('again1', user1.user.id);
  const again2 = await user('again2', user2.user.id);
  await call('again3', call1.call.id);
  await call('again4', call2.call.id);
  const again5 = await call('again5', call3.call.id);
  if (user1.user.active === true) await user('activeUser', again1.user.id);
  else await user('inactiveUser', again2.user.id);
  const lastCall = await call('lastCall', again5.call.id);
  return { users: userIds.length, calls: callIds.length, lastCall: lastCall.call.id };
}
