import { describe, expect, it } from 'vitest';
import { createTokenVerifier, equalDigests } from './auth.js';

describe('createTokenVerifier', () => {
  const verify = createTokenVerifier('s3cret-Token_1');

  it('accepts the token as a Bearer credential, scheme in any case', async () => {
    expect(await verify('Bearer s3cret-Token_1')).toBe(true);
    expect(await verify('bearer \t s3cret-Token_1 ')).toBe(true);
  });

  it('refuses other tokens of every length, other schemes and a missing header', async () => {
    for (const header of [
      null,
      '',
      'Bearer',
      'Bearer ',
      'Bearer s3cret-Token_',
      'Bearer s3cret-Token_12',
      'Bearer s3cret-token_1',
      'Basic s3cret-Token_1',
      's3cret-Token_1',
      'Bearer s3cret-Token_1 extra',
      `Bearer ${'a'.repeat(10_000)}`,
    ]) {
      expect(await verify(header)).toBe(false);
    }
  });
});

describe('equalDigests', () => {
  it('compares every byte and the lengths', () => {
    expect(equalDigests(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 3]))).toBe(true);
    expect(equalDigests(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 4]))).toBe(false);
    expect(equalDigests(new Uint8Array([9, 2, 3]), new Uint8Array([1, 2, 3]))).toBe(false);
    expect(equalDigests(new Uint8Array([1, 2]), new Uint8Array([1, 2, 0]))).toBe(false);
  });
});
