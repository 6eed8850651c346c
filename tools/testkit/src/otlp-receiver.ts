// A real OTLP/HTTP receiver for tests: what an OpenTelemetry Collector would see, decoded into
// flat records a test can assert on.
//
//   const receiver = await startOtlpReceiver();
//   const exporter = new OTLPTraceExporter({ url: receiver.tracesUrl });
//   …
//   const spans = await receiver.waitForSpans(6);           // or (spans) => boolean
//   receiver.setMode('unavailable');                        // answer 503 from now on ('hang': never answer)
//   await receiver.close();
//
// - Listens on 127.0.0.1, port 0; `url` is the base, `tracesUrl`/`metricsUrl`/`logsUrl` the
//   three endpoints (POST /v1/traces, /v1/metrics, /v1/logs).
// - Accepts `application/json` (the JS HTTP exporters' default) and `application/x-protobuf`,
//   gzip or not; answers 200 with an empty ExportServiceResponse in the same encoding.
// - Stores, in arrival order: `spans` (ReceivedSpan: ids as lower-case hex, kind and status as
//   words, attributes as plain objects), `metrics` (ReceivedMetricPoint: one per data point) and
//   `logs` (ReceivedLogRecord). `requests` lists every request (path, content type, status; 0 = left hanging).
// - Modes: 'ok' (default), 'unavailable' (503, nothing stored), 'hang' (accepts the request and
//   never answers; close() drops those sockets). `reset()` clears what was stored.
// - waitForSpans / waitForMetrics / waitForLogs(countOrPredicate, timeoutMs = 5000) resolve with
//   everything stored so far once at least `count` records arrived (or the predicate holds), and
//   reject with what did arrive when the time runs out.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

export type Attrs = Record<string, unknown>;

export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  /** Absent for a root span. */
  parentSpanId?: string;
  traceState?: string;
  name: string;
  kind: 'unspecified' | 'internal' | 'server' | 'client' | 'producer' | 'consumer';
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: Attrs;
  events: { name: string; timeUnixNano: string; attributes: Attrs }[];
  links: { traceId: string; spanId: string; traceState?: string; attributes: Attrs }[];
  status: { code: 'unset' | 'ok' | 'error'; message?: string };
  resource: Attrs;
  scope: { name: string; version?: string };
}

export interface ReceivedMetricPoint {
  name: string;
  description: string;
  unit: string;
  type: 'gauge' | 'sum' | 'histogram' | 'exponentialHistogram' | 'summary';
  /** Sums only. */
  monotonic?: boolean;
  temporality?: 'delta' | 'cumulative';
  attributes: Attrs;
  startTimeUnixNano?: string;
  timeUnixNano: string;
  /** Gauge and sum points. */
  value?: number;
  /** Histogram-like points. */
  count?: number;
  sum?: number;
  min?: number;
  max?: number;
  bucketCounts?: number[];
  explicitBounds?: number[];
  resource: Attrs;
  scope: { name: string; version?: string };
}

export interface ReceivedLogRecord {
  timeUnixNano?: string;
  severityNumber?: number;
  severityText?: string;
  body?: unknown;
  attributes: Attrs;
  traceId?: string;
  spanId?: string;
  eventName?: string;
  resource: Attrs;
  scope: { name: string; version?: string };
}

export type ReceiverMode = 'ok' | 'unavailable' | 'hang';
type Wanted<T> = number | ((records: T[]) => boolean);

export interface OtlpReceiver {
  url: string;
  tracesUrl: string;
  metricsUrl: string;
  logsUrl: string;
  spans: ReceivedSpan[];
  metrics: ReceivedMetricPoint[];
  logs: ReceivedLogRecord[];
  requests: { path: string; contentType: string; status: number }[];
  setMode(mode: ReceiverMode): void;
  reset(): void;
  waitForSpans(wanted: Wanted<ReceivedSpan>, timeoutMs?: number): Promise<ReceivedSpan[]>;
  waitForMetrics(wanted: Wanted<ReceivedMetricPoint>, timeoutMs?: number): Promise<ReceivedMetricPoint[]>;
  waitForLogs(wanted: Wanted<ReceivedLogRecord>, timeoutMs?: number): Promise<ReceivedLogRecord[]>;
  close(): Promise<void>;
}

