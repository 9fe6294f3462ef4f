import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, createPerson, must, PEOPLE_PASSWORD, runTag, startPlatform, type Person, type Platform } from './security.support.ts';

// Issue #18 item 2, brute force and enumeration on the auth endpoints through the gateway of a real
// `sicora start`, with many client addresses: each request carries its own `X-Forwarded-For`, believed
// through the trusted loopback hop (gateway.md R8, users R14), so the platform sees a crowd of attackers.
// - users R13: the lockout is per account, whatever the address; failures through the e-mail and the
//   document number count together; an unknown identifier is throttled the same way, so a lock reveals
//   nothing; staff unlock (U10) lifts it.
// - users R14 and the gateway's `auth`/`auth-recovery` policies (gateway.md §11): per-address limits hold,
//   and a forged address prepended to X-Forwarded-For does not escape them (only the first untrusted hop
//   from the right counts).
// - users R9, R24: login and forgot-password answer an unknown identifier exactly as a known one (status,
//   code, message, body shape), and a missing account costs a login about as long as a wrong password.
// The contract suite already checks each auth operation's inputs and roles; none of this is there.

let p: Platform;
let victim: Person;
let witness: Person;

/** A fresh documentation address (RFC 5737) per attempt: every attempt of a brute force from its own client. */
let lastOctet = 0;
const nextIp = (net = '203.0.113') => `${net}.${(lastOctet = (lastOctet % 250) + 1)}`;

async function login(identifier: string, password: string, ip: string) {
  const api = client(p.gateway);
  const res = await api.POST('/api/v1/auth/login', { body: { identifier, password }, headers: { 'x-forwarded-for': ip } });
  return { status: res.response.status, body: (res.data ?? res.error) as any, retryAfter: res.response.headers.get('retry-after') };
}

async function forgot(identifier: string, ip: string) {
  const api = client(p.gateway);
  const res = await api.POST('/api/v1/auth/forgot-password', { body: { identifier }, headers: { 'x-forwarded-for': ip } });
  return { status: res.response.status, body: (res.data ?? res.error) as any, retryAfter: res.response.headers.get('retry-after') };
}

/** The body's shape with the per-request values (time, request id, retry seconds) left out. */
function shape(body: any): unknown {
  const { meta, ...rest } = body ?? {};
  const error = rest.error ? { ...rest.error, details: rest.error.details ? Object.keys(rest.error.details).sort() : undefined } : undefined;
  return { ...rest, ...(error ? { error } : {}), meta: meta ? Object.keys(meta).sort() : undefined };
}

