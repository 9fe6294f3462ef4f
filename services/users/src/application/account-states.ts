/**
 * The account state machine of §3.3: activate U7, deactivate U8, delete U5, restore U6 (R21, R29, R30).
 */
import type { AuthUser } from '@sicora/platform/auth';
import type { Db } from '@sicora/platform/db';
import { assertCanManage } from '../domain/permissions.ts';
import { userErrors } from '../domain/users.errors.ts';
import { localStamp, truncSeconds } from '../domain/time.ts';
import type { UserRow } from '../infrastructure/db/schema.ts';
import { notifyUser, recordEvent } from '../infrastructure/events.repo.ts';
import { revokeAllOfUser } from '../infrastructure/sessions.repo.ts';
import { findLive, getUser, updateUser } from '../infrastructure/users.repo.ts';
import type { RequestContext, UsersDeps } from './ports.ts';
import { toUserView } from './user.view.ts';

export function createAccountStates(deps: UsersDeps) {
  const { database, now } = deps;

  /** Effects of U7/U8 (also through U4 and B3); idempotent: no change, no event, no notification. */
  async function setActive(tx: Db, user: UserRow, active: boolean, ctx: RequestContext, at: Date, reason?: string): Promise<UserRow> {
    if (user.isActive === active) return user;
    if (active) {
      const row = await updateUser(tx, user.id, { isActive: true, updatedAt: at, updatedBy: ctx.actorId });
      const eventId = await recordEvent(tx, { ...ctx, at }, 'USER_ACTIVATED', user.id, {});
      await notifyUser(tx, 'user.activated', user.id, { first_name: user.firstName, login_url: `${deps.publicAppUrl}/login` }, { priority: 'normal', eventId });
      return row;
    }
    const row = await updateUser(tx, user.id, { isActive: false, tokensValidAfter: truncSeconds(at), updatedAt: at, updatedBy: ctx.actorId });
    await revokeAllOfUser(tx, user.id, 'deactivated', at);
    const eventId = await recordEvent(tx, { ...ctx, at }, 'USER_DEACTIVATED', user.id, reason ? { reason } : {});
    await notifyUser(tx, 'user.deactivated', user.id, { first_name: user.firstName, reason: 'deactivated', at: localStamp(at, deps.timezone) }, {
      priority: 'normal', eventId,
    });
    return row;
  }

  async function softDelete(tx: Db, user: UserRow, ctx: RequestContext, at: Date): Promise<void> {
    await updateUser(tx, user.id, {
      deletedAt: at, deletedBy: ctx.actorId, isActive: false, tokensValidAfter: truncSeconds(at), updatedAt: at, updatedBy: ctx.actorId,
    });
    await revokeAllOfUser(tx, user.id, 'deleted', at);
    const eventId = await recordEvent(tx, { ...ctx, at }, 'USER_DELETED', user.id, {});
    await notifyUser(tx, 'user.deactivated', user.id, { first_name: user.firstName, reason: 'deleted', at: localStamp(at, deps.timezone) }, {
      priority: 'normal', eventId,
    });
  }

  async function liveTarget(actor: AuthUser, id: string) {
    const target = await getUser(database.db, id);
    if (!target || target.deletedAt) throw userErrors.userNotFound();
    assertCanManage(actor, target);
    return target;
  }

  return {
    setActive,
    softDelete,
    async activate(actor: AuthUser, id: string, active: boolean, ctx: RequestContext, reason?: string) {
      const target = await liveTarget(actor, id);
      const at = now();
      const row = await database.db.transaction((tx) => setActive(tx, target, active, ctx, at, reason));
      return toUserView({ ...row, lockedUntil: target.lockedUntil }, { withDeleted: actor.role === 'admin', now: at });
    },
    async remove(actor: AuthUser, id: string, ctx: RequestContext) {
      const target = await liveTarget(actor, id);
      const at = now();
      await database.db.transaction((tx) => softDelete(tx, target, ctx, at));
    },
    async restore(actor: AuthUser, id: string, ctx: RequestContext) {
      const target = await getUser(database.db, id);
      if (!target) throw userErrors.userNotFound();
      if (!target.deletedAt) throw userErrors.userNotDeleted();
      if (await findLive(database.db, { email: target.email })) throw userErrors.emailExists();
      if (await findLive(database.db, { documentNumber: target.documentNumber })) throw userErrors.documentExists();
      const at = now();
      const row = await database.db.transaction(async (tx) => {
        const row = await updateUser(tx, target.id, { deletedAt: null, deletedBy: null, isActive: false, updatedAt: at, updatedBy: actor.sub });
        await recordEvent(tx, { ...ctx, at }, 'USER_RESTORED', target.id, {});
        return row;
      });
      return toUserView({ ...row, lockedUntil: target.lockedUntil }, { withDeleted: true, now: at });
    },
  };
}