// ---- protobuf: a schema-driven decoder that yields the OTLP/JSON shape -------------------------
type Scalar = 'string' | 'hex' | 'b64' | 'uint' | 'int64' | 'fixed64' | 'sfixed64' | 'double' | 'bool' | 'fixed32' | 'sint32';
interface Schema {
  [field: number]: [name: string, type: Scalar | Schema, repeated?: boolean];
}

const AnyValue: Schema = {};
const KeyValue: Schema = { 1: ['key', 'string'], 2: ['value', AnyValue] };
Object.assign(AnyValue, {
  1: ['stringValue', 'string'],
  2: ['boolValue', 'bool'],
  3: ['intValue', 'int64'],
  4: ['doubleValue', 'double'],
  5: ['arrayValue', { 1: ['values', AnyValue, true] }],
  6: ['kvlistValue', { 1: ['values', KeyValue, true] }],
  7: ['bytesValue', 'b64'],
} satisfies Schema);
const attrs: [string, Schema, boolean] = ['attributes', KeyValue, true];
const Resource: Schema = { 1: attrs };
const Scope: Schema = { 1: ['name', 'string'], 2: ['version', 'string'], 3: attrs };
const Span: Schema = {
  1: ['traceId', 'hex'],
  2: ['spanId', 'hex'],
  3: ['traceState', 'string'],
  4: ['parentSpanId', 'hex'],
  5: ['name', 'string'],
  6: ['kind', 'uint'],
  7: ['startTimeUnixNano', 'fixed64'],
  8: ['endTimeUnixNano', 'fixed64'],
  9: attrs,
  16: ['flags', 'fixed32'],
  11: ['events', { 1: ['timeUnixNano', 'fixed64'], 2: ['name', 'string'], 3: attrs }, true],
  13: ['links', { 1: ['traceId', 'hex'], 2: ['spanId', 'hex'], 3: ['traceState', 'string'], 4: attrs }, true],
  15: ['status', { 2: ['message', 'string'], 3: ['code', 'uint'] }],
};
const times: Schema = { 2: ['startTimeUnixNano', 'fixed64'], 3: ['timeUnixNano', 'fixed64'] };
const NumberPoint: Schema = { ...times, 7: attrs, 4: ['asDouble', 'double'], 6: ['asInt', 'sfixed64'] };
const HistogramPoint: Schema = {
  ...times,
  9: attrs,
  4: ['count', 'fixed64'],
  5: ['sum', 'double'],
  6: ['bucketCounts', 'fixed64', true],
  7: ['explicitBounds', 'double', true],
  11: ['min', 'double'],
  12: ['max', 'double'],
};
const ExpPoint: Schema = {
  ...times,
  1: attrs,
  4: ['count', 'fixed64'],
  5: ['sum', 'double'],
  12: ['min', 'double'],
  13: ['max', 'double'],
};
const SummaryPoint: Schema = { ...times, 7: attrs, 4: ['count', 'fixed64'], 5: ['sum', 'double'] };
const points = (point: Schema): Schema => ({
  1: ['dataPoints', point, true],
  2: ['aggregationTemporality', 'uint'],
  3: ['isMonotonic', 'bool'],
});
const Metric: Schema = {
  1: ['name', 'string'],
  2: ['description', 'string'],
  3: ['unit', 'string'],
  5: ['gauge', points(NumberPoint)],
  7: ['sum', points(NumberPoint)],
  9: ['histogram', points(HistogramPoint)],
  10: ['exponentialHistogram', points(ExpPoint)],
  11: ['summary', points(SummaryPoint)],
};
const LogRecord: Schema = {
  1: ['timeUnixNano', 'fixed64'],
  2: ['severityNumber', 'uint'],
  3: ['severityText', 'string'],
  5: ['body', AnyValue],
  6: attrs,
  9: ['traceId', 'hex'],
  10: ['spanId', 'hex'],
  12: ['eventName', 'string'],
};
const envelope = (outer: string, inner: string, items: string, item: Schema): Schema => ({
  1: [outer, { 1: ['resource', Resource], 2: [inner, { 1: ['scope', Scope], 2: [items, item, true] }, true] }, true],
});
const REQUESTS: Record<string, Schema> = {
  '/v1/traces': envelope('resourceSpans', 'scopeSpans', 'spans', Span),
  '/v1/metrics': envelope('resourceMetrics', 'scopeMetrics', 'metrics', Metric),
  '/v1/logs': envelope('resourceLogs', 'scopeLogs', 'logRecords', LogRecord),
};

