/** W5 files (§6.4): iCalendar 2.0 with a Bogotá VTIMEZONE and one VEVENT per scheduled session, or CSV. */
import type { Readable } from 'node:stream';
import { csvExport } from '@sicora/platform/csv-export';
import { toLocal } from '../domain/calendar.ts';
import type { Session } from './sessions.service.ts';

const compact = (date: string) => date.replaceAll('-', '');

function icsText(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');
}

/** RFC 5545 §3.1: lines longer than 75 octets are folded with CRLF + space, never inside a UTF-8 sequence. */
export function foldLine(line: string): string {
  const out: string[] = [];
  let current = '';
  let bytes = 0;
  for (const ch of line) {
    const size = Buffer.byteLength(ch);
    if (bytes + size > (out.length ? 74 : 75)) {
      out.push(current);
      current = '';
      bytes = 0;
    }
    current += ch;
    bytes += size;
  }
  out.push(current);
  return out.join('\r\n ');
}

export function toIcs(sessions: Session[], now: Date, timeZone: string): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//SENA CGMLTI//SICORA Horarios//ES', 'CALSCALE:GREGORIAN', 'METHOD:PUBLISH'];
  // Bogotá has kept UTC−05:00 without daylight saving since 1993; the offset is read from the zone, not hard-coded.
  const offset = toLocal(new Date(Date.UTC(2000, 0, 1, 12)), timeZone).time;
  const hours = 12 - Number(offset.slice(0, 2));
  const off = `${hours > 0 ? '-' : '+'}${String(Math.abs(hours)).padStart(2, '0')}00`;
  lines.push('BEGIN:VTIMEZONE', `TZID:${timeZone}`, 'BEGIN:STANDARD', 'DTSTART:19700101T000000', `TZOFFSETFROM:${off}`, `TZOFFSETTO:${off}`, 'END:STANDARD', 'END:VTIMEZONE');
  for (const s of sessions.filter((x) => x.status === 'SCHEDULED')) {
    lines.push(
      'BEGIN:VEVENT',
      `UID:${s.schedule_id}-${compact(s.date)}@sicora`,
      `DTSTAMP:${stamp}`,
      `DTSTART;TZID=${timeZone}:${compact(s.date)}T${s.start_time.replace(':', '')}00`,
      `DTEND;TZID=${timeZone}:${compact(s.date)}T${s.end_time.replace(':', '')}00`,
      `SUMMARY:${icsText(`${s.subject} — Ficha ${s.group.number}`)}`,
      `LOCATION:${icsText(`${s.venue.code} ${s.venue.name}, ${s.venue.campus.name}`)}`,
      `DESCRIPTION:${icsText(`Instructor: ${s.instructor.full_name ?? ''}`)}`,
      'END:VEVENT',
    );
  }
  lines.push('END:VCALENDAR');
  return lines.map(foldLine).join('\r\n') + '\r\n';
}

const CSV_COLUMNS = ['date', 'day_name', 'start_time', 'end_time', 'blocks', 'group_number', 'program_code', 'subject', 'instructor_name', 'venue_code', 'campus_code', 'status'] as const;

/** §6.4 CSV, streamed (BOM, CRLF, RFC 4180 and formula-safe cells come from the platform). */
export function sessionsCsv(batches: AsyncIterable<Session[]>): Readable {
  return csvExport({
    columns: CSV_COLUMNS,
    batches,
    toRecord: (s) => [s.date, s.day_name, s.start_time, s.end_time, s.blocks.join(' '), s.group.number, s.group.program.code, s.subject, s.instructor.full_name, s.venue.code, s.venue.campus.code, s.status],
  });
}
