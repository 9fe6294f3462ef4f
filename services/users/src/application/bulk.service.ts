/**
 * Bulk edit B3 and bulk delete B4 (R33): every item checked with the single-item rules first; one bad
 * item → 422 BULK_VALIDATION_FAILED listing every bad item, nothing written; else one transaction.
 */
import type { AuthUser } from '@sicora/platform/auth';
import { isAppError } from '@sicora/platform/errors';
import { normalizeDocument, normalizeEmail } from '../domain/identity.rules.ts';
import { userErrors } from '../domain/users.errors.ts';
import type { RequestContext, UsersDeps } from './ports.ts';
import type { PreparedUpdate, UpdateInput, UsersService } from './users.service.ts';

type ItemError = { index: number; id: string; field?: string; code: string; message: string };

function itemError(index: number, id: string, err: unknown): ItemError {
  if (!isAppError(err)) throw err;
  const fields = (err.details as { fields?: Array<{ field: string }> } | undefined)?.fields;
  return { index, id, ...(fields?.[0] ? { field: fields[0].field } : {}), code: err.code, message: err.message };
}

export function createBulkService(deps: UsersDeps, users: UsersService) {
  const { repos, now } = deps;

  return {
    async update(actor: AuthUser, items: Array<UpdateInput & { id: string }>, ctx: RequestContext) {
      const problems: ItemError[] = [];
      const prepared: Array<{ index: number; p: PreparedUpdate }> = [];
      const seen = { id: new Map<string, number>(), email: new Map<string, number>(), doc: new Map<string, number>() };
      for (const [index, { id, ...input }] of items.entries()) {
        const dup = (kind: 'id' | 'email' | 'doc', key: string | undefined, field: string) => {
          if (key === undefined) return false;
          const earlier = seen[kind].get(key);
          if (earlier !== undefined) {
            problems.push({ index, id, field, code: kind === 'id' ? 'VALIDATION_ERROR' : kind === 'email' ? 'EMAIL_ALREADY_EXISTS' : 'DOCUMENT_ALREADY_EXISTS', message: `Repetido en el elemento ${earlier}` });
            return true;
          }
          seen[kind].set(key, index);
          return false;
        };
        const repeatedId = dup('id', id.toLowerCase(), 'id');
        const repeatedEmail = dup('email', input.email ? normalizeEmail(input.email) : undefined, 'email');
        const repeatedDoc = dup('doc', input.document_number ? normalizeDocument(input.document_number) : undefined, 'document_number');
        if (repeatedId || repeatedEmail || repeatedDoc) continue;
        try {
          prepared.push({ index, p: await users.prepareUpdate(actor, id, input) });
        } catch (err) {
          problems.push(itemError(index, id, err));
        }
      }
      if (problems.length > 0) throw userErrors.bulkFailed(problems.sort((a, b) => a.index - b.index));
      const at = now();
      await repos.transaction(async (tx) => {
        for (const { index, p } of prepared) {
          try {
            await users.applyUpdate(tx, actor, p, ctx, at);
          } catch (err) {
            // Capacity (R4) is counted under the ficha lock as the items are written: a full ficha fails the whole request.
            throw userErrors.bulkFailed([itemError(index, p.target.id, err)]);
          }
        }
        await tx.events.record({ ...ctx, at }, 'USERS_BULK_UPDATED', null, { updated: prepared.length });
      });
      return { updated: prepared.length, items: prepared.map(({ index, p }) => ({ index, id: p.target.id, ok: true })) };
    },

    async remove(actor: AuthUser, ids: string[], ctx: RequestContext) {
      const rows = await repos.users.getMany(ids.map((i) => i.toLowerCase()));
      const problems: ItemError[] = [];
      ids.forEach((id, index) => {
        const u = rows.find((r) => r.id === id.toLowerCase());
        if (!u || u.deletedAt) problems.push({ index, id, code: 'USER_NOT_FOUND', message: 'Usuario no encontrado' });
        else if (u.id === actor.sub) problems.push({ index, id, code: 'SELF_ACTION_NOT_ALLOWED', message: 'No puede eliminar su propia cuenta' });
      });
      if (problems.length > 0) throw userErrors.bulkFailed(problems);
      const at = now();
      await repos.transaction(async (tx) => {
        for (const u of rows) await users.states.softDelete(tx, u, ctx, at);
        await tx.events.record({ ...ctx, at }, 'USERS_BULK_DELETED', null, { deleted: rows.length });
      });
      return { deleted: rows.length };
    },
  };
}
