import { afterAll, describe, expect, it } from 'vitest';
import { waitFor } from './helpers/api.ts';
import { sampleSum } from './helpers/exposition.ts';
import { startServerProcess, tempDataDir, type ServerProcess } from './helpers/server-process.ts';

// The seed's 25 metrics as Prometheus names them (DESIGN.md's catalog).
const COUNTERS_AND_HISTOGRAMS = [
  'batch_submitted_total',
  'batch_submit_duration_seconds_count',
  'batch_completed_total',
  'batch_failed_total',
  'batch_cancelled_total',
  'batch_processing_duration_seconds_count',
  'activity_total',
  'activity_success_total',
  'activity_failed_total',
  'activity_duration_seconds_count',
  'emissions_grams_total',
  'emissions_avg_batch_grams_count',
  'worker_idle_duration_seconds_count',
  'worker_task_duration_seconds_count',
  'lock_acquisitions_total',
  'lock_wait_duration_seconds_count',
  'lock_timeouts_total',
  'queue_wait_duration_seconds_count',
  'batch_errors_total',
  'batch_retries_total',
  'batch_retries_success_total',
  'batch_state_transitions_total',
];
const GAUGES = ['batch_processing', 'workers_active', 'queue_size'];

describe('the demo', () => {
  const data = tempDataDir();
  let demo: ServerProcess;

  afterAll(async () => {
    await demo?.stop();
    data.remove();
  });

  it("moves all 25 of the seed's metrics and stops cleanly on Ctrl-C", async () => {
    demo = await startServerProcess(
      {
        DATA_DIR: data.dir,
        LOG_FILE: `${data.dir}/server.log`,
        // Rare events made common, so every metric moves within seconds.
        DEMO_INTERVAL_MS: '100',
        DEMO_CANCEL_RATE: '0.3',
        DEMO_ALL_INVALID_RATE: '0.2',
        FAULT_RATE: '0.08',
        LOCK_TIMEOUT_MS: '200',
        LOCK_ATTEMPTS: '2',
        QUEUE_CAPACITY: '8',
      },
      { entry: 'src/demo.ts', readyText: 'Ctrl-C to stop' },
    );
    expect(demo.output()).toContain(`${demo.url}/metrics`);
    expect(demo.output()).toContain(`${demo.url}/status`);

    const gaugeSeen = new Set<string>();
    let last = '';
    await waitFor(
      async () => {
        last = await (await fetch(`${demo.url}/metrics`)).text();
        for (const gauge of GAUGES) if ((sampleSum(last, gauge) ?? 0) > 0) gaugeSeen.add(gauge);
        const still = COUNTERS_AND_HISTOGRAMS.filter((name) => !((sampleSum(last, name) ?? 0) > 0));
        return still.length === 0 && gaugeSeen.size === GAUGES.length ? true : undefined;
      },
      'every metric to move',
      150_000,
    ).catch((error: unknown) => {
      const still = COUNTERS_AND_HISTOGRAMS.filter((name) => !((sampleSum(last, name) ?? 0) > 0));
      throw new Error(`${String(error)}; not moved: ${[...still, ...GAUGES.filter((g) => !gaugeSeen.has(g))].join(', ')}`);
    });

    demo.kill('SIGINT');
    expect(await demo.exited).toBe(0);
    expect(demo.output()).toContain('draining in-flight batches');
  });
});
