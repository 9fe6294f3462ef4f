/** One factory per kb error code (kb.md §8); the platform maps the kind to the status. */
import { AppError, errors, type FieldError } from '@sicora/platform/errors';

export const kbErrors = {
  validation: (fields: FieldError[]) => errors.validation(fields),
  forbidden: (message = 'No tiene permisos para esta acción') => errors.forbidden(message),
  itemNotFound: () => new AppError('ITEM_NOT_FOUND', 'not_found', 'El artículo no existe'),
  audienceNotAllowed: () => new AppError('AUDIENCE_NOT_ALLOWED', 'forbidden', 'Este contenido no está dirigido a su rol'),
  versionNotFound: () => new AppError('VERSION_NOT_FOUND', 'not_found', 'La versión no existe'),
  categoryNotFound: (field = 'category_id') => new AppError('CATEGORY_NOT_FOUND', 'not_found', 'La categoría no existe', { field }),
  tagNotFound: () => new AppError('TAG_NOT_FOUND', 'not_found', 'Ningún artículo usa esa etiqueta'),
  feedbackNotFound: () => new AppError('FEEDBACK_NOT_FOUND', 'not_found', 'No ha calificado este artículo'),
  importNotFound: () => new AppError('IMPORT_NOT_FOUND', 'not_found', 'La importación no existe'),
  invalidTransition: (from: string, to: string, allowed: string[]) =>
    new AppError('INVALID_STATUS_TRANSITION', 'conflict', `No se puede pasar de ${from} a ${to}`, { from, to, allowed }),
  versionConflict: (current: number) => new AppError('VERSION_CONFLICT', 'conflict', 'El artículo cambió mientras lo editaba', { current_version: current }),
  categorySlugExists: () => new AppError('CATEGORY_SLUG_EXISTS', 'conflict', 'Ya existe una categoría con ese identificador'),
  categoryNameExists: () => new AppError('CATEGORY_NAME_EXISTS', 'conflict', 'Ya existe una categoría con ese nombre en el mismo nivel'),
  categoryNotEmpty: () => new AppError('CATEGORY_NOT_EMPTY', 'conflict', 'La categoría tiene artículos o subcategorías'),
  categoryInactive: () => new AppError('CATEGORY_INACTIVE', 'invalid', 'La categoría está inactiva'),
  categoryHierarchyInvalid: (reason: 'cycle' | 'depth') =>
    new AppError('CATEGORY_HIERARCHY_INVALID', 'invalid', reason === 'cycle' ? 'La jerarquía formaría un ciclo' : 'La jerarquía supera tres niveles', { reason }),
  relatedItemInvalid: (id: string, reason: string) => new AppError('RELATED_ITEM_INVALID', 'invalid', 'Un artículo relacionado no es válido', { id, reason }),
  duplicateDocument: (importId: string) => new AppError('DUPLICATE_DOCUMENT', 'conflict', 'Este documento ya fue importado', { import_id: importId }),
  semanticUnavailable: (reason: string) => new AppError('SEMANTIC_SEARCH_UNAVAILABLE', 'conflict', 'La búsqueda semántica no está disponible', { reason }),
  embeddingJobRunning: () => new AppError('EMBEDDING_JOB_RUNNING', 'conflict', 'Ya hay una reconstrucción en curso'),
  importFormatUnsupported: (reason: string) => new AppError('IMPORT_FORMAT_UNSUPPORTED', 'invalid', 'El archivo no es una exportación válida de la base de conocimiento', { reason }),
  importValidationFailed: (errs: Array<{ path: string; id: string | null; reason: string }>) =>
    new AppError('IMPORT_VALIDATION_FAILED', 'invalid', 'El archivo contiene registros no válidos', { errors: errs.slice(0, 100), error_count: errs.length }),
  payloadTooLarge: (maxBytes: number) => errors.payloadTooLarge('El archivo supera el tamaño permitido', { max_bytes: maxBytes }),
  unsupportedMediaType: (message: string) => errors.unsupportedMediaType(message),
  rateLimited: (retryAfter: number, headers: Record<string, string>) =>
    new AppError('RATE_LIMITED', 'rate_limited', 'Demasiadas solicitudes; intente más tarde', { retry_after_seconds: retryAfter }, { headers: { ...headers, 'Retry-After': String(Math.max(1, Math.ceil(retryAfter))) } }),
};
