/**
 * Maps every error to the envelope of 00-conventions §2: AppErrors by kind, schema failures to 422
 * naming each field, body-parser failures to 400/413/415, and anything unexpected to a masked 500.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { errorEnvelope } from './envelope.ts';
import { AppError, isAppError, type FieldError } from './errors.ts';
import { serializeError } from './logging.ts';

interface AjvLikeError {
  instancePath?: string;
  keyword?: string;
  params?: Record<string, unknown>;
  message?: string;
}

const CONTEXT_PREFIX: Record<string, string> = { body: '', querystring: '', params: '', headers: 'header.' };

export function fieldErrorsFromValidation(validation: AjvLikeError[], context?: string): FieldError[] {
  const prefix = context ? (CONTEXT_PREFIX[context] ?? '') : '';
  const out: FieldError[] = [];
  const seen = new Set<string>();
  for (const v of validation) {
    let path = (v.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.');
    const params = v.params ?? {};
    if (v.keyword === 'required' && typeof params.missingProperty === 'string') {
      path = path ? `${path}.${params.missingProperty}` : params.missingProperty;
    } else if (v.keyword === 'additionalProperties' && typeof params.additionalProperty === 'string') {
      path = path ? `${path}.${params.additionalProperty}` : params.additionalProperty;
    }
    const field = `${prefix}${path || (context ?? 'body')}`;
    const reason = v.keyword === 'additionalProperties' ? 'unknown_field' : (v.keyword ?? 'invalid');
    const key = `${field}|${reason}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ field, reason, message: v.message ?? 'valor no válido' });
  }
  return out;
}

function fromFastifyError(err: FastifyError): AppError | undefined {
  if (Array.isArray(err.validation)) {
    return new AppError('VALIDATION_ERROR', 'invalid', 'Los datos enviados no son válidos', {
      fields: fieldErrorsFromValidation(err.validation as AjvLikeError[], err.validationContext),
    });
  }
  const status = err.statusCode ?? 500;
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('PAYLOAD_TOO_LARGE', 'payload_too_large', 'El cuerpo de la solicitud es demasiado grande');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError('UNSUPPORTED_MEDIA_TYPE', 'unsupported_media_type', 'Tipo de contenido no soportado');
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return new AppError('URI_TOO_LONG', 'uri_too_long', 'La dirección de la solicitud es demasiado larga');
    default:
      break;
  }
  if (status === 413) return new AppError('PAYLOAD_TOO_LARGE', 'payload_too_large', 'El cuerpo de la solicitud es demasiado grande');
  if (status === 415) return new AppError('UNSUPPORTED_MEDIA_TYPE', 'unsupported_media_type', 'Tipo de contenido no soportado');
  if (status === 404) return new AppError('NOT_FOUND', 'not_found', 'Recurso no encontrado');
  if (status === 429) return new AppError('RATE_LIMITED', 'rate_limited', 'Demasiadas solicitudes; intente más tarde');
  if (status >= 400 && status < 500) {
    // Malformed JSON, empty JSON body, bad multipart… the body could not be read at all.
    return new AppError('INVALID_INPUT', 'invalid_input', 'La solicitud no se pudo interpretar', { reason: err.code ?? 'bad_request' });
  }
  return undefined;
}

export function sendError(request: FastifyRequest, reply: FastifyReply, error: AppError): FastifyReply {
  if (error.headers) reply.headers(error.headers);
  return reply
    .code(error.status)
    .type('application/json; charset=utf-8')
    .send(errorEnvelope(request.id, error.code, error.message, error.details, error.links));
}

export function errorHandler(err: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  let appError: AppError | undefined;
  if (isAppError(err)) appError = err;
  else if (err && typeof err === 'object' && 'statusCode' in err || (err as FastifyError)?.validation) {
    appError = fromFastifyError(err as FastifyError);
  }
  if (!appError) {
    // The error and its causes, without the fields drivers fill with row values (logging.ts serializeError):
    // PostgreSQL's own reason (`22021 invalid byte sequence…`) sits in the cause of the ORM's error.
    request.log.error({ err: serializeError(err), request_id: request.id }, 'unexpected error');
    appError = new AppError('INTERNAL_ERROR', 'internal', 'Error interno del servidor', { request_id: request.id });
  } else if (appError.status >= 500) {
    // A coded 5xx is an expected condition (a dependency down, a timeout): its code and cause suffice,
    // a stack trace of where it was thrown would only bury the line. A verifier that holds no key yet
    // (users not started) is the normal start-up state: not an error.
    const cause = appError.cause instanceof Error ? appError.cause.name : undefined;
    const reason = (appError.details as { reason?: unknown } | undefined)?.reason;
    const level = appError.kind === 'internal' ? 'error' : reason === 'auth_keys_unavailable' ? 'info' : 'warn';
    request.log[level]({ code: appError.code, request_id: request.id, cause, reason }, appError.message);
  }
  return sendError(request, reply, appError);
}

/** The methods a path may be served with, probed in this order for a 405's `Allow`. */
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/**
 * Unmatched requests: 405 METHOD_NOT_ALLOWED with `Allow` when the path exists with other methods
 * (00-conventions §2), else 404 NOT_FOUND.
 */
export function notFoundHandler(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const url = request.raw.url ?? request.url;
  const query = url.indexOf('?');
  const path = query === -1 ? url : url.slice(0, query);
  const allowed = METHODS.filter((method) => method !== request.method && request.server.findRoute({ method, url: path }) !== null);
  if (allowed.length > 0) {
    const allow = [...allowed, 'OPTIONS'].join(', ');
    return sendError(
      request,
      reply,
      new AppError('METHOD_NOT_ALLOWED', 'method_not_allowed', 'Método no permitido para esta ruta', { method: request.method, allowed }, { headers: { Allow: allow } }),
    );
  }
  return sendError(request, reply, new AppError('NOT_FOUND', 'not_found', 'Ruta no encontrada', { method: request.method }));
}
