// One activity: retrieve its data, calculate its emissions, store the result exactly once.
// Transient faults are retried with backoff; exhausted retries escape to fail the batch.
import { calculateEmissions } from '../domain/calculate.ts';
import type { ActivityInput } from '../domain/types.ts';
import type { ServerConfig } from '../config.ts';
import type { Database } from '../store/database.ts';
import { storeActivityResult } from '../store/results.ts';
import type { Telemetry } from '../telemetry/telemetry.ts';
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

export async function processActivity(
  context: ActivityContext,
  batch: { batchId: string; orgId: string },
  activity: ActivityInput,
  workerId: string,
): Promise<{ success: boolean; emissionsKg: number }> {
  const { telemetry, faults, config } = context;
  return telemetry.activity({ batchId: batch.batchId, orgId: batch.orgId, activityId: activity.id, workerId }, async (span) => {
    const started = performance.now();
    const { value } = await withRetry(
      async (attempt) => {
        await sleep(config.activityDelayMs);
        faults.maybeFail('data.retrieval');
        span.event('data.retrieved', { 'activity.type': activity.type, 'activity.unit': activity.unit, attempt });
        const outcome = calculateEmissions(activity);
        span.event('calculations.performed', {
          success: outcome.status === 'success',
          'emissions.kg': outcome.status === 'success' ? outcome.emissionsKg : 0,
        });
        faults.maybeFail('results.store');
        let stored: boolean;
        try {
          stored = await storeActivityResult(context.db, batch.batchId, activity.id, outcome, { attempts: attempt, workerId });
        } catch (error) {
          throw asTransient(error);
        }
        span.event('results.stored', { stored });
        return { outcome, stored };
      },
      {
        attempts: config.retryAttempts,
        baseDelayMs: config.retryBaseDelayMs,
        maxDelayMs: config.retryMaxDelayMs,
        onRetry: (attempt, error) => {
          const type = error instanceof TransientError ? error.errorType : 'other';
          telemetry.error(type);
          if (attempt > 1) telemetry.retryEnded(false);
          span.event('retry', { attempt, 'error.type': type });
          telemetry.logger.info({ batch_id: batch.batchId, activity_id: activity.id, attempt, error_type: type }, 'transient fault, retrying');
        },
        onRecovered: () => telemetry.retryEnded(true),
        onGiveUp: (attempt) => {
          if (attempt > 1) telemetry.retryEnded(false);
        },
      },
    );
    const { outcome, stored } = value;
    const success = outcome.status === 'success';
    const emissionsKg = success ? outcome.emissionsKg : 0;
    span.setAttributes({ 'activity.success': success, 'emissions.kg': emissionsKg });
    if (!success) span.fail('validation', outcome.errorMessage);
    // A result found already stored was counted by the run that stored it.
    if (stored) {
      telemetry.activityProcessed(success, performance.now() - started, emissionsKg);
      if (!success) telemetry.error('validation');
    }
    return { success, emissionsKg };
  });
}
