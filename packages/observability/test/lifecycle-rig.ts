// A real SDK for the lifecycle tests: a MeterProvider read by the project's Prometheus exporter, a
// TracerProvider into an InMemorySpanExporter, a pino logger into an array, the AsyncLocalStorage
// context manager, and an injected clock (durations) and wall clock (queue wait, latency).
import { createBatchMetrics } from '@ogf/metrics';
import type { BatchMetricsOptions } from '@ogf/metrics';
import { PrometheusExporter } from '@ogf/prom-export';
import { createBatchTracer } from '@ogf/tracing';
import { context } from '@opentelemetry/api';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { ReadableSpan, Sampler } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll } from 'vitest';
import { createAsyncContextManager } from '../src/context.js';
import type { OgfError } from '@ogf/core';
import { createBatchLifecycle } from '../src/lifecycle/create.js';
import type { BatchLifecycle, BatchLifecycleOptions } from '../src/lifecycle/types.js';
import { createLogger } from '../src/logger.js';

export const EPOCH = Date.UTC(2026, 0, 1);

/** Registers an AsyncLocalStorage context manager for the file's tests. */
export function useAsyncContext(): void {
  beforeAll(() => {
    context.setGlobalContextManager(createAsyncContextManager()!);
  });
  afterAll(() => {
    context.disable();
  });
}

export interface Rig {
  batches: BatchLifecycle;
  exporter: PrometheusExporter;
  spans(): ReadableSpan[];
  span(name: string, attribute?: [string, unknown]): ReadableSpan;
  logs: Record<string, unknown>[];
  audit(): Record<string, unknown>[];
  errors: OgfError[];
  /** Moves both clocks forward. */
  advance(ms: number): void;
  now(): number;
  /** Prometheus text 0.0.4, as /metrics serves it. */
  prometheus(): Promise<string>;
  /** The value of one sample line of the exposition (undefined when absent). */
  sample(name: string, labels?: Record<string, string>): Promise<number | undefined>;
}

export function createRig(
  options: Partial<BatchLifecycleOptions> = {},
  metricsOptions: Omit<BatchMetricsOptions, 'meterProvider'> = {},
  sampler?: Sampler,
): Rig {
  const exporter = new PrometheusExporter();
  const meterProvider = new MeterProvider({ readers: [exporter] });
  const memory = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(memory)], ...(sampler ? { sampler } : {}) });
  const logs: Record<string, unknown>[] = [];
  const logger = createLogger({
    serviceName: 'lifecycle-test',
    destination: { write: (line) => logs.push(JSON.parse(line) as Record<string, unknown>) },
  });
  const errors: OgfError[] = [];
  let elapsed = 0;
  const metrics = createBatchMetrics({
    lockNames: ['org'],
    onError: (e) => errors.push(e),
    now: () => EPOCH + elapsed,
    ...metricsOptions,
    meterProvider,
  });
  const tracer = createBatchTracer({ tracerProvider, onError: (e) => errors.push(e) });
  const batches = createBatchLifecycle({
    metrics,
    tracer,
    logger,
    onError: (e) => errors.push(e),
    clock: () => elapsed,
    now: () => EPOCH + elapsed,
    ...options,
  });
  const prometheus = async (): Promise<string> => (await exporter.render()).body;
  return {
    batches,
    exporter,
    spans: () => memory.getFinishedSpans(),
    span(name, attribute) {
      const found = memory
        .getFinishedSpans()
        .find((s) => s.name === name && (attribute === undefined || s.attributes[attribute[0]] === attribute[1]));
      if (!found) throw new Error(`no finished span ${name} ${attribute ? attribute.join('=') : ''}`);
      return found;
    },
    logs,
    audit: () => logs.filter((line) => line.audit === 'batch.state_transition'),
    errors,
    advance: (ms) => {
      elapsed += ms;
    },
    now: () => EPOCH + elapsed,
    prometheus,
    async sample(name, labels = {}) {
      const text = await prometheus();
      for (const line of text.split('\n')) {
        const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
        if (!match || match[1] !== name) continue;
        const have = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
        const wanted = Object.entries(labels);
        // Exact label match on the labels asked for, ignoring the resource labels (otel_scope_*, service…).
        if (
          wanted.every(([k, v]) => have[k] === v) &&
          Object.keys(have).filter((k) => !k.startsWith('otel_') && k !== 'job' && k !== 'instance').length === wanted.length
        ) {
          return Number(match[3]);
        }
      }
      return undefined;
    },
  };
}
