// Transient faults: the kind of failure worth retrying (a timeout, a dropped connection), and an
// injector that produces them on purpose for the demo and tests.

export const TRANSIENT_ERROR_TYPES = ['timeout', 'network', 'database'] as const;
export type TransientErrorType = (typeof TRANSIENT_ERROR_TYPES)[number];

export class TransientError extends Error {
  constructor(
    readonly errorType: TransientErrorType,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'TransientError';
  }
}

export function isTransient(error: unknown): error is TransientError {
  return error instanceof TransientError;
}

export interface FaultInjector {
  /** Throws a TransientError with the configured probability. */
  maybeFail(point: string): void;
}

/** `rate` is the probability (0..1) that a call fails; deterministic for a given seed. */
export function createFaultInjector(options: { rate: number; seed?: number }): FaultInjector {
  let state = (options.seed ?? 0x9e3779b9) >>> 0;
  const random = (): number => {
    // mulberry32
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    maybeFail(point) {
      if (options.rate <= 0 || random() >= options.rate) return;
      const type = TRANSIENT_ERROR_TYPES[Math.floor(random() * TRANSIENT_ERROR_TYPES.length)] ?? 'timeout';
      throw new TransientError(type, `injected ${type} fault at ${point}`);
    },
  };
}
