/** Schema pieces every resource of this service shares (the generic ones come from the platform). */
import { Type, type TSchema } from 'typebox';
import { Envelope } from '@sicora/platform/envelope';
import { PageQuery } from '@sicora/platform/pagination';
import { Nullable, Uuid } from '@sicora/platform/schemas';

export const Security = [{ bearer: [] }];

export function OneOf<const T extends readonly string[]>(values: T, options: { description?: string } = {}) {
  return Type.Unsafe<T[number]>(Type.Union(values.map((v) => Type.Literal(v)), options));
}

/** `field` / `-field` from an allow-list. */
export function SortQuery(fields: readonly string[]) {
  return Type.Optional(Type.String({ pattern: `^-?(${fields.join('|')})$`, maxLength: 40, description: `Orden: ${fields.map((f) => `${f}, -${f}`).join(', ')}` }));
}

export const ListEnvelope = <T extends TSchema>(item: T) => Envelope(Type.Array(item));

export const Instant = Type.String({ format: 'date-time' });
export const NInstant = Nullable(Instant);
export const NString = Nullable(Type.String());
export const NUuid = Nullable(Uuid);
/** An http(s) URL (§3: repository, deployment, website). */
export const HttpUrl = (max = 500) => Type.String({ maxLength: max, pattern: '^https?://[^\\s]+$', description: 'URL http(s)' });
export const Text = (min: number, max: number, description?: string) => Type.String({ minLength: min, maxLength: max, pattern: '\\S', ...(description ? { description } : {}) });
export const Score = Type.Number({ minimum: 0, maximum: 100 });
export const Reason = (min: number, max: number) => Type.Object({ reason: Text(min, max) }, { additionalProperties: false });

export { PageQuery };

export const Params = {
  team: Type.Object({ team_id: Uuid }),
  teamMember: Type.Object({ team_id: Uuid, student_id: Uuid }),
  idea: Type.Object({ idea_id: Uuid }),
  project: Type.Object({ project_id: Uuid }),
  stakeholder: Type.Object({ stakeholder_id: Uuid }),
  rubric: Type.Object({ rubric_id: Uuid }),
  deliverable: Type.Object({ deliverable_id: Uuid }),
  submission: Type.Object({ submission_id: Uuid }),
  submissionFile: Type.Object({ submission_id: Uuid, file_id: Uuid }),
  session: Type.Object({ session_id: Uuid }),
  sessionJuror: Type.Object({ session_id: Uuid, instructor_id: Uuid }),
  evaluation: Type.Object({ evaluation_id: Uuid }),
  changeRequest: Type.Object({ change_request_id: Uuid }),
  document: Type.Object({ document_id: Uuid }),
  documentVersion: Type.Object({ document_id: Uuid, version: Type.Integer({ minimum: 1, maximum: 20 }) }),
  group: Type.Object({ group_id: Uuid }),
};
