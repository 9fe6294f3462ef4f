import { useQuery } from '@tanstack/react-query';
import { useApi } from '../../../app/context.tsx';
import { unwrap } from '../../../lib/errors.ts';

export interface Policy {
  min_length: number;
  max_length: number;
  require_lower: boolean;
  require_upper: boolean;
  require_digit: boolean;
  require_symbol: boolean;
  forbidden_words: string[];
}

export const sessionKeys = { policy: ['session', 'password-policy'] as const };

/** users A8: the rules checked while typing; the server's WEAK_PASSWORD marks the rest. */
export function usePasswordPolicy() {
  const api = useApi();
  return useQuery({ queryKey: sessionKeys.policy, queryFn: () => unwrap<Policy>(api.GET('/api/v1/auth/password-policy')), staleTime: Infinity });
}

const fold = (s: string) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();

/** The rules of A8 a password breaks, as the checklist shows them (true = satisfied). */
export function checkPassword(password: string, policy: Policy): Array<{ rule: string; label: string; ok: boolean }> {
  const letters = fold(password.replace(/[^\p{L}]/gu, ''));
  const rules = [
    { rule: 'length', label: `Entre ${policy.min_length} y ${policy.max_length} caracteres`, ok: password.length >= policy.min_length && password.length <= policy.max_length },
    { rule: 'lowercase', label: 'Una letra minúscula', ok: !policy.require_lower || /\p{Ll}/u.test(password) },
    { rule: 'uppercase', label: 'Una letra mayúscula', ok: !policy.require_upper || /\p{Lu}/u.test(password) },
    { rule: 'digit', label: 'Un número', ok: !policy.require_digit || /\d/.test(password) },
    { rule: 'symbol', label: 'Un símbolo (por ejemplo # o !)', ok: !policy.require_symbol || /[^\p{L}\d\s]/u.test(password) },
    { rule: 'forbidden_word', label: 'Sin palabras prohibidas', ok: password.length === 0 || !policy.forbidden_words.some((w) => letters === fold(w)) },
  ];
  return rules;
}
