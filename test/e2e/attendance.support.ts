/**
 * What the attendance journey needs beside a running platform: a class slot that is open right now in
 * the platform's zone (schedules.md §3.5 shift windows, attendance R2/R13 marking window), local-date
 * arithmetic, and a tiny JSON/multipart client of the gateway that names the failing step.
 */
import { expect } from 'vitest';

export interface SessionPlan {
  /** The `SICORA_TIMEZONE` the platform is started with. */
  zone: string;
  /** Local date of the session (today in `zone`). */
  date: string;
  dayOfWeek: number;
  shift: 'MANANA' | 'TARDE' | 'NOCHE';
  /** Whole hours, `HH:00`. */
  startTime: string;
  endTime: string;
  /** Minutes from `now` to the session's end: the journey must be done well before. */
  minutesLeft: number;
}

// schedules.md §3.5: Monday–Friday 06–12, 12–18, 18–22; Saturday 06–12 and 12–18 (its NOCHE window
// overlaps those); Sunday nothing. Entries are whole hours inside the ficha's shift window (R8).
const WEEKDAY_WINDOWS = [
  { shift: 'MANANA', from: 6, to: 12 },
  { shift: 'TARDE', from: 12, to: 18 },
  { shift: 'NOCHE', from: 18, to: 22 },
] as const;
const WINDOWS: Record<number, ReadonlyArray<(typeof WEEKDAY_WINDOWS)[number]>> = {
  1: WEEKDAY_WINDOWS, 2: WEEKDAY_WINDOWS, 3: WEEKDAY_WINDOWS, 4: WEEKDAY_WINDOWS, 5: WEEKDAY_WINDOWS,
  6: WEEKDAY_WINDOWS.slice(0, 2),
  7: [],
};
/** R47 default `open_before_minutes`: Q1, Q2 and RL2 accept a session from start − 15 min. */
const OPEN_BEFORE_MINUTES = 15;
/** The journey after planning (platform start included) must fit before the session ends. */
export const MIN_MINUTES_LEFT = 8;

const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };
const hh = (h: number) => `${String(h).padStart(2, '0')}:00`;

function localParts(now: Date, zone: string) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', weekday: 'short', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
      .formatToParts(now)
      .map((p) => [p.type, p.value]),
  );
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    dayOfWeek: WEEKDAYS[parts.weekday],
    minute: Number(parts.hour) * 60 + Number(parts.minute) + Number(parts.second) / 60,
  };
}

/** A slot of `zone`'s today whose marking window holds now with MIN_MINUTES_LEFT to spare, or null. */
export function planIn(now: Date, zone: string): SessionPlan | null {
  const local = localParts(now, zone);
  const hour = Math.floor(local.minute / 60);
  // This hour's class, or the next hour's when its window (start − 15 min) is already open.
  for (const start of [hour, hour + 1]) {
    const window = WINDOWS[local.dayOfWeek].find((w) => w.from <= start && start < w.to);
    if (!window || local.minute < start * 60 - OPEN_BEFORE_MINUTES + 1) continue;
    const end = Math.min(start + 2, window.to);
    const minutesLeft = Math.floor(end * 60 - local.minute);
    if (minutesLeft < MIN_MINUTES_LEFT) continue;
    return { zone, date: local.date, dayOfWeek: local.dayOfWeek, shift: window.shift, startTime: hh(start), endTime: hh(end), minutesLeft };
  }
  return null;
}

/**
 * Bogotá when its clock allows a class now; otherwise a whole-hour `Etc/GMT±N` zone whose clock does
 * (SICORA_TIMEZONE is configurable, 00-conventions §5), so nights and Sundays in Bogotá still run the
 * journey. Null only when no zone from UTC−12 to UTC+14 is inside a weekday's shift window.
 */
export function planSession(now: Date): SessionPlan | null {
  const bogota = planIn(now, 'America/Bogota');
  if (bogota) return bogota;
  let best: SessionPlan | null = null;
  for (let offset = -12; offset <= 14; offset++) {
    // Etc zones carry the POSIX sign: Etc/GMT+5 is UTC−05:00.
    const zone = offset === 0 ? 'Etc/GMT' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
    const plan = planIn(now, zone);
    if (plan && (!best || plan.minutesLeft > best.minutesLeft)) best = plan;
  }
  return best;
}

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export interface Reply<T = Record<string, unknown>> {
  status: number;
  body: { success: boolean; data: T; error?: { code: string; message: string; details?: unknown } };
}

/** A client of the gateway: JSON or FormData bodies, bearer token, and `must` for steps that have to pass. */
export function gatewayClient(base: () => string) {
  async function call<T = Record<string, unknown>>(method: string, path: string, opts: { token?: string; json?: unknown; form?: FormData } = {}): Promise<Reply<T>> {
    const headers: Record<string, string> = {};
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    if (opts.json !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${base()}${path}`, { method, headers, body: opts.json !== undefined ? JSON.stringify(opts.json) : opts.form });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  }
  /** The envelope's data when the answer has `status`; otherwise the assertion names the step and the error. */
  async function must<T = Record<string, unknown>>(status: number, method: string, path: string, opts: { token?: string; json?: unknown; form?: FormData } = {}): Promise<T> {
    const res = await call<T>(method, path, opts);
    expect(res.status, `${method} ${path} → ${JSON.stringify(res.body).slice(0, 1500)}`).toBe(status);
    return res.body.data;
  }
  /** Login, and the forced first password change when the account asks for it; returns the access token. */
  async function signIn(identifier: string, password: string, next: string): Promise<string> {
    const login = await must<{ access_token: string; must_change_password: boolean }>(200, 'POST', '/api/v1/auth/login', { json: { identifier, password } });
    if (!login.must_change_password) return login.access_token;
    const changed = await must<{ access_token: string }>(200, 'POST', '/api/v1/auth/change-password', { token: login.access_token, json: { current_password: password, new_password: next } });
    return changed.access_token;
  }
  return { call, must, signIn };
}

/** A one-page PDF (a few hundred bytes): J1 decides the type by the `%PDF-` magic (§6.1). */
export function smallPdf(text: string): Uint8Array {
  const stream = `BT /F1 12 Tf 72 720 Td (${text}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(body.length);
    body += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new TextEncoder().encode(body);
}
