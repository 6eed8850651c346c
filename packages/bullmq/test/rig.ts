// The real parts every @ogf/bullmq test uses: a throwaway Redis (testkit), an OTLP receiver
// (testkit), `createObservability` exporting spans to it, and BullMQ itself — the newest and the
// oldest version this package supports, so each case runs against both.
import type { OgfError } from '@ogf/core';
import { createObservability } from '@ogf/observability';
import type { Observability, ObservabilityConfig } from '@ogf/observability';
import { assertPromtoolClean } from '@ogf/testkit/promtool';
import { startOtlpReceiver } from '@ogf/testkit/otlp-receiver';
import type { OtlpReceiver } from '@ogf/testkit/otlp-receiver';
import { startRedis } from '@ogf/testkit/services';
import type { RedisHandle } from '@ogf/testkit/services';
import * as newest from 'bullmq';
import * as oldest from 'bullmq-oldest';
import { createBullMQObservability } from '../src/index.js';
import type { BullMQObservability, BullMQObservabilityOptions } from '../src/index.js';

/** The BullMQ module: typed as the newest; the oldest has the same classes for what we use. */
export type BullMQ = typeof newest;

/** The versions a case runs against: [label, module]. */
export const VERSIONS: [string, BullMQ][] = [
  ['bullmq 6.7.0 (newest)', newest],
  ['bullmq 5.34.0 (oldest supported)', oldest as unknown as BullMQ],
];

export interface Rig {
  redis: RedisHandle;
  receiver: OtlpReceiver;
  obs: Observability;
  bull: BullMQObservability;
  errors: OgfError[];
  logs: Record<string, unknown>[];
  connection: { host: string; port: number };
  /** GET /metrics (Prometheus text 0.0.4), checked by promtool. */
  metrics(): Promise<string>;
  /** One sample's value (undefined when absent). */
  sample(name: string, labels?: Record<string, string>): Promise<number | undefined>;
  close(): Promise<void>;
}

export function sampleOf(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][\w:]*)(\{[^}]*\})? (\S+)/.exec(line);
    if (!match || match[1] !== name) continue;
    const body = match[2] ?? '';
    if (Object.entries(labels).every(([key, value]) => body.includes(`${key}="${value}"`))) return Number(match[3]);
  }
  return undefined;
}

export async function startRig(
  options: Omit<BullMQObservabilityOptions, 'obs'> = {},
  redis?: RedisHandle,
  config: Pick<ObservabilityConfig, 'tracerOptions'> = {},
): Promise<Rig> {
  const ownRedis = redis === undefined;
  const server = redis ?? (await startRedis());
  const receiver = await startOtlpReceiver();
  const logs: Record<string, unknown>[] = [];
  const errors: OgfError[] = [];
  const obs = createObservability({
    logDestination: { write: (line) => void logs.push(JSON.parse(line) as Record<string, unknown>) },
    env: { OTEL_SERVICE_NAME: 'bullmq-test', OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url },
    lifecycleOptions: { queue: 'external' },
    ...config,
  });
  const bull = createBullMQObservability({ onError: (error) => errors.push(error), ...options, obs });
  const metrics = async (): Promise<string> => {
    const text = await (await obs.app.request('/metrics')).text();
    assertPromtoolClean(text);
    return text;
  };
  return {
    redis: server,
    receiver,
    obs,
    bull,
    errors,
    logs,
    connection: { host: server.host, port: server.port },
    metrics,
    sample: async (name, labels) => sampleOf(await metrics(), name, labels),
    async close() {
      bull.close();
      await obs.shutdown({ timeoutMs: 3000 });
      await receiver.close();
      if (ownRedis) await server.stop();
    },
  };
}

/** Resolves when `predicate` holds, polling every 20 ms; rejects with `what` after `timeoutMs`. */
export async function eventually<T>(
  read: () => Promise<T> | T,
  predicate: (value: T) => boolean,
  what: string,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T;
  for (;;) {
    last = await read();
    if (predicate(last)) return last;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(last)} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
