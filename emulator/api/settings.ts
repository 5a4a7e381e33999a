import { GongApiError, notFound } from '../core/api-error';
import { isoTime } from '../core/clock';
import { callById } from '../core/company';
import { defineOperations, type OperationContext } from './operation';
import { callUrl } from './views';

function workspaceFilter(ctx: OperationContext): string | undefined {
  const workspaceId = ctx.query['workspaceId'];
  if (workspaceId && !ctx.company.workspaces.some((workspace) => workspace.id === workspaceId))
    throw new GongApiError(400, `Workspace ${workspaceId} does not exist`);
  return workspaceId || undefined;
}

/** Workspaces, scorecard and tracker definitions, call outcomes, and the public library. */
export const settingsOperations = defineOperations(
  {
    method: 'GET',
    path: '/v2/workspaces',
    scope: 'api:workspaces:read',
    handle: (ctx) => ({ body: { workspaces: ctx.company.workspaces } }),
  },
  {
    method: 'GET',
    path: '/v2/settings/scorecards',
    scope: 'api:settings:scorecards:read',
    handle(ctx) {
      const workspaceId = workspaceFilter(ctx);
      return {
        body: {
          // Real Gong sends every ID and minRange/maxRange here as JSON strings (the export says int64/int32
          // numbers) and adds reviewMethod and the questions' updaterUserId, created and updated (recorded
          // traffic, issue 18): the emulator answers as Gong does.
          scorecards: ctx.company.scorecards
            .filter((scorecard) => !workspaceId || scorecard.workspaceId === workspaceId)
            .map((scorecard) => ({
              scorecardId: scorecard.scorecardId,
              scorecardName: scorecard.scorecardName,
              workspaceId: scorecard.workspaceId,
              enabled: scorecard.enabled,
              updaterUserId: scorecard.updaterUserId,
              created: isoTime(scorecard.created),
              updated: isoTime(scorecard.updated),
              reviewMethod: scorecard.reviewMethod,
              questions: scorecard.questions.map((question) => ({
                questionId: question.questionId,
                questionRevisionId: question.questionRevisionId,
                questionText: question.questionText,
                isOverall: question.isOverall,
                updaterUserId: scorecard.updaterUserId,
                questionType: question.questionType,
                answerGuide: null,
                minRange: String(question.minRange),
                maxRange: String(question.maxRange),
                answerOptions: [],
                created: isoTime(scorecard.created),
                updated: isoTime(scorecard.updated),
              })),
            })),
        },
      };
    },
  },
  {
    method: 'GET',
    path: '/v2/settings/trackers',
    scope: 'api:settings:trackers:read',
    handle(ctx) {
      const workspaceId = workspaceFilter(ctx);
      return {
        body: {
          keywordTrackers: ctx.company.trackers
            .filter((tracker) => !workspaceId || tracker.workspaceId === workspaceId)
            .map((tracker) => ({
              trackerId: tracker.trackerId,
              trackerName: tracker.trackerName,
              workspaceId: tracker.workspaceId,
              languageKeywords: [{ language: 'eng', keywords: tracker.keywords, includeRelatedForms: false }],
              affiliation: tracker.affiliation,
              partOfQuestion: false,
              saidAt: 'Anytime',
              saidAtInterval: null,
              saidAtUnit: null,
              saidInTopics: [],
              saidInCallParts: [],
              filterQuery: null,
              created: isoTime(tracker.created),
              creatorUserId: tracker.creatorUserId,
              updated: isoTime(tracker.created),
              updaterUserId: tracker.creatorUserId,
            })),
        },
      };
    },
  },
  {
    method: 'GET',
    path: '/v2/call-outcomes',
    scope: 'api:call-outcomes:read',
    handle: (ctx) => ({
      body: {
        outcomes: ctx.company.callOutcomes.map(({ id: _id, ...outcome }) => outcome),
      },
    }),
  },
  {
    method: 'GET',
    path: '/v2/library/folders',
    scope: 'api:library:read',
    handle(ctx) {
      const workspaceId = workspaceFilter(ctx);
      return {
        body: {
          folders: ctx.company.libraryFolders
            .filter((folder) => !workspaceId || folder.workspaceId === workspaceId)
            .map((folder) => ({
              id: folder.id,
              name: folder.name,
              parentFolderId: folder.parentFolderId,
              createdBy: folder.createdBy,
              updated: isoTime(folder.updated),
            })),
        },
      };
    },
  },
  {
    method: 'GET',
    path: '/v2/library/folder-content',
    scope: 'api:library:read',
    handle(ctx) {
      const folderId = ctx.query['folderId'];
      if (!folderId) throw new GongApiError(400, 'folderId is required');
      const folder = ctx.company.libraryFolders.find((candidate) => candidate.id === folderId);
      if (!folder) throw notFound(`Folder ${folderId} was not found`);
      return {
        body: {
          id: folder.id,
          name: folder.name,
          createdBy: folder.createdBy,
          updated: isoTime(folder.updated),
          calls: folder.calls.flatMap((entry) => {
            const call = callById(ctx.company, entry.callId);
            if (!call) return [];
            return [
              {
                id: call.id,
                title: call.title,
                note: entry.note,
                addedBy: entry.addedBy,
                created: isoTime(entry.created),
                url: callUrl(ctx.company, call.id),
                snippet: { fromSec: entry.fromSec, toSec: entry.toSec },
              },
            ];
          }),
        },
      };
    },
  },
);
