import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSicoraClient } from '@sicora/client';
import { portEnv, runSicora, tempDataDir, waitFor, waitForOutput, type Child } from './support.ts';

// `sicora start` as a real process on free ports: all nine services and the gateway, embedded back ends.
describe('sicora start (embedded platform)', () => {
  let dataDir: string;
  let urls: Record<string, string>;
  let env: Record<string, string>;
  let child: Child | undefined;

  beforeAll(async () => {
    dataDir = tempDataDir();
    ({ env, urls } = await portEnv());
  });

  afterAll(async () => {
    await child?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('when started on a fresh data dir, then the gateway reports all nine services ready', async () => {
    child = runSicora(['start'], { ...env, SICORA_DATA_DIR: dataDir, DATABASE_URL: '', REDIS_URL: '' });
    const health = await waitFor(`${urls.gateway}/health`, child, { timeoutMs: 120_000 });
    const report = health.body as { success: boolean; data: { status: string; services: Array<{ name: string; status: string }> } };
    expect(report.data.status).toBe('healthy');
    expect(report.data.services.map((s) => s.name).sort()).toEqual(
      ['ai', 'attendance', 'evalin', 'kb', 'notification', 'projecteval', 'schedules', 'users'],
    );
    expect(report.data.services.every((s) => s.status === 'up')).toBe(true);
    await waitForOutput(child, 'SICORA listo');
  }, 150_000);

  it('when a request passes through the gateway, then its X-Request-Id reaches the service and comes back', async () => {
    const api = createSicoraClient({ baseUrl: urls.gateway });
    const { error, response } = await api.GET('/api/v1/users/{id}', {
      params: { path: { id: 'does-not-exist' } },
      headers: { 'x-request-id': 'e2e-trace-000001' },
    });
    expect(response.headers.get('x-request-id')).toBe('e2e-trace-000001');
    expect(error?.success).toBe(false);
    // The envelope is written by the users service itself, so the id travelled upstream and back.
    expect(error?.meta.request_id).toBe('e2e-trace-000001');
  });

  it('when a demo user logs in through the gateway, then another service verifies that token with the JWKS alone', async () => {
    const api = createSicoraClient({ baseUrl: urls.gateway });
    // Martha Herrera, demo coordinadora (users.md §11): password = document number, first change forced.
    const login = await api.POST('/api/v1/auth/login', { body: { identifier: '51876234', password: '51876234' } });
    expect(login.response.status).toBe(200);
    api.setToken(login.data?.data.access_token);
    const changed = await api.POST('/api/v1/auth/change-password', { body: { current_password: '51876234', new_password: 'Horarios#Centro-2027' } });
    expect(changed.response.status).toBe(200);
    const token = changed.data!.data.access_token;
    // Straight to the schedules service (no gateway), same paths: it holds only the users service's public keys.
    const schedules = createSicoraClient({ baseUrl: urls.schedules, token });
    const campuses = await schedules.GET('/api/v1/campuses');
    expect(campuses.response.status).toBe(200);
    const tampered = `${token.slice(0, -4)}${token.slice(-4) === 'AAAA' ? 'BBBB' : 'AAAA'}`;
    schedules.setToken(tampered);
    const refused = await schedules.GET('/api/v1/campuses');
    expect(refused.response.status).toBe(401);
    expect(refused.error?.error.code).toBe('INVALID_TOKEN');
  });

  // The start-up time itself is measured by bench/startup.bench.mjs, not asserted here.
  it('when the platform restarts on the same data dir, then it is healthy again and keeps its data', async () => {
    const firstOutput = child?.output() ?? '';
    await child?.stop();
    child = runSicora(['start'], { ...env, SICORA_DATA_DIR: dataDir, DATABASE_URL: '', REDIS_URL: '' });
    const health = await waitFor(`${urls.gateway}/health`, child, { timeoutMs: 60_000 });
    expect((health.body as { data: { status: string } }).data.status).toBe('healthy');
    await waitForOutput(child, 'SICORA listo');
    // The admin's first login is printed once: on the start that created the admin, never again.
    expect(firstOutput).toContain('contraseña:');
    expect(child.output()).not.toContain('contraseña:');
  }, 90_000);
});
