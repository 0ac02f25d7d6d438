import { createHash } from 'node:crypto';

/**
 * A name-based UUID (RFC 4122 version 5 layout over SHA-1) in Hallway's own namespace. Used when
 * an imported session carries no GUID, so that importing the same file twice yields the same GUID.
 */
export function nameBasedUuid(name: string): string {
  const h = createHash('sha1').update('hallway:').update(name).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}
