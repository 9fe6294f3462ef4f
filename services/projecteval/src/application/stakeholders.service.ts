/** P23–P26: external stakeholders, never deleted (R15). */
import { onUniqueViolation } from '@sicora/platform/db-errors';
import type { PageRequest } from '@sicora/platform/pagination';
import { pe } from '../domain/errors.ts';
import type { Actor, Deps } from './context.ts';
import type { StakeholderRow } from './ports.ts';
import { stakeholderView } from './views.ts';

export interface StakeholderInput {
  name?: string;
  stakeholder_type?: StakeholderRow['stakeholderType'];
  contact_person?: string;
  email?: string;
  phone?: string | null;
  sector?: string | null;
  website?: string | null;
  notes?: string | null;
  status?: StakeholderRow['status'];
}

export function createStakeholdersService(deps: Deps) {
  const { repos } = deps;
  const load = async (id: string) => {
    const s = await repos.stakeholders.byId(id);
    if (!s) throw pe.stakeholderNotFound();
    return s;
  };
  const columns = (b: StakeholderInput): Partial<StakeholderRow> => ({
    ...(b.name !== undefined ? { name: b.name.trim() } : {}),
    ...(b.stakeholder_type !== undefined ? { stakeholderType: b.stakeholder_type } : {}),
    ...(b.contact_person !== undefined ? { contactPerson: b.contact_person.trim() } : {}),
    ...(b.email !== undefined ? { email: b.email } : {}),
    ...(b.phone !== undefined ? { phone: b.phone } : {}),
    ...(b.sector !== undefined ? { sector: b.sector } : {}),
    ...(b.website !== undefined ? { website: b.website } : {}),
    ...(b.notes !== undefined ? { notes: b.notes } : {}),
    ...(b.status !== undefined ? { status: b.status } : {}),
  });
  return {
    async list(q: { stakeholder_type?: StakeholderRow['stakeholderType']; status?: StakeholderRow['status']; search?: string }, page: PageRequest) {
      const { rows, total } = await repos.stakeholders.list({ type: q.stakeholder_type, status: q.status, search: q.search }, page.limit, page.offset);
      return { items: rows.map(stakeholderView), total };
    },
    async get(id: string) {
      const s = await load(id);
      const [projects, counts] = await Promise.all([repos.projects.byStakeholder(id), repos.stakeholders.requestCounts(id)]);
      const n = (status: string) => counts.find((c) => c.status === status)?.n ?? 0;
      return { ...stakeholderView(s), projects, change_requests: { submitted: n('submitted') + n('under_review'), approved: n('approved'), rejected: n('rejected') } };
    },
    async create(actor: Actor, body: StakeholderInput & { name: string; stakeholder_type: StakeholderRow['stakeholderType']; contact_person: string; email: string }) {
      if (await repos.stakeholders.nameTaken(body.name.trim())) throw pe.stakeholderExists();
      const at = deps.now();
      const row = await onUniqueViolation(() => repos.stakeholders.insert({ ...(columns(body) as StakeholderRow), status: 'active', createdBy: actor.sub, createdAt: at, updatedAt: at }), { stakeholders_name_uq: pe.stakeholderExists });
      return stakeholderView(row);
    },
    async update(id: string, body: StakeholderInput) {
      const s = await load(id);
      if (body.name !== undefined && (await repos.stakeholders.nameTaken(body.name.trim(), s.id))) throw pe.stakeholderExists();
      const row = await onUniqueViolation(() => repos.stakeholders.update(s.id, { ...columns(body), updatedAt: deps.now() }), { stakeholders_name_uq: pe.stakeholderExists });
      return stakeholderView(row);
    },
  };
}

export type StakeholdersService = ReturnType<typeof createStakeholdersService>;
