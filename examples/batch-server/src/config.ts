// Server settings from the environment, validated once at start.
import { resolve } from 'node:path';

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

export function loadConfig(env: Env = process.env): ServerConfig {
  return {
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
  };
}