function decodeProto(buf: Uint8Array, schema: Schema): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  let pos = 0;
  const varint = (): bigint => {
    let result = 0n;
    for (let shift = 0n; ; shift += 7n) {
      const byte = buf[pos++];
      if (byte === undefined) throw new Error('truncated varint');
      result |= BigInt(byte & 0x7f) << shift;
      if (byte < 0x80) return result;
    }
  };
  while (pos < buf.length) {
    const key = Number(varint());
    const [field, wire] = [key >>> 3, key & 7];
    const spec = schema[field];
    let raw: bigint | Uint8Array;
    if (wire === 0) raw = varint();
    else if (wire === 1 || wire === 5) raw = buf.subarray(pos, (pos += wire === 1 ? 8 : 4));
    else if (wire === 2) {
      const length = Number(varint());
      raw = buf.subarray(pos, (pos += length));
    } else throw new Error(`unsupported wire type ${wire}`);
    if (!spec) continue;
    const [name, type, repeated] = spec;
    const values = wire === 2 && (type === 'fixed64' || type === 'double') ? unpack(raw as Uint8Array) : [raw];
    for (const value of values) {
      const decoded = decodeValue(value, type);
      if (repeated) ((out[name] ??= []) as unknown[]).push(decoded);
      else out[name] = decoded;
    }
  }
  return out;
}

function unpack(bytes: Uint8Array): Uint8Array[] {
  const parts: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += 8) parts.push(bytes.subarray(i, i + 8));
  return parts;
}

function decodeValue(raw: bigint | Uint8Array, type: Scalar | Schema): unknown {
  if (typeof type === 'object') return decodeProto(raw as Uint8Array, type);
  if (typeof raw === 'bigint') {
    if (type === 'bool') return raw !== 0n;
    if (type === 'int64') return BigInt.asIntN(64, raw).toString();
    if (type === 'sint32') return Number((raw >> 1n) ^ -(raw & 1n));
    return Number(raw);
  }
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  switch (type) {
    case 'string':
      return new TextDecoder().decode(raw);
    case 'hex':
      return Buffer.from(raw).toString('hex');
    case 'b64':
      return Buffer.from(raw).toString('base64');
    case 'fixed64':
      return view.getBigUint64(0, true).toString();
    case 'sfixed64':
      return view.getBigInt64(0, true).toString();
    case 'double':
      return view.getFloat64(0, true);
    case 'fixed32':
      return view.getUint32(0, true);
    default:
      throw new Error(`cannot decode ${type} from a length-delimited field`);
  }
}

// ---- OTLP/JSON shape → flat records ----------------------------------------------------------
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const KINDS = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'] as const;
const STATUS = ['unset', 'ok', 'error'] as const;

function id(value: unknown): string | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  return /^[0-9a-f]+$/i.test(value) ? value.toLowerCase() : Buffer.from(value, 'base64').toString('hex');
}

function anyValue(value: Json | undefined): unknown {
  if (!value) return undefined;
  if ('stringValue' in value) return value.stringValue;
  if ('boolValue' in value) return value.boolValue;
  if ('intValue' in value) return Number(value.intValue);
  if ('doubleValue' in value) return Number(value.doubleValue);
  if ('arrayValue' in value) return ((value.arrayValue?.values ?? []) as Json[]).map(anyValue);
  if ('kvlistValue' in value) return toAttrs(value.kvlistValue?.values);
  if ('bytesValue' in value) return value.bytesValue;
  return undefined;
}

function toAttrs(list: Json[] | undefined): Attrs {
  return Object.fromEntries((list ?? []).map((kv) => [kv.key, anyValue(kv.value)]));
}

const scopeOf = (scope: Json | undefined): { name: string; version?: string } =>
  scope?.version ? { name: scope.name ?? '', version: scope.version } : { name: scope?.name ?? '' };
const str = (value: unknown): string | undefined =>
  typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint' ? String(value) : undefined;
const num = (value: unknown): number | undefined => (value === undefined || value === null ? undefined : Number(value));

