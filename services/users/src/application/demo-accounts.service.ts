/**
 * A9: the demo accounts the sign-in screen offers (users.md §4.1, web.md §3), one per role, taken from
 * the §11 demo people. Shown only when the demo is switched on (`SICORA_DEMO`) and its seed has completed;
 * a demo person an admin has since deleted, deactivated or given another role is skipped for the next one
 * of that role, and a role with none left is left out.
 */
import { errors } from '@sicora/platform/errors';
import type { UsersDeps } from './ports.ts';

export const DEMO_ACCOUNT_ROLES = ['coordinador', 'administrativo', 'instructor', 'aprendiz'] as const;
export type DemoAccountRole = (typeof DEMO_ACCOUNT_ROLES)[number];

export interface DemoAccount {
  role: DemoAccountRole;
  full_name: string;
  document_number: string;
  first_password_rule: 'document_number';
}

export interface DemoAccountsOptions {
  /** `SICORA_DEMO` as resolved by the configuration. */
  enabled: boolean;
  /** The name under which the demo seed records its completion in `seed_runs`. */
  seedName: string;
  /** The demo people's ids per role, in the order §11 lists them. */
  candidates: Record<DemoAccountRole, string[]>;
}

const unavailable = () => errors.notFound('NOT_FOUND', 'No hay cuentas de demostración en esta instalación');

export function createDemoAccountsService(deps: Pick<UsersDeps, 'repos'>, opts: DemoAccountsOptions) {
  return {
    async list(): Promise<DemoAccount[]> {
      if (!opts.enabled) throw unavailable();
      if (!(await deps.repos.seedRuns.isDone(opts.seedName))) throw unavailable();
      const rows = await deps.repos.users.getMany(DEMO_ACCOUNT_ROLES.flatMap((role) => opts.candidates[role]));
      const byId = new Map(rows.map((r) => [r.id, r]));
      const accounts: DemoAccount[] = [];
      for (const role of DEMO_ACCOUNT_ROLES) {
        const person = opts.candidates[role].map((id) => byId.get(id)).find((u) => u && u.role === role && u.isActive && u.deletedAt === null);
        if (person) {
          accounts.push({ role, full_name: `${person.firstName} ${person.lastName}`, document_number: person.documentNumber, first_password_rule: 'document_number' });
        }
      }
      if (accounts.length === 0) throw unavailable();
      return accounts;
    },
  };
}
