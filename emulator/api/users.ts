import { z } from 'zod';
import { GongApiError, notFound } from '../core/api-error';
import { isoTime } from '../core/clock';
import { userById } from '../core/company';
import { defineOperations } from './operation';
import { paginate } from './paging';
import { parseBody, parseTime } from './validation';
import { userView } from './views';

const UsersFilterBody = z.looseObject({
  cursor: z.string().nullish(),
  filter: z
    .looseObject({
      createdFromDateTime: z.string().nullish(),
      createdToDateTime: z.string().nullish(),
      includeAvatars: z.boolean().nullish(),
      userIds: z.array(z.string()).nullish(),
    })
    .nullish(),
});

export const usersOperations = defineOperations(
  {
    method: 'GET',
    path: '/v2/users',
    scope: 'api:users:read',
    handle(ctx) {
      const includeAvatars = ctx.query['includeAvatars'] === 'true';
      const users = ctx.company.users.filter((user) => includeAvatars || !user.isAvatar);
      const page = paginate(ctx, 'users.list', users);
      return { body: { records: page.records, users: page.items.map(userView) } };
    },
  },
  {
    method: 'GET',
    path: '/v2/users/:id',
    scope: 'api:users:read',
    handle(ctx) {
      const id = ctx.params['id'] ?? '';
      if (!/^\d{1,20}$/.test(id)) throw new GongApiError(400, `Invalid user ID: ${id}`);
      const user = userById(ctx.company, id);
      if (!user) throw notFound(`User ${id} was not found`);
      return { body: { user: userView(user) } };
    },
  },
  {
    method: 'GET',
    path: '/v2/users/:id/settings-history',
    scope: 'api:users:read',
    handle(ctx) {
      const id = ctx.params['id'] ?? '';
      const user = userById(ctx.company, id);
      if (!user) throw notFound(`User ${id} was not found`);
      return {
        body: {
          userSettingsHistory: user.settingsHistory.map((entry) => ({
            setting: entry.setting,
            value: entry.value,
            time: isoTime(entry.time),
          })),
        },
      };
    },
  },
  {
    method: 'POST',
    path: '/v2/users/extensive',
    scope: 'api:users:read',
    handle(ctx) {
      const body = parseBody(UsersFilterBody, ctx.body);
      const filter = body.filter ?? {};
      const from = parseTime(filter.createdFromDateTime, 'createdFromDateTime');
      const to = parseTime(filter.createdToDateTime, 'createdToDateTime');
      const ids = filter.userIds ? new Set(filter.userIds) : null;
      const users = ctx.company.users.filter(
        (user) =>
          (filter.includeAvatars || !user.isAvatar) &&
          (from === undefined || user.created >= from) &&
          (to === undefined || user.created < to) &&
          (!ids || ids.has(user.id)),
      );
      if (!users.length) throw notFound('No users found corresponding to the provided filters');
      const page = paginate(ctx, 'users.extensive', users);
      return { body: { records: page.records, users: page.items.map(userView) } };
    },
  },
);