function* each(request: Json, outer: string, inner: string, items: string): Generator<[Json, Attrs, ReturnType<typeof scopeOf>]> {
  for (const resourceGroup of (request[outer] ?? []) as Json[]) {
    const resource = toAttrs(resourceGroup.resource?.attributes);
    for (const scopeGroup of (resourceGroup[inner] ?? []) as Json[]) {
      for (const item of (scopeGroup[items] ?? []) as Json[]) yield [item, resource, scopeOf(scopeGroup.scope)];
    }
  }
}

function flattenSpans(request: Json): ReceivedSpan[] {
  return [...each(request, 'resourceSpans', 'scopeSpans', 'spans')].map(([s, resource, scope]) => {
    const span: ReceivedSpan = {
      traceId: id(s.traceId) ?? '',
      spanId: id(s.spanId) ?? '',
      name: s.name ?? '',
      kind: KINDS[Number(s.kind ?? 0)] ?? 'unspecified',
      startTimeUnixNano: String(s.startTimeUnixNano ?? '0'),
      endTimeUnixNano: String(s.endTimeUnixNano ?? '0'),
      attributes: toAttrs(s.attributes),
      events: ((s.events ?? []) as Json[]).map((e) => ({
        name: e.name ?? '',
        timeUnixNano: String(e.timeUnixNano ?? '0'),
        attributes: toAttrs(e.attributes),
      })),
      links: ((s.links ?? []) as Json[]).map((l) => ({
        traceId: id(l.traceId) ?? '',
        spanId: id(l.spanId) ?? '',
        ...(l.traceState ? { traceState: l.traceState } : {}),
        attributes: toAttrs(l.attributes),
      })),
      status: { code: STATUS[Number(s.status?.code ?? 0)] ?? 'unset', ...(s.status?.message ? { message: s.status.message } : {}) },
      resource,
      scope,
    };
    const parent = id(s.parentSpanId);
    if (parent) span.parentSpanId = parent;
    if (s.traceState) span.traceState = s.traceState;
    return span;
  });
}

function flattenMetrics(request: Json): ReceivedMetricPoint[] {
  const out: ReceivedMetricPoint[] = [];
  for (const [m, resource, scope] of each(request, 'resourceMetrics', 'scopeMetrics', 'metrics')) {
    const type = (['gauge', 'sum', 'histogram', 'exponentialHistogram', 'summary'] as const).find((t) => m[t]);
    if (!type) continue;
    const data = m[type] as Json;
    for (const p of (data.dataPoints ?? []) as Json[]) {
      const point: ReceivedMetricPoint = {
        name: m.name ?? '',
        description: m.description ?? '',
        unit: m.unit ?? '',
        type,
        attributes: toAttrs(p.attributes),
        timeUnixNano: String(p.timeUnixNano ?? '0'),
        resource,
        scope,
      };
      if (type === 'sum') point.monotonic = Boolean(data.isMonotonic);
      const temporality = Number(data.aggregationTemporality ?? 0);
      if (temporality === 1 || temporality === 2) point.temporality = temporality === 1 ? 'delta' : 'cumulative';
      if (p.startTimeUnixNano !== undefined) point.startTimeUnixNano = String(p.startTimeUnixNano);
      const value = num(p.asDouble ?? p.asInt);
      if (value !== undefined) point.value = value;
      for (const key of ['count', 'sum', 'min', 'max'] as const) {
        const n = num(p[key]);
        if (n !== undefined) point[key] = n;
      }
      if (p.bucketCounts) point.bucketCounts = (p.bucketCounts as unknown[]).map(Number);
      if (p.explicitBounds) point.explicitBounds = (p.explicitBounds as unknown[]).map(Number);
      out.push(point);
    }
  }
  return out;
}

function flattenLogs(request: Json): ReceivedLogRecord[] {
  return [...each(request, 'resourceLogs', 'scopeLogs', 'logRecords')].map(([r, resource, scope]) => {
    const record: ReceivedLogRecord = { attributes: toAttrs(r.attributes), resource, scope };
    const optional = {
      timeUnixNano: str(r.timeUnixNano),
      severityNumber: num(r.severityNumber),
      severityText: str(r.severityText),
      body: anyValue(r.body),
      traceId: id(r.traceId),
      spanId: id(r.spanId),
      eventName: str(r.eventName),
    };
    for (const [key, value] of Object.entries(optional)) if (value !== undefined && value !== '') Object.assign(record, { [key]: value });
    return record;
  });
}