describe('security: brute force and enumeration on the auth endpoints through the gateway', () => {
  beforeAll(async () => {
    p = await startPlatform();
    victim = await createPerson(p, 'instructor');
    witness = await createPerson(p, 'instructor');
  }, 240_000);

  afterAll(async () => {
    await p?.stop();
  });

  it('when five guesses at one account come from five addresses, through its e-mail and its document, then the account is locked for every address, the right password included, until a staff unlock', async () => {
    const identifiers = [victim.email, victim.email, victim.email, victim.document, victim.document];
    for (const identifier of identifiers) {
      const res = await login(identifier, 'Incorrecta#2027-x', nextIp());
      // R13: the 5th failure is still a 401; it starts the lock.
      expect(res.status, JSON.stringify(res.body)).toBe(401);
      expect(res.body.error.code).toBe('INVALID_CREDENTIALS');
    }
    for (const identifier of [victim.email, victim.document]) {
      const locked = await login(identifier, PEOPLE_PASSWORD, nextIp('198.51.100'));
      expect(locked.status, JSON.stringify(locked.body)).toBe(429);
      expect(locked.body.error.code).toBe('LOGIN_LOCKED');
      expect(Number(locked.retryAfter)).toBeGreaterThan(0);
      expect(Number(locked.retryAfter)).toBeLessThanOrEqual(900);
      expect(locked.body.error.details.retry_after_seconds).toBeLessThanOrEqual(900);
    }
    // U10: a staff unlock lets the right password in again, from any address.
    await must(200, p.gateway, 'POST', `/api/v1/users/${victim.id}/unlock`, { token: p.admin });
    const again = await login(victim.document, PEOPLE_PASSWORD, nextIp('192.0.2'));
    expect(again.status, JSON.stringify(again.body)).toBe(200);
  });

  it('when an identifier that matches no account is guessed from five addresses, then its failures and its lock answer exactly as a real account\'s do', async () => {
    const ghost = `nadie.${runTag()}@e2e.sicora.test`;
    const real: unknown[] = [];
    const missing: unknown[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await login(witness.email, `Incorrecta#${i}-2027`, nextIp());
      const m = await login(ghost, `Incorrecta#${i}-2027`, nextIp());
      expect([r.status, m.status]).toEqual([401, 401]);
      real.push(shape(r.body));
      missing.push(shape(m.body));
    }
    expect(missing).toEqual(real);
    const realLock = await login(witness.email, PEOPLE_PASSWORD, nextIp('198.51.100'));
    const ghostLock = await login(ghost, PEOPLE_PASSWORD, nextIp('198.51.100'));
    expect([realLock.status, ghostLock.status]).toEqual([429, 429]);
    expect(shape(ghostLock.body)).toEqual(shape(realLock.body));
    expect(ghostLock.retryAfter).not.toBeNull();
    await must(200, p.gateway, 'POST', `/api/v1/users/${witness.id}/unlock`, { token: p.admin });
  });

  it('when login is tried with a known and an unknown e-mail or document, then both answers are the same 401 and take comparable time (a dummy hash runs for the missing account)', async () => {
    const probe = await createPerson(p, 'administrativo');
    const pairs = [
      [probe.email, `nadie.${runTag()}@e2e.sicora.test`],
      [probe.document, `9${runTag()}`.slice(0, 10)],
    ];
    const timings = { known: [] as number[], unknown: [] as number[] };
    for (const [known, unknown] of pairs) {
      for (let i = 0; i < 2; i++) {
        let t = performance.now();
        const k = await login(known, 'Incorrecta#Enum-2027', nextIp('192.0.2'));
        timings.known.push(performance.now() - t);
        t = performance.now();
        const u = await login(unknown, 'Incorrecta#Enum-2027', nextIp('192.0.2'));
        timings.unknown.push(performance.now() - t);
        expect(u.status).toBe(k.status);
        expect(k.status).toBe(401);
        expect(shape(u.body)).toEqual(shape(k.body));
      }
    }
    // Four failures, under the lock's five; a success clears the count (R12).
    expect((await login(probe.email, PEOPLE_PASSWORD, nextIp('192.0.2'))).status).toBe(200);
    // R9 "comparable timing": without the dummy verification a missing account would answer in a tenth of the time.
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    expect(median(timings.unknown), JSON.stringify(timings)).toBeGreaterThan(median(timings.known) / 3);
  });

  it('when forgot-password is asked for an active, an inactive and a missing account, then the three answers are the same 200 with the same body', async () => {
    const inactive = await createPerson(p, 'instructor');
    await must(200, p.gateway, 'POST', `/api/v1/users/${inactive.id}/deactivate`, { token: p.admin, json: { reason: 'Prueba de enumeración' } });
    const answers = [];
    for (const identifier of [witness.email, inactive.email, `nadie.${runTag()}@e2e.sicora.test`, witness.document, `7${runTag()}`.slice(0, 10)]) {
      const res = await forgot(identifier, nextIp('192.0.2'));
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      answers.push(shape(res.body));
    }
    for (const a of answers) expect(a).toEqual(answers[0]);
    expect((answers[0] as { message: string }).message).toBe('Si la cuenta existe, enviaremos un enlace de restablecimiento');
  });

  it('when one address asks forgot-password 21 times, even behind forged addresses on the left of X-Forwarded-For, then the 21st is 429 RATE_LIMITED and another address still gets 200', async () => {
    const attacker = '203.0.113.251';
    for (let i = 0; i < 20; i++) {
      // Whatever the client writes to the left, the first untrusted hop from the right is the attacker (R8).
      const res = await forgot(`nadie.${i}.${runTag()}@e2e.sicora.test`, `10.${i}.0.1, ${attacker}`);
      expect(res.status, `request ${i + 1}: ${JSON.stringify(res.body)}`).toBe(200);
    }
    const refused = await forgot(witness.email, `10.99.0.1, ${attacker}`);
    expect(refused.status, JSON.stringify(refused.body)).toBe(429);
    expect(refused.body.error.code).toBe('RATE_LIMITED');
    expect(Number(refused.retryAfter)).toBeGreaterThan(0);
    expect((await forgot(witness.email, '203.0.113.252')).status).toBe(200);
  });

  it('when one address sends 101 logins in a minute, each guessing a different identifier, then the 101st is 429 RATE_LIMITED, the right password included, while another address still logs in', async () => {
    const attacker = '198.51.100.250';
    const statuses: number[] = [];
    // Four at a time: 100 argon2 verifications (users R8) in a few seconds on two cores.
    for (let batch = 0; batch < 25; batch++) {
      const replies = await Promise.all(
        Array.from({ length: 4 }, (_, i) => login(`intruso.${batch}.${i}.${runTag()}@e2e.sicora.test`, 'Incorrecta#Fuerza-2027', attacker)),
      );
      statuses.push(...replies.map((r) => r.status));
    }
    expect(statuses.filter((s) => s !== 401), 'the first 100 are plain failures').toEqual([]);
    const refused = await login(witness.email, PEOPLE_PASSWORD, attacker);
    expect(refused.status, JSON.stringify(refused.body)).toBe(429);
    expect(refused.body.error.code).toBe('RATE_LIMITED');
    expect(Number(refused.retryAfter)).toBeGreaterThan(0);
    expect((await login(witness.email, PEOPLE_PASSWORD, '198.51.100.249')).status).toBe(200);
  }, 60_000);
});
