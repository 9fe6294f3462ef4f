/**
 * §7 against the notification catalogue: every variable an attendance.* template uses (subject, body,
 * SMS text and the row's extra variables) is a key attendance sends in that event's data. The catalogue
 * is read as a file (a service never imports another's code); the keys are attendance's one declared
 * list (domain/event-data.ts), which every producer builds its data through.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EVENT_DATA_KEYS, eventData } from '../src/domain/event-data.ts';

const CATALOGUE = fileURLToPath(new URL('../../notification/src/domain/catalogue.ts', import.meta.url));
// Given by notification itself, not by the producer's data: the e-mail layout's greeting and action line.
const LAYOUT = new Set(['recipient', 'action_url']);

interface Row {
  type: string;
  texts: string[];
  extra: string[];
}

/** The catalogue's `['attendance.…', priority, channels, flags, subject, body, extra?, sms?]` rows. */
function attendanceRows(): Row[] {
  const source = readFileSync(CATALOGUE, 'utf8');
  return source
    .split('\n')
    .filter((line) => /^\s*\['attendance\./.test(line))
    .map((line) => {
      // Single-quoted literals → JSON strings, so the row parses as a JSON array.
      const json = line.trim().replace(/,$/, '').replace(/'((?:[^'\\]|\\.)*)'/g, (_, s: string) => JSON.stringify(s.replace(/\\'/g, "'")));
      const [type, , , , subject, body, extra = [], sms] = JSON.parse(json) as [string, string, string, string, string, string, string[]?, string?];
      return { type, texts: [subject, body, ...(sms ? [sms] : [])], extra };
    });
}

/** `{{ name | filter }}`, `{{ name.field }}` and `{% if name %}`: the root names a template reads. */
function variablesOf(text: string): string[] {
  const out = new Set<string>();
  for (const m of text.matchAll(/\{\{\s*([A-Za-z_]\w*)/g)) out.add(m[1]);
  for (const m of text.matchAll(/\{%\s*(?:if|elif|for\s+\w+\s+in)\s+([A-Za-z_]\w*)/g)) out.add(m[1]);
  return [...out];
}

describe('event data against the notification catalogue (§7)', () => {
  const rows = attendanceRows();

  it('when the catalogue is read, then it lists exactly the attendance events attendance declares', () => {
    expect(rows.map((r) => r.type).sort()).toEqual(Object.keys(EVENT_DATA_KEYS).sort());
  });

  it.each(rows.map((r) => [r.type, r] as const))('when %s is rendered, then every variable its template uses is in the data attendance sends', (type, row) => {
    const keys = new Set<string>(EVENT_DATA_KEYS[type as keyof typeof EVENT_DATA_KEYS]);
    const used = [...row.texts.flatMap(variablesOf), ...row.extra].filter((v) => !LAYOUT.has(v));
    expect(used.length).toBeGreaterThan(0);
    expect(used.filter((v) => !keys.has(v))).toEqual([]);
  });

  it('when a producer builds its data, then exactly the declared keys are sent (missing ones as null, no others)', () => {
    const data = eventData('attendance.alert_overdue', { student_name: 'Ana', group_number: '2826503', title: 't', level_label: 'Alta', days_open: 8, alert_url: '/x', extra: 1 } as never);
    expect(Object.keys(data)).toEqual([...EVENT_DATA_KEYS['attendance.alert_overdue']]);
    expect(eventData('attendance.record_changed', { first_name: undefined } as never)).toMatchObject({ first_name: null, reason: null });
  });
});
