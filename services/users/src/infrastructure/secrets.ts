/**
 * Opaque secrets (refresh and reset tokens, service-client secrets): random base64url, stored as SHA-256.
 */
import { createHash, randomBytes } from 'node:crypto';

export const newOpaqueToken = () => randomBytes(32).toString('base64url');
export const sha256Hex = (value: string) => createHash('sha256').update(value).digest('hex');
