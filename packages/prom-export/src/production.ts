// One render in flight, shared by every scrape of the same format that arrives while it runs.
// Chunks are kept in order until the render ends, so a late reader replays what it missed and
// then follows along; readers never slow the render down (it paces itself by `sliceMs`).

/** A render whose chunks several readers consume, each at its own pace. */
export interface Production {
  /** Every chunk rendered so far, in order. */
  readonly chunks: readonly string[];
  /** True once the render ended (see `failure`). */
  readonly done: boolean;
  /** What the render threw, when it failed. */
  readonly failure: { error: unknown } | undefined;
  /** Settles when a chunk arrives or the render ends (never rejects). */
  changed(): Promise<void>;
  /** Resolves once the render ended, rejects with its error. */
  readonly finished: Promise<void>;
}

/** Starts `run` now; what it emits becomes the production's chunks. */
export function startProduction(run: (emit: (chunk: string) => void) => Promise<void>): Production {
  const chunks: string[] = [];
  let done = false;
  let failure: { error: unknown } | undefined;
  let wake: () => void = () => undefined;
  let signal = new Promise<void>((resolve) => (wake = resolve));
  const notify = (): void => {
    const resolve = wake;
    signal = new Promise<void>((next) => (wake = next));
    resolve();
  };
  const finished = run((chunk) => {
    chunks.push(chunk);
    notify();
  }).then(
    () => {
      done = true;
      notify();
    },
    (error: unknown) => {
      done = true;
      failure = { error };
      notify();
      throw error;
    },
  );
  // Readers that only stream observe the failure through `failure`; keep the rejection handled.
  finished.catch(() => undefined);
  return {
    chunks,
    get done() {
      return done;
    },
    get failure() {
      return failure;
    },
    changed: () => signal,
    finished,
  };
}

/** The chunks of a production as UTF-8 bytes, pulled one chunk at a time. */
export function byteStream(production: Production): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let next = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller): Promise<void> {
      for (;;) {
        const chunk = production.chunks[next];
        if (chunk !== undefined) {
          next++;
          controller.enqueue(encoder.encode(chunk));
          return;
        }
        if (production.done) {
          if (production.failure) controller.error(production.failure.error);
          else controller.close();
          return;
        }
        await production.changed();
      }
    },
  });
}

/** Resolves once the production has a first chunk or has ended (rejecting if it failed). */
export async function firstChunk(production: Production): Promise<void> {
  while (production.chunks.length === 0 && !production.done) await production.changed();
  if (production.chunks.length === 0 && production.failure) throw production.failure.error;
}
