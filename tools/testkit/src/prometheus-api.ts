// The HTTP API of a running Prometheus, as the tests use it: instant and range queries, waiting for
// a value or for the targets, rules and exemplars. Values come back as numbers (NaN/±Inf kept).
export interface PromExemplars {
  seriesLabels: Record<string, string>;
  exemplars: { labels: Record<string, string>; value: number; timestamp: number }[];
}

export interface PromSample {
  metric: Record<string, string>;
  value: number;
}

export interface PromSeries {
  metric: Record<string, string>;
  values: [number, number][];
}

export interface PromTarget {
  scrapeUrl: string;
  health: 'up' | 'down' | 'unknown';
  lastError: string;
  labels: Record<string, string>;
}

export interface PrometheusApi {
  query(promql: string, time?: Date): Promise<PromSample[]>;
  queryRange(promql: string, startSeconds: number, endSeconds: number, stepSeconds: number): Promise<PromSeries[]>;
  waitForValue(promql: string, expected: number | ((value: number) => boolean), options?: { timeoutMs?: number }): Promise<number>;
  targets(): Promise<PromTarget[]>;
  waitForTargetsUp(options?: { timeoutMs?: number }): Promise<void>;
  rules(): Promise<unknown[]>;
  queryExemplars(promql: string, startSeconds: number, endSeconds: number): Promise<PromExemplars[]>;
}

function parseValue(raw: string): number {
  // Prometheus encodes sample values as strings: "1", "NaN", "+Inf", "-Inf".
  return raw === '+Inf' ? Infinity : raw === '-Inf' ? -Infinity : Number(raw);
}

/**
 * The API of the Prometheus at `url`; `logs` goes into the errors of the waits that time out.
 *
 * @example
 * ```ts
 * const api = createPrometheusApi('http://127.0.0.1:9090', () => '');
 * const samples = await api.query('up');
 * ```
 */
export function createPrometheusApi(url: string, logs: () => string): PrometheusApi {
  async function get<T>(path: string): Promise<T> {
    const response = await fetch(`${url}${path}`);
    const body = (await response.json()) as { status: string; data: T; error?: string };
    if (body.status !== 'success') throw new Error(`Prometheus ${path} failed: ${body.error ?? response.status}`);
    return body.data;
  }

  const api: PrometheusApi = {
    async query(promql, time) {
      const params = new URLSearchParams({ query: promql });
      if (time) params.set('time', String(time.getTime() / 1000));
      const data = await get<{ resultType: string; result: unknown }>(`/api/v1/query?${params}`);
      if (data.resultType === 'scalar' || data.resultType === 'string') {
        const [, raw] = data.result as [number, string];
        return [{ metric: {}, value: parseValue(raw) }];
      }
      return (data.result as { metric: Record<string, string>; value: [number, string] }[]).map((item) => ({
        metric: item.metric,
        value: parseValue(item.value[1]),
      }));
    },
    async queryRange(promql, start, end, step) {
      const params = new URLSearchParams({ query: promql, start: String(start), end: String(end), step: String(step) });
      const data = await get<{ result: { metric: Record<string, string>; values: [number, string][] }[] }>(`/api/v1/query_range?${params}`);
      return data.result.map((item) => ({
        metric: item.metric,
        values: item.values.map(([t, v]) => [t, parseValue(v)] as [number, number]),
      }));
    },
    async waitForValue(promql, expected, waitOptions = {}) {
      const accept = typeof expected === 'number' ? (value: number) => value === expected : expected;
      const until = Date.now() + (waitOptions.timeoutMs ?? 30_000);
      let last: PromSample[] = [];
      for (;;) {
        last = await api.query(promql);
        const first = last[0];
        if (first && accept(first.value)) return first.value;
        if (Date.now() > until) {
          throw new Error(
            `Prometheus query ${promql} never matched; last result ${JSON.stringify(last)}\n--- prometheus log ---\n${logs()}`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    },
    async targets() {
      const data = await get<{ activeTargets: PromTarget[] }>('/api/v1/targets');
      return data.activeTargets.map(({ scrapeUrl, health, lastError, labels }) => ({ scrapeUrl, health, lastError, labels }));
    },
    async waitForTargetsUp(waitOptions = {}) {
      const until = Date.now() + (waitOptions.timeoutMs ?? 30_000);
      for (;;) {
        const targets = await api.targets();
        if (targets.length > 0 && targets.every((target) => target.health === 'up')) return;
        if (Date.now() > until) throw new Error(`Prometheus targets not up: ${JSON.stringify(targets)}\n--- prometheus log ---\n${logs()}`);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    },
    async rules() {
      const data = await get<{ groups: unknown[] }>('/api/v1/rules');
      return data.groups;
    },
    async queryExemplars(promql, start, end) {
      const params = new URLSearchParams({ query: promql, start: String(start), end: String(end) });
      const data = await get<
        { seriesLabels: Record<string, string>; exemplars: { labels: Record<string, string>; value: string; timestamp: number }[] }[]
      >(`/api/v1/query_exemplars?${params}`);
      return data.map((item) => ({
        seriesLabels: item.seriesLabels,
        exemplars: item.exemplars.map((e) => ({ labels: e.labels, value: parseValue(e.value), timestamp: e.timestamp })),
      }));
    },
  };
  return api;
}
