/**
 * D1–D4: the caller's push devices (O4: another user's device is not found, and is never changed).
 */
import { toIso } from '@sicora/platform/schemas';
import type { Platform } from '../domain/enums.ts';
import { notificationErrors as E } from '../domain/notification.errors.ts';
import type { DeviceRow, DevicesRepo } from '../infrastructure/devices.repo.ts';

const view = (r: DeviceRow) => ({
  id: r.id, platform: r.platform as Platform, token_suffix: `…${r.token.slice(-8)}`, app_version: r.appVersion, device_name: r.deviceName,
  created_at: toIso(r.createdAt), last_seen_at: toIso(r.lastSeenAt),
});

export function createDevicesService(d: { devices: DevicesRepo; now: () => Date }) {
  return {
    async register(userId: string, input: { token: string; platform: string; app_version?: string; device_name?: string }) {
      const { row, created } = await d.devices.register(userId, input, d.now());
      return { device: view(row), created };
    },
    list: async (userId: string) => (await d.devices.listActive(userId)).map(view),
    /** D3: the user removes one of their devices. */
    async remove(userId: string, id: string) {
      if ((await d.devices.disable({ userId, id }, 'user_removed', d.now())) === 0) throw E.deviceNotFound();
    },
    /** D4: the app gives its token up (logout); a token that is not the caller's is ignored like an unknown one. */
    async unregister(userId: string, token: string) {
      await d.devices.disable({ userId, token }, 'unregistered', d.now());
    },
  };
}

export type DevicesService = ReturnType<typeof createDevicesService>;
