/**
 * Signing keys (R23): an Ed25519 key generated into `<dataDir>/keys/` (mode 0600) or the key of
 * `JWT_PRIVATE_KEY`; the `signing_keys` table records kid, status and retirement; the JWKS publishes the
 * active and still-retiring public keys. Private material never enters the database.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  calculateJwkThumbprint, exportJWK, exportPKCS8, generateKeyPair, importJWK, importPKCS8, importSPKI,
  SignJWT, type CryptoKey, type JWK, type JSONWebKeySet, type JWTPayload,
} from 'jose';
import type { Database, Db } from '@sicora/platform/db';
import { createSigningKeysRepo, type SigningKeyRow, type SigningKeysRepo } from './signing-keys.repo.ts';

export const RETIRING_MS = 2 * 3600_000;
type Alg = 'EdDSA' | 'RS256';

export interface KeyStore {
  readonly managedByConfig: boolean;
  /** Creates the first key when none is usable (bootstrap, under the start-up lock). */
  ensure(db: Db): Promise<void>;
  /** Reloads the published keys and the active private key from the table and the key files. */
  reload(): Promise<void>;
  jwks(): JSONWebKeySet;
  /** Every registered key, newest first (K2). */
  list(): Promise<SigningKeyRow[]>;
  activeKid(): string;
  sign(payload: JWTPayload, iat: number, exp: number): Promise<string>;
  rotate(): Promise<{ active_kid: string; retiring_kid: string; retire_at: Date }>;
}

const PRIVATE_FIELDS = ['d', 'p', 'q', 'dp', 'dq', 'qi'];
const publicOf = (jwk: JWK): JWK => Object.fromEntries(Object.entries(jwk).filter(([k]) => !PRIVATE_FIELDS.includes(k))) as JWK;
const algOf = (jwk: JWK): Alg => (jwk.kty === 'OKP' ? 'EdDSA' : 'RS256');

async function describe(privateKey: CryptoKey) {
  const jwk = publicOf(await exportJWK(privateKey));
  const alg = algOf(jwk);
  const kid = await calculateJwkThumbprint(jwk, 'sha256');
  return { alg, kid, publicJwk: { ...jwk, kid, alg, use: 'sig' } as JWK };
}

async function importPrivate(raw: string): Promise<CryptoKey> {
  const text = raw.trim();
  if (text.startsWith('{')) {
    const jwk = JSON.parse(text) as JWK;
    return (await importJWK(jwk, algOf(jwk), { extractable: true })) as CryptoKey;
  }
  const pem = text.replace(/\\n/g, '\n');
  try {
    return await importPKCS8(pem, 'EdDSA', { extractable: true });
  } catch {
    return importPKCS8(pem, 'RS256', { extractable: true });
  }
}

async function importPublicKeys(raw: string | undefined): Promise<JWK[]> {
  if (!raw || !raw.trim()) return [];
  const text = raw.trim();
  const out: JWK[] = [];
  if (text.startsWith('{') || text.startsWith('[')) {
    const parsed = JSON.parse(text) as JWK | JWK[] | JSONWebKeySet;
    const list = Array.isArray(parsed) ? parsed : 'keys' in parsed ? (parsed as JSONWebKeySet).keys : [parsed as JWK];
    for (const jwk of list) {
      const pub = publicOf(jwk as JWK);
      const kid = await calculateJwkThumbprint(pub, 'sha256');
      out.push({ ...pub, kid, alg: algOf(pub), use: 'sig' });
    }
    return out;
  }
  for (const block of text.replace(/\\n/g, '\n').match(/-----BEGIN PUBLIC KEY-----[\s\S]+?-----END PUBLIC KEY-----/g) ?? []) {
    let key: CryptoKey;
    try {
      key = await importSPKI(block, 'EdDSA', { extractable: true });
    } catch {
      key = await importSPKI(block, 'RS256', { extractable: true });
    }
    const pub = await exportJWK(key);
    const kid = await calculateJwkThumbprint(pub, 'sha256');
    out.push({ ...pub, kid, alg: algOf(pub), use: 'sig' });
  }
  return out;
}

