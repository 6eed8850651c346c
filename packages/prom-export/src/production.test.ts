import { describe, expect, it } from 'vitest';
import { byteStream, startProduction } from './production.js';

/** A production whose chunks the test emits by hand. */
function manual(options: { joinWindowMs?: number } = {}): {
  emit: (chunk: string) => void;
  end: () => void;
  production: ReturnType<typeof startProduction>;
} {
  let emit: (chunk: string) => void = () => undefined;
  let end: () => void = () => undefined;
  const production = startProduction(
    (e) =>
      new Promise<void>((resolve) => {
        emit = e;
        end = resolve;
      }),
    options,
  );
  return { emit: (chunk) => emit(chunk), end: () => end(), production };
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new Response(stream).text();
}

describe('a shared render production', () => {
  it('releases the chunks every streamed reader has read, once its join window passed', async () => {
    const { emit, end, production } = manual({ joinWindowMs: 0 });
    const fast = production.attach();
    const slow = production.attach();
    const fastReader = byteStream(production, fast).getReader();
    emit('a\n');
    emit('b\n');
    emit('c\n');
    for (let i = 0; i < 3; i++) await fastReader.read();
    expect(production.chunks).toEqual(['a\n', 'b\n', 'c\n']);
    expect(production.trimmed).toBe(false);
    const slowReader = byteStream(production, slow).getReader();
    await slowReader.read();
    await slowReader.read();
    expect(production.chunks).toEqual([undefined, undefined, 'c\n']);
    expect(production.trimmed).toBe(true);
    end();
    await slowReader.read();
    expect((await slowReader.read()).done).toBe(true);
    expect((await fastReader.read()).done).toBe(true);
  });

  it('keeps every chunk for a string consumer, and inside the join window', async () => {
    const kept = manual({ joinWindowMs: 0 });
    kept.production.keepAll();
    const inWindow = manual({ joinWindowMs: 60_000 });
    for (const { emit, end, production } of [kept, inWindow]) {
      const body = readAll(byteStream(production, production.attach()));
      emit('a\n');
      emit('b\n');
      end();
      expect(await body).toBe('a\nb\n');
      expect(production.chunks).toEqual(['a\n', 'b\n']);
      expect(production.trimmed).toBe(false);
    }
  });

  it('lets a cancelled reader go, so it holds nothing back', async () => {
    const { emit, end, production } = manual({ joinWindowMs: 0 });
    const leaving = byteStream(production, production.attach());
    const staying = byteStream(production, production.attach()).getReader();
    emit('a\n');
    emit('b\n');
    await leaving.cancel();
    await staying.read();
    expect(production.chunks[0]).toBeUndefined();
    end();
  });
});
