// OpenTelemetry's internal logger (diag) routed into the pino logger, so exporter failures such
// as an unreachable collector show up in the application's own JSON logs.
import { DiagLogLevel } from '@opentelemetry/api';
import type { DiagLogger } from '@opentelemetry/api';
import type { Logger } from 'pino';
import type { LogLevel } from './config.js';

const LEVELS: Readonly<Record<LogLevel, DiagLogLevel>> = {
  silent: DiagLogLevel.NONE,
  fatal: DiagLogLevel.ERROR,
  error: DiagLogLevel.ERROR,
  warn: DiagLogLevel.WARN,
  info: DiagLogLevel.INFO,
  debug: DiagLogLevel.DEBUG,
  trace: DiagLogLevel.VERBOSE,
};

/** The diag level matching a pino level (`OTEL_LOG_LEVEL` sets both). */
export function diagLevelFor(level: LogLevel): DiagLogLevel {
  return LEVELS[level];
}

function text(message: string, args: unknown[]): string {
  const rest = args.map((arg) => (arg instanceof Error ? arg.message : typeof arg === 'string' ? arg : JSON.stringify(arg)));
  return [message, ...rest].join(' ');
}

/** A DiagLogger writing `{ source: "otel" }` records through pino. */
export function createDiagLogger(logger: Logger): DiagLogger {
  const otel = logger.child({ source: 'otel' });
  return {
    error: (message, ...args) => otel.error(text(message, args)),
    warn: (message, ...args) => otel.warn(text(message, args)),
    info: (message, ...args) => otel.info(text(message, args)),
    debug: (message, ...args) => otel.debug(text(message, args)),
    verbose: (message, ...args) => otel.trace(text(message, args)),
  };
}
