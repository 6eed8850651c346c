// Type-checked by CI against the packed tarball, the way a user's project sees the package.
import {
  createBatchLifecycle,
  createObservability,
  isOgfError,
  resolveConfig,
  traceContextFields,
  type BatchLifecycle,
  type BatchRun,
  type Observability,
  type ResolvedConfig,
  type ShutdownReport,
} from '@ogf/observability';
import { installShutdownHandlers } from '@ogf/observability/node';

const resolved: ResolvedConfig = resolveConfig({ serviceName: 'offgridflow', env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'localhost:4318' } });
const tracesUrl: string | undefined = resolved.tracing.otlp?.url;

export async function main(): Promise<ShutdownReport> {
  let obs: Observability;
  try {
    obs = createObservability({ serviceName: 'offgridflow', sampleRate: 0.5, metricsExporters: ['prometheus'] });
  } catch (error) {
    if (isOgfError(error)) console.error(error.code, error.message, tracesUrl);
    throw error;
  }
  const uninstall: () => void = installShutdownHandlers(obs, { timeoutMs: 5_000 });
  obs.health.register('cache', () => ({ status: 'healthy' }));
  obs.metrics.recordBatchSubmission({ activityCount: 3 });
  obs.tracer.withBatchProcessing({ id: 'b-1' }, (span) => {
    obs.logger.info({ ...traceContextFields(), batch_id: 'b-1' }, 'processing');
    obs.recordStateTransition({ batchId: 'b-1', from: 'queued', to: 'processing', workerId: 'w-1', span });
    span.complete({ successCount: 3 });
  });
  const sub = await obs.batches.submit({ id: 'b-2', orgId: 'org-1', activityCount: 1 }, (s) => ({ trace: JSON.stringify(s.carrier) }));
  const kg: number = await obs.batches.process(
    { id: 'b-2', orgId: 'org-1', workerId: 'w-1', carrier: sub.trace, submittedAt: new Date(), attempt: 1 },
    (run: BatchRun) =>
      run.lock('org', () => run.activity({ id: 'a-1', type: 'electricity' }, (act) => act.calculated({ emissionsKg: 480, factor: 0.4 }))),
    { result: (total) => ({ emissionsKg: total }), signal: AbortSignal.timeout(60_000) },
  );
  const standalone: BatchLifecycle = createBatchLifecycle({
    metrics: obs.metrics,
    tracer: obs.tracer,
    logger: obs.logger,
    queue: 'external',
  });
  const manual = standalone.startProcessing({ id: 'b-3' });
  manual.startActivity({ id: 'a-1' }).end();
  manual.end({ emissionsKg: kg });
  const response: Response = await obs.app.request('/metrics');
  console.log(response.status, obs.delivery().spans.exported);
  obs.addDrainHook('noop', (signal: AbortSignal) => (signal.aborted ? undefined : Promise.resolve()));
  uninstall();
  return obs.shutdown({ timeoutMs: 2_000 });
}
