/**
 * What the web journeys need beside a running platform (web.md §5): headless Chromium (Debian's
 * /usr/bin/chromium through playwright-core), a screenshot per step under test-artifacts/web/, axe-core on
 * every page (no serious or critical violation), and a fake camera: a Y4M video of QR codes that Chromium
 * plays as its webcam (`--use-file-for-fake-video-capture`), read again each time the page opens the camera.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';
import QRCode from 'qrcode';
import { expect } from 'vitest';
import { ROOT } from './support.ts';

export const CHROMIUM = '/usr/bin/chromium';
export const HAS_CHROMIUM = existsSync(CHROMIUM);
export const ARTIFACTS = join(ROOT, 'test-artifacts', 'web');

/** Builds apps/web/dist when it is older than its sources (the gateway serves it, gateway.md R64). */
export async function buildWebApp(): Promise<void> {
  const mod = (await import(pathToFileURL(join(ROOT, 'apps', 'web', 'scripts', 'build.mjs')).href)) as { buildWeb: (o: { quiet: boolean }) => Promise<boolean> };
  await mod.buildWeb({ quiet: true });
}

export async function launch(opts: { fakeVideo?: string } = {}): Promise<Browser> {
  const args = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
  if (opts.fakeVideo) args.push('--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${opts.fakeVideo}`);
  return chromium.launch({ executablePath: CHROMIUM, args });
}

/** One screenshot per step, named in order, kept as a test artifact (not committed). */
export function stepper(prefix: string) {
  mkdirSync(ARTIFACTS, { recursive: true });
  let n = 0;
  return async (page: Page, name: string) => {
    n += 1;
    // A full-page capture of a scrolled page paints the fixed header mid-page: start from the top.
    await page.evaluate('window.scrollTo(0, 0)');
    await page.screenshot({ path: join(ARTIFACTS, `${prefix}-${String(n).padStart(2, '0')}-${name}.png`), fullPage: true });
  };
}

/** axe-core on the page as it is now: no serious or critical violation (web.md §5). */
export async function expectAccessible(page: Page, where: string): Promise<void> {
  const result = await new AxeBuilder({ page }).analyze();
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(
    bad.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(' | ')}`),
    `axe on ${where}`,
  ).toEqual([]);
}

/**
 * A Y4M (4:2:0) video showing each code for `secondsEach` at 5 frames per second, black on white, big
 * enough to decode. Chromium loops it, so the scanner sees every code again and again (the page ignores
 * repeats, the server answers a repeat by the same instructor as a replay).
 */
export function writeQrVideo(path: string, codes: string[], secondsEach = 3): void {
  // qr-scanner reads the central two thirds of the frame (320 px of 480): the code and its margin fit there.
  const W = 640;
  const H = 480;
  const fps = 5;
  const frames: Buffer[] = [Buffer.from(`YUV4MPEG2 W${W} H${H} F${fps}:1 Ip A1:1 C420jpeg\n`)];
  const chroma = Buffer.alloc((W / 2) * (H / 2) * 2, 128);
  for (const code of codes.length ? codes : ['']) {
    const y = Buffer.alloc(W * H, 235);
    if (code) {
      const qr = QRCode.create(code, { errorCorrectionLevel: 'M' });
      const size = qr.modules.size;
      const scale = Math.floor(280 / size);
      const x0 = Math.floor((W - size * scale) / 2);
      const y0 = Math.floor((H - size * scale) / 2);
      for (let r = 0; r < size; r++)
        for (let c = 0; c < size; c++)
          if (qr.modules.get(r, c))
            for (let dy = 0; dy < scale; dy++) y.fill(16, (y0 + r * scale + dy) * W + x0 + c * scale, (y0 + r * scale + dy) * W + x0 + (c + 1) * scale);
    }
    for (let f = 0; f < secondsEach * fps; f++) frames.push(Buffer.from('FRAME\n'), y, chroma);
  }
  writeFileSync(path, Buffer.concat(frames));
}
