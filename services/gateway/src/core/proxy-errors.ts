/**
 * The gateway's own error codes (gateway.md §8) as small factories over the platform's AppError.
 */
import { AppError, errors } from '@sicora/platform/errors';
import { ALLOWED_METHODS, MAX_URL_BYTES, type PathProblem } from './path-hygiene.ts';

export const proxyErrors = {
  routeNotFound: (method: string) =>
    errors.notFound('ROUTE_NOT_FOUND', 'No existe una ruta para esta solicitud', { method }),
  badPath: (reason: PathProblem) => errors.invalidInput('La ruta de la solicitud no es válida', { reason }),
  uriTooLong: () =>
    new AppError('URI_TOO_LONG', 'uri_too_long', 'La dirección de la solicitud es demasiado larga', { max_bytes: MAX_URL_BYTES }),
  methodNotAllowed: (method: string) =>
    new AppError('METHOD_NOT_ALLOWED', 'method_not_allowed', 'Método HTTP no permitido', { method, allowed: ALLOWED_METHODS }, {
      headers: { Allow: ALLOWED_METHODS.join(', ') },
    }),
  // The rest of the body is never read, so the connection cannot carry another request.
  payloadTooLarge: (limitBytes: number) =>
    new AppError('PAYLOAD_TOO_LARGE', 'payload_too_large', 'El cuerpo de la solicitud es demasiado grande', { limit_bytes: limitBytes }, {
      headers: { Connection: 'close' },
    }),
  badGateway: (service: string, reason: string) =>
    errors.badGateway({ service, reason }, 'El servicio no respondió correctamente'),
  gatewayTimeout: (service: string) => errors.gatewayTimeout({ service }, 'El servicio no respondió a tiempo'),
  circuitOpen: (service: string, retryAfterSeconds: number) =>
    errors.unavailable({ service, reason: 'circuit_open' }, 'El servicio no está disponible temporalmente', {
      'Retry-After': String(Math.max(1, Math.ceil(retryAfterSeconds))),
    }),
};
