// A streamed reply body → a Node response: chunks go to the socket as they are produced (no
// re-encoding, no whole-body string), with back-pressure; a client that leaves cancels the stream.
import type { Writable } from 'node:stream';

/**
 * Writes every chunk of `body` to `outgoing`, waiting for `drain` when the socket is full, then
 * ends it. A stream that fails mid-body destroys the response (the status line is already sent,
 * so the client sees a cut body, never a complete-looking one).
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
      if (!outgoing.write(value)) {
        await new Promise<void>((resolve) => {
          const settle = (): void => {
            outgoing.off('drain', settle);
            outgoing.off('close', settle);
            resolve();
          };
          outgoing.once('drain', settle);
          outgoing.once('close', settle);
        });
      }
    }
    outgoing.end();
  } catch {
    outgoing.destroy();
  } finally {
    outgoing.off('close', onClose);
    reader.releaseLock();
  }
}
