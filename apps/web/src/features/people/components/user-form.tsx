import { Alert, Button, Group, Modal, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { ApiError, messageOf } from '../../../lib/errors.ts';
import { DOCUMENT_TYPES, useCreateUser, useUpdateUser, type DocumentType, type UserInput, type UserView } from '../api/people.ts';
import { assignableRoles, canChangeRole, ROLE_LABELS, type Role, type StaffRole } from '../api/permissions.ts';

type Values = { first_name: string; last_name: string; email: string; document_type: DocumentType; document_number: string; role: Role; phone: string; area: string; group_number: string };

const EMPTY: Values = { first_name: '', last_name: '', email: '', document_type: 'CC', document_number: '', role: 'aprendiz', phone: '', area: '', group_number: '' };

/** A refusal's code → the field it is about (users §8), beside VALIDATION_ERROR's own field list. */
const CODE_FIELD: Record<string, keyof Values> = {
  EMAIL_ALREADY_EXISTS: 'email',
  DOCUMENT_ALREADY_EXISTS: 'document_number',
  GROUP_REQUIRED: 'group_number',
  GROUP_NOT_ALLOWED: 'group_number',
  GROUP_NOT_FOUND: 'group_number',
  GROUP_INACTIVE: 'group_number',
  GROUP_FULL: 'group_number',
  ROLE_NOT_ALLOWED: 'role',
};

export function fieldErrors(error: unknown): Partial<Record<keyof Values, string>> {
  if (!(error instanceof ApiError)) return {};
  const out: Partial<Record<keyof Values, string>> = { ...(error.fields as Partial<Record<keyof Values, string>>) };
  if (error.fields.group_id && !out.group_number) out.group_number = error.fields.group_id;
  const field = CODE_FIELD[error.code];
  if (field && !out[field]) out[field] = error.message;
  return out;
}

function valuesOf(user: UserView | null): Values {
  if (!user) return EMPTY;
  return {
    first_name: user.first_name, last_name: user.last_name, email: user.email, document_type: user.document_type, document_number: user.document_number,
    role: user.role, phone: user.phone ?? '', area: user.area ?? '', group_number: user.group_number ?? '',
  };
}

/** What U2 receives, or the fields U4 changes (an administrativo never sends `role`). */
function bodyOf(values: Values, before: UserView | null, caller: StaffRole): Partial<UserInput> {
  const full: UserInput = {
    first_name: values.first_name.trim(), last_name: values.last_name.trim(), email: values.email.trim(), document_type: values.document_type,
    document_number: values.document_number.trim(), role: values.role, phone: values.phone.trim() || null, area: values.area.trim() || null,
    group_number: values.role === 'aprendiz' ? values.group_number.trim() || null : null,
  };
  if (!before) {
    const { phone, area, group_number, ...rest } = full;
    return { ...rest, ...(phone ? { phone } : {}), ...(area ? { area } : {}), ...(group_number ? { group_number } : {}) };
  }
  const old = valuesOf(before);
  const patch: Partial<UserInput> = {};
  for (const key of Object.keys(full) as Array<keyof UserInput>) {
    if (key === 'role' && !canChangeRole(caller)) continue;
    const was = key === 'phone' || key === 'area' || key === 'group_number' ? old[key] || null : old[key as keyof Values];
    if (full[key] !== was) (patch as Record<string, unknown>)[key] = full[key];
  }
  return patch;
}

/**
 * Create (U2) or edit (U4) one person with the OpenAPI bounds; a VALIDATION_ERROR (and the conflicts of
 * §8) mark their fields and keep what was typed. The roles offered are those O1 lets the caller assign; an
 * administrativo edits names, contact, document and ficha only.
 */
export function UserFormModal({ caller, user, opened, onClose }: { caller: StaffRole; user: UserView | null; opened: boolean; onClose: (saved?: UserView) => void }) {
  return (
    <Modal opened={opened} onClose={() => onClose()} title={user ? `Editar a ${user.full_name}` : 'Nueva persona'} size="lg">
      {opened && <UserForm key={user?.id ?? 'new'} caller={caller} user={user} onClose={onClose} />}
    </Modal>
  );
}

function UserForm({ caller, user, onClose }: { caller: StaffRole; user: UserView | null; onClose: (saved?: UserView) => void }) {
  const [values, setValues] = useState<Values>(() => ({ ...valuesOf(user), ...(user ? {} : { role: assignableRoles(caller).includes('aprendiz') ? 'aprendiz' : assignableRoles(caller)[0] }) }));
  const create = useCreateUser();
  const update = useUpdateUser();
  const mutation = user ? update : create;
  const errors = fieldErrors(mutation.error);
  const set = (key: keyof Values) => (value: string) => setValues((v) => ({ ...v, [key]: value }));
  const roleEditable = !user || canChangeRole(caller);
  const roles = assignableRoles(caller);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const body = bodyOf(values, user, caller);
    if (user && Object.keys(body).length === 0) {
      onClose();
      return;
    }
    try {
      const saved = user ? await update.mutateAsync({ id: user.id, body }) : await create.mutateAsync(body as UserInput);
      onClose(saved);
    } catch {
      // Shown from the mutation's error below; what was typed stays.
    }
  }

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        {mutation.isError && (
          <Alert color="red" role="alert" title="No se pudo guardar">
            {messageOf(mutation.error)}
          </Alert>
        )}
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput label="Nombres" required maxLength={100} value={values.first_name} onChange={(e) => set('first_name')(e.currentTarget.value)} error={errors.first_name} />
          <TextInput label="Apellidos" required maxLength={100} value={values.last_name} onChange={(e) => set('last_name')(e.currentTarget.value)} error={errors.last_name} />
          <Select
            label="Tipo de documento"
            required
            allowDeselect={false}
            data={DOCUMENT_TYPES}
            value={values.document_type}
            onChange={(v) => v && set('document_type')(v)}
            error={errors.document_type}
          />
          <TextInput
            label="Número de documento"
            required
            maxLength={40}
            inputMode="numeric"
            value={values.document_number}
            onChange={(e) => set('document_number')(e.currentTarget.value)}
            error={errors.document_number}
          />
          <TextInput label="Correo" type="email" required maxLength={254} value={values.email} onChange={(e) => set('email')(e.currentTarget.value)} error={errors.email} />
          <TextInput label="Celular" description="3XXXXXXXXX o +indicativo" maxLength={30} value={values.phone} onChange={(e) => set('phone')(e.currentTarget.value)} error={errors.phone} />
          {roleEditable ? (
            <Select
              label="Rol"
              required
              allowDeselect={false}
              data={roles.map((r) => ({ value: r, label: ROLE_LABELS[r] }))}
              value={values.role}
              onChange={(v) => v && set('role')(v)}
              error={errors.role}
            />
          ) : (
            <TextInput label="Rol" readOnly value={ROLE_LABELS[values.role]} description="Su rol no puede cambiar el rol de una persona" />
          )}
          {values.role === 'aprendiz' ? (
            <TextInput
              label="Ficha"
              required
              description="Número de la ficha (4 a 10 dígitos)"
              maxLength={10}
              inputMode="numeric"
              value={values.group_number}
              onChange={(e) => set('group_number')(e.currentTarget.value)}
              error={errors.group_number}
            />
          ) : (
            <TextInput label="Área" maxLength={100} value={values.area} onChange={(e) => set('area')(e.currentTarget.value)} error={errors.area} />
          )}
        </SimpleGrid>
        {!user && (
          <Text size="sm" c="dimmed">
            La primera contraseña es el número de documento; la persona la cambia al ingresar.
          </Text>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={() => onClose()}>
            Cancelar
          </Button>
          <Button type="submit" loading={mutation.isPending}>
            {user ? 'Guardar cambios' : 'Crear persona'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
