import { PGlite } from '@electric-sql/pglite';
import { context, ROOT_CONTEXT, SpanStatusCode } from '@opentelemetry/api';
import { AlwaysOffSampler } from '@opentelemetry/sdk-trace-base';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRig, EPOCH, useAsyncContext } from '../../test/lifecycle-rig.js';

useAsyncContext();

let db: PGlite;
beforeAll(async () => {
  db = new PGlite();
  await db.exec(
    'CREATE TABLE batches (id text PRIMARY KEY, org_id text NOT NULL, activity_count int NOT NULL, trace jsonb NOT NULL, created_at timestamptz NOT NULL)',
  );
});
afterAll(async () => {
  await db.close();
});

interface Row {
  id: string;
  org_id: string;
  activity_count: number;
  trace: unknown;
  created_at: Date;
}

const eventNames = (span: ReadableSpan): string[] => span.events.map((event) => event.name);
const transitions = (span: ReadableSpan): string[] =>
  span.events
    .filter((e) => e.name === 'state.transition')
    .map((e) => `${String(e.attributes?.['batch.state.from'])}→${String(e.attributes?.['batch.state.to'])}`);

describe('one batch from submit to its last activity, through a database column', () => {
  it('makes one trace, exact metrics, ordered audit records and correlated logs', async () => {
    const rig = createRig();
    const activities = [
      { id: 'a-1', type: 'electricity', quantity: 1200, factor: 0.4 },
      { id: 'a-2', type: 'diesel', quantity: 10, factor: 2.7 },
      { id: 'a-3', type: 'electricity', quantity: 50, factor: 0.4 },
    ];

    // API side: store the batch with the carrier.
    const stored = await rig.batches.submit({ id: 'b-1', orgId: 'org-1', activityCount: 3 }, async (sub) => {
      rig.advance(4);
      await db.query('INSERT INTO batches VALUES ($1, $2, $3, $4, $5)', [
        'b-1',
        'org-1',
        3,
        JSON.stringify(sub.carrier),
        new Date(rig.now()),
      ]);
      return sub.batchId;
    });
    expect(stored).toBe('b-1');
    rig.advance(1_500); // in the queue

    // Worker side, in a fresh context: everything it knows comes from the row.
    const total = await context.with(ROOT_CONTEXT, async () => {
      const { rows } = await db.query<Row>('SELECT * FROM batches WHERE id = $1', ['b-1']);
      const row = rows[0]!;
      return rig.batches.process(
        {
          id: row.id,
          orgId: row.org_id,
          activityCount: row.activity_count,
          workerId: 'w-1',
          carrier: row.trace,
          submittedAt: row.created_at,
        },
        (run) =>
          run.lock('org', async () => {
            let sum = 0;
            for (const a of activities) {
              sum += await run.activity({ id: a.id, type: a.type }, async (act) => {
                await Promise.resolve();
                rig.advance(10);
                const kg = a.quantity * a.factor;
                act.calculated({ emissionsKg: kg, factor: a.factor });
                return kg;
              });
            }
            return sum;
          }),
        { result: (sum) => ({ emissionsKg: sum }) },
      );
    });
    expect(total).toBe(480 + 27 + 20);

    // One trace: submission → processing → (lock, activities).
    const submission = rig.span('batch.submission');
    const processing = rig.span('batch.processing');
    const lock = rig.span('lock.acquisition');
    const acts = rig.spans().filter((s) => s.name === 'activity.processing');
    expect(acts).toHaveLength(3);
    const traceId = submission.spanContext().traceId;
    for (const span of [processing, lock, ...acts]) expect(span.spanContext().traceId).toBe(traceId);
    expect(processing.parentSpanContext?.spanId).toBe(submission.spanContext().spanId);
    expect(lock.parentSpanContext?.spanId).toBe(processing.spanContext().spanId);
    for (const span of acts) expect(span.parentSpanContext?.spanId).toBe(processing.spanContext().spanId);

    // OffGridFlow's span events, the completed transition on the processing span before batch.completed.
    expect(eventNames(submission)).toEqual(['batch.created', 'activities.added', 'state.transition', 'batch.queued']);
    expect(transitions(submission)).toEqual(['pending→queued']);
    expect(eventNames(processing)).toEqual(['worker.busy', 'state.transition', 'state.transition', 'batch.completed']);
    expect(transitions(processing)).toEqual(['queued→processing', 'processing→completed']);
    expect(processing.attributes).toMatchObject({
      'batch.id': 'b-1',
      'org.id': 'org-1',
      'worker.id': 'w-1',
      'batch.success_count': 3,
      'batch.error_count': 0,
      'emissions.kg_co2e': 527,
      'batch.duration_s': 0.03,
    });
    expect(eventNames(lock)).toEqual(['lock.wait', 'lock.acquired', 'lock.released']);
    expect(eventNames(acts[0]!)).toEqual(['calculations.performed']);
    expect(acts[1]!.attributes).toMatchObject({
      'activity.id': 'a-2',
      'activity.type': 'diesel',
      'batch.id': 'b-1',
      'emissions.kg_co2e': 27,
      'activity.duration_s': 0.01,
    });

    // Exact metric values, as Prometheus scrapes them.
    const expected: [string, Record<string, string>, number][] = [
      ['batch_submitted_total', {}, 1],
      ['batch_submit_duration_seconds_sum', { success: 'true' }, 0.004],
      ['batch_completed_total', {}, 1],
      ['batch_processing', {}, 0],
      ['workers_active', {}, 0],
      ['queue_size', {}, 0],
      ['activity_total', {}, 3],
      ['activity_success_total', {}, 3],
      ['activity_failed_total', {}, 0],
      ['activity_duration_seconds_sum', { success: 'true' }, 0.03],
      ['emissions_grams_total', {}, 527_000],
      ['queue_wait_duration_seconds_sum', {}, 1.5],
      ['queue_wait_duration_seconds_count', {}, 1],
      ['batch_processing_duration_seconds_sum', { outcome: 'completed' }, 0.03],
      ['batch_latency_seconds_sum', { outcome: 'completed' }, 1.53],
      ['worker_task_duration_seconds_sum', {}, 0.03],
      ['lock_acquisitions_total', { lock: 'org' }, 1],
      ['batch_state_transitions_total', { from: 'pending', to: 'queued' }, 1],
      ['batch_state_transitions_total', { from: 'queued', to: 'processing' }, 1],
      ['batch_state_transitions_total', { from: 'processing', to: 'completed' }, 1],
    ];
    for (const [name, labels, value] of expected) expect([name, labels, await rig.sample(name, labels)]).toEqual([name, labels, value]);

    // Audit records in order, each carrying the trace of the span it belongs to.
    const audit = rig.audit();
    expect(audit.map((r) => `${String(r.from)}→${String(r.to)}`)).toEqual(['pending→queued', 'queued→processing', 'processing→completed']);
    expect(audit.every((r) => r.batch_id === 'b-1' && r.trace_id === traceId)).toBe(true);
    expect(audit[1]).toMatchObject({
      worker_id: 'w-1',
      span_id: processing.spanContext().spanId,
      at: new Date(EPOCH + 1_504).toISOString(),
    });
    expect(rig.errors).toEqual([]);
  });

  it('puts batch_id, worker_id, activity_id and the trace ids on every line logged inside', async () => {
    const rig = createRig();
    const { createLogger } = await import('../logger.js');
    const lines: Record<string, unknown>[] = [];
    const logger = createLogger({ destination: { write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>) } });
    await rig.batches.process({ id: 'b-7', orgId: 'org-1', workerId: 'w-2' }, async (run) => {
      logger.info('batch line');
      await run.activity({ id: 'a-9' }, async () => {
        await Promise.resolve();
        logger.info('activity line');
      });
    });
    logger.info('outside');
    const activity = rig.span('activity.processing');
    expect(lines[0]).toMatchObject({
      msg: 'batch line',
      batch_id: 'b-7',
      worker_id: 'w-2',
      span_id: rig.span('batch.processing').spanContext().spanId,
    });
    expect(lines[0]).not.toHaveProperty('activity_id');
    expect(lines[1]).toMatchObject({
      msg: 'activity line',
      batch_id: 'b-7',
      activity_id: 'a-9',
      trace_id: activity.spanContext().traceId,
      span_id: activity.spanContext().spanId,
    });
    expect(lines[2]).not.toHaveProperty('batch_id');
  });

  it('keeps activity_id on log lines when the spans are sampled out', async () => {
    const rig = createRig({}, {}, new AlwaysOffSampler());
    const { createLogger } = await import('../logger.js');
    const lines: Record<string, unknown>[] = [];
    const logger = createLogger({ destination: { write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>) } });
    await rig.batches.process({ id: 'b-8' }, (run) =>
      run.activity({ id: 'a-4' }, async () => {
        await Promise.resolve();
        logger.info('inside');
      }),
    );
    expect(lines[0]).toMatchObject({ msg: 'inside', batch_id: 'b-8', activity_id: 'a-4' });
    expect(rig.spans()).toEqual([]);
  });
});

