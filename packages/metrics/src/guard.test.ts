import { describe, expect, it } from 'vitest';
import { isOgfError, MAX_EMISSIONS_KG, MAX_RECORDED_VALUE } from '@ogf/metrics';
import type { OgfError } from '@ogf/metrics';
import { createRig, pointsOf, valueOf } from '../test/harness.js';

describe('invalid values', () => {
  it('drops NaN, infinite, negative and non-number values and counts them by reason', async () => {
    const errors: OgfError[] = [];
    const rig = createRig({ onError: (e) => errors.push(e) });
    const m = rig.metrics;
    m.recordSubmitDuration({ durationMs: NaN, success: true });
    m.recordActivityProcessing({ success: true, durationMs: Infinity });
    m.recordActivityProcessing({ success: true, durationMs: -Infinity });
    m.recordDequeue({ waitMs: -5 });
    m.recordBatchSubmission({ activityCount: '12' as unknown as number });
    m.recordBatchStarted();
    m.recordBatchCompletion({ durationMs: 10, emissionsKg: -3 });
    m.recordEnqueue({ count: -1 });
    m.setQueueSize(NaN);
    const rm = await rig.collect();
    expect(valueOf(rm, 'ogf.metrics.dropped', { reason: 'nan' })).toBe(2);
    expect(valueOf(rm, 'ogf.metrics.dropped', { reason: 'infinite' })).toBe(2);
    expect(valueOf(rm, 'ogf.metrics.dropped', { reason: 'negative' })).toBe(3);
    expect(valueOf(rm, 'ogf.metrics.dropped', { reason: 'not_a_number' })).toBe(1);
    // Nothing invalid reached an instrument; the valid parts of each call did.
    expect(pointsOf(rm, 'batch.submit.duration')).toEqual([]);
    expect(pointsOf(rm, 'activity.duration')).toEqual([]);
    expect(valueOf(rm, 'activity')).toBe(2);
    expect(pointsOf(rm, 'queue.wait.duration')).toEqual([]);
    // A dequeue with nothing enqueued leaves the level at zero (reported once, as misuse).
    expect(valueOf(rm, 'queue.size')).toBe(0);
    expect(valueOf(rm, 'batch.submitted')).toBe(1);
    expect(pointsOf(rm, 'batch.size')).toEqual([]);
    expect(valueOf(rm, 'emissions')).toBe(0);
    expect(pointsOf(rm, 'emissions.avg.batch')).toEqual([]);
    expect(valueOf(rm, 'batch.completed')).toBe(1);
    expect(errors.filter((e) => e.code === 'ERR_OGF_MISUSE')).toHaveLength(1);
    const invalid = errors.filter((e) => e.code !== 'ERR_OGF_MISUSE');
    expect(invalid).toHaveLength(8);
    expect(invalid.every((e) => isOgfError(e) && e.code === 'ERR_OGF_INVALID_VALUE')).toBe(true);
    expect(errors[0]!.message).toBe('recordSubmitDuration: durationMs must be a finite number >= 0, got NaN; dropped (reason nan)');
  });

  it('refuses a value past 2^53 that would make the emissions counter deaf to every later batch', async () => {
    const errors: OgfError[] = [];
    const rig = createRig({ onError: (e) => errors.push(e) });
    const m = rig.metrics;
    // Emissions are recorded in grams, so the limit for emissionsKg is 2^53 / 1000.
    for (const emissionsKg of [1e300, MAX_EMISSIONS_KG * 2, 12.5, MAX_EMISSIONS_KG, 0.5]) {
      m.recordBatchStarted();
      m.recordBatchCompletion({ durationMs: 10, emissionsKg });
    }
    m.recordActivityProcessing({ success: true, durationMs: 1e20 });
    const rm = await rig.collect();
    expect(valueOf(rm, 'ogf.metrics.dropped', { reason: 'too_large' })).toBe(3);
    // 2^53 g itself is recorded; the batches either side of the refused ones still count, exactly.
    expect(valueOf(rm, 'emissions')).toBe(MAX_RECORDED_VALUE + 12_500 + 500);
    expect(valueOf(rm, 'batch.completed')).toBe(5);
    expect(pointsOf(rm, 'activity.duration')).toEqual([]);
    expect(errors.map((e) => e.message)).toEqual([
      'recordBatchCompletion: emissionsKg must be at most 9007199254740.992 (2^53 once converted for recording), got 1e+300; dropped (reason too_large)',
      'recordBatchCompletion: emissionsKg must be at most 9007199254740.992 (2^53 once converted for recording), got 18014398509481.984; dropped (reason too_large)',
      'recordActivityProcessing: durationMs must be at most 2^53 (9007199254740992), got 100000000000000000000; dropped (reason too_large)',
    ]);
  });

  it('drops a latency from a submission time in the future', async () => {
    const errors: OgfError[] = [];
    const rig = createRig({ now: () => 1_000_000, onError: (e) => errors.push(e) });
    rig.metrics.recordBatchStarted();
    rig.metrics.recordBatchCompletion({ durationMs: 1, emissionsKg: 0, submittedAt: 1_000_500 });
    const rm = await rig.collect();
    expect(pointsOf(rm, 'batch.latency')).toEqual([]);
    expect(valueOf(rm, 'ogf.metrics.dropped', { reason: 'negative' })).toBe(1);
    expect(errors[0]?.message).toContain('submittedAt');
  });

  it('never throws, whatever it is given, and reports through onError', async () => {
    const errors: OgfError[] = [];
    const rig = createRig({ onError: (e) => errors.push(e) });
    const m = rig.metrics as unknown as Record<string, (arg?: unknown) => unknown>;
    for (const name of Object.keys(m)) {
      if (typeof m[name] !== 'function') continue;
      for (const arg of [undefined, null, 42, 'x', {}, { error: null }]) {
        expect(() => m[name]!(arg), `${name}(${JSON.stringify(arg)})`).not.toThrow();
      }
    }
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.some((e) => e.code === 'ERR_OGF_RECORDING')).toBe(true);
    await expect(rig.collect()).resolves.toBeDefined();
  });

  it('survives an onError hook that throws', async () => {
    const rig = createRig({
      onError: () => {
        throw new Error('hook exploded');
      },
    });
    expect(() => rig.metrics.recordActivityProcessing({ success: true, durationMs: NaN })).not.toThrow();
    expect(valueOf(await rig.collect(), 'ogf.metrics.dropped', { reason: 'nan' })).toBe(1);
  });

  it('throws at construction for options it cannot use, saying what was expected', () => {
    expect(() => createRig({ workerCapacity: -1 })).toThrow(/workerCapacity must be a finite number >= 0, got -1/);
    expect(() => createRig({ recording: 'fast' as never })).toThrow(/recording must be one of 'tally', 'instrument'/);
    expect(() => createRig({ maxLockNames: 0 })).toThrow(/maxLockNames must be an integer from 1 to 1000/);
    expect(() => createRig({ errorClassifiers: [{ type: 'Bad Type', matches: () => true }] })).toThrow(/snake_case/);
    try {
      createRig({ scopeName: '' });
      expect.unreachable();
    } catch (error) {
      expect(isOgfError(error)).toBe(true);
      expect((error as OgfError).code).toBe('ERR_OGF_INVALID_OPTION');
    }
  });
});
