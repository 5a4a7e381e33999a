import { activityOperations } from './activity';
import { callsOperations } from './calls';
import { crmOperations } from './crm';
import { dataPrivacyOperations } from './data-privacy';
import { engagementOperations } from './engagement';
import { entitiesOperations } from './entities';
import { flowsOperations } from './flows';
import { meetingsOperations } from './meetings';
import type { ApiOperation } from './operation';
import { permissionsOperations } from './permissions';
import { settingsOperations } from './settings';
import { statsOperations } from './stats';
import { tasksOperations } from './tasks';
import { usersOperations } from './users';

/** Every Gong API operation the emulator serves. */
export const API_OPERATIONS: readonly ApiOperation[] = [
  ...usersOperations,
  ...callsOperations,
  ...settingsOperations,
  ...statsOperations,
  ...activityOperations,
  ...meetingsOperations,
  ...crmOperations,
  ...flowsOperations,
  ...tasksOperations,
  ...dataPrivacyOperations,
  ...permissionsOperations,
  ...engagementOperations,
  ...entitiesOperations,
];
