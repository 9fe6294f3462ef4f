/**
 * Maps every error to the envelope of 00-conventions §2: AppErrors by kind, schema failures to 422
 * naming each field, body-parser failures to 400/413/415, and anything unexpected to a masked 500.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { errorEnvelope } from './envelope.ts';
import { AppError, isAppError, type FieldError } from './errors.ts';

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
    // Only name, message, code and stack: drivers put row values (personal data) in fields such as
    // pg's `detail`, which the default serializer would copy into the log.
    const e = err instanceof Error ? err : new Error(String(err));
    request.log.error(
      { err: { type: e.name, message: e.message, code: (e as { code?: unknown }).code, stack: e.stack }, request_id: request.id },
      'unexpected error',
    );
    appError = new AppError('INTERNAL_ERROR', 'internal', 'Error interno del servidor', { request_id: request.id });
  } else if (appError.status >= 500) {
    // A coded 5xx is an expected condition (a dependency down, a timeout): its code and cause suffice,
    // a stack trace of where it was thrown would only bury the line.
    const cause = appError.cause instanceof Error ? appError.cause.name : undefined;
    request.log.error({ code: appError.code, request_id: request.id, cause }, appError.message);
  }
  return sendError(request, reply, appError);
}

export function notFoundHandler(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return sendError(request, reply, new AppError('NOT_FOUND', 'not_found', 'Ruta no encontrada', { method: request.method }));
}