describe('outcomes', () => {
  it('fails the batch when fn throws: classified, span ERROR, audit record, error rethrown', async () => {
    const rig = createRig();
    const failure = new Error('connect ECONNREFUSED 10.0.0.5:5432 (database)');
    const run = rig.batches.process({ id: 'b-2', workerId: 'w-1' }, async (r) => {
      r.activity({ id: 'a-1' }, (act) => act.calculated({ emissionsKg: 1 }));
      await Promise.resolve();
      rig.advance(20);
      throw failure;
    });
    await expect(run).rejects.toBe(failure);
    const span = rig.span('batch.processing');
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    expect(transitions(span)).toEqual(['queued→processing', 'processing→failed']);
    expect(await rig.sample('batch_failed_total', { error_type: 'database' })).toBe(1);
    expect(await rig.sample('batch_errors_total', { error_type: 'database' })).toBe(1);
    expect(await rig.sample('batch_processing_duration_seconds_sum', { outcome: 'failed' })).toBe(0.02);
    expect(await rig.sample('batch_processing')).toBe(0);
    expect(await rig.sample('workers_active')).toBe(0);
    expect(rig.audit().at(-1)).toMatchObject({ from: 'processing', to: 'failed', reason: 'database', batch_id: 'b-2' });
  });

  it('records a failed activity, rethrows it, and lets the batch go on when the caller catches', async () => {
    const rig = createRig();
    await rig.batches.process({ id: 'b-3' }, (run) => {
      for (const id of ['a-1', 'a-2', 'a-3']) {
        try {
          run.activity({ id }, (act) => {
            if (id === 'a-2') throw new Error('invalid unit');
            act.calculated({ emissionsKg: 5 });
          });
        } catch (error) {
          expect((error as Error).message).toBe('invalid unit');
        }
      }
    });
    expect(await rig.sample('activity_success_total')).toBe(2);
    expect(await rig.sample('activity_failed_total')).toBe(1);
    expect(await rig.sample('batch_errors_total', { error_type: 'validation' })).toBe(1);
    expect(await rig.sample('batch_completed_total')).toBe(1);
    expect(await rig.sample('emissions_grams_total')).toBe(10_000);
    expect(rig.span('batch.processing').attributes).toMatchObject({ 'batch.success_count': 2, 'batch.error_count': 1 });
    expect(rig.span('activity.processing', ['activity.id', 'a-2']).status.code).toBe(SpanStatusCode.ERROR);
  });

  it('ends concurrent async activities that settle out of order, each with its own outcome', async () => {
    const rig = createRig();
    const gates = new Map<string, { open: () => void; fail: (error: Error) => void }>();
    const gate = (id: string): Promise<void> => new Promise<void>((resolve, reject) => gates.set(id, { open: resolve, fail: reject }));
    const outcomes = await rig.batches.process({ id: 'b-c' }, async (run) => {
      const pending = ['a-1', 'a-2', 'a-3', 'a-4'].map((id) =>
        run.activity({ id }, async (act) => {
          await gate(id);
          return act.calculated({ emissionsKg: Number(id.slice(2)) });
        }),
      );
      await Promise.resolve();
      // The first activity started settles last, and fails; a-3 fails while a-1 is still open.
      gates.get('a-2')!.open();
      gates.get('a-3')!.fail(new Error('invalid unit'));
      gates.get('a-4')!.open();
      await Promise.resolve();
      gates.get('a-1')!.fail(new TypeError('factor missing'));
      return Promise.allSettled(pending);
    });
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'fulfilled', 'rejected', 'fulfilled']);
    expect(await rig.sample('activity_success_total')).toBe(2);
    expect(await rig.sample('activity_failed_total')).toBe(2);
    expect(await rig.sample('emissions_grams_total')).toBe(6_000);
    for (const [id, failed] of [
      ['a-1', true],
      ['a-2', false],
      ['a-3', true],
      ['a-4', false],
    ] as const) {
      expect(rig.span('activity.processing', ['activity.id', id]).status.code === SpanStatusCode.ERROR).toBe(failed);
    }
    expect(rig.span('batch.processing').attributes).toMatchObject({ 'batch.success_count': 2, 'batch.error_count': 2 });
  });

  it('cancels through run.cancel() or options.signal: signal aborted, batch_cancelled, processing → cancelled', async () => {
    const rig = createRig();
    const seen: boolean[] = [];
    await rig.batches.process({ id: 'b-4' }, (run) => {
      run.cancel('user asked');
      seen.push(run.signal.aborted);
    });
    const controller = new AbortController();
    await expect(
      rig.batches.process(
        { id: 'b-5' },
        (run) => {
          controller.abort();
          seen.push(run.signal.aborted);
          throw new Error('stopped midway');
        },
        { signal: controller.signal },
      ),
    ).rejects.toThrow('stopped midway');
    expect(seen).toEqual([true, true]);
    expect(await rig.sample('batch_cancelled_total')).toBe(2);
    expect(await rig.sample('batch_failed_total', { error_type: 'other' })).toBeUndefined();
    expect(await rig.sample('batch_state_transitions_total', { from: 'processing', to: 'cancelled' })).toBe(2);
    expect(await rig.sample('batch_processing')).toBe(0);
    expect(
      rig
        .audit()
        .filter((r) => r.to === 'cancelled')
        .map((r) => r.reason),
    ).toEqual(['user asked', 'signal aborted']);
  });

  it('cancels a queued batch with cancelQueued: queued → cancelled, queue_size back to 0', async () => {
    const rig = createRig();
    await rig.batches.submit({ id: 'b-6', activityCount: 1 }, () => undefined);
    expect(await rig.sample('queue_size')).toBe(1);
    rig.advance(2_000);
    rig.batches.cancelQueued({ id: 'b-6', submittedAt: EPOCH }, 'withdrawn');
    expect(await rig.sample('queue_size')).toBe(0);
    expect(await rig.sample('batch_cancelled_total')).toBe(1);
    expect(await rig.sample('batch_latency_seconds_sum', { outcome: 'cancelled' })).toBe(2);
    expect(rig.audit().map((r) => `${String(r.from)}→${String(r.to)}`)).toEqual(['pending→queued', 'queued→cancelled']);
  });

  it('retries: failed attempts count errors and retries, the attempt that succeeds a retry success', async () => {
    const rig = createRig();
    await rig.batches.process({ id: 'b-8' }, (run) =>
      run.activity({ id: 'a-1' }, (act) => {
        act.retry(new Error('socket hang up (network)'));
        act.retry(new Error('socket hang up (network)'));
        act.calculated({ emissionsKg: 1 });
      }),
    );
    await rig.batches.process({ id: 'b-9', attempt: 2 }, () => undefined);
    expect(await rig.sample('batch_errors_total', { error_type: 'network' })).toBe(2);
    expect(await rig.sample('batch_retries_total')).toBe(3);
    expect(await rig.sample('batch_retries_success_total')).toBe(2);
    expect(await rig.sample('activity_total')).toBe(1);
    expect(
      rig
        .span('activity.processing')
        .events.filter((e) => e.name === 'retry')
        .map((e) => e.attributes?.attempt),
    ).toEqual([1, 2]);
  });
});

