// A chunk of exposition: text, or the pieces of text it is made of, in order. Reused blocks are
// flat strings kept between renders; handing them on as pieces lets the stream encode each one
// straight into the chunk's bytes, where joining them first would copy every byte into a fresh
// string that the garbage collector then has to move.

/** Text, or its pieces in order. */
export type Chunk = string | readonly string[];

/** The whole text of some chunks. */
export function joinChunks(chunks: readonly (Chunk | undefined)[]): string {
  let pieces = 0;
  for (const chunk of chunks) if (typeof chunk !== 'string' && chunk !== undefined) pieces += chunk.length;
  if (pieces === 0) return chunks.join('');
  const all: string[] = [];
  for (const chunk of chunks) {
    if (typeof chunk === 'string') all.push(chunk);
    else if (chunk !== undefined) for (const piece of chunk) all.push(piece);
  }
  return all.join('');
}

/**
 * A chunk as UTF-8. Expositions are nearly always ASCII, where the UTF-8 bytes are as many as the
 * UTF-16 code units: `encodeInto` a buffer of exactly that size is cheaper than `encode` (about
 * 1.5× on a 20 KiB chunk in Node 20, about 10× on a whole 850 KB body). A chunk with other
 * characters does not fit, and is encoded again the general way.
 */
export function encodeChunk(encoder: TextEncoder, chunk: Chunk): Uint8Array {
  if (typeof chunk === 'string') {
    const bytes = new Uint8Array(chunk.length);
    const { read } = encoder.encodeInto(chunk, bytes);
    return read === chunk.length ? bytes : encoder.encode(chunk);
  }
  let length = 0;
  for (const piece of chunk) length += piece.length;
  const bytes = new Uint8Array(length);
  let at = 0;
  for (const piece of chunk) {
    const { read, written } = encoder.encodeInto(piece, bytes.subarray(at));
    if (read !== piece.length) return encoder.encode(chunk.join(''));
    at += written;
  }
  return bytes;
}
