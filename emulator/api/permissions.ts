import { z } from 'zod';
import { GongApiError } from '../core/api-error';
import { fullName, userById } from '../core/company';
import type { PermissionProfileRecord } from '../core/model';
import { defineOperations, type OperationContext } from './operation';
import { parseBody, requireQuery } from './validation';

function profileView(profile: PermissionProfileRecord) {
  return { id: profile.id, name: profile.name, description: profile.description, ...profile.settings };
}

function findProfile(ctx: OperationContext): PermissionProfileRecord {
  const profileId = requireQuery(ctx.query, 'profileId');
  const profile = ctx.company.permissionProfiles.find((candidate) => candidate.id === profileId);
  if (!profile) throw new GongApiError(400, `Permission profile ${profileId} does not exist`);
  return profile;
}

const ProfileBody = z.looseObject({ name: z.string().min(1), description: z.string().nullish() });

function settingsOf(body: Record<string, unknown>): Record<string, unknown> {
  const { id: _id, name: _name, description: _description, ...settings } = body;
  return settings;
}

export const permissionsOperations = defineOperations(
  {
    method: 'GET',
    path: '/v2/all-permission-profiles',
    scope: 'api:permission-profile:read',
    handle(ctx) {
      const workspaceId = requireQuery(ctx.query, 'workspaceId');
      if (!ctx.company.workspaces.some((workspace) => workspace.id === workspaceId))
        throw new GongApiError(400, `Workspace ${workspaceId} does not exist`);
      const profiles = ctx.company.permissionProfiles
        .filter((profile) => profile.workspaceId === workspaceId)
        .sort((a, b) => a.name.localeCompare(b.name));
      return { body: { profiles: profiles.map(profileView) } };
    },
  },
  {
    method: 'GET',
    path: '/v2/permission-profile',
    scope: 'api:permission-profile:read',
    handle: (ctx) => ({ body: { profile: profileView(findProfile(ctx)) } }),
  },
  {
    method: 'POST',
    path: '/v2/permission-profile',
    scope: 'api:permission-profile:write',
    handle(ctx) {
      const workspaceId = requireQuery(ctx.query, 'workspaceId');
      if (!ctx.company.workspaces.some((workspace) => workspace.id === workspaceId))
        throw new GongApiError(400, `Workspace ${workspaceId} does not exist`);
      const body = parseBody(ProfileBody, ctx.body);
      if (
        ctx.company.permissionProfiles.some(
          (profile) => profile.workspaceId === workspaceId && profile.name === body.name,
        )
      )
        throw new GongApiError(400, `A permission profile named ${body.name} already exists`);
      const profile: PermissionProfileRecord = {
        id: ctx.company.ids.numericId(19),
        workspaceId,
        name: body.name,
        description: body.description ?? '',
        userIds: [],
        settings: settingsOf(body),
      };
      ctx.company.permissionProfiles.push(profile);
      return { body: { profile: profileView(profile) } };
    },
  },
  {
    method: 'PUT',
    path: '/v2/permission-profile',
    scope: 'api:permission-profile:write',
    handle(ctx) {
      const profile = findProfile(ctx);
      const body = parseBody(ProfileBody, ctx.body);
      profile.name = body.name;
      profile.description = body.description ?? profile.description;
      profile.settings = { ...profile.settings, ...settingsOf(body) };
      return { body: { profile: profileView(profile) } };
    },
  },
  {
    method: 'GET',
    path: '/v2/permission-profile/users',
    scope: 'api:users:read',
    handle(ctx) {
      const profile = findProfile(ctx);
      return {
        body: {
          users: profile.userIds.flatMap((id) => {
            const user = userById(ctx.company, id);
            return user ? [{ id: user.id, fullName: fullName(user), emailAddress: user.emailAddress }] : [];
          }),
        },
      };
    },
  },
);
