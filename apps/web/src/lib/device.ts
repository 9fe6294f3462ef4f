/** Q1's `device_id`: made once per browser and kept (web.md §4 Mi código). */
const KEY = 'sicora.device_id';

export function deviceId(storage: Pick<Storage, 'getItem' | 'setItem'> = localStorage): string {
  let id = storage.getItem(KEY);
  if (!id) {
    id = crypto.randomUUID();
    storage.setItem(KEY, id);
  }
  return id;
}