export function createKeyStore(opts: {
  database: Database;
  dataDir: string;
  privateKey?: string;
  publicKeys?: string;
  now: () => Date;
}): KeyStore {
  const { database, now } = opts;
  const repo = createSigningKeysRepo(database.db);
  const dir = join(opts.dataDir, 'keys');
  const managedByConfig = !!opts.privateKey;
  // One object per key set: verifiers cache their imported keys by the set's identity.
  let published: JSONWebKeySet = { keys: [] };
  let active: { kid: string; alg: Alg; key: CryptoKey } | undefined;

  const fileOf = (kid: string) => join(dir, `${kid}.pem`);

  async function generate(keysRepo: SigningKeysRepo) {
    const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
    const { kid } = await describe(privateKey);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileSync(fileOf(kid), await exportPKCS8(privateKey), { mode: 0o600 });
    chmodSync(fileOf(kid), 0o600);
    await keysRepo.insert({ kid, alg: 'EdDSA', status: 'active', source: 'generated', createdAt: now() });
    return kid;
  }

  async function loadFile(kid: string): Promise<CryptoKey | undefined> {
    if (!existsSync(fileOf(kid))) return undefined;
    return importPrivate(readFileSync(fileOf(kid), 'utf8'));
  }

  const store: KeyStore = {
    managedByConfig,
    async ensure(db) {
      const keysRepo = createSigningKeysRepo(db);
      if (managedByConfig) {
        const key = await importPrivate(opts.privateKey!);
        const { kid, alg } = await describe(key);
        const extra = await importPublicKeys(opts.publicKeys);
        await keysRepo.retireActive();
        for (const jwk of extra.filter((k) => k.kid !== kid)) {
          await keysRepo.upsertStatus({ kid: jwk.kid!, alg: algOf(jwk), status: 'retiring', source: 'config', createdAt: now() });
        }
        await keysRepo.upsertStatus({ kid, alg, status: 'active', source: 'config', createdAt: now() });
        return;
      }
      const rows = await keysRepo.withStatus(['active']);
      const usable = rows.find((r) => r.source === 'generated' && existsSync(fileOf(r.kid)));
      // A config key left active by an earlier configured start, or a key whose file is gone, stops signing.
      const stale = rows.filter((r) => r !== usable).map((r) => r.kid);
      await keysRepo.retire(stale);
      if (!usable) await generate(keysRepo);
    },
    async reload() {
      const rows = await repo.withStatus(['active', 'retiring']);
      const t = now();
      const expired = rows.filter((r) => r.status === 'retiring' && r.retireAt && r.retireAt <= t);
      if (expired.length > 0) await repo.retireDue(t);
      const live = rows.filter((r) => !expired.includes(r));
      const keys: JWK[] = [];
      let nextActive: typeof active;
      const configKey = managedByConfig ? await importPrivate(opts.privateKey!) : undefined;
      const configPublic = managedByConfig ? await importPublicKeys(opts.publicKeys) : [];
      for (const row of live) {
        let priv: CryptoKey | undefined;
        if (row.source === 'generated') priv = await loadFile(row.kid);
        else if (configKey && (await describe(configKey)).kid === row.kid) priv = configKey;
        if (priv) {
          const d = await describe(priv);
          keys.push(d.publicJwk);
          if (row.status === 'active') nextActive = { kid: d.kid, alg: d.alg, key: priv };
        } else {
          const pub = configPublic.find((k) => k.kid === row.kid);
          if (pub) keys.push(pub);
        }
      }
      if (!nextActive) throw new Error('no usable active signing key: run the users bootstrap first');
      keys.sort((a, b) => (a.kid === nextActive!.kid ? -1 : b.kid === nextActive!.kid ? 1 : 0));
      if (JSON.stringify(keys) !== JSON.stringify(published.keys)) published = { keys };
      active = nextActive;
    },
    jwks: () => published,
    list: () => repo.all(),
    activeKid: () => active!.kid,
    async sign(payload, iat, exp) {
      const key = active!;
      return new SignJWT(payload)
        .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT' })
        .setIssuedAt(iat)
        .setNotBefore(iat)
        .setExpirationTime(exp)
        .sign(key.key);
    },
    async rotate() {
      const t = now();
      const retireAt = new Date(t.getTime() + RETIRING_MS);
      const previous = active!.kid;
      await database.withAdvisoryLock('sicora:users:keys', async (db) => {
        const keysRepo = createSigningKeysRepo(db);
        await keysRepo.retiringActive(retireAt);
        await generate(keysRepo);
      });
      await store.reload();
      return { active_kid: active!.kid, retiring_kid: previous, retire_at: retireAt };
    },
  };
  return store;
}
