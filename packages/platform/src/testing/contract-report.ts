/**
 * The contract suite's findings as Markdown (docs/api-contract.md): a summary by service and kind, then
 * per service and operation each kind of failure with the first input that showed it, the operations
 * that do not declare `x-roles` with the roles observed to pass, and the tables left out as ambient.
 */
import { FINDING_KINDS, PRINCIPALS, type ContractFinding, type FindingKind, type ServiceReport } from './contract.ts';

const KIND_TITLES: Record<FindingKind, string> = {
  'server-error': '5xx',
  'undocumented-status': 'undocumented status',
  'content-type-mismatch': 'undocumented media type',
  'schema-mismatch': 'body off its schema',
  'db-changed-on-refusal': 'DB changed on refusal',
  'role-not-honoured': 'x-roles not honoured',
  'validation-before-authorization': 'validation before authorization',
  'object-level-leak': 'another person\'s row reachable',
  'no-answer': 'no answer',
};

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function findingLine(f: ContractFinding): string {
  const how = [`×${f.count}`, `as ${f.principal}`, f.mode, f.documentedValid ? 'input valid per the document' : f.mode === 'matrix' ? '' : 'input refused by the document', f.note ?? '']
    .filter(Boolean)
    .join(', ');
  const lines = [`  - ${f.detail} (${how})`, `    - input: \`${f.input.replace(/`/g, "'")}\``];
  if (f.cause) lines.push(`    - cause: ${f.cause}`);
  return lines.join('\n');
}

export interface FindingsMeta {
  command: string;
  seed: number;
  runs: number;
  backEnd: string;
  durationSeconds?: number;
  date?: string;
}

export function findingsMarkdown(reports: readonly ServiceReport[], meta: FindingsMeta): string {
  const out: string[] = [];
  out.push('# Contract suite findings', '');
  out.push(
    `Produced by \`${meta.command}\` (seed ${meta.seed}, ${meta.runs} fuzz runs per operation plus its edge requests and role matrix, ${meta.backEnd}${meta.durationSeconds ? `, ${meta.durationSeconds} s` : ''}${meta.date ? `, ${meta.date}` : ''}). ` +
      'Each finding is counted once per operation and distinct detail; ×N is how many requests showed it. See docs/api-contract.md for what each kind means.',
    '',
  );
  out.push('## Summary', '');
  out.push(`| service | operations | failing | ${FINDING_KINDS.map((k) => KIND_TITLES[k]).join(' | ')} | without x-roles |`);
  out.push(`|---|---|---|${FINDING_KINDS.map(() => '---').join('|')}|---|`);
  const totals: Record<string, number> = {};
  for (const r of reports) {
    const counts = Object.fromEntries(FINDING_KINDS.map((k) => [k, 0])) as Record<FindingKind, number>;
    for (const o of r.operations) for (const f of o.findings) counts[f.kind]++;
    for (const k of FINDING_KINDS) totals[k] = (totals[k] ?? 0) + counts[k];
    const failing = r.operations.filter((o) => o.findings.length > 0).length;
    const ops = r.skipped ? `not built: ${cell(r.skipped)}` : String(r.operations.length);
    out.push(`| ${r.service} | ${ops} | ${failing} | ${FINDING_KINDS.map((k) => counts[k] || '').join(' | ')} | ${r.withoutRoles.length || ''} |`);
  }
  out.push(`| **total** | ${reports.reduce((a, r) => a + r.operations.length, 0)} | ${reports.reduce((a, r) => a + r.operations.filter((o) => o.findings.length > 0).length, 0)} | ${FINDING_KINDS.map((k) => totals[k] || '').join(' | ')} | ${reports.reduce((a, r) => a + r.withoutRoles.length, 0)} |`);
  out.push('');
  const empty = reports.filter((r) => !r.skipped && r.operations.length === 0).map((r) => r.service);
  if (empty.length > 0) out.push(`Services with no operation beyond the platform routes (nothing to check yet): ${empty.join(', ')}.`, '');

  for (const r of reports) {
    if (r.operations.length === 0 && !r.skipped) continue;
    out.push(`## ${r.service}`, '');
    if (r.skipped) {
      out.push(`Not checked: the service did not build (${r.skipped}).`, '');
      continue;
    }
    if (r.ambientTables.length > 0) out.push(`Ambient tables (written by every request or in the background; left out of the refusal check): ${r.ambientTables.join(', ')}.`, '');
    const failing = r.operations.filter((o) => o.findings.length > 0);
    out.push(`${failing.length} of ${r.operations.length} operations fail the contract.`, '');
    for (const o of failing) {
      out.push(`### ${o.operation}`, '');
      for (const kind of FINDING_KINDS) {
        const fs = o.findings.filter((f) => f.kind === kind);
        if (fs.length === 0) continue;
        out.push(`- **${KIND_TITLES[kind]}**`);
        for (const f of fs) out.push(findingLine(f));
      }
      out.push('');
    }
    if (r.withoutRoles.length > 0) {
      out.push(`### Operations without x-roles (role matrix reported, not asserted)`, '');
      out.push(`Status each caller got with the same valid input (a role refused shows 401/403; declare \`x-roles\` from the guard's declaration to have it asserted):`, '');
      out.push(`| operation | ${PRINCIPALS.join(' | ')} |`);
      out.push(`|---|${PRINCIPALS.map(() => '---').join('|')}|`);
      for (const id of r.withoutRoles) {
        const o = r.operations.find((x) => x.operation === id);
        out.push(`| ${cell(id)} | ${PRINCIPALS.map((p) => o?.matrix[p] ?? '').join(' | ')} |`);
      }
      out.push('');
    }
  }
  return `${out.join('\n')}\n`;
}
