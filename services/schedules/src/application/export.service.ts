/**
 * W5: the W2 sessions of a window (≤ 184 days, the caller's scope) as an iCalendar or CSV file (§6.4).
 * Everything that can refuse (window, filters, scope, the 10 000-row cap) runs before the first byte, so a
 * refusal is still a JSON error; then the CSV streams, a keyset batch at a time. The iCalendar body is
 * built in memory, which the same cap bounds.
 */
import type { Readable } from 'node:stream';
import { AppError } from '@sicora/platform/errors';
import type { Actor, Deps } from './context.ts';
import { sessionsCsv, toIcs } from './export.view.ts';
import type { Session, SessionFilter, SessionsService } from './sessions.service.ts';

/** §6.4: at most this many rows (CSV) or events (iCalendar). */
export const EXPORT_MAX_ROWS = 10_000;

export interface ExportQuery extends SessionFilter {
  format: 'ics' | 'csv';
  from: string;
  to: string;
  group_id?: string;
}

export interface ExportFile {
  contentType: string;
  filename: string;
  body: string | Readable;
}

const tooLarge = () => new AppError('EXPORT_TOO_LARGE', 'invalid', 'La exportación supera 10 000 filas; reduzca el rango o filtre', { max_rows: EXPORT_MAX_ROWS });

export function createExportService(deps: Pick<Deps, 'now' | 'timeZone'>, sessions: SessionsService) {
  /** Counts the rows the CSV would hold, stopping past the cap (no names looked up). */
  async function assertWithinCap(from: string, to: string, f: SessionFilter, actor: Actor) {
    let rows = 0;
    for await (const batch of sessions.batches(from, to, f, actor, { names: false })) {
      rows += batch.length;
      if (rows > EXPORT_MAX_ROWS) throw tooLarge();
    }
  }

  return {
    async run(actor: Actor, q: ExportQuery): Promise<ExportFile> {
      sessions.checkWindow(q.from, q.to, 184);
      const scoped = await sessions.scoped(actor, q);
      const name = `horario_${q.from.replaceAll('-', '')}_${q.to.replaceAll('-', '')}`;
      // iCalendar holds scheduled sessions only (one VEVENT each); the CSV lists cancelled ones on request.
      const f: SessionFilter = q.format === 'ics' ? { ...scoped, include_cancelled: false } : scoped;
      if (q.format === 'ics') {
        // The body is built in memory anyway, so one read both counts and collects instead of a counting
        // read and a second one (a refusal has then looked up names, one users call per batch read).
        const list: Session[] = [];
        for await (const batch of sessions.batches(q.from, q.to, f, actor, { names: true })) {
          list.push(...batch);
          if (list.length > EXPORT_MAX_ROWS) throw tooLarge();
        }
        return { contentType: 'text/calendar; charset=utf-8', filename: `${name}.ics`, body: toIcs(list, deps.now(), deps.timeZone) };
      }
      // The CSV streams, so it is counted before its first byte.
      await assertWithinCap(q.from, q.to, f, actor);
      return { contentType: 'text/csv; charset=utf-8', filename: `${name}.csv`, body: sessionsCsv(sessions.batches(q.from, q.to, f, actor, { names: true })) };
    },
  };
}

export type ExportService = ReturnType<typeof createExportService>;
