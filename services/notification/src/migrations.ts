/**
 * Where this service's committed migrations live (shared by buildApp and the separate worker).
 */
import { fileURLToPath } from 'node:url';

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../drizzle', import.meta.url));
