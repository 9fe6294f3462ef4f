// ESLint flat config for the whole repository (`npm run lint`).
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';

// Plain .js/.mjs scripts run on Node: the running Node's own globals (process, Buffer, fetch, …) are the
// ones they may use, which spares a dependency on a hand-kept globals list.
const nodeGlobals = Object.fromEntries(Object.getOwnPropertyNames(globalThis).map((name) => [name, 'readonly']));

/**
 * Domain code is pure rules (01-architecture §3–§4): no HTTP, no database, no other service, and of the
 * platform only its errors and roles. Relative imports may not climb out of the service either; how far
 * "out" is depends on how deep the file sits below `src/domain`, so one block per depth.
 */
function domainBoundary(depth) {
  const climbOut = depth + 3; // domain/<depth folders>/file → src → <service> → services
  return {
    files: [`services/*/src/domain/${'*/'.repeat(depth)}*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(fastify|@fastify/[^/]+|drizzle-orm|pg)(/.*)?$',
              message: 'El dominio no depende de HTTP ni de la base de datos: muévalo a http/ o infrastructure/.',
            },
            {
              regex: '^@sicora/(?!platform/(errors|roles)$)',
              message: 'El dominio solo usa @sicora/platform/errors y @sicora/platform/roles, nunca otro servicio.',
            },
            {
              regex: `^(\\.\\./){${climbOut},}`,
              message: 'El dominio no importa código fuera de su servicio (otro servicio se llama por su API).',
            },
            {
              regex: `^(\\.\\./){${depth + 1}}(http|infrastructure)(/|$)`,
              message: 'El dominio no depende de http/ ni de infrastructure/.',
            },
          ],
        },
      ],
    },
  };
}

export default defineConfig(
  globalIgnores(['**/node_modules/', '**/coverage/', '**/data/', '**/drizzle/', '**/dist/']),
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    languageOptions: { globals: nodeGlobals },
  },
  {
    rules: {
      // A defensive initial value overwritten on every path (`let ok = false; try { ok = … } catch { ok = false }`)
      // is a style point, not a defect: reported, not failing the build.
      'no-useless-assignment': 'warn',
      // `_`-prefixed names are deliberately unused (Fastify handler signatures, destructuring to drop a key).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    files: ['**/test/**/*.ts', '**/*.test.ts', 'packages/platform/src/testing/**/*.ts'],
    rules: {
      // Tests read JSON bodies whose shape the assertion itself checks.
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  [0, 1, 2, 3].map(domainBoundary),
);
