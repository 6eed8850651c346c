// A streamed reply body → a Node response: chunks go to the socket as they are produced (no
// re-encoding, no whole-body string), with back-pressure; a client that leaves cancels the stream.
import type { Writable } from 'node:stream';

/**
 * Bytes the pump lets queue on a response before it waits for `drain`. Node's own threshold
 * (`writableHighWaterMark`, 16 KiB) is smaller than one exposition chunk (20–80 KiB), so waiting
 * whenever `write()` returns false cost a `drain` round trip per chunk: every chunk left in its own
 * `writev`, and a 10,000-series scrape paid about 40 system calls (and as many client wake-ups)
 * instead of one per render slice. A slow client still holds at most this much (plus a chunk) here.
 */
const PUMP_HIGH_WATER_BYTES = 1 << 20;

function drained(outgoing: Writable): Promise<void> {
  return new Promise<void>((resolve) => {
    const settle = (): void => {
      outgoing.off('drain', settle);
      outgoing.off('close', settle);
      resolve();
    };
    outgoing.once('drain', settle);
    outgoing.once('close', settle);
  });
}

/**
 * Writes every chunk of `body` to `outgoing`, waiting for `drain` once `PUMP_HIGH_WATER_BYTES` are
 * queued, then ends it. A stream that fails mid-body destroys the response (the status line is
 * already sent, so the client sees a cut body, never a complete-looking one).
 */
export async function pumpBody(body: ReadableStream<Uint8Array>, outgoing: Writable): Promise<void> {
  const reader = body.getReader();
  const onClose = (): void => {
    if (!outgoing.writableFinished) void reader.cancel().catch(() => undefined);
  };
  outgoing.once('close', onClose);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (outgoing.destroyed) return;
      if (!outgoing.write(value) && outgoing.writableLength >= PUMP_HIGH_WATER_BYTES) await drained(outgoing);
    }
    outgoing.end();
  } catch {
    outgoing.destroy();
  } finally {
    outgoing.off('close', onClose);
    reader.releaseLock();
  }
}
