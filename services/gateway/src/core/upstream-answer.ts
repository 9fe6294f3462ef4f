/**
 * Is an upstream 5xx body an error envelope that may pass through (gateway.md R7)? Anything else
 * (HTML, text, empty, truncated) is replaced by the gateway's own 502.
 */
export const ENVELOPE_READ_LIMIT = 65_536;

export function isErrorEnvelope(body: Buffer | undefined): boolean {
  if (!body || body.length === 0) return false;
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { success?: unknown; error?: { code?: unknown; message?: unknown } };
    return parsed.success === false && typeof parsed.error?.code === 'string' && typeof parsed.error.message === 'string';
  } catch {
    return false;
  }
}

export function statusClass(status: number): string {
  return `${Math.floor(status / 100)}xx`;
}
