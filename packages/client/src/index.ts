/**
 * @sicora/client: the gateway's API as typed calls. `paths` is generated from the gateway's merged
 * OpenAPI document (`npm run generate:client`, see docs/client.md); openapi-fetch does the requests.
 *
 *   const api = createSicoraClient({ baseUrl: 'http://127.0.0.1:8000' });
 *   const { data } = await api.POST('/api/v1/auth/login', { body: { identifier, password } });
 *   api.setToken(data?.data.access_token);
 *   const { data: me, response } = await api.GET('/api/v1/users/me');
 */
import createClient, { type Client, type ClientOptions, type Middleware } from 'openapi-fetch';
import type { paths } from './schema.ts';

export type { components, operations, paths } from './schema.ts';

export interface SicoraClientOptions extends Omit<ClientOptions, 'baseUrl'> {
  /** The gateway's origin, e.g. `http://127.0.0.1:8000` (the paths carry `/api/v1/…`). */
  baseUrl: string;
  /** The access token sent as `Authorization: Bearer …` until `setToken` replaces it. */
  token?: string;
}

export type SicoraClient = Client<paths> & {
  /** Replaces the bearer token for the requests that follow (`undefined`: send none). */
  setToken(token: string | undefined): void;
};

/**
 * Middleware sending `Authorization: Bearer <token>` with whatever `token()` returns at request time.
 * A request that sets its own `authorization` header keeps it (a test sending a tampered token).
 */
export function bearerAuth(token: () => string | undefined): Middleware {
  return {
    onRequest({ request }) {
      const value = token();
      if (value && !request.headers.has('authorization')) request.headers.set('authorization', `Bearer ${value}`);
      return request;
    },
  };
}

export function createSicoraClient({ token, ...options }: SicoraClientOptions): SicoraClient {
  const client = createClient<paths>(options);
  let current = token;
  client.use(bearerAuth(() => current));
  return Object.assign(client, {
    setToken(next: string | undefined) {
      current = next;
    },
  });
}
