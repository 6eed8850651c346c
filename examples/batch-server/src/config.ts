// Server settings from the environment, validated once at start.
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { redisConnection } from './processing/redis-connection.ts';

/** `memory`: one process, an in-memory queue. `bullmq`: a BullMQ queue on Redis shared by api and worker processes. */
export type QueueKind = 'memory' | 'bullmq';
/** `api` accepts and enqueues, `worker` processes, `all` does both. */
export type Role = 'api' | 'worker' | 'all';

export interface ServerConfig {
  port: number;
  host: string;
  /** PostgreSQL connection string; when absent the embedded PGlite store in `dataDir` is used. */
  databaseUrl: string | undefined;
  dataDir: string;
  workers: number;
  queueCapacity: number;
  lockTimeoutMs: number;
  /** How many times a batch may time out on its org lock before it fails. */
  lockAttempts: number;
  retryAttempts: number;
  retryBaseDelayMs: number;
  retryMaxDelayMs: number;
  /** Probability (0..1) of an injected transient fault per activity step. */
  faultRate: number;
  /** Seed of the fault injector's random sequence; fixed in tests so the same faults happen each run. */
  faultSeed: number;
  /** Simulated latency of retrieving an activity's data. */
  activityDelayMs: number;
  shutdownTimeoutMs: number;
  maxBodyBytes: number;
  /** Write JSON log lines to this file instead of stdout. */
  logFile: string | undefined;
  /** Time a client has to send its request headers (then 408 and the connection is closed). */
  headersTimeoutMs: number;
  /** Time a client has to send a whole request, headers and body. */
  requestTimeoutMs: number;
  /** Idle time before a keep-alive connection is closed. */
  keepAliveTimeoutMs: number;
  /** Bearer token required by the mutating routes (POST and DELETE /api/v1/batches); unset = open. */
  apiToken: string | undefined;
  /** Bearer token of /metrics, /metrics/json and /status (health stays open); unset = open. */
  statusToken: string | undefined;
  /** Finished batches older than this are deleted; undefined keeps everything. */
  retentionMs: number | undefined;
  /** Where batches wait for a worker (QUEUE). */
  queue: QueueKind;
  /** Redis of the BullMQ queue (REDIS_URL); set exactly when `queue` is `bullmq`. */
  redisUrl: string | undefined;
  /** What this process does (ROLE). */
  role: Role;
  /** `service.instance.id` and the `/status` field `instance_id` (INSTANCE_ID; default hostname-pid). */
  instanceId: string;
  /** BullMQ's job lock (BULLMQ_LOCK_DURATION_MS): a worker that stops renewing it loses the job after this. */
  bullmqLockDurationMs: number;
  /** How often BullMQ looks for stalled jobs (BULLMQ_STALLED_INTERVAL_MS). */
  bullmqStalledIntervalMs: number;
}

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

function ratio(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0 || value > 1) throw new Error(`${name} must be a number from 0 to 1, got "${raw}"`);
  return value;
}

function token(env: Env, name: string): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  if (!/^[A-Za-z0-9\-._~+/]{16,}=*$/.test(raw)) {
    throw new Error(`${name} must be at least 16 characters of letters, digits and -._~+/ (a bearer token), got ${raw.length} characters`);
  }
  return raw;
}

