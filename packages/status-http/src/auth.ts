// Bearer-token check that takes the same time whatever the presented token is: both sides are
// hashed to 32 bytes first, so even tokens of different lengths are compared byte for byte over
// the same fixed length, and the comparison itself never exits early.
const encoder = new TextEncoder();

async function sha256(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(text)));
}

/** True when `a` and `b` hold the same bytes; time depends only on the length of `a`. */
export function equalDigests(a: Uint8Array, b: Uint8Array): boolean {
  let difference = a.length ^ b.length;
  for (let i = 0; i < a.length; i++) difference |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return difference === 0;
}

const BEARER = /^bearer[ \t]+([A-Za-z0-9\-._~+/]+=*)[ \t]*$/i;

/** A token in the visible-ASCII token68 syntax a Bearer credential allows. */
export const TOKEN68: RegExp = /^[A-Za-z0-9\-._~+/]+=*$/;

/** Checks `Authorization` headers against one secret token. */
export type TokenVerifier = (authorization: string | null) => Promise<boolean>;

/** Builds the verifier; the token's digest is computed on first use, never at import. */
export function createTokenVerifier(token: string): TokenVerifier {
  let expected: Promise<Uint8Array> | undefined;
  return async (authorization) => {
    expected ??= sha256(token);
    const presented = authorization ? BEARER.exec(authorization)?.[1] : undefined;
    // Hash something even when nothing usable was presented, so a missing token costs the same.
    const digest = await sha256(presented ?? '');
    return equalDigests(await expected, digest) && presented !== undefined;
  };
}
