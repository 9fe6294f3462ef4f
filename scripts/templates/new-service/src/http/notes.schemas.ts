/**
 * The notes API's TypeBox schemas: they validate requests (schema errors answer 422 VALIDATION_ERROR
 * naming each field) and are the OpenAPI document (`/docs`), so every field carries its description.
 */
import { Type } from 'typebox';
import { Envelope, errorResponses } from '@sicora/platform/envelope';
import { PageQuery } from '@sicora/platform/pagination';
import { IdParams, Nullable, Timestamp, Uuid } from '@sicora/platform/schemas';

export const NoteSchema = Type.Object(
  {
    id: Uuid,
    title: Type.String({ description: 'Título, sin espacios al inicio ni al final' }),
    body: Type.String({ description: 'Texto de la nota (puede estar vacío)' }),
    author_id: { ...Uuid, description: 'Usuario que escribió la nota' },
    created_at: { ...Timestamp, description: 'Instante de creación (ISO-8601 UTC)' },
    archived_at: Nullable(Timestamp, { description: 'Instante en que se archivó; null mientras está en la lista' }),
  },
  { description: 'Una nota' },
);

export const CreateNoteBody = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: 200, description: 'Título (1–200 caracteres, no solo espacios)' }),
    body: Type.Optional(Type.String({ maxLength: 5000, description: 'Texto de la nota (hasta 5 000 caracteres)' })),
  },
  { additionalProperties: false },
);

export const ListNotesQuery = Type.Object({ ...PageQuery }, { additionalProperties: false });

export const NoteParams = IdParams;

const security = [{ bearer: [] }];
const tags = ['notes'];

export const createNoteSchema = {
  summary: 'Crear una nota',
  description: 'Personal del centro e instructores (admin, coordinador, administrativo, instructor). El título se guarda sin espacios sobrantes.',
  tags,
  security,
  body: CreateNoteBody,
  response: { 201: Envelope(NoteSchema, 'La nota creada'), ...errorResponses(401, 403, 422) },
};

export const listNotesSchema = {
  summary: 'Listar notas',
  description: 'Toda persona autenticada; las no archivadas, las más recientes primero, paginadas (`page`, `page_size`).',
  tags,
  security,
  querystring: ListNotesQuery,
  response: { 200: Envelope(Type.Array(NoteSchema), 'Una página de notas'), ...errorResponses(401, 403, 422) },
};

export const getNoteSchema = {
  summary: 'Consultar una nota',
  description: 'Toda persona autenticada, también archivada (hasta que se purga). 404 NOT_FOUND si la nota no existe.',
  tags,
  security,
  params: NoteParams,
  response: { 200: Envelope(NoteSchema, 'La nota'), ...errorResponses(401, 403, 404, 422) },
};

export const archiveNoteSchema = {
  summary: 'Archivar una nota',
  description:
    'Personal del centro e instructores. La nota sale de la lista y se borra `__NAME___ARCHIVE_RETENTION_DAYS` días después (tarea diaria de las 03:00). Idempotente: archivarla de nuevo conserva el primer instante.',
  tags,
  security,
  params: NoteParams,
  response: { 200: Envelope(NoteSchema, 'La nota archivada'), ...errorResponses(401, 403, 404, 422) },
};
