import { useEffect, useRef, useState } from 'react';
import { useApi } from '../../../app/context.tsx';
import { deviceId } from '../../../lib/device.ts';
import { ApiError, networkError, unwrap } from '../../../lib/errors.ts';

export interface IssuedCode {
  code: string;
  expires_in_seconds: number;
  refresh_after_seconds: number;
  session: { schedule_id: string; session_date: string; subject: string; start_time: string; end_time: string; group_number: string };
}

/** Refusals that end the screen (web.md §4 Mi código): nothing more to show for this class. */
export const FINAL_CODES = new Set(['ATTENDANCE_ALREADY_RECORDED', 'SESSION_ENDED', 'ROLL_CLOSED', 'SESSION_CANCELLED', 'SESSION_NOT_FOR_STUDENT', 'QR_DEVICE_IN_USE']);
/** Never more than one Q1 call per 3 s, whatever the server says. */
export const MIN_INTERVAL_S = 3;
const RETRY_AFTER_ERROR_S = 5;

export type CodeState =
  | { kind: 'loading' }
  | { kind: 'showing'; issued: IssuedCode; secondsLeft: number }
  | { kind: 'ended'; error: ApiError }
  | { kind: 'retrying'; error: ApiError; last: IssuedCode | null };

/**
 * attendance Q1 in a loop: a new code after the server's `refresh_after_seconds` (never the phone's clock:
 * the countdown only counts elapsed seconds), at most one call per 3 s, the final refusals end the loop.
 */
export function useRotatingCode(scheduleId: string): CodeState {
  const api = useApi();
  const [state, setState] = useState<CodeState>({ kind: 'loading' });
  const last = useRef<IssuedCode | null>(null);

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let ticker: ReturnType<typeof setInterval> | undefined;

    async function issue() {
      if (stopped) return;
      clearInterval(ticker);
      try {
        const issued = await unwrap<IssuedCode>(
          api.POST('/api/v1/attendance/qr/codes', { body: { schedule_id: scheduleId, device_id: deviceId() } }) as never,
        );
        if (stopped) return;
        last.current = issued;
        const wait = Math.max(MIN_INTERVAL_S, issued.refresh_after_seconds);
        let left = wait;
        setState({ kind: 'showing', issued, secondsLeft: left });
        ticker = setInterval(() => {
          left = Math.max(0, left - 1);
          setState({ kind: 'showing', issued, secondsLeft: left });
        }, 1_000);
        timer = setTimeout(issue, wait * 1_000);
      } catch (err) {
        if (stopped) return;
        const error = err instanceof ApiError ? err : networkError();
        if (FINAL_CODES.has(error.code)) {
          setState({ kind: 'ended', error });
          return;
        }
        setState({ kind: 'retrying', error, last: last.current });
        timer = setTimeout(issue, Math.max(RETRY_AFTER_ERROR_S, error.retryAfterSeconds ?? 0) * 1_000);
      }
    }

    void issue();
    return () => {
      stopped = true;
      clearTimeout(timer);
      clearInterval(ticker);
    };
  }, [api, scheduleId]);

  return state;
}
