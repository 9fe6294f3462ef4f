/**
 * The users service's coded errors (users.md §8), as small factories.
 */
import { AppError, type ErrorDetails } from '@sicora/platform/errors';

const changePasswordLink = { change_password: { href: '/api/v1/auth/change-password', method: 'POST' } };

export const userErrors = {
  invalidCredentials: () => new AppError('INVALID_CREDENTIALS', 'unauthenticated', 'Credenciales inválidas'),
  accountDisabled: () => new AppError('ACCOUNT_DISABLED', 'forbidden', 'La cuenta está desactivada'),
  loginLocked: (retryAfterSeconds: number) =>
    new AppError('LOGIN_LOCKED', 'rate_limited', 'Demasiados intentos fallidos; intente más tarde', { retry_after_seconds: retryAfterSeconds }, {
      headers: { 'Retry-After': String(retryAfterSeconds) },
    }),
  invalidRefreshToken: () => new AppError('INVALID_REFRESH_TOKEN', 'unauthenticated', 'La sesión no es válida o expiró'),
  refreshTokenReused: () =>
    new AppError('REFRESH_TOKEN_REUSED', 'unauthenticated', 'Se detectó el reuso de la sesión; inicie sesión de nuevo'),
  invalidClientCredentials: () => new AppError('INVALID_CLIENT_CREDENTIALS', 'unauthenticated', 'Credenciales de cliente inválidas'),
  currentPasswordIncorrect: () => new AppError('CURRENT_PASSWORD_INCORRECT', 'invalid_input', 'La contraseña actual es incorrecta'),
  weakPassword: (rules: string[]) =>
    new AppError('WEAK_PASSWORD', 'invalid', 'La contraseña no cumple la política de seguridad', { rules }),
  passwordReused: () => new AppError('PASSWORD_REUSED', 'invalid', 'La nueva contraseña debe ser diferente de la actual'),
  invalidResetToken: () => new AppError('INVALID_RESET_TOKEN', 'invalid_input', 'El enlace de restablecimiento no es válido o expiró'),
  userNotFound: () => new AppError('USER_NOT_FOUND', 'not_found', 'Usuario no encontrado'),
  sessionNotFound: () => new AppError('SESSION_NOT_FOUND', 'not_found', 'Sesión no encontrada'),
  emailExists: () => new AppError('EMAIL_ALREADY_EXISTS', 'conflict', 'El correo ya está registrado'),
  documentExists: () => new AppError('DOCUMENT_ALREADY_EXISTS', 'conflict', 'El número de documento ya está registrado'),
  roleNotAllowed: (role?: string) =>
    new AppError('ROLE_NOT_ALLOWED', 'forbidden', 'No puede asignar ese rol', role ? { role } : undefined),
  selfAction: () => new AppError('SELF_ACTION_NOT_ALLOWED', 'forbidden', 'No puede realizar esta acción sobre su propia cuenta'),
  insufficient: () => new AppError('INSUFFICIENT_PERMISSIONS', 'forbidden', 'No tiene permisos para esta acción'),
  groupRequired: () => new AppError('GROUP_REQUIRED', 'invalid', 'Un aprendiz debe pertenecer a una ficha'),
  groupNotAllowed: () => new AppError('GROUP_NOT_ALLOWED', 'invalid', 'Solo los aprendices pertenecen a una ficha'),
  groupNotFound: () => new AppError('GROUP_NOT_FOUND', 'invalid', 'La ficha no existe'),
  groupInactive: () => new AppError('GROUP_INACTIVE', 'invalid', 'La ficha no está activa'),
  groupFull: (details?: ErrorDetails) => new AppError('GROUP_FULL', 'conflict', 'La ficha alcanzó su cupo máximo de aprendices', details),
  userInactive: () => new AppError('USER_INACTIVE', 'conflict', 'La cuenta está inactiva'),
  userNotDeleted: () => new AppError('USER_NOT_DELETED', 'conflict', 'El usuario no está eliminado'),
  keysManagedByConfig: () =>
    new AppError('KEYS_MANAGED_BY_CONFIG', 'conflict', 'Las claves de firma vienen de la configuración; rótelas allí'),
  tokenRevoked: () =>
    new AppError('TOKEN_REVOKED', 'unauthenticated', 'El token de acceso fue revocado', undefined, {
      headers: { 'WWW-Authenticate': 'Bearer realm="sicora", error="invalid_token"' },
    }),
  bulkFailed: (items: Array<Record<string, unknown>>) =>
    new AppError('BULK_VALIDATION_FAILED', 'invalid', 'Uno o más elementos no son válidos; no se aplicó ningún cambio', { items }),
  exportTooLarge: () => new AppError('EXPORT_TOO_LARGE', 'invalid', 'La exportación supera 50 000 filas; use más filtros'),
  changePasswordLink,
};
