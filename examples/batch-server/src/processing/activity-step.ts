// One activity: retrieve its data, calculate its emissions, store the result exactly once.
// Transient faults are retried with backoff; exhausted retries escape to fail the batch. The
// activity's span, metrics, retries and log fields come from `run.activity`.
import type { BatchRun } from '@ogf/observability';
import { calculateEmissions } from '../domain/calculate.ts';
import type { ActivityInput } from '../domain/types.ts';
import type { ServerConfig } from '../config.ts';
import type { Database } from '../store/database.ts';
import { storeActivityResult } from '../store/results.ts';
import { typedError, type Telemetry } from '../telemetry/telemetry.ts';
import { TransientError, isTransient, type FaultInjector } from './faults.ts';
import { withRetry } from './retry.ts';

export interface ActivityContext {
  db: Database;
  telemetry: Telemetry;
  faults: FaultInjector;
  config: ServerConfig;
}

const sleep = (ms: number): Promise<void> => (ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve());

function asTransient(error: unknown): unknown {
  if (isTransient(error)) return error;
  // Anything the store throws other than a constraint violation (SQLSTATE class 23) is treated
  // as a lost or failing connection: worth another try.
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code.startsWith('23')) return error;
  return new TransientError('database', error instanceof Error ? error.message : String(error), { cause: error });
}

/** A transient fault as its type (timeout, network, database), for metrics and spans alike. */
export function typedFault(error: unknown): Error {
  return error instanceof TransientError ? typedError(error.errorType, error.message, error) : typedError('internal', String(error), error);
}

export function processActivity(
  context: ActivityContext,
  run: BatchRun,
  activity: ActivityInput,
  workerId: string,
): Promise<{ success: boolean; emissionsKg: number }> {
  const { telemetry, faults, config } = context;
  return run.activity({ id: activity.id, type: activity.type }, async (act) => {
    const { value } = await withRetry(
      async (attempt) => {
        await sleep(config.activityDelayMs);
        faults.maybeFail('data.retrieval');
        act.dataRetrieved({ 'activity.type': activity.type, 'activity.unit': activity.unit, attempt });
        const outcome = calculateEmissions(activity);
        if (outcome.status === 'success') act.calculated({ emissionsKg: outcome.emissionsKg });
        else act.event('calculations.performed', { success: false });
        faults.maybeFail('results.store');
        let stored: boolean;
        try {
          stored = await storeActivityResult(context.db, run.batchId, activity.id, outcome, { attempts: attempt, workerId });
        } catch (error) {
          throw asTransient(error);
        }
        act.stored({ stored });
        return { outcome, stored };
      },
      {
        attempts: config.retryAttempts,
        baseDelayMs: config.retryBaseDelayMs,
        maxDelayMs: config.retryMaxDelayMs,
        onRetry: (attempt, error) => {
          const fault = typedFault(error);
          act.retry(fault);
          telemetry.logger.info({ attempt, error_type: fault.name }, 'transient fault, retrying');
        },
      },
    );
    const { outcome, stored } = value;
    const success = outcome.status === 'success';
    if (!success) act.fail(typedError('validation', outcome.errorMessage));
    // A result found already stored was counted by the run that stored it.
    if (!stored) act.skip('result already stored');
    return { success, emissionsKg: success ? outcome.emissionsKg : 0 };
  });
}
