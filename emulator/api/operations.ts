import type { ApiOperation } from './operation';
import { usersOperations } from './users';

/** Every Gong API operation the emulator serves. */
export const API_OPERATIONS: readonly ApiOperation[] = [...usersOperations];