describe('misuse goes to onError and never corrupts telemetry', () => {
  it('counts an activity id once per run, ignores a second end, and names the mistake', async () => {
    const rig = createRig();
    const run = rig.batches.startProcessing({ id: 'b-1' });
    run.activity({ id: 'a-1' }, () => undefined);
    run.activity({ id: 'a-1' }, () => undefined);
    const act = run.startActivity({ id: 'a-2' });
    act.end();
    act.end();
    run.end();
    run.end();
    run.cancel();
    expect(await rig.sample('activity_total')).toBe(2);
    expect(await rig.sample('batch_completed_total')).toBe(1);
    expect(await rig.sample('batch_processing')).toBe(0);
    expect(rig.errors.map((e) => e.message)).toEqual([
      'activity a-1 was already recorded in this run of batch b-1; it is traced but not counted again',
      'activity a-2 of batch b-1 was ended twice; the second end was ignored',
      'batch b-1 was ended twice; the second end was ignored',
      'run.cancel(): batch b-1 has ended; ignored',
    ]);
    expect(rig.errors.every((e) => e.code === 'ERR_OGF_LIFECYCLE_MISUSE')).toBe(true);
  });

  it('ends an activity once when its callback returns a thenable that settles twice, and says so', async () => {
    const rig = createRig();
    const run = rig.batches.startProcessing({ id: 'b-t' });
    // Not a native promise: it calls its fulfilment handler twice, which Promises/A+ forbids.
    const twice = { then: (ok: (value: number) => unknown) => (ok(1), ok(1)) } as unknown as Promise<number>;
    await run.activity({ id: 'a-1' }, () => twice);
    await run.activity({ id: 'a-2' }, () => Promise.resolve(2));
    run.end();
    expect(await rig.sample('activity_success_total')).toBe(2);
    expect(rig.errors.map((e) => e.message)).toEqual(['activity a-1 of batch b-t was ended twice; the second end was ignored']);
  });

  it('ends activities left open as failed when their batch ends', async () => {
    const rig = createRig();
    const run = rig.batches.startProcessing({ id: 'b-1' });
    run.startActivity({ id: 'a-1' });
    run.end();
    expect(await rig.sample('activity_failed_total')).toBe(1);
    expect(rig.errors[0]?.message).toBe('batch b-1 ended with 1 activities still open; they are recorded as failed');
    expect(rig.spans().map((s) => s.name)).toEqual(['activity.processing', 'batch.processing']);
  });

  it('rejects options it cannot use at construction', async () => {
    const { createBatchLifecycle } = await import('./create.js');
    expect(() => createBatchLifecycle({} as never)).toThrow(
      'createBatchLifecycle: metrics must be a BatchMetrics from createBatchMetrics()',
    );
  });
});
