/**
 * Coded application errors. Domain code throws these through small factories; the platform's error
 * handler maps the kind to an HTTP status and writes the envelope, so nothing below `http/` knows HTTP.
 */
export type ErrorKind =
  | 'invalid_input'
  | 'invalid'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'method_not_allowed'
  | 'conflict'
  | 'gone'
  | 'payload_too_large'
  | 'uri_too_long'
  | 'unsupported_media_type'
  | 'rate_limited'
  | 'internal'
  | 'bad_gateway'
  | 'unavailable'
  | 'timeout';

export const statusByKind: Record<ErrorKind, number> = {
  invalid_input: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  gone: 410,
  payload_too_large: 413,
  uri_too_long: 414,
  unsupported_media_type: 415,
  invalid: 422,
  rate_limited: 429,
  internal: 500,
  bad_gateway: 502,
  unavailable: 503,
  timeout: 504,
};

export type ErrorDetails = Record<string, unknown> | Array<Record<string, unknown>>;

export interface FieldError {
  field: string;
  reason: string;
  message?: string;
}

export class AppError extends Error {
  readonly code: string;
  readonly kind: ErrorKind;
  readonly details: ErrorDetails | undefined;
  /** Extra response headers (Retry-After, WWW-Authenticate, …). */
  readonly headers: Record<string, string> | undefined;
  /** HATEOAS hints for the error envelope (e.g. change_password). */
  readonly links: Record<string, { href: string; method: string }> | undefined;

  constructor(
    code: string,
    kind: ErrorKind,
    message: string,
    details?: ErrorDetails,
    extra?: { headers?: Record<string, string>; links?: Record<string, { href: string; method: string }>; cause?: unknown },
  ) {
    super(message, extra?.cause === undefined ? undefined : { cause: extra.cause });
    this.name = 'AppError';
    this.code = code;
    this.kind = kind;
    this.details = details;
    this.headers = extra?.headers;
    this.links = extra?.links;
  }

  get status(): number {
    return statusByKind[this.kind];
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}

/** Factories for the common codes of 00-conventions §2. */
export const errors = {
  validation: (fields: FieldError[], message = 'Los datos enviados no son válidos') =>
    new AppError('VALIDATION_ERROR', 'invalid', message, { fields }),
  invalidInput: (message = 'La solicitud no se pudo interpretar', details?: ErrorDetails) =>
    new AppError('INVALID_INPUT', 'invalid_input', message, details),
  unauthenticated: (message = 'Se requiere autenticación') =>
    new AppError('UNAUTHENTICATED', 'unauthenticated', message, undefined, {
      headers: { 'WWW-Authenticate': 'Bearer realm="sicora"' },
    }),
  tokenExpired: () =>
    new AppError('TOKEN_EXPIRED', 'unauthenticated', 'El token de acceso expiró', undefined, {
      headers: { 'WWW-Authenticate': 'Bearer realm="sicora", error="invalid_token", error_description="expired"' },
    }),
  invalidToken: (message = 'El token de acceso no es válido') =>
    new AppError('INVALID_TOKEN', 'unauthenticated', message, undefined, {
      headers: { 'WWW-Authenticate': 'Bearer realm="sicora", error="invalid_token"' },
    }),
  tokenRevoked: () =>
    new AppError('TOKEN_REVOKED', 'unauthenticated', 'El token de acceso fue revocado', undefined, {
      headers: { 'WWW-Authenticate': 'Bearer realm="sicora", error="invalid_token"' },
    }),
  forbidden: (message = 'No tiene permisos para esta acción', details?: ErrorDetails) =>
    new AppError('INSUFFICIENT_PERMISSIONS', 'forbidden', message, details),
  passwordChangeRequired: () =>
    new AppError('PASSWORD_CHANGE_REQUIRED', 'forbidden', 'Debe cambiar su contraseña antes de continuar', undefined, {
      links: { change_password: { href: '/api/v1/auth/change-password', method: 'POST' } },
    }),
  notFound: (code = 'NOT_FOUND', message = 'Recurso no encontrado', details?: ErrorDetails) =>
    new AppError(code, 'not_found', message, details),
  conflict: (code = 'CONFLICT', message = 'El recurso entra en conflicto con el estado actual', details?: ErrorDetails) =>
    new AppError(code, 'conflict', message, details),
  payloadTooLarge: (message = 'El cuerpo de la solicitud es demasiado grande', details?: ErrorDetails) =>
    new AppError('PAYLOAD_TOO_LARGE', 'payload_too_large', message, details),
  unsupportedMediaType: (message = 'Tipo de contenido no soportado') =>
    new AppError('UNSUPPORTED_MEDIA_TYPE', 'unsupported_media_type', message),
  rateLimited: (retryAfterSeconds: number, details?: ErrorDetails) =>
    new AppError('RATE_LIMITED', 'rate_limited', 'Demasiadas solicitudes; intente más tarde', details, {
      headers: { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterSeconds))) },
    }),
  internal: (cause?: unknown) =>
    new AppError('INTERNAL_ERROR', 'internal', 'Error interno del servidor', undefined, { cause }),
  badGateway: (details?: ErrorDetails, message = 'El servicio dependiente respondió con un error') =>
    new AppError('BAD_GATEWAY', 'bad_gateway', message, details),
  unavailable: (details?: ErrorDetails, message = 'Servicio no disponible temporalmente', headers?: Record<string, string>) =>
    new AppError('SERVICE_UNAVAILABLE', 'unavailable', message, details, headers ? { headers } : undefined),
  gatewayTimeout: (details?: ErrorDetails, message = 'El servicio dependiente no respondió a tiempo') =>
    new AppError('GATEWAY_TIMEOUT', 'timeout', message, details),
};
