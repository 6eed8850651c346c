// Property: no sequence of public lifecycle calls, however wrong, drives batch.processing,
// workers.active or queue.size below zero, or counts an activity twice. Random sequences of
// submissions, manual and callback runs, activities, outcomes (twice, late, in any order) run on
// a real SDK; after every call the gauges are read through the Prometheus exporter and compared
// with a model of what they must be.
import fc from 'fast-check';
import type { MetricsSnapshot } from '@ogf/metrics';
import { describe, expect, it } from 'vitest';
import { createRig, useAsyncContext } from '../../test/lifecycle-rig.js';
import type { ManualActivity, ManualBatchRun, ManualSubmission } from './types.js';

useAsyncContext();

const BATCHES = ['b-0', 'b-1', 'b-2'];
const ACTIVITIES = ['a-0', 'a-1', 'a-2'];

type Command =
  | { op: 'submit'; batch: number; outcome: 'queued' | 'fail' | 'both' | 'twice' }
  | { op: 'start'; batch: number; worker: number }
  | { op: 'activity'; run: number; id: number }
  | { op: 'endActivity'; act: number; how: 'end' | 'fail' | 'skip' | 'retry' }
  | { op: 'endRun'; run: number; how: 'end' | 'fail' | 'cancel' | 'requeue' | 'cancelOnly' | 'requeueOnly' }
  | { op: 'cancelQueued'; batch: number }
  | { op: 'process'; batch: number; ids: number[]; how: 'return' | 'throw' | 'cancel' | 'requeue'; activityThrows: boolean };

const command: fc.Arbitrary<Command> = fc.oneof(
  fc.record({
    op: fc.constant('submit' as const),
    batch: fc.nat(2),
    outcome: fc.constantFrom('queued' as const, 'fail' as const, 'both' as const, 'twice' as const),
  }),
  fc.record({ op: fc.constant('start' as const), batch: fc.nat(2), worker: fc.nat(2) }),
  fc.record({ op: fc.constant('activity' as const), run: fc.nat(7), id: fc.nat(2) }),
  fc.record({
    op: fc.constant('endActivity' as const),
    act: fc.nat(11),
    how: fc.constantFrom('end' as const, 'fail' as const, 'skip' as const, 'retry' as const),
  }),
  fc.record({
    op: fc.constant('endRun' as const),
    run: fc.nat(7),
    how: fc.constantFrom(
      'end' as const,
      'fail' as const,
      'cancel' as const,
      'requeue' as const,
      'cancelOnly' as const,
      'requeueOnly' as const,
    ),
  }),
  fc.record({ op: fc.constant('cancelQueued' as const), batch: fc.nat(2) }),
  fc.record({
    op: fc.constant('process' as const),
    batch: fc.nat(2),
    ids: fc.array(fc.nat(2), { maxLength: 4 }),
    how: fc.constantFrom('return' as const, 'throw' as const, 'cancel' as const, 'requeue' as const),
    activityThrows: fc.boolean(),
  }),
);

function value(snapshot: MetricsSnapshot, name: string): number {
  const metric = snapshot.metrics.find((m) => m.name === name);
  return (metric?.points ?? []).reduce((sum, point) => sum + Number(point.value ?? 0), 0);
}

interface ActModel {
  handle: ManualActivity;
  counted: boolean;
  finished: boolean;
}
interface RunModel {
  handle: ManualBatchRun;
  batch: string;
  ended: boolean;
  ids: Set<string>;
  acts: ActModel[];
  requeue: boolean;
  cancelled: boolean;
}

