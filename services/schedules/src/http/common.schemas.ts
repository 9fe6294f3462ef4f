/** Schema pieces every resource of this service shares (the generic ones come from the platform). */
import { Type, type TSchema } from 'typebox';
import { Envelope } from '@sicora/platform/envelope';
import { Nullable, Uuid } from '@sicora/platform/schemas';

export const AuditFields = {
  created_by: Nullable(Uuid),
  updated_by: Nullable(Uuid),
  created_at: Type.String({ format: 'date-time' }),
  updated_at: Type.String({ format: 'date-time' }),
};

/** `{ id, code, name }` of a campus or program shown beside another resource. */
export const Ref = Type.Object({ id: Uuid, code: Type.String(), name: Type.String() });

export const ListEnvelope = <T extends TSchema>(item: T) => Envelope(Type.Array(item));

export const Security = [{ bearer: [] }];
