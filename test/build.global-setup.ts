/**
 * The journeys start `bin/sicora`, which runs the compiled bundle and rebuilds it when a source is newer.
 * Several journeys start at once: building here, once, before any of them, keeps them from rebuilding
 * dist/ under each other's feet, and makes every journey run the code as built for production.
 */
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';

export default async function setup(): Promise<void> {
  const builder = (await import(pathToFileURL(join(import.meta.dirname, '..', 'scripts', 'build.mjs')).href)) as {
    buildOnce: (opts: { quiet: boolean }) => Promise<void>;
  };
  await builder.buildOnce({ quiet: true });
}
