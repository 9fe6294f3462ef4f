/**
 * argon2id hashing (R8) on the library's asynchronous API, so hashing runs off the event loop.
 */
import { timingSafeEqual } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';

const ARGON2ID = 2; // Algorithm.Argon2id (a const enum, unusable under isolatedModules)

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hashValue: string, password: string): Promise<boolean>;
  /** A verification against a fixed hash, so a missing user costs what a real one does (R7, R9). */
  dummyVerify(password: string): Promise<void>;
  needsRehash(hashValue: string): boolean;
}

export async function createPasswordHasher(opts: { memoryKib: number; iterations: number }): Promise<PasswordHasher> {
  const options = { algorithm: ARGON2ID, memoryCost: opts.memoryKib, timeCost: opts.iterations, parallelism: 1, outputLen: 32 };
  const params = `m=${opts.memoryKib},t=${opts.iterations},p=1`;
  const dummy = await hash('sicora-dummy-password-never-matches', options);
  return {
    hash: (password) => hash(password, options),
    async verify(hashValue, password) {
      try {
        return await verify(hashValue, password);
      } catch {
        return false;
      }
    },
    async dummyVerify(password) {
      await verify(dummy, password).catch(() => false);
    },
    needsRehash: (hashValue) => !hashValue.startsWith('$argon2id$') || !hashValue.includes(`$${params}$`),
  };
}

/** Constant-time string comparison (R7: the document number as initial password). */
export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  if (x.length !== y.length) {
    timingSafeEqual(x, x);
    return false;
  }
  return timingSafeEqual(x, y);
}
