import { afterEach, describe, expect, it } from 'vitest';
import { metrics } from '@opentelemetry/api';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { createBatchMetrics } from '@ogf/metrics';
import { PullReader, valueOf } from '../test/harness.js';

describe('without a MeterProvider', () => {
  afterEach(() => metrics.disable());

  it('is a no-op that never throws and still classifies errors', () => {
    const batchMetrics = createBatchMetrics();
    expect(batchMetrics.enabled).toBe(false);
    batchMetrics.recordBatchSubmission({ activityCount: 10 });
    batchMetrics.recordBatchStarted();
    batchMetrics.recordBatchCompletion({ durationMs: NaN, emissionsKg: -1 });
    expect(batchMetrics.recordError({ error: new Error('connect ECONNREFUSED 10.0.0.1:5432') })).toBe('network');
    expect(batchMetrics.errorsByType()).toEqual({});
  });

  it('records through the global MeterProvider when one is registered first', async () => {
    const reader = new PullReader();
    metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));
    const batchMetrics = createBatchMetrics();
    expect(batchMetrics.enabled).toBe(true);
    batchMetrics.recordBatchSubmission({ activityCount: 10 });
    const { resourceMetrics } = await reader.collect();
    expect(valueOf(resourceMetrics, 'batch.submitted')).toBe(1);
  });
});
