import { z } from 'zod';
import { GongApiError } from '../core/api-error';
import { isoTime } from '../core/clock';
import { userById } from '../core/company';
import { jsonNumber } from '../core/json';
import type { TaskRecord } from '../core/model';
import { defineOperations } from './operation';
import { parseBody, parseTime } from './validation';

const Status = z.enum(['OPEN', 'DONE', 'DISMISSED']);

/** Engage tasks as Gong's help center documents them; task and user IDs are JSON numbers. */
function taskView(task: TaskRecord, now: number) {
  return {
    id: jsonNumber(task.id),
    userId: jsonNumber(task.userId),
    created: isoTime(Math.min(task.dueDate, now) - 86_400_000),
    updated: isoTime(Math.min(task.dueDate, now)),
    status: task.status,
    type: task.type,
    actions: [task.taskAction],
    dueDate: isoTime(task.dueDate),
  };
}

export const tasksOperations = defineOperations(
  {
    method: 'POST',
    path: '/v2/tasks',
    scope: 'api:tasks:read',
    handle(ctx) {
      const body = parseBody(
        z.looseObject({
          filter: z.looseObject({
            userId: z.string(),
            workspaceId: z.string().nullish(),
            types: z.array(z.enum(['FLOW', 'MANUAL'])).min(1),
            taskAction: z.array(z.string()).min(1),
            status: z.array(Status).min(1),
          }),
        }),
        ctx.body,
      );
      const filter = body.filter;
      if (!userById(ctx.company, filter.userId))
        throw new GongApiError(404, `User ${filter.userId} was not found`);
      const tasks = ctx.company.tasks.filter(
        (task) =>
          task.userId === filter.userId &&
          (!filter.workspaceId || task.workspaceId === filter.workspaceId) &&
          filter.types.includes(task.type) &&
          filter.taskAction.includes(task.taskAction) &&
          filter.status.includes(task.status),
      );
      return { body: { tasks: tasks.map((task) => taskView(task, ctx.now)) } };
    },
  },
  {
    method: 'PATCH',
    path: '/v2/tasks/:taskId',
    scope: 'api:tasks:write',
    handle(ctx) {
      const taskId = ctx.params['taskId'] ?? '';
      const body = parseBody(
        z.looseObject({ userId: z.string(), status: Status.nullish(), dueDate: z.string().nullish() }),
        ctx.body,
      );
      const task = ctx.company.tasks.find((candidate) => candidate.id === taskId);
      if (!task || task.userId !== body.userId) throw new GongApiError(404, `Task ${taskId} was not found`);
      if (body.status) task.status = body.status;
      const due = parseTime(body.dueDate, 'dueDate');
      if (due !== undefined) task.dueDate = due;
      return { body: { tasks: [taskView(task, ctx.now)] } };
    },
  },
);
