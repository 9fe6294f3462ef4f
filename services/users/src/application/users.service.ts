/**
 * User management U1–U12 and the own profile P1–P2, with the object rules O1–O4.
 */
import type { AuthUser } from '@sicora/platform/auth';
import { errors, type FieldError } from '@sicora/platform/errors';
import { fullName, normalizeDocument, normalizeEmail, ROLE_LABELS, searchTextOf, type UserRole } from '../domain/identity.rules.ts';
import { assertCanAssignRole, assertCanManage } from '../domain/permissions.ts';
import { normalizeUserInput, type NormalizedInput, type UserInput } from '../domain/user.input.ts';
import { userErrors } from '../domain/users.errors.ts';
import { truncSeconds } from '../domain/time.ts';
import { assertCapacity, resolveGroup } from './groups.rules.ts';
import type { createPasswordsService } from './passwords.service.ts';
import { checkNewPassword } from './passwords.service.ts';
import type { Group, Repos, RequestContext, UserPatch, UserRow, UsersDeps, UserWithLock } from './ports.ts';
import { createAccountStates } from './account-states.ts';
import { toUserCard, toUserView } from './user.view.ts';
import { createUserQueries } from './users.queries.ts';

export interface PreparedUpdate {
  target: UserWithLock;
  values: NormalizedInput;
  role: UserRole;
  roleChanged: boolean;
  /** undefined: the group stays as it is; null: cleared; a Group: assigned. */
  group: Group | null | undefined;
  input: UpdateInput;
}

export type CreateInput = UserInput & { first_name: string; last_name: string; email: string; document_type: string; document_number: string; role: string; password?: string };
export type UpdateInput = UserInput & { is_active?: boolean; must_change_password?: boolean };

const ADMINISTRATIVO_FIELDS = new Set(['first_name', 'last_name', 'email', 'document_type', 'document_number', 'phone', 'area', 'group_id', 'group_number']);

export function welcomeData(u: UserRow, publicAppUrl: string, hint: 'document_number' | 'provided_by_staff') {
  return {
    first_name: u.firstName,
    full_name: fullName(u),
    role_label: ROLE_LABELS[u.role],
    login_url: `${publicAppUrl}/login`,
    login_identifiers: { email: u.email, document_number: u.documentNumber },
    initial_password_hint: hint,
  };
}

