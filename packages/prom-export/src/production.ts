// One render in flight, shared by every scrape of the same format that arrives while it runs.
// Chunks are kept in order so a late reader replays what it missed and then follows along;
// readers never slow the render down (it paces itself by `sliceMs`). Unless a string consumer
// (`render()`) needs them all, chunks every attached reader has passed are released once the
// render is JOIN_WINDOW_MS old: scrapes arriving together still share it, and a long streamed
// scrape then holds only what its slowest reader has not read. Once a chunk is released no new
// reader can join (it starts a render of its own).

import type { Chunk } from './chunk.js';
import { encodeChunk } from './chunk.js';

/** How long a render keeps every chunk so that scrapes arriving together can join it. */
const JOIN_WINDOW_MS = 1_000;

/** A render whose chunks several readers consume, each at its own pace. */
export interface Production {
  /** Every chunk rendered so far, in order (released ones are undefined; see `keepAll`). */
  readonly chunks: readonly (Chunk | undefined)[];
  /** True once a chunk was released: a new reader cannot replay from the start. */
  readonly trimmed: boolean;
  /** Keeps every chunk (a string consumer joins them at the end). */
  keepAll(): void;
  /** A reader starting at the first chunk; `advance(n)` says it read up to n, `detach()` it left. */
  attach(): { advance(next: number): void; detach(): void };
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
export function startProduction(
  run: (emit: (chunk: Chunk) => void) => Promise<void>,
  { joinWindowMs = JOIN_WINDOW_MS }: { joinWindowMs?: number } = {},
): Production {
  const chunks: (Chunk | undefined)[] = [];
  let done = false;
  let keep = false;
  let trimmed = false;
  // Where each attached reader is; chunks before the slowest are released.
  const positions = new Map<number, number>();
  let ids = 0;
  let released = 0;
  const started = performance.now();
  const release = (): void => {
    if (keep || positions.size === 0 || performance.now() - started < joinWindowMs) return;
    const slowest = Math.min(...positions.values());
    for (; released < slowest; released++) chunks[released] = undefined;
    if (released > 0) trimmed = true;
  };
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
    get trimmed() {
      return trimmed;
    },
    keepAll: () => {
      keep = true;
    },
    attach: () => {
      const id = ids++;
      positions.set(id, 0);
      return {
        advance: (next) => {
          positions.set(id, next);
          release();
        },
        detach: () => {
          positions.delete(id);
          release();
        },
      };
    },
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
export function byteStream(production: Production, reader: ReturnType<Production['attach']>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let next = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller): Promise<void> {
      for (;;) {
        const chunk = next < production.chunks.length ? production.chunks[next] : undefined;
        if (chunk !== undefined) {
          next++;
          reader.advance(next);
          controller.enqueue(encodeChunk(encoder, chunk));
          return;
        }
        if (production.done) {
          reader.detach();
          if (production.failure) controller.error(production.failure.error);
          else controller.close();
          return;
        }
        await production.changed();
      }
    },
    cancel(): void {
      reader.detach();
    },
  });
}

/** Resolves once the production has a first chunk or has ended (rejecting if it failed). */
export async function firstChunk(production: Production): Promise<void> {
  while (production.chunks.length === 0 && !production.done) await production.changed();
  if (production.chunks.length === 0 && production.failure) throw production.failure.error;
}
