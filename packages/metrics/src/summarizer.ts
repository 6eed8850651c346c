import { OgfError } from './errors.js';
import { DEFAULT_SCOPE_NAME } from './settings.js';
import { metricsOf, round, throughputTotals, toBatchSummary } from './summary.js';
import type { BatchSummary, MetricsSnapshot } from '@ogf/core';
import type { SummaryOptions } from './summary.js';

/** Options of `createBatchSummarizer`. */
export interface BatchSummarizerOptions extends SummaryOptions {
  /** The window the per-second rates are computed over, in ms. Default 60000 (the last minute). */
  windowMs?: number;
}

/** Turns snapshots into BatchSummary values, with throughput from the snapshots it has seen. */
export interface BatchSummarizer {
  summarize(snapshot: MetricsSnapshot): BatchSummary;
}

interface Sample {
  time: number;
  batches: number;
  activities: number;
}

/**
 * Creates a summarizer that remembers the counter totals of recent snapshots, so
 * `batches_per_second` and `activities_per_second` are the increase since the newest snapshot
 * at least `windowMs` old (or the oldest one it has), divided by the time between them. A
 * counter that went down (a restart) starts the history over. Assumes cumulative snapshots.
 *
 * @example
 * ```ts
 * const summarizer = createBatchSummarizer();
 * app.get('/metrics/json', async (c) => c.json(summarizer.summarize(await exporter.snapshot())));
 * ```
 */
export function createBatchSummarizer(options: BatchSummarizerOptions = {}): BatchSummarizer {
  const windowMs = options.windowMs ?? 60_000;
  if (typeof windowMs !== 'number' || !(windowMs > 0 && windowMs < Infinity)) {
    throw new OgfError('ERR_OGF_INVALID_OPTION', `createBatchSummarizer: windowMs must be a finite number > 0, got ${String(windowMs)}`);
  }
  const scopeName = options.scopeName ?? DEFAULT_SCOPE_NAME;
  let history: Sample[] = [];

  return {
    summarize(snapshot: MetricsSnapshot): BatchSummary {
      const summary = toBatchSummary(snapshot, { scopeName });
      const parsed = Date.parse(snapshot.timestamp);
      const time = Number.isFinite(parsed) ? parsed : Date.now();
      const current: Sample = { time, ...throughputTotals(metricsOf(snapshot, scopeName)) };
      const last = history[history.length - 1];
      // A reset (counters went down) or time going backwards: the old history no longer applies.
      if (last && (current.time < last.time || current.batches < last.batches || current.activities < last.activities)) {
        history = [];
      }
      // The base is the newest sample at least a window old (so the rate spans the whole
      // window even with sparse scrapes), or the oldest one while history is younger than that.
      const windowStart = time - windowMs;
      let baseIndex = 0;
      history.forEach((sample, index) => {
        if (sample.time <= windowStart) baseIndex = index;
      });
      history = history.slice(baseIndex);
      const base = history[0];
      // Frequent callers: keep at most ~100 samples per window by replacing a very recent one.
      const previous = history[history.length - 2];
      if (previous !== undefined && time - previous.time < windowMs / 100) history[history.length - 1] = current;
      else history.push(current);
      if (base === undefined || current.time <= base.time) return summary;
      const seconds = (current.time - base.time) / 1000;
      summary.batches_per_second = round((current.batches - base.batches) / seconds, 3);
      summary.activities_per_second = round((current.activities - base.activities) / seconds, 3);
      return summary;
    },
  };
}