export function createUsersService(
  deps: UsersDeps,
  passwords: ReturnType<typeof createPasswordsService>,
  passwordMatches: (u: UserRow, p: string) => Promise<boolean>,
) {
  const { repos, now, hasher } = deps;
  const states = createAccountStates(deps);
  const queries = createUserQueries(deps);

  /** The live, visible target (O3) that the actor may manage (O1, O2). */
  async function manageable(actor: AuthUser, id: string): Promise<UserWithLock> {
    const target = await repos.users.get(id);
    if (!target || target.deletedAt) throw userErrors.userNotFound();
    assertCanManage(actor, target);
    return target;
  }

  /** R1/R2 uniqueness among live users other than `selfId`. */
  async function assertUnique(v: NormalizedInput, selfId?: string) {
    if (v.email !== undefined) {
      const other = await repos.users.findLive({ email: v.email });
      if (other && other.id !== selfId) throw userErrors.emailExists();
    }
    if (v.documentNumber !== undefined) {
      const other = await repos.users.findLive({ documentNumber: v.documentNumber });
      if (other && other.id !== selfId) throw userErrors.documentExists();
    }
  }

  function failIf(errs: FieldError[]) {
    if (errs.length > 0) throw errors.validation(errs);
  }

  const service = {
    ...queries,
    states,
    manageable,

    async create(actor: AuthUser, input: CreateInput, ctx: RequestContext) {
      const { values, errors: errs } = normalizeUserInput(input);
      failIf(errs);
      const role = values.role!;
      assertCanAssignRole(actor.role, role);
      const draft = { ...values, firstName: values.firstName!, lastName: values.lastName!, email: values.email! } as Required<Pick<NormalizedInput, 'firstName' | 'lastName' | 'email' | 'documentNumber'>>;
      if (input.password !== undefined) checkNewPassword(input.password, draft as unknown as UserRow);
      await assertUnique(values);
      const group = await resolveGroup(deps.groups, role, values.groupId, values.groupNumber, actor.token);
      const hash = input.password !== undefined ? await hasher.hash(input.password) : null;
      const at = now();
      const created = await repos.transaction(async (tx) => {
        if (group) await assertCapacity(tx, group, 1);
        const [row] = await tx.users.insertMany([{
          firstName: values.firstName!, lastName: values.lastName!, email: values.email!, documentType: values.documentType!,
          documentNumber: values.documentNumber!, phone: values.phone ?? null, role, groupId: group?.id ?? null,
          groupNumber: group?.number ?? null, area: values.area ?? null, avatarUrl: values.avatarUrl ?? null, passwordHash: hash,
          mustChangePassword: true, isActive: true, tokensValidAfter: truncSeconds(at),
          searchText: searchTextOf({ firstName: values.firstName!, lastName: values.lastName!, email: values.email! }),
          createdBy: actor.sub, updatedBy: actor.sub, createdAt: at, updatedAt: at,
        }]);
        const eventId = await tx.events.record({ ...ctx, at }, 'USER_CREATED', row.id, { role, with_password: hash !== null });
        await tx.notifications.user('user.welcome', row.id, welcomeData(row, deps.publicAppUrl, hash ? 'provided_by_staff' : 'document_number'), {
          priority: 'normal', eventId,
        });
        return row;
      });
      return toUserView(created, { withDeleted: actor.role === 'admin' });
    },

    /** U4 (and each B3 item): checks, remote look-ups, then `apply` inside the caller's transaction. */
    async prepareUpdate(actor: AuthUser, id: string, input: UpdateInput, prefix = ''): Promise<PreparedUpdate> {
      const target = await manageable(actor, id);
      if (actor.role === 'administrativo') {
        const refused = Object.keys(input).filter((k) => !ADMINISTRATIVO_FIELDS.has(k));
        if (refused.length > 0) throw errors.forbidden('No tiene permisos para modificar estos campos', { fields: refused });
      }
      const { values, errors: errs } = normalizeUserInput(input, target, prefix);
      failIf(errs);
      if (values.role !== undefined && values.role !== target.role) assertCanAssignRole(actor.role, values.role);
      await assertUnique(values, target.id);
      const role = values.role ?? target.role;
      const roleChanged = role !== target.role;
      const groupGiven = values.groupId !== undefined || values.groupNumber !== undefined;
      let group: Group | null | undefined;
      if (roleChanged || groupGiven) {
        const keepsGroup = !groupGiven && role === 'aprendiz' && !roleChanged;
        group = keepsGroup ? undefined : await resolveGroup(deps.groups, role, values.groupId, values.groupNumber, actor.token);
      }
      return { target, values, role, roleChanged, group, input };
    },

    async applyUpdate(tx: Repos, actor: AuthUser, p: PreparedUpdate, ctx: RequestContext, at: Date): Promise<UserRow> {
      const { target, values, role, roleChanged, group, input } = p;
      const willBeActive = input.is_active ?? target.isActive;
      const moved = group !== undefined && group !== null && group.id !== target.groupId;
      if (moved && willBeActive) await assertCapacity(tx, group!, 1, [target.id]);
      const patch: UserPatch = { ...values, role, updatedAt: at, updatedBy: actor.sub };
      if (group !== undefined) {
        patch.groupId = group?.id ?? null;
        patch.groupNumber = group?.number ?? null;
      } else {
        delete patch.groupId;
        delete patch.groupNumber;
      }
      if (input.must_change_password !== undefined) patch.mustChangePassword = input.must_change_password;
      const merged = { ...target, ...patch };
      patch.searchText = searchTextOf(merged);
      if (roleChanged) patch.tokensValidAfter = truncSeconds(at);
      let row = await tx.users.update(target.id, patch);
      const changed = Object.keys(input).filter((k) => k !== 'is_active');
      if (changed.length > 0) await tx.events.record({ ...ctx, at }, 'USER_UPDATED', target.id, { fields: changed });
      if (roleChanged) {
        await tx.sessions.revokeAllOfUser(target.id, 'role_changed', at);
        await tx.events.record({ ...ctx, at }, 'ROLE_CHANGED', target.id, { from: target.role, to: role });
      }
      if (input.is_active !== undefined && input.is_active !== target.isActive) {
        row = await states.setActive(tx, row, input.is_active, ctx, at);
      }
      return row;
    },

    async update(actor: AuthUser, id: string, input: UpdateInput, ctx: RequestContext) {
      const prepared = await service.prepareUpdate(actor, id, input);
      const at = now();
      const row = await repos.transaction((tx) => service.applyUpdate(tx, actor, prepared, ctx, at));
      return toUserView({ ...row, lockedUntil: prepared.target.lockedUntil }, { withDeleted: actor.role === 'admin', now: at });
    },

    async staffReset(actor: AuthUser, id: string, delivery: 'email_link' | 'temporary_password', ctx: RequestContext) {
      const target = await manageable(actor, id);
      return passwords.staffReset(target, delivery, ctx);
    },

    async unlock(actor: AuthUser, id: string, ctx: RequestContext) {
      const target = await manageable(actor, id);
      const at = now();
      await repos.transaction(async (tx) => {
        await tx.authState.clearThrottle(`user:${target.id}`);
        await tx.events.record({ ...ctx, at }, 'ACCOUNT_UNLOCKED', target.id, {});
      });
      return { unlocked: true as const };
    },

    async availability(q: { email?: string; document_number?: string }) {
      if (q.email === undefined && q.document_number === undefined) {
        throw errors.validation([{ field: 'email', reason: 'required', message: 'Indique email o document_number' }]);
      }
      const out: { email?: { value: string; available: boolean }; document_number?: { value: string; available: boolean } } = {};
      if (q.email !== undefined) {
        const value = normalizeEmail(q.email);
        out.email = { value, available: !(await repos.users.findLive({ email: value })) };
      }
      if (q.document_number !== undefined) {
        const value = normalizeDocument(q.document_number);
        out.document_number = { value, available: !(await repos.users.findLive({ documentNumber: value })) };
      }
      return out;
    },

    /** U12: by id deleted users are returned flagged; by document or e-mail only live ones (O3). */
    async lookup(actor: AuthUser, q: { ids?: string[]; document_numbers?: string[]; emails?: string[] }) {
      const ids = q.ids ?? [];
      const docs = q.document_numbers ?? [];
      const emails = q.emails ?? [];
      if (ids.length + docs.length + emails.length > 500) {
        throw errors.validation([{ field: 'ids', reason: 'max_keys', message: 'Máximo 500 claves en total' }]);
      }
      const byId = await repos.users.getMany([...new Set(ids.map((i) => i.toLowerCase()))]);
      const byDoc = await repos.users.liveByDocuments([...new Set(docs.map(normalizeDocument))]);
      const byEmail = await repos.users.liveByEmails([...new Set(emails.map(normalizeEmail))]);
      const missing: Array<{ key: string; value: string }> = [];
      for (const id of ids) if (!byId.some((u) => u.id === id.toLowerCase())) missing.push({ key: 'id', value: id });
      for (const d of docs) if (!byDoc.some((u) => u.documentNumber === normalizeDocument(d))) missing.push({ key: 'document_number', value: d });
      for (const e of emails) if (!byEmail.some((u) => u.email === normalizeEmail(e))) missing.push({ key: 'email', value: e });
      const found = new Map<string, UserWithLock>();
      for (const u of [...byId, ...byDoc, ...byEmail]) found.set(u.id, u);
      const at = now();
      const items = [...found.values()].map((u) =>
        actor.role === 'instructor' ? toUserCard(u) : { ...toUserView(u, { withDeleted: true, now: at }), is_deleted: u.deletedAt !== null },
      );
      return { found: items, missing };
    },

    async me(userId: string) {
      const u = await repos.users.get(userId);
      if (!u || u.deletedAt) throw userErrors.userNotFound();
      return toUserView(u, { now: now() });
    },

    async updateMe(actor: AuthUser, input: { first_name?: string; last_name?: string; phone?: string | null; avatar_url?: string | null; email?: string; current_password?: string }, ctx: RequestContext) {
      const { current_password, ...fields } = input;
      const { values, errors: errs } = normalizeUserInput(fields);
      const user = await repos.users.get(actor.sub);
      if (!user || user.deletedAt) throw userErrors.userNotFound();
      const emailChanges = values.email !== undefined && values.email !== user.email;
      if (emailChanges && current_password === undefined) {
        errs.push({ field: 'current_password', reason: 'required', message: 'Confirme su contraseña actual para cambiar el correo' });
      }
      failIf(errs);
      if (emailChanges && !(await passwordMatches(user, current_password!))) throw userErrors.currentPasswordIncorrect();
      if (emailChanges) await assertUnique({ email: values.email }, user.id);
      const at = now();
      const row = await repos.transaction(async (tx) => {
        const merged = { ...user, ...values };
        const row = await tx.users.update(user.id, { ...values, searchText: searchTextOf(merged), updatedAt: at, updatedBy: user.id });
        const changed = Object.keys(fields);
        if (changed.length > 0) await tx.events.record({ ...ctx, at }, 'USER_UPDATED', user.id, { fields: changed, self: true });
        return row;
      });
      return toUserView({ ...row, lockedUntil: user.lockedUntil }, { now: at });
    },
  };
  return service;
}

export type UsersService = ReturnType<typeof createUsersService>;
