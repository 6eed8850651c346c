// Propagation across real boundaries: a worker_threads Worker and a child process each receive
// job payloads carrying the submitter's trace context, process them with their own SDK, and
// send their spans back (over the message port, or over OTLP/HTTP to a receiver).
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { context } from '@opentelemetry/api';
import { startOtlpReceiver } from '@ogf/testkit/otlp-receiver';
import { describe, expect, it } from 'vitest';
import { createBatchTracer } from '../src/index.ts';
import type { Job } from './fixtures/jobs.ts';
import type { SpanSummary } from './scenario.ts';
import { recordingProvider, useAsyncContext } from './support.ts';
import { spawnTracked } from '@ogf/testkit/processes';

useAsyncContext();

const here = dirname(fileURLToPath(import.meta.url));
const packageDir = join(here, '..');

/** A batch fans out three jobs: two continue its trace, one starts a linked trace. */
function submitJobs(): { jobs: Job[]; batch: () => SpanSummary } {
  const submitter = recordingProvider();
  const tracer = createBatchTracer({ tracerProvider: submitter.provider });
  const jobs = tracer.withBatchProcessing({ id: 'b-1', activityCount: 3 }, () =>
    (['child', 'child', 'link'] as const).map((relation, index) => ({
      activityId: `act-${index + 1}`,
      relation,
      // Through JSON, as a queue would carry it.
      trace: JSON.parse(JSON.stringify(tracer.injectContext(context.active()))) as Record<string, string>,
    })),
  );
  return { jobs, batch: () => submitter.spans()[0]! };
}

function expectJobSpans(
  batch: SpanSummary,
  spans: Pick<SpanSummary, 'name' | 'traceId' | 'spanId' | 'parentSpanId' | 'links' | 'attributes'>[],
): void {
  const byActivity = new Map(spans.map((span) => [span.attributes['activity.id'], span]));
  expect(spans.map((span) => span.name)).toEqual(['activity.processing', 'activity.processing', 'activity.processing']);
  for (const id of ['act-1', 'act-2']) {
    const child = byActivity.get(id);
    expect(child?.traceId).toBe(batch.traceId);
    expect(child?.parentSpanId).toBe(batch.spanId);
    expect(child?.links).toEqual([]);
  }
  const linked = byActivity.get('act-3');
  expect(linked?.traceId).not.toBe(batch.traceId);
  expect(linked?.parentSpanId).toBeUndefined();
  expect(linked?.links).toEqual([{ traceId: batch.traceId, spanId: batch.spanId, attributes: { 'ogf.link.type': 'job.submitter' } }]);
}

describe('trace context across workers', () => {
  it('reaches a worker_threads worker: children keep the trace and parent, link mode links back', async () => {
    const { jobs, batch } = submitJobs();
    const worker = new Worker(join(here, 'fixtures', 'job-thread.mjs'), { workerData: jobs });
    const spans = await new Promise<SpanSummary[]>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`worker exited with ${code} before answering`)));
    });
    await worker.terminate();
    expectJobSpans(batch(), spans);
  });

  it('reaches a child process that exports over OTLP/HTTP: children keep the trace and parent, link mode links back', async () => {
    const { jobs, batch } = submitJobs();
    const receiver = await startOtlpReceiver();
    try {
      const child = spawnTracked(process.execPath, ['--import', 'tsx', join(here, 'fixtures', 'job-process.ts'), JSON.stringify(jobs)], {
        cwd: packageDir,
        env: { ...process.env, OTLP_TRACES_URL: receiver.tracesUrl },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      expect(code, output).toBe(0);
      const spans = await receiver.waitForSpans(3);
      expect(spans.every((span) => span.scope.name === 'worker')).toBe(true);
      expectJobSpans(batch(), spans);
    } finally {
      await receiver.close();
    }
  });
});
