import { List, ThemeIcon } from '@mantine/core';
import { IconCheck, IconX } from '@tabler/icons-react';
import { checkPassword, type Policy } from '../api/password-policy.ts';

export function PasswordChecklist({ password, policy }: { password: string; policy: Policy }) {
  return (
    <List size="sm" spacing={4} aria-label="Requisitos de la contraseña">
      {checkPassword(password, policy).map((r) => (
        <List.Item
          key={r.rule}
          icon={
            <ThemeIcon size={18} radius="xl" color={r.ok ? 'sena' : 'gray'} aria-hidden>
              {r.ok ? <IconCheck size={12} /> : <IconX size={12} />}
            </ThemeIcon>
          }
        >
          {r.label}
          <span className="visually-hidden">{r.ok ? ' (cumplido)' : ' (pendiente)'}</span>
        </List.Item>
      ))}
    </List>
  );
}
