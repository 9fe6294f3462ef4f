/**
 * The error envelope (00-conventions §2) as one error class the screens show in Spanish: the server's
 * `message`, the offending fields of a VALIDATION_ERROR (and WEAK_PASSWORD's broken rules) per field,
 * when to retry after a 429, and a plain message when the network itself failed.
 */

export interface Envelope {
  error?: { code?: string; message?: string; details?: Record<string, unknown> };
}

const PASSWORD_RULES: Record<string, string> = {
  length: 'Debe tener entre 10 y 128 caracteres.',
  lowercase: 'Debe tener al menos una letra minúscula.',
  uppercase: 'Debe tener al menos una letra mayúscula.',
  digit: 'Debe tener al menos un número.',
  symbol: 'Debe tener al menos un símbolo.',
  repetition: 'No repita un carácter tres veces seguidas.',
  sequence: 'No use secuencias como 123456, abcdef o qwerty.',
  personal_data: 'No use su documento, nombre, apellido ni correo.',
  forbidden_word: 'No use palabras prohibidas (sena, sicora, contraseña, admin…).',
};

export function passwordRuleMessage(rule: string): string {
  return PASSWORD_RULES[rule] ?? 'La contraseña no cumple la política.';
}

export class ApiError extends Error {
  readonly code: string;
  readonly status: number;
  readonly details: Record<string, unknown>;
  /** Field name (last segment of the path the server gave) → message to show under that field. */
  readonly fields: Record<string, string>;
  readonly retryAfterSeconds: number | null;

  constructor(opts: { code: string; status: number; message: string; details?: Record<string, unknown>; retryAfterSeconds?: number | null }) {
    super(opts.message);
    this.code = opts.code;
    this.status = opts.status;
    this.details = opts.details ?? {};
    this.retryAfterSeconds = opts.retryAfterSeconds ?? null;
    this.fields = fieldMessages(this.details);
  }

  /** What the screen shows above the form. */
  get display(): string {
    if (this.status === 429 && this.retryAfterSeconds) return `${this.message}. Intente de nuevo en ${this.retryAfterSeconds} s.`;
    return this.message;
  }
}

function fieldMessages(details: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  const fields = Array.isArray(details.fields) ? (details.fields as Array<{ field?: string; reason?: string; message?: string }>) : [];
  for (const f of fields) {
    const name = (f.field ?? '').split(/[./]/).filter(Boolean).pop() ?? '';
    if (name) out[name] = f.message ?? 'Valor no válido';
  }
  if (Array.isArray(details.rules)) out.new_password = (details.rules as string[]).map(passwordRuleMessage).join(' ');
  return out;
}

export function networkError(): ApiError {
  return new ApiError({ code: 'NETWORK_ERROR', status: 0, message: 'No hay conexión con el servidor. Revise su red e intente de nuevo.' });
}

export function errorFromResponse(response: Response, body: unknown): ApiError {
  const env = (body ?? {}) as Envelope;
  const retry = Number(response.headers.get('retry-after'));
  const fallback =
    response.status === 503 ? 'El servicio no está disponible en este momento' : response.status >= 500 ? 'Ocurrió un error en el servidor' : 'La solicitud no se pudo completar';
  return new ApiError({
    code: env.error?.code ?? `HTTP_${response.status}`,
    status: response.status,
    message: env.error?.message ?? fallback,
    details: env.error?.details,
    retryAfterSeconds: Number.isFinite(retry) && retry > 0 ? retry : null,
  });
}

/** An openapi-fetch result → its `data` (the envelope's data), or a thrown ApiError. */
export async function unwrap<T>(call: Promise<{ data?: { data: T }; error?: unknown; response: Response }>): Promise<T> {
  let result: Awaited<typeof call>;
  try {
    result = await call;
  } catch (err) {
    if (err instanceof ApiError) throw err;
    throw networkError();
  }
  if (result.error !== undefined || !result.response.ok) throw errorFromResponse(result.response, result.error);
  return (result.data as { data: T }).data;
}

export function messageOf(err: unknown): string {
  return err instanceof ApiError ? err.display : 'Ocurrió un error inesperado.';
}
