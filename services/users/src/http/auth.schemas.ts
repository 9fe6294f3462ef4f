/**
 * Schemas of the authentication routes A1–A8.
 */
import { Type, type Static } from 'typebox';

const Secret = (max = 1024) => Type.String({ minLength: 1, maxLength: max });

/**
 * A1: the identifier (an e-mail or a document number, R9) comes as `identifier` or, as its alias, as
 * `email`: exactly one of the two, with the password.
 */
const LoginWithIdentifier = Type.Object({ identifier: Secret(254), password: Secret(1024) }, { additionalProperties: false, title: 'Con identifier' });
const LoginWithEmail = Type.Object({ email: Secret(254), password: Secret(1024) }, { additionalProperties: false, title: 'Con email (alias)' });
export const LoginBody = Type.Unsafe<Static<typeof LoginWithIdentifier> | Static<typeof LoginWithEmail>>({
  oneOf: [LoginWithIdentifier, LoginWithEmail],
  description: '`identifier` (correo o número de documento) o su alias `email`, uno de los dos, y `password`',
});
export const RefreshBody = Type.Object({ refresh_token: Secret(200) }, { additionalProperties: false });
export const LogoutBody = Type.Object({ refresh_token: Type.Optional(Secret(200)) }, { additionalProperties: false });
export const LogoutResult = Type.Object({ revoked_sessions: Type.Integer() });
export const ForgotBody = Type.Object({ identifier: Secret(254) }, { additionalProperties: false });
export const ResetBody = Type.Object({ token: Secret(200), new_password: Secret(1024) }, { additionalProperties: false });
export const ChangePasswordBody = Type.Object({ current_password: Secret(1024), new_password: Secret(1024) }, { additionalProperties: false });
export const ServiceTokenBody = Type.Object({ client_id: Secret(50), client_secret: Secret(512) }, { additionalProperties: false });
export const ServiceTokenSchema = Type.Object({ access_token: Type.String(), token_type: Type.Literal('Bearer'), expires_in: Type.Integer() });

export const PasswordPolicySchema = Type.Object({
  min_length: Type.Integer(), max_length: Type.Integer(), require_lower: Type.Boolean(), require_upper: Type.Boolean(),
  require_digit: Type.Boolean(), require_symbol: Type.Boolean(), forbidden_words: Type.Array(Type.String()),
});

/** A9: one sign-in per role for a newcomer trying the demo (web.md §3). */
export const DemoAccountSchema = Type.Object({
  role: Type.Union([Type.Literal('coordinador'), Type.Literal('administrativo'), Type.Literal('instructor'), Type.Literal('aprendiz')]),
  full_name: Type.String(),
  document_number: Type.String(),
  first_password_rule: Type.Literal('document_number', { description: 'La primera contraseña es el número de documento; se cambia al ingresar' }),
});
