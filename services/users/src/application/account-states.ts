/**
 * The account state machine of §3.3: activate U7, deactivate U8, delete U5, restore U6 (R21, R29, R30).
 */
import type { AuthUser } from '@sicora/platform/auth';
import { assertCanManage } from '../domain/permissions.ts';
import { userErrors } from '../domain/users.errors.ts';
import { localStamp, truncSeconds } from '../domain/time.ts';
import type { Repos, RequestContext, UserRow, UsersDeps } from './ports.ts';
import { toUserView } from './user.view.ts';

export function createAccountStates(deps: UsersDeps) {
  const { repos, now } = deps;

  /** Effects of U7/U8 (also through U4 and B3) inside `tx`; idempotent: no change, no event, no notification. */
  async function setActive(tx: Repos, user: UserRow, active: boolean, ctx: RequestContext, at: Date, reason?: string): Promise<UserRow> {
    if (user.isActive === active) return user;
    if (active) {
      const row = await tx.users.update(user.id, { isActive: true, updatedAt: at, updatedBy: ctx.actorId });
      const eventId = await tx.events.record({ ...ctx, at }, 'USER_ACTIVATED', user.id, {});
      await tx.notifications.user('user.activated', user.id, { first_name: user.firstName, login_url: `${deps.publicAppUrl}/login` }, { priority: 'normal', eventId });
      return row;
    }
    const row = await tx.users.update(user.id, { isActive: false, tokensValidAfter: truncSeconds(at), updatedAt: at, updatedBy: ctx.actorId });
    await tx.sessions.revokeAllOfUser(user.id, 'deactivated', at);
    const eventId = await tx.events.record({ ...ctx, at }, 'USER_DEACTIVATED', user.id, reason ? { reason } : {});
    await tx.notifications.user('user.deactivated', user.id, { first_name: user.firstName, reason: 'deactivated', at: localStamp(at, deps.timezone) }, {
      priority: 'normal', eventId,
    });
    return row;
  }

  async function softDelete(tx: Repos, user: UserRow, ctx: RequestContext, at: Date): Promise<void> {
    await tx.users.update(user.id, {
      deletedAt: at, deletedBy: ctx.actorId, isActive: false, tokensValidAfter: truncSeconds(at), updatedAt: at, updatedBy: ctx.actorId,
    });
    await tx.sessions.revokeAllOfUser(user.id, 'deleted', at);
    const eventId = await tx.events.record({ ...ctx, at }, 'USER_DELETED', user.id, {});
    await tx.notifications.user('user.deactivated', user.id, { first_name: user.firstName, reason: 'deleted', at: localStamp(at, deps.timezone) }, {
      priority: 'normal', eventId,
    });
  }

  async function liveTarget(actor: AuthUser, id: string) {
    const target = await repos.users.get(id);
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
      const row = await repos.transaction((tx) => setActive(tx, target, active, ctx, at, reason));
      return toUserView({ ...row, lockedUntil: target.lockedUntil }, { withDeleted: actor.role === 'admin', now: at });
    },
    async remove(actor: AuthUser, id: string, ctx: RequestContext) {
      const target = await liveTarget(actor, id);
      const at = now();
      await repos.transaction((tx) => softDelete(tx, target, ctx, at));
    },
    async restore(actor: AuthUser, id: string, ctx: RequestContext) {
      const target = await repos.users.get(id);
      if (!target) throw userErrors.userNotFound();
      if (!target.deletedAt) throw userErrors.userNotDeleted();
      if (await repos.users.findLive({ email: target.email })) throw userErrors.emailExists();
      if (await repos.users.findLive({ documentNumber: target.documentNumber })) throw userErrors.documentExists();
      const at = now();
      const row = await repos.transaction(async (tx) => {
        const row = await tx.users.update(target.id, { deletedAt: null, deletedBy: null, isActive: false, updatedAt: at, updatedBy: actor.sub });
        await tx.events.record({ ...ctx, at }, 'USER_RESTORED', target.id, {});
        return row;
      });
      return toUserView({ ...row, lockedUntil: target.lockedUntil }, { withDeleted: true, now: at });
    },
  };
}
