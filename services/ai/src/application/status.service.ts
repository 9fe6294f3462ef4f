/**
 * `/status`, `/suggestions` (R21) and the background probes readiness reports (R37): readiness never calls
 * another service; it reads what the latest probe found.
 */
import type { Actor, Deps } from './context.ts';
import type { RateLimiter } from './rate-limit.ts';
import { CONTEXT_CATEGORY } from './questions.service.ts';

export interface ProbeState {
  kb: { ok: boolean; search_mode: string | null };
  llm: boolean;
  attendance: boolean;
}

export function createProbes(deps: Pick<Deps, 'kb' | 'llm' | 'attendance'>) {
  const state: ProbeState = { kb: { ok: false, search_mode: null }, llm: false, attendance: false };
  const safe = async <T>(p: () => Promise<T>, fallback: T) => {
    try {
      return await p();
    } catch {
      return fallback;
    }
  };
  return {
    state,
    async run() {
      const [kb, llm, attendance] = await Promise.all([
        safe(() => deps.kb.probe(), { ok: false, search_mode: null }),
        deps.llm.configured ? safe(() => deps.llm.probe(), false) : Promise.resolve(false),
        safe(() => deps.attendance.probe(), false),
      ]);
      state.kb = kb;
      state.llm = llm;
      state.attendance = attendance;
    },
  };
}

export type Probes = ReturnType<typeof createProbes>;

/** §11: the suggested questions per role (`admin` uses the coordinador list). */
export const SUGGESTED: Record<string, string[]> = {
  aprendiz: ['¿Cómo registro mi asistencia con el código QR?', '¿Cómo justifico una inasistencia?', '¿Cuáles son mis derechos como aprendiz?', '¿Qué pasa si acumulo inasistencias sin justificar?', '¿Cómo evalúo a mis instructores?'],
  instructor: ['¿Cómo tomo asistencia escaneando el QR?', '¿Cómo reviso las justificaciones de mis aprendices?', '¿Qué hago ante tres inasistencias seguidas de un aprendiz?', '¿Cuál es el procedimiento para un llamado de atención?', '¿Cómo interpreto el reporte de riesgo de mi ficha?'],
  coordinador: ['¿Cuál es el debido proceso disciplinario?', '¿Qué faltas se consideran gravísimas?', '¿Cómo funciona el Comité de Evaluación y Seguimiento?', '¿Cuándo procede la cancelación de la matrícula?', '¿Cómo publico un artículo en la base de conocimiento?'],
  administrativo: ['¿Cómo cargo usuarios desde un archivo CSV?', '¿Cómo cambio mi contraseña?', '¿Dónde consulto los horarios de una ficha?', '¿Qué documentos sirven para justificar una inasistencia?', '¿Qué hago si mi cuenta está bloqueada?'],
};

export function createStatusService(deps: Deps, probes: Probes, limiter: RateLimiter) {
  return {
    async status(actor: Actor) {
      const used = await limiter.usedToday(actor.sub);
      const p = probes.state;
      return {
        answer_mode: deps.llm.configured ? ('generated' as const) : ('extractive' as const),
        llm: { configured: deps.llm.configured, model: deps.llm.model, available: deps.llm.configured && p.llm },
        streaming: true as const,
        kb: { available: p.kb.ok, search_mode: p.kb.search_mode },
        limits: { per_minute: deps.options.ratePerMinute, per_day: deps.options.ratePerDay, used_today: used, remaining_today: Math.max(0, deps.options.ratePerDay - used) },
        max_message_chars: 2000 as const,
      };
    },

    /** R21: up to 3 popular FAQ titles, then the role's list, until 6 distinct questions. */
    async suggestions(actor: Actor, context?: string) {
      const faqs = await deps.kb.faqTitles({ token: actor.token, requestId: actor.requestId }, context ? CONTEXT_CATEGORY[context] : undefined);
      const list = SUGGESTED[actor.role === 'admin' ? 'coordinador' : actor.role] ?? [];
      const out: string[] = [];
      for (const q of [...faqs.slice(0, 3), ...list]) if (!out.includes(q) && out.length < 6) out.push(q);
      return { questions: out };
    },

    ready() {
      const p = probes.state;
      return {
        kb: p.kb.ok ? ('ok' as const) : ('unreachable' as const),
        llm: { status: !deps.llm.configured ? ('not_configured' as const) : p.llm ? ('ok' as const) : ('unreachable' as const), model: deps.llm.model },
        attendance: p.attendance ? ('ok' as const) : ('unreachable' as const),
        answer_mode_default: deps.llm.configured ? ('generated' as const) : ('extractive' as const),
      };
    },
  };
}

export type StatusService = ReturnType<typeof createStatusService>;
