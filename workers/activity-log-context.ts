import { defaultPayloadConverter } from '@temporalio/common';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import { DEFINITION_HEADER } from '../core/log-context';

/**
 * Activity log lines name the run's definition (`definition`), read from the header the run's workflow put
 * on the activity (workflows/log-context-interceptors.ts). Activities scheduled without it (trigger
 * polls, budget, blob sweeps) log as before.
 */
export const activityLogContext: ActivityInterceptorsFactory = () => {
  let definition: string | undefined;
  return {
    inbound: {
      execute(input, next) {
        const header = input.headers[DEFINITION_HEADER];
        const value: unknown = header ? defaultPayloadConverter.fromPayload(header) : undefined;
        definition = typeof value === 'string' ? value : undefined;
        return next(input);
      },
    },
    outbound: {
      getLogAttributes(input, next) {
        return next(definition === undefined ? input : { ...input, definition });
      },
    },
  };
};
