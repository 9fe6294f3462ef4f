/**
 * Schemas of A11–A12: the embedded mail sink's message list and one message's id.
 */
import { Type } from 'typebox';
import { PageQuery } from '@sicora/platform/pagination';
import { MediaResponse } from '@sicora/platform/schemas';

export const SinkListQuery = Type.Object({ ...PageQuery }, { additionalProperties: false });
export const SinkEntrySchema = Type.Object({ id: Type.String(), to: Type.String(), subject: Type.String(), received_at: Type.String(), size_bytes: Type.Integer() });
export const SinkParams = Type.Object({ id: Type.String({ pattern: '^[0-9a-f-]{36}$' }) });
export const EmlSchema = MediaResponse('El archivo .eml tal como lo recibió el buzón', 'message/rfc822');
