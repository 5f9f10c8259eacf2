/**
 * FNV-1a, 64 bit, over the UTF-8 bytes of a string: a small, pure, deterministic digest for alert
 * ids (not a security hash; 64 bits make collisions negligible at surveillance volumes).
 * @example fnv1a64('') // 'cbf29ce484222325'
 */
export function fnv1a64(s: string): string {
  let h = 0xcbf29ce484222325n;
  const bytes = new TextEncoder().encode(s);
  for (const b of bytes) {
    h ^= BigInt(b);
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return h.toString(16).padStart(16, '0');
}
