import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { REFERENCE_FILE, renderConfigReference } from '../../scripts/config-reference.ts';

// docs/configuration.md is generated from the configuration schemas (issue #18 item 5): a variable added,
// removed or changed in a schema without regenerating it makes the reference lie, and this test fail.
describe('docs/configuration.md', () => {
  it('when generated from the configuration schemas, then it equals the committed file (run `npx tsx scripts/config-reference.ts`)', async () => {
    expect(readFileSync(REFERENCE_FILE, 'utf8')).toBe(await renderConfigReference());
  });

  it('when a variable is read by a service, then the reference lists it with its default', async () => {
    const text = await renderConfigReference();
    expect(text).toContain('| `SICORA_TIMEZONE` | string | `America/Bogota` |');
    expect(text).toContain('| `GATEWAY_BREAKER_RESET_MS` | integer, 100–600000 | `30000` |');
    expect(text).toMatch(/## notification[\s\S]*\| `SMTP_URL` \|/);
  });
});