// ---- the server --------------------------------------------------------------------------------
/** Starts a receiver on 127.0.0.1 and a free port. */
export async function startOtlpReceiver(options: { mode?: ReceiverMode } = {}): Promise<OtlpReceiver> {
  let mode: ReceiverMode = options.mode ?? 'ok';
  const waiters = new Set<() => void>();
  const notify = (): void => waiters.forEach((check) => check());

  const receiver = {} as OtlpReceiver;
  const answer = (req: IncomingMessage, res: ServerResponse, status: number, type: string, body: string | Uint8Array): void => {
    receiver.requests.push({ path: req.url ?? '', contentType: String(req.headers['content-type'] ?? ''), status });
    res.writeHead(status, { 'content-type': type }).end(body);
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = (req.url ?? '').split('?')[0] ?? '';
      const schema = REQUESTS[path];
      if (req.method !== 'POST' || !schema) return answer(req, res, 404, 'text/plain', 'not found');
      if (mode === 'hang') {
        // Never answered; close() destroys the socket. Status 0 marks it in `requests`.
        receiver.requests.push({ path, contentType: String(req.headers['content-type'] ?? ''), status: 0 });
        return;
      }
      if (mode === 'unavailable') return answer(req, res, 503, 'text/plain', 'unavailable');
      const contentType = String(req.headers['content-type'] ?? '');
      const protobuf = contentType.includes('protobuf');
      let request: Json;
      try {
        let body: Uint8Array = Buffer.concat(chunks);
        if (req.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
        if (protobuf) request = decodeProto(body, schema);
        else if (contentType.includes('json')) request = JSON.parse(Buffer.from(body).toString('utf8')) as Json;
        else return answer(req, res, 415, 'text/plain', `unsupported content type ${contentType}`);
      } catch (error) {
        return answer(req, res, 400, 'text/plain', `cannot decode: ${(error as Error).message}`);
      }
      if (path === '/v1/traces') receiver.spans.push(...flattenSpans(request));
      else if (path === '/v1/metrics') receiver.metrics.push(...flattenMetrics(request));
      else receiver.logs.push(...flattenLogs(request));
      answer(req, res, 200, protobuf ? 'application/x-protobuf' : 'application/json', protobuf ? new Uint8Array() : '{}');
      notify();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  function waitFor<T>(records: () => T[], what: string, wanted: Wanted<T>, timeoutMs = 5_000): Promise<T[]> {
    const done = (): boolean => (typeof wanted === 'number' ? records().length >= wanted : wanted(records()));
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (!done()) return;
        cleanup();
        resolve([...records()]);
      };
      const timer = setTimeout(() => {
        cleanup();
        const got = records();
        reject(
          new Error(
            `OTLP receiver: wanted ${typeof wanted === 'number' ? `${wanted} ${what}` : `${what} matching the predicate`} within ${timeoutMs} ms; got ${got.length}: ${JSON.stringify(got).slice(0, 2000)}`,
          ),
        );
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        waiters.delete(check);
      };
      waiters.add(check);
      check();
    });
  }

  return Object.assign(receiver, {
    url,
    tracesUrl: `${url}/v1/traces`,
    metricsUrl: `${url}/v1/metrics`,
    logsUrl: `${url}/v1/logs`,
    spans: [],
    metrics: [],
    logs: [],
    requests: [],
    setMode: (next: ReceiverMode) => {
      mode = next;
    },
    reset: () => {
      receiver.spans.length = 0;
      receiver.metrics.length = 0;
      receiver.logs.length = 0;
      receiver.requests.length = 0;
    },
    waitForSpans: (wanted: Wanted<ReceivedSpan>, timeoutMs?: number) => waitFor(() => receiver.spans, 'spans', wanted, timeoutMs),
    waitForMetrics: (wanted: Wanted<ReceivedMetricPoint>, timeoutMs?: number) =>
      waitFor(() => receiver.metrics, 'metric points', wanted, timeoutMs),
    waitForLogs: (wanted: Wanted<ReceivedLogRecord>, timeoutMs?: number) => waitFor(() => receiver.logs, 'log records', wanted, timeoutMs),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  } satisfies Partial<OtlpReceiver>);
}
