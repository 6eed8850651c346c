// A streamed /metrics respects the client's pace on Node: a client that stops reading stops the
// pump from pulling the body (it holds a bounded amount, not the whole exposition), and once it
// reads again every byte arrives, in order.
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { TEXT_CONTENT_TYPE } from '@ogf/core';
import type { MetricsSource } from '@ogf/status-http';
import { startStatusServer, type StatusServer } from '@ogf/status-http/node';

const CHUNK = 64 * 1024;
const TOTAL = 64 * 1024 * 1024;

/** A source whose body is TOTAL bytes made on demand (`pulled` counts what was asked for). */
function endlessSource(): { source: MetricsSource; pulled: () => number } {
  let pulled = 0;
  const chunk = new Uint8Array(CHUNK).fill(0x61);
  const source: MetricsSource = {
    render: () => ({ contentType: TEXT_CONTENT_TYPE, body: '' }),
    renderStream: () => ({
      contentType: TEXT_CONTENT_TYPE,
      body: new ReadableStream<Uint8Array>(
        {
          pull(controller): void {
            if (pulled >= TOTAL) return controller.close();
            pulled += CHUNK;
            controller.enqueue(chunk.slice());
          },
        },
        { highWaterMark: 0 },
      ),
    }),
    summary: () => Promise.reject(new Error('unused')),
  };
  return { source, pulled: () => pulled };
}

/** Resolves once `read()` stops changing between two checks 50 ms apart (bounded). */
async function settled(read: () => number): Promise<number> {
  let last = -1;
  for (let i = 0; i < 100 && read() !== last; i++) {
    last = read();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return read();
}

describe('back-pressure of a streamed /metrics on Node', () => {
  let server: StatusServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('stops pulling the body while the client does not read, then delivers every byte', async () => {
    const { source, pulled } = endlessSource();
    server = await startStatusServer({ metrics: source, port: 0 });
    const socket = connect(server.port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    let received = 0;
    let text = '';
    socket.on('data', (data: Buffer) => {
      received += data.length;
      if (text.length < 4096) text += data.toString('latin1');
    });
    const ended = new Promise<void>((resolve) => socket.once('end', resolve));
    socket.write('GET /metrics HTTP/1.1\r\nHost: status.test\r\nConnection: close\r\n\r\n');
    // Wait for the head, then stop reading: the kernel buffers fill and the pump must wait.
    while (!text.includes('\r\n\r\n')) await new Promise((resolve) => socket.once('data', resolve));
    socket.pause();
    const whilePaused = await settled(pulled);
    // Socket buffers (a few MiB on loopback) plus the pump's own queue (1 MiB), far from the 64 MiB body.
    expect(whilePaused).toBeLessThan(TOTAL / 4);
    socket.resume();
    await ended;
    expect(pulled()).toBe(TOTAL);
    expect(text).toMatch(/^HTTP\/1\.1 200 /);
    expect(text.toLowerCase()).toContain('transfer-encoding: chunked');
    // The body plus chunk framing: every byte arrived.
    expect(received).toBeGreaterThan(TOTAL);
  });
});
