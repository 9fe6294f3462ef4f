import { useState } from 'react';
import { useProjectCall, type CallInput } from '../api/projects.ts';

/** One write at a time with its error kept for the screen (which button is busy, what failed). */
export function useAction() {
  const { call } = useProjectCall();
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  async function run(key: string, input: CallInput): Promise<boolean> {
    setBusy(key);
    setError(null);
    try {
      await call(input);
      return true;
    } catch (err) {
      setError(err);
      return false;
    } finally {
      setBusy(null);
    }
  }
  return { run, busy, error, call, clear: () => setError(null) };
}
