import { z } from 'zod';
import {
  DEFAULT_READ_RETRY,
  GongId,
  GongNumericId,
  Int64IdInput,
  IsoDateTimeInput,
  NullableString,
  NullableStringArray,
  RequestId,
} from './common';
import type { GongActionDefinition } from './types';

const TaskStatus = z.enum(['OPEN', 'DONE', 'DISMISSED']);

/** `ReminderDataDto`: an Engage task (to-do). IDs are JSON numbers. */
const GongTaskSchema = z.looseObject({
  id: GongNumericId,
  userId: GongNumericId.nullish(),
  created: NullableString,
  updated: NullableString,
  status: NullableString,
  type: NullableString,
  actions: NullableStringArray,
  dueDate: NullableString,
});

export const listTasks = {
  name: 'gong.tasks.list',
  summary: "A user's Engage tasks (to-dos), by type, action and status.",
  method: 'POST',
  path: '/v2/tasks',
  inputIn: 'body',
  input: z.strictObject({
    filter: z
      .strictObject({
        userId: GongId.describe('Gong ID of the user who owns the tasks.'),
        workspaceId: GongId.optional().describe('Only tasks of this workspace.'),
        types: z
          .array(z.enum(['FLOW', 'MANUAL']))
          .min(1)
          .describe('Tasks created by a flow, one-off tasks, or both.'),
        taskAction: z
          .array(z.enum(['CALL']))
          .min(1)
          .describe('Task actions; Gong supports CALL only.'),
        status: z.array(TaskStatus).min(1).describe('Task statuses to include.'),
      })
      .describe('Which tasks.'),
  }),
  response: z.looseObject({ requestId: RequestId, tasks: z.array(GongTaskSchema) }),
  scopes: ['api:tasks:read'],
  semantics: 'read',
  timeoutMs: 60_000,
  retry: DEFAULT_READ_RETRY,
  example: {
    filter: { userId: '234599484848423', types: ['FLOW', 'MANUAL'], taskAction: ['CALL'], status: ['OPEN'] },
  },
  source: 'help-center',
  docsUrl: 'https://help.gong.io/apidocs/list-users-tasks-v2tasks-1',
} satisfies GongActionDefinition;

export const updateTask = {
  name: 'gong.tasks.update',
  summary: "Set an Engage task's status (OPEN, DONE, DISMISSED) and/or due date.",
  method: 'PATCH',
  path: '/v2/tasks/{taskId}',
  inputIn: 'body',
  input: z.strictObject({
    taskId: Int64IdInput.describe('The task ID (see gong.tasks.list).'),
    userId: GongId.describe('Gong ID of the user who owns the task.'),
    status: TaskStatus.optional().describe('New status.'),
    dueDate: IsoDateTimeInput.optional().describe('New due date and time.'),
  }),
  response: z.looseObject({ requestId: RequestId, tasks: z.array(GongTaskSchema).nullish() }),
  scopes: ['api:tasks:write'],
  semantics: 'idempotent',
  timeoutMs: 30_000,
  retry: DEFAULT_READ_RETRY,
  example: { taskId: '1234361284629351', userId: '234599484848423', status: 'DONE' },
  source: 'help-center',
  docsUrl: 'https://help.gong.io/apidocs/update-task-v2taskstaskid-1',
} satisfies GongActionDefinition;

export const tasksActions = [listTasks, updateTask];
