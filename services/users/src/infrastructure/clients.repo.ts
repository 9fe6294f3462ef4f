/**
 * Service clients (R22): the accepted callers of A7 and the relay's own inactive row.
 */
import { eq, notInArray } from 'drizzle-orm';
import type { Db } from '@sicora/platform/db';
import { serviceClients, type ServiceClientRow } from './db/schema.ts';

export type { ServiceClientRow };

export function createClientsRepo(db: Db) {
  return {
    async find(name: string): Promise<ServiceClientRow | undefined> {
      return (await db.select().from(serviceClients).where(eq(serviceClients.name, name)))[0];
    },

    async touch(id: string, at: Date): Promise<void> {
      await db.update(serviceClients).set({ lastUsedAt: at }).where(eq(serviceClients.id, id));
    },

    /** Inserts or re-activates `name` with this secret. */
    async upsertActive(name: string, secretHash: string): Promise<void> {
      await db.insert(serviceClients).values({ name, secretHash, isActive: true })
        .onConflictDoUpdate({ target: serviceClients.name, set: { secretHash, isActive: true } });
    },

    /** Inserts `name` inactive (with `secretHash`) or makes an existing row inactive, keeping its secret. */
    async ensureInactive(name: string, secretHash: string): Promise<void> {
      await db.insert(serviceClients).values({ name, secretHash, isActive: false })
        .onConflictDoUpdate({ target: serviceClients.name, set: { isActive: false } });
    },

    async deactivateAllBut(names: string[]): Promise<void> {
      await db.update(serviceClients).set({ isActive: false }).where(notInArray(serviceClients.name, names));
    },
  };
}

export type ClientsRepo = ReturnType<typeof createClientsRepo>;
