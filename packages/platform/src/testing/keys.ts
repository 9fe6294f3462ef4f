/**
 * Test signing keys and token minting, so services can be tested with real verification.
 */
import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JSONWebKeySet, type JWK } from 'jose';
import type { Role } from '../roles.ts';

export interface TestKeys {
  kid: string;
  alg: 'EdDSA' | 'RS256';
  privateKey: CryptoKey;
  publicJwk: JWK;
  jwks: JSONWebKeySet;
}

export async function createTestKeys(alg: 'EdDSA' | 'RS256' = 'EdDSA', kid = `test-${randomUUID().slice(0, 8)}`): Promise<TestKeys> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true, ...(alg === 'EdDSA' ? { crv: 'Ed25519' } : {}) });
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
  return { kid, alg, privateKey, publicJwk, jwks: { keys: [publicJwk] } };
}

export interface TestClaims {
  sub?: string;
  role?: Role | string;
  email?: string;
  name?: string;
  must_change_password?: boolean;
  group_id?: string;
  group_number?: string;
  [extra: string]: unknown;
}

export interface MintOptions {
  issuer?: string;
  audience?: string;
  /** Seconds from now (negative for an already expired token). */
  expiresIn?: number;
  issuedAt?: number;
  kid?: string;
}

export async function mintToken(keys: TestKeys, claims: TestClaims = {}, opts: MintOptions = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const iat = opts.issuedAt ?? now;
  const payload = {
    role: 'admin',
    email: 'prueba@sicora.test',
    name: 'Usuario de Prueba',
    must_change_password: false,
    ...claims,
  };
  return new SignJWT(payload)
    .setProtectedHeader({ alg: keys.alg, kid: opts.kid ?? keys.kid, typ: 'JWT' })
    .setSubject(claims.sub ?? randomUUID())
    .setIssuer(opts.issuer ?? 'sicora')
    .setAudience(opts.audience ?? 'sicora-api')
    .setJti(randomUUID())
    .setIssuedAt(iat)
    .setExpirationTime(iat + (opts.expiresIn ?? 3600))
    .sign(keys.privateKey);
}