function minutes(env: Env, name: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '' || raw === '0') return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0.01 || value > 525_600)
    throw new Error(`${name} must be a number of minutes from 0.01 to 525600 (0 keeps everything), got "${raw}"`);
  return Math.round(value * 60_000);
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!(allowed as readonly string[]).includes(raw)) throw new Error(`${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
  return raw as T;
}

function url(env: Env, name: string, protocols: readonly string[]): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new Error(`${name} must be a URL (${protocols.map((p) => `${p}//…`).join(' or ')}), got something else`);
  }
  if (!protocols.includes(parsed.protocol)) throw new Error(`${name} must start with ${protocols.join(' or ')}, got ${parsed.protocol}`);
  return raw;
}

function distributed(env: Env): Pick<ServerConfig, 'queue' | 'redisUrl' | 'role' | 'instanceId'> {
  const queue = oneOf<QueueKind>(env, 'QUEUE', ['memory', 'bullmq'], 'memory');
  const role = oneOf<Role>(env, 'ROLE', ['api', 'worker', 'all'], 'all');
  const redisUrl = url(env, 'REDIS_URL', ['redis:', 'rediss:']);
  if (queue === 'bullmq') {
    if (redisUrl === undefined) throw new Error('QUEUE=bullmq needs REDIS_URL (redis://host:6379)');
    redisConnection(redisUrl);
    if (!env.DATABASE_URL)
      throw new Error('QUEUE=bullmq needs DATABASE_URL (postgres://…): every process shares the batches in PostgreSQL');
  } else if (role !== 'all') {
    throw new Error(`ROLE=${role} needs QUEUE=bullmq: with the in-memory queue one process does everything`);
  }
  const instanceId = env.INSTANCE_ID || `${hostname()}-${process.pid}`;
  if (!/^[\w.:-]{1,128}$/.test(instanceId)) throw new Error(`INSTANCE_ID must be 1 to 128 letters, digits or _.:-, got "${instanceId}"`);
  return { queue, role, redisUrl: queue === 'bullmq' ? redisUrl : undefined, instanceId };
}

export function loadConfig(env: Env = process.env): ServerConfig {
  const headersTimeoutMs = integer(env, 'HTTP_HEADERS_TIMEOUT_MS', 10_000, 100, 600_000);
  const requestTimeoutMs = integer(env, 'HTTP_REQUEST_TIMEOUT_MS', 30_000, 100, 600_000);
  if (requestTimeoutMs < headersTimeoutMs) {
    throw new Error(`HTTP_REQUEST_TIMEOUT_MS (${requestTimeoutMs}) must be at least HTTP_HEADERS_TIMEOUT_MS (${headersTimeoutMs})`);
  }
  const config: ServerConfig = {
    port: integer(env, 'PORT', 8080, 0, 65_535),
    host: env.HOST || '127.0.0.1',
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: resolve(env.DATA_DIR || '.data/pglite'),
    workers: integer(env, 'WORKERS', 4, 1, 256),
    queueCapacity: integer(env, 'QUEUE_CAPACITY', 100, 1, 100_000),
    lockTimeoutMs: integer(env, 'LOCK_TIMEOUT_MS', 5_000, 1, 600_000),
    lockAttempts: integer(env, 'LOCK_ATTEMPTS', 5, 1, 100),
    retryAttempts: integer(env, 'RETRY_ATTEMPTS', 4, 1, 20),
    retryBaseDelayMs: integer(env, 'RETRY_BASE_DELAY_MS', 50, 0, 60_000),
    retryMaxDelayMs: integer(env, 'RETRY_MAX_DELAY_MS', 2_000, 0, 600_000),
    faultRate: ratio(env, 'FAULT_RATE', 0),
    faultSeed: integer(env, 'FAULT_SEED', Date.now() % 2 ** 31, 0, 2 ** 31 - 1),
    activityDelayMs: integer(env, 'ACTIVITY_DELAY_MS', 0, 0, 60_000),
    shutdownTimeoutMs: integer(env, 'SHUTDOWN_TIMEOUT_MS', 25_000, 100, 600_000),
    maxBodyBytes: 1024 * 1024,
    logFile: env.LOG_FILE ? resolve(env.LOG_FILE) : undefined,
    headersTimeoutMs,
    requestTimeoutMs,
    keepAliveTimeoutMs: integer(env, 'HTTP_KEEP_ALIVE_TIMEOUT_MS', 5_000, 100, 600_000),
    apiToken: token(env, 'API_TOKEN'),
    statusToken: token(env, 'STATUS_TOKEN'),
    retentionMs: minutes(env, 'RETENTION_MINUTES'),
    ...distributed(env),
    bullmqLockDurationMs: integer(env, 'BULLMQ_LOCK_DURATION_MS', 30_000, 500, 600_000),
    bullmqStalledIntervalMs: integer(env, 'BULLMQ_STALLED_INTERVAL_MS', 30_000, 500, 600_000),
  };
  if (config.apiToken !== undefined && config.apiToken === config.statusToken) {
    throw new Error('API_TOKEN and STATUS_TOKEN must differ: whoever reads metrics must not be able to submit or cancel batches');
  }
  return config;
}
