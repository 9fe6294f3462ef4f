/**
 * Password policy R5 and the helpers of R7 (initial password = document number).
 */
import { randomInt } from 'node:crypto';
import { fold } from './identity.rules.ts';

export const MIN_LENGTH = 10;
export const MAX_LENGTH = 128;
export const FORBIDDEN_WORDS = ['password', 'contrasena', 'admin', 'sena', 'sicora', 'usuario', 'user', 'test', 'qwerty'] as const;
const SEQUENCES = ['123456', 'abcdef', 'qwerty'];

export interface PersonalData {
  documentNumber?: string;
  firstName?: string;
  lastName?: string;
  email?: string;
}

/** Every broken rule, in the order of R5. */
export function passwordProblems(password: string, person: PersonalData = {}): string[] {
  const rules: string[] = [];
  const lower = password.toLowerCase();
  const folded = fold(password);
  if (password.length < MIN_LENGTH || password.length > MAX_LENGTH) rules.push('length');
  if (!/\p{Ll}/u.test(password)) rules.push('lowercase');
  if (!/\p{Lu}/u.test(password)) rules.push('uppercase');
  if (!/\p{Nd}/u.test(password)) rules.push('digit');
  if (!/[^\p{L}\p{N}\s]/u.test(password)) rules.push('symbol');
  if (/(.)\1\1/u.test(lower)) rules.push('repetition');
  if (SEQUENCES.some((s) => lower.includes(s))) rules.push('sequence');
  const personal = [person.documentNumber, person.firstName, person.lastName, person.email?.split('@')[0]]
    .filter((p): p is string => !!p && p.length >= 4)
    .map((p) => fold(p));
  if (personal.some((p) => folded.includes(p))) rules.push('personal_data');
  const lettersOnly = folded.replace(/[^a-z]/g, '');
  if ((FORBIDDEN_WORDS as readonly string[]).includes(lettersOnly)) rules.push('forbidden_word');
  return rules;
}

const LOWER = 'abcdefghijkmnpqrstuvwxyz';
const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const DIGITS = '23456789';
const SYMBOLS = '#$%&*+-=?@_!';

/** A random password meeting R5 (staff temporary passwords R26, the bootstrap admin §11). */
export function generatePassword(length: number, person: PersonalData = {}): string {
  for (;;) {
    const all = LOWER + UPPER + DIGITS + SYMBOLS;
    const chars = [pick(LOWER), pick(UPPER), pick(DIGITS), pick(SYMBOLS)];
    while (chars.length < length) chars.push(pick(all));
    for (let i = chars.length - 1; i > 0; i--) {
      const j = randomInt(i + 1);
      [chars[i], chars[j]] = [chars[j], chars[i]];
    }
    const candidate = chars.join('');
    if (passwordProblems(candidate, person).length === 0) return candidate;
  }
}

function pick(set: string): string {
  return set[randomInt(set.length)];
}
