/**
 * The representations of §4.6: UserView (never the password hash) and UserCard (instructors, O4).
 */
import type { UserRow } from './ports.ts';

type Viewable = UserRow & { lockedUntil?: Date | null };
const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

export function toUserView(u: Viewable, opts: { withDeleted?: boolean; now?: Date } = {}) {
  const locked = u.lockedUntil && (!opts.now || u.lockedUntil > opts.now) ? u.lockedUntil : null;
  return {
    id: u.id,
    first_name: u.firstName,
    last_name: u.lastName,
    full_name: `${u.firstName} ${u.lastName}`,
    email: u.email,
    document_type: u.documentType,
    document_number: u.documentNumber,
    phone: u.phone,
    role: u.role,
    group_id: u.groupId,
    group_number: u.groupNumber,
    area: u.area,
    avatar_url: u.avatarUrl,
    is_active: u.isActive,
    must_change_password: u.mustChangePassword,
    locked_until: iso(locked),
    last_login_at: iso(u.lastLoginAt),
    password_changed_at: iso(u.passwordChangedAt),
    created_at: u.createdAt.toISOString(),
    updated_at: u.updatedAt.toISOString(),
    ...(opts.withDeleted ? { deleted_at: iso(u.deletedAt) } : {}),
  };
}

export type UserView = ReturnType<typeof toUserView>;

export function toUserCard(u: UserRow) {
  return {
    id: u.id,
    full_name: `${u.firstName} ${u.lastName}`,
    first_name: u.firstName,
    last_name: u.lastName,
    role: u.role,
    group_id: u.groupId,
    group_number: u.groupNumber,
    avatar_url: u.avatarUrl,
    is_active: u.isActive,
    is_deleted: u.deletedAt !== null,
  };
}
