/**
 * The `signing_keys` table (R23): kid, algorithm, status and retirement of every key; never private material.
 */
import { and, desc, eq, inArray, lte } from 'drizzle-orm';
import type { Db } from '@sicora/platform/db';
import { signingKeys, type NewSigningKey, type SigningKeyRow } from './db/schema.ts';

export type { SigningKeyRow };
type Status = SigningKeyRow['status'];

export function createSigningKeysRepo(db: Db) {
  return {
    async insert(row: NewSigningKey): Promise<void> {
      await db.insert(signingKeys).values(row);
    },

    /** Inserts the key or gives an existing row `status` again, with no retirement time. */
    async upsertStatus(row: NewSigningKey & { status: Status }): Promise<void> {
      await db.insert(signingKeys).values(row).onConflictDoUpdate({ target: signingKeys.kid, set: { status: row.status, retireAt: null } });
    },

    async withStatus(statuses: Status[]): Promise<SigningKeyRow[]> {
      return db.select().from(signingKeys).where(inArray(signingKeys.status, statuses));
    },

    async all(): Promise<SigningKeyRow[]> {
      return db.select().from(signingKeys).orderBy(desc(signingKeys.createdAt));
    },

    async retire(kids: string[]): Promise<void> {
      if (kids.length > 0) await db.update(signingKeys).set({ status: 'retired' }).where(inArray(signingKeys.kid, kids));
    },

    async retireActive(): Promise<void> {
      await db.update(signingKeys).set({ status: 'retired' }).where(eq(signingKeys.status, 'active'));
    },

    /** The active key starts retiring (a rotation). */
    async retiringActive(retireAt: Date): Promise<void> {
      await db.update(signingKeys).set({ status: 'retiring', retireAt }).where(eq(signingKeys.status, 'active'));
    },

    /** Retiring keys whose time has come stop being published. */
    async retireDue(at: Date): Promise<void> {
      await db.update(signingKeys).set({ status: 'retired' }).where(and(eq(signingKeys.status, 'retiring'), lte(signingKeys.retireAt, at)));
    },
  };
}

export type SigningKeysRepo = ReturnType<typeof createSigningKeysRepo>;
