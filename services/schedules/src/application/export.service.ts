/** W5: the W2 sessions of a window (≤ 184 days, the caller's scope) as an iCalendar or CSV file. */
import { AppError } from '@sicora/platform/errors';
import type { Actor, Deps } from './context.ts';
import { toCsv, toIcs } from './export.view.ts';
import type { SessionFilter, SessionsService } from './sessions.service.ts';

export interface ExportQuery extends SessionFilter {
  format: 'ics' | 'csv';
  from: string;
  to: string;
  group_id?: string;
}

export function createExportService(deps: Pick<Deps, 'now' | 'timeZone'>, sessions: SessionsService) {
  return {
    async run(actor: Actor, q: ExportQuery): Promise<{ contentType: string; filename: string; body: string }> {
      sessions.checkWindow(q.from, q.to, 184);
      const f = await sessions.scoped(actor, q);
      const { sessions: list } = await sessions.expand(q.from, q.to, f, actor);
      const name = `horario_${q.from.replaceAll('-', '')}_${q.to.replaceAll('-', '')}`;
      if (q.format === 'ics') return { contentType: 'text/calendar; charset=utf-8', filename: `${name}.ics`, body: toIcs(list, deps.now(), deps.timeZone) };
      if (list.length > 10_000) throw new AppError('EXPORT_TOO_LARGE', 'invalid', 'La exportación supera 10 000 filas; reduzca el rango', { rows: list.length });
      return { contentType: 'text/csv; charset=utf-8', filename: `${name}.csv`, body: toCsv(list) };
    },
  };
}

export type ExportService = ReturnType<typeof createExportService>;
