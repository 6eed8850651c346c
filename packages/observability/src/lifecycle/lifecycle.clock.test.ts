import { createBatchMetrics } from '@ogf/metrics';
import { PrometheusExporter } from '@ogf/prom-export';
import { createBatchTracer } from '@ogf/tracing';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { createAuditLog, createBatchLifecycle, createLogger } from '../index.js';
import type { BatchLifecycle, BatchLifecycleOptions } from './types.js';

// Durations feed only the metrics and the spans. These tests count the lifecycle's clock reads:
// none when neither records, and the durations still exact when either does.
function counted(options: Omit<BatchLifecycleOptions, 'clock'>): {
  batches: BatchLifecycle;
  reads: () => number;
  advance: (ms: number) => void;
} {
  let elapsed = 0;
  let reads = 0;
  const batches = createBatchLifecycle({
    ...options,
    clock: () => {
      reads += 1;
      return elapsed;
    },
  });
  return { batches, reads: () => reads, advance: (ms) => (elapsed += ms) };
}

/** A submission, then a run with a lock, a synchronous, an async and a failing activity. */
async function oneBatch(batches: BatchLifecycle, advance: (ms: number) => void): Promise<number> {
  await batches.submit({ id: 'b-1', activityCount: 3 }, () => advance(1));
  return batches.process({ id: 'b-1', workerId: 'w-1', activityCount: 3 }, (run) =>
    run.lock('org', async () => {
      let kg = run.activity({ id: 'a-1' }, (act) => {
        advance(250);
        return act.calculated({ emissionsKg: 2 });
      });
      kg += await run.activity({ id: 'a-2' }, async (act) => {
        await Promise.resolve();
        advance(500);
        return act.calculated({ emissionsKg: 3 });
      });
      await run.activity({ id: 'a-3' }, () => Promise.reject(new Error('no factor'))).catch(() => undefined);
      return kg;
    }),
  );
}

describe('the lifecycle clock', () => {
  it('is never read when no metrics and no span record, while audit records, outcomes and misuse reports stay', async () => {
    const lines: Record<string, unknown>[] = [];
    const audit = createAuditLog(
      createLogger({ destination: { write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>) } }),
    );
    const errors: string[] = [];
    const { batches, reads, advance } = counted({
      metrics: createBatchMetrics(),
      tracer: createBatchTracer(),
      audit,
      onError: (error) => errors.push(error.message),
    });
    expect(await oneBatch(batches, advance)).toBe(5);
    await batches.process({ id: 'b-2', workerId: 'w-1' }, (run) => {
      run.activity({ id: 'a-1' }, () => undefined);
      run.activity({ id: 'a-1' }, () => undefined);
    });
    expect(reads()).toBe(0);
    expect(lines.map((line) => `${String(line.batch_id)} ${String(line.from)}→${String(line.to)}`)).toEqual([
      'b-1 pending→queued',
      'b-1 queued→processing',
      'b-1 processing→completed',
      'b-2 queued→processing',
      'b-2 processing→completed',
    ]);
    expect(errors).toEqual([expect.stringContaining('activity a-1 was already recorded in this run of batch b-2')]);
  });

  it('times activities, locks and the batch on spans that record, without metrics', async () => {
    const memory = new InMemorySpanExporter();
    const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(memory)] });
    const { batches, reads, advance } = counted({ metrics: createBatchMetrics(), tracer: createBatchTracer({ tracerProvider }) });
    await oneBatch(batches, advance);
    expect(reads()).toBeGreaterThan(0);
    const span = (name: string, id?: string) =>
      memory.getFinishedSpans().find((s) => s.name === name && (id === undefined || s.attributes['activity.id'] === id))!;
    expect(span('activity.processing', 'a-1').attributes['activity.duration_s']).toBe(0.25);
    expect(span('activity.processing', 'a-2').attributes['activity.duration_s']).toBe(0.5);
    expect(span('lock.acquisition').attributes['lock.held_s']).toBe(0.75);
    expect(span('batch.processing').attributes['batch.duration_s']).toBe(0.75);
    expect(span('batch.submission').attributes['batch.duration_s']).toBe(0.001);
  });

  it('times activities and the batch into the metrics, without a recording span', async () => {
    const exporter = new PrometheusExporter();
    const metrics = createBatchMetrics({ meterProvider: new MeterProvider({ readers: [exporter] }), lockNames: ['org'] });
    const { batches, reads, advance } = counted({ metrics, tracer: createBatchTracer() });
    await oneBatch(batches, advance);
    expect(reads()).toBeGreaterThan(0);
    const text = (await exporter.render()).body;
    const sample = (pattern: RegExp): number => Number(pattern.exec(text)?.[1]);
    expect(sample(/^activity_duration_seconds_sum\{[^}]*success="true"[^}]*\} (\S+)$/m)).toBe(0.75);
    expect(sample(/^batch_processing_duration_seconds_sum\{[^}]*outcome="completed"[^}]*\} (\S+)$/m)).toBe(0.75);
    expect(sample(/^batch_submit_duration_seconds_sum\{[^}]*\} (\S+)$/m)).toBe(0.001);
    expect(sample(/^worker_task_duration_seconds_sum(?:\{[^}]*\})? (\S+)$/m)).toBe(0.75);
  });
});
