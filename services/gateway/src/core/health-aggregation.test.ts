import { describe, expect, it } from 'vitest';
import {
  aggregateHealth,
  INITIAL_PROBE_STATE,
  nextProbeState,
  type GatewayHealth,
  type ServiceHealth,
} from './health-aggregation.ts';

const at = '2026-03-02T14:05:00.000Z';
const gw: GatewayHealth = { database: 'ok', redis: 'not_configured', jwks: 'not_configured', config_version: null };
const svc = (name: string, critical: boolean, extra: Partial<ServiceHealth> = {}): ServiceHealth => ({
  name,
  display_name: name,
  status: 'up',
  critical,
  latency_ms: 3,
  checked_at: at,
  circuit: 'closed',
  ...extra,
});

describe('probe state machine (§3.8)', () => {
  it('when probes succeed or fail, then one success is up and two consecutive failures of an up service are down', () => {
    const fail = { ok: false, latencyMs: 2_000, checkedAt: at };
    const ok = { ok: true, latencyMs: 4, checkedAt: at };
    expect(INITIAL_PROBE_STATE.status).toBe('unknown');
    expect(nextProbeState(INITIAL_PROBE_STATE, fail).status).toBe('down');
    const up = nextProbeState(INITIAL_PROBE_STATE, ok);
    expect(up).toEqual({ status: 'up', consecutiveFailures: 0, latencyMs: 4, checkedAt: at });
    const blip = nextProbeState(up, fail);
    expect(blip.status).toBe('up');
    expect(nextProbeState(nextProbeState(blip, fail), ok).status).toBe('up');
  });
});

describe('platform status (R37)', () => {
  it('when everything is up and closed, then healthy with the summary counted', () => {
    const r = aggregateHealth(at, gw, [svc('users', true), svc('kb', false)]);
    expect(r).toMatchObject({ status: 'healthy', checked_at: at, summary: { up: 2, down: 0, disabled: 0, total: 2 } });
  });

  it('when a non-critical service is down, a circuit half-open or a service unknown, then degraded', () => {
    expect(aggregateHealth(at, gw, [svc('users', true), svc('kb', false, { status: 'down' })]).status).toBe('degraded');
    expect(aggregateHealth(at, gw, [svc('users', true, { circuit: 'half_open' })]).status).toBe('degraded');
    expect(aggregateHealth(at, gw, [svc('users', true, { status: 'unknown' })]).status).toBe('degraded');
    expect(aggregateHealth(at, gw, [svc('kb', false, { circuit: 'open' })]).status).toBe('degraded');
  });

  it('when a critical service is down or its circuit open, or the gateway database fails, then unhealthy', () => {
    expect(aggregateHealth(at, gw, [svc('users', true, { status: 'down' })]).status).toBe('unhealthy');
    expect(aggregateHealth(at, gw, [svc('attendance', true, { circuit: 'open' })]).status).toBe('unhealthy');
    expect(aggregateHealth(at, gw, [svc('schedules', true, { circuit: 'forced_open' })]).status).toBe('unhealthy');
    expect(aggregateHealth(at, { ...gw, database: 'error' }, [svc('users', true)]).status).toBe('unhealthy');
  });
});
