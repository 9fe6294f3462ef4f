/**
 * The order OpenAPI documents list their responses in: numeric statuses ascending, then a range (`4XX`)
 * after the statuses it covers, then `default`. Pure, so the gateway's core/ (its I/O-free rules, which
 * merge the services' documents) uses the same order as the platform's route contract.
 */
export function statusOrder(key: string): number {
  const n = Number(key);
  if (Number.isInteger(n)) return n;
  const range = /^([1-5])xx$/i.exec(key);
  return range ? Number(range[1]) * 100 + 99 : 1000;
}