async function runSequence(commands: Command[]): Promise<void> {
  const rig = createRig();
  const { batches } = rig;
  const runs: RunModel[] = [];
  const acts: ActModel[] = [];
  const queued = new Set<string>();
  let counted = 0;

  const finishRun = (run: RunModel): void => {
    if (run.ended) return;
    run.ended = true;
    for (const act of run.acts) {
      if (!act.finished) {
        act.finished = true;
        if (act.counted) counted += 1;
      }
    }
    if (run.requeue && !run.cancelled) queued.add(run.batch);
  };

  for (const c of commands) {
    switch (c.op) {
      case 'submit': {
        const sub: ManualSubmission = batches.startSubmission({ id: BATCHES[c.batch]!, activityCount: 2 });
        if (c.outcome === 'fail') sub.fail(new Error('insert failed'));
        else sub.queued();
        if (c.outcome === 'both') sub.fail(new Error('late'));
        if (c.outcome === 'twice') sub.queued();
        if (c.outcome !== 'fail') queued.add(BATCHES[c.batch]!);
        break;
      }
      case 'start': {
        const batch = BATCHES[c.batch]!;
        const handle = batches.startProcessing({ id: batch, workerId: `w-${c.worker}` });
        queued.delete(batch);
        runs.push({ handle, batch, ended: false, ids: new Set(), acts: [], requeue: false, cancelled: false });
        break;
      }
      case 'activity': {
        const run = runs[c.run % Math.max(1, runs.length)];
        if (!run) break;
        const id = ACTIVITIES[c.id]!;
        const act: ActModel = { handle: run.handle.startActivity({ id }), counted: !run.ended && !run.ids.has(id), finished: false };
        if (!run.ended) run.ids.add(id);
        run.acts.push(act);
        acts.push(act);
        break;
      }
      case 'endActivity': {
        const act = acts[c.act % Math.max(1, acts.length)];
        if (!act) break;
        if (c.how === 'fail') act.handle.fail(new Error('bad row'));
        if (c.how === 'skip') act.handle.skip('stored before');
        if (c.how === 'retry') act.handle.retry(new Error('timeout'));
        act.handle.end();
        if (!act.finished) {
          act.finished = true;
          // A skipped activity moves no counter; a retry, fail or plain end does.
          if (act.counted && !(c.how === 'skip')) counted += 1;
        }
        break;
      }
      case 'endRun': {
        const run = runs[c.run % Math.max(1, runs.length)];
        if (!run) break;
        if (c.how === 'fail') run.handle.fail(new Error('boom'));
        if (c.how === 'cancel' || c.how === 'cancelOnly') {
          if (!run.ended) run.cancelled = true;
          run.handle.cancel('stop');
        }
        if (c.how === 'requeue' || c.how === 'requeueOnly') {
          if (!run.ended) run.requeue = true;
          run.handle.requeue('later');
        }
        if (c.how === 'end' || c.how === 'fail' || c.how === 'cancel' || c.how === 'requeue') {
          run.handle.end();
          finishRun(run);
        }
        break;
      }
      case 'cancelQueued':
        batches.cancelQueued({ id: BATCHES[c.batch]! });
        queued.delete(BATCHES[c.batch]!);
        break;
      case 'process': {
        const batch = BATCHES[c.batch]!;
        queued.delete(batch);
        const ids = new Set<string>();
        let requeued = false;
        await batches
          .process({ id: batch }, async (run) => {
            for (const index of c.ids) {
              const id = ACTIVITIES[index]!;
              if (!ids.has(id)) counted += 1;
              ids.add(id);
              await run
                .activity({ id }, async () => {
                  await Promise.resolve();
                  if (c.activityThrows) throw new Error('activity failed');
                })
                .catch(() => undefined);
            }
            if (c.how === 'cancel') run.cancel('stop');
            if (c.how === 'requeue') {
              run.requeue('later');
              requeued = true;
            }
            if (c.how === 'throw') throw new Error('batch failed');
          })
          .catch(() => undefined);
        if (requeued) queued.add(batch);
        break;
      }
    }
    const snapshot = await rig.exporter.snapshot();
    const open = runs.filter((r) => !r.ended).length;
    const levels = {
      processing: value(snapshot, 'batch.processing'),
      workers: value(snapshot, 'workers.active'),
      queue: value(snapshot, 'queue.size'),
      activities: value(snapshot, 'activity'),
      outcomes: value(snapshot, 'activity.success') + value(snapshot, 'activity.failed'),
    };
    expect(levels).toEqual({ processing: open, workers: open, queue: queued.size, activities: counted, outcomes: counted });
  }
  // Every misuse was reported as such, never as a recording failure.
  expect(rig.errors.filter((e) => e.code !== 'ERR_OGF_LIFECYCLE_MISUSE' && e.code !== 'ERR_OGF_SPAN_ENDED')).toEqual([]);
}

describe('the lifecycle under random call sequences', () => {
  it('never drives a level below zero nor counts an activity twice', { timeout: 300_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 30 }), (commands) => runSequence(commands)),
      { numRuns: 150, seed: 1_326, endOnFailure: true },
    );
  });
});
