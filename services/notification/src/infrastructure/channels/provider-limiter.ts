/**
 * R34: at most N concurrent requests to one provider from this process (20 for Twilio, SNS and FCM; SMTP
 * is capped by the nodemailer pool instead). A tiny FIFO semaphore: p-limit is only a transitive
 * dependency here, and this is all of it that is needed.
 */
export const PROVIDER_CONCURRENCY = 20;

export type Limiter = <T>(fn: () => Promise<T>) => Promise<T>;

export function createLimiter(max: number): Limiter {
  let active = 0;
  const waiting: Array<() => void> = [];
  return async <T>(fn: () => Promise<T>): Promise<T> => {
    // A released slot is handed straight to the next waiter, so `active` never exceeds `max`.
    if (active < max) active++;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await fn();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else active--;
    }
  };
}
