// Loaded into the soaked server with `--import`: every SOAK_SAMPLE_MS (10 s) it prints one line
// `SOAK {json}` to stderr with RSS, heap, event-loop delay (p50, p99, max since the last sample)
// and the active handles by type. Nothing else changes in the server. The delay histogram samples
// every 10 ms and records the whole interval; the 10 ms are subtracted, so 0 means no delay.
import { monitorEventLoopDelay } from 'node:perf_hooks';

const every = Number(process.env.SOAK_SAMPLE_MS ?? 10_000);
const RESOLUTION_MS = 10;
const delay = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
delay.enable();
const ms = (ns: number): number => Math.max(0, Math.round((ns / 1e6 - RESOLUTION_MS) * 100) / 100);

const timer = setInterval(() => {
  const memory = process.memoryUsage();
  const handles: Record<string, number> = {};
  for (const type of process.getActiveResourcesInfo()) handles[type] = (handles[type] ?? 0) + 1;
  const sample = {
    t: Math.round(process.uptime()),
    rss_mb: Math.round(memory.rss / 1e6),
    heap_mb: Math.round(memory.heapUsed / 1e6),
    external_mb: Math.round(memory.external / 1e6),
    eld_p50_ms: ms(delay.percentile(50)),
    eld_p99_ms: ms(delay.percentile(99)),
    eld_max_ms: ms(delay.max),
    handles,
  };
  delay.reset();
  process.stderr.write(`SOAK ${JSON.stringify(sample)}\n`);
}, every);
timer.unref();
