/**
 * The delivery files' check (scripts/check-deploy.mjs, run by .ci/run and ci.yml): it passes on the
 * repository's own files, and each defect planted in an in-memory copy is reported with a message that
 * names it. No Docker engine or cluster runs here, so these checks are what stands between a broken
 * Dockerfile, compose file, manifest or workflow and the first person who deploys it (docs/deploy.md).
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadManifests } from '@sicora/platform/manifests';
import { SERVICE_CATALOGUE } from '@sicora/platform/services';

interface Service {
  name: string;
  port: number;
  worker?: { port?: number };
}
interface Repo {
  services: Service[];
  files: string[];
  dockerfile?: string;
  dockerignore?: string;
  compose?: string;
  k8s: Array<{ path: string; text?: string }>;
  ci?: string;
  release?: string;
  ciRun?: string;
}
interface CheckDeploy {
  readRepo(): Repo;
  checkRepo(repo: Repo): Promise<string[]>;
  lintWorkflow(path: string, text: string): Promise<string[]>;
}

const ROOT = join(import.meta.dirname, '..', '..');
let check: CheckDeploy;
let repo: Repo;

beforeAll(async () => {
  // A plain .mjs script (it runs with node alone in CI): imported by URL, typed by the interface above.
  check = (await import(pathToFileURL(join(ROOT, 'scripts/check-deploy.mjs')).href)) as CheckDeploy;
  repo = check.readRepo();
});

/** Replaces text that must be there, so that a mutation can never silently do nothing. */
function swap(text: string | undefined, from: string | RegExp, to: string): string {
  if (text === undefined || !(typeof from === 'string' ? text.includes(from) : from.test(text))) throw new Error(`mutation target not found: ${String(from)}`);
  return text.replace(from, to);
}

function k8s(r: Repo, file: string, from: string | RegExp, to: string): void {
  const entry = r.k8s.find((f) => f.path === `deploy/k8s/${file}`);
  if (!entry) throw new Error(`no deploy/k8s/${file}`);
  entry.text = swap(entry.text, from, to);
}

type Mutation = [string, (r: Repo) => void, RegExp];

const mutations: Mutation[] = [
  // Dockerfile
  ['the Dockerfile has one stage', (r) => (r.dockerfile = swap(r.dockerfile, /FROM node:24-bookworm-slim AS build[\s\S]*?(?=FROM node:24-bookworm-slim AS runtime)/, '')), /needs two stages/],
  ['the runtime stage is on Node 20', (r) => (r.dockerfile = swap(r.dockerfile, 'FROM node:24-bookworm-slim AS runtime', 'FROM node:20-bookworm-slim AS runtime')), /based on node:20.*must be node:24/],
  ['the runtime stage has no USER', (r) => (r.dockerfile = swap(r.dockerfile, /^USER .*\n/m, '')), /no USER, so it runs as root/],
  ['the runtime stage runs as root', (r) => (r.dockerfile = swap(r.dockerfile, /^USER .*$/m, 'USER root')), /runs as root \(USER root\)/],
  ['the HEALTHCHECK is gone', (r) => (r.dockerfile = swap(r.dockerfile, /^HEALTHCHECK[^\n]*\\\n[^\n]*\n/m, '')), /no HEALTHCHECK/],
  ['the HEALTHCHECK uses curl', (r) => (r.dockerfile = swap(r.dockerfile, /^(HEALTHCHECK[^\n]*\\\n)\s*CMD \[.*\]$/m, '$1  CMD curl -f http://127.0.0.1:8000/health')), /curl\/wget/],
  ['a stage copies the tests', (r) => (r.dockerfile = swap(r.dockerfile, 'COPY services ./services\n', 'COPY services ./services\nCOPY test ./test\n')), /copies tests \(test\)/],
  ['the runtime stage installs dev dependencies', (r) => (r.dockerfile = swap(r.dockerfile, 'npm ci --omit=dev', 'npm ci')), /production dependencies only/],
  ['the runtime stage copies the build stage node_modules', (r) => (r.dockerfile = swap(r.dockerfile, 'COPY --from=build /out ./\n', 'COPY --from=build /out ./\nCOPY --from=build /app/node_modules ./node_modules\n')), /copies node_modules/],
  ['the image does not set HOST', (r) => (r.dockerfile = swap(r.dockerfile, /HOST=0\.0\.0\.0 \\\n\s*/, '')), /HOST=0\.0\.0\.0/],
  ['the build stage does not compile', (r) => (r.dockerfile = swap(r.dockerfile, 'RUN npm run build\n', 'RUN npm run build --if-present\n')), /must run "npm run build"/],
  ['the compiled code stays in the build stage', (r) => (r.dockerfile = swap(r.dockerfile, 'services dist /out/', 'services /out/')), /dist\/ \(the compiled code\) never reaches the runtime stage/],
  ['the build stage does not build the web app', (r) => (r.dockerfile = swap(r.dockerfile, 'RUN npm run web:build\n', '')), /must run "npm run web:build"/],
  ['the web app stays in the build stage', (r) => (r.dockerfile = swap(r.dockerfile, 'apps/web/package.json apps/web/dist /out/apps/web/', 'apps/web/package.json /out/apps/web/')), /apps\/web\/dist \(the web app/],
  ['the ENTRYPOINT runs tsx directly', (r) => (r.dockerfile = swap(r.dockerfile, 'ENTRYPOINT ["node", "bin/sicora"]', 'ENTRYPOINT ["npx", "tsx", "bin/cli/main.ts"]')), /ENTRYPOINT must be/],
  // .dockerignore
  ['.dockerignore lets in test files beside the sources', (r) => (r.dockerignore = swap(r.dockerignore, '**/*.test.ts\n', '')), /lets into the image: .*\.test\.ts/],
  ['.dockerignore lets in .env', (r) => (r.dockerignore = swap(r.dockerignore, '.env\n', '')), /lets into the image: .*\.env/],
  ['.dockerignore leaves out the migrations', (r) => (r.dockerignore = `${r.dockerignore}\n**/drizzle\n`), /leaves out files the services run from: .*drizzle/],
  ['.dockerignore leaves out the build script', (r) => (r.dockerignore = swap(r.dockerignore, '!scripts/build.mjs\n', '')), /leaves out files the services run from: scripts\/build\.mjs/],
  ['.dockerignore lets in a local dist/', (r) => (r.dockerignore = swap(r.dockerignore, /^dist\n/m, '')), /lets into the image: .*dist\/sicora\.js/],
  ['.dockerignore is missing', (r) => (r.dockerignore = undefined), /\.dockerignore: missing/],
  // docker-compose
  ['compose lacks a service', (r) => (r.compose = swap(r.compose, '  kb:\n', '  knowledge:\n')), /service kb is missing \(serve kb, port 8006/],
  ['compose gives a service the wrong PORT', (r) => (r.compose = swap(r.compose, 'PORT: "8002"', 'PORT: "8012"')), /schedules: PORT is 8012, but the service table says 8002/],
  ['compose has no notification worker', (r) => (r.compose = swap(r.compose, '  notification-worker:\n', '  mailer:\n')), /service notification-worker is missing/],
  ['compose points a URL at the wrong port', (r) => (r.compose = swap(r.compose, 'KB_URL: http://kb:8006', 'KB_URL: http://kb:8005')), /KB_URL must be http:\/\/kb:8006/],
  ['compose runs PostgreSQL without pgvector', (r) => (r.compose = swap(r.compose, 'image: pgvector/pgvector:pg16', 'image: postgres:16')), /no PostgreSQL service on a pgvector/],
  ['compose gives the gateway the aggregate as healthcheck', (r) => (r.compose = swap(r.compose, /\n\s*HEALTHCHECK_PATH: \/health\/live/, '')), /gateway: HEALTHCHECK_PATH must be \/health\/live/],
  ['compose does not parse', (r) => (r.compose = `${r.compose}\n  broken: [unclosed\n`), /docker-compose\.yml: YAML does not parse/],
  ['the repository gains a service the files lack', (r) => r.services.push({ name: 'reports', port: 8010 }), /service reports is missing[\s\S]*|no container runs \["serve","reports"\]/],
  // Kubernetes
  ['a k8s container has no readiness probe', (r) => k8s(r, 'sicora.yaml', /\n\s*readinessProbe: \{ httpGet: \{ path: \/health\/ready, port: 8003 \}[^\n]*/, ''), /container attendance: no readinessProbe/],
  ['the k8s Redis has no liveness probe', (r) => k8s(r, 'data.yaml', /\n\s*livenessProbe: \{ exec: \{ command: \["redis-cli", "ping"\] \}[^\n]*/, ''), /container redis: no livenessProbe/],
  ['a k8s container has no limits', (r) => k8s(r, 'sicora.yaml', ', limits: { cpu: "1", memory: 512Mi }', ''), /container users: resources\.limits needs cpu and memory/],
  ['a k8s container listens on the wrong port', (r) => k8s(r, 'sicora.yaml', 'containerPort: 8001', 'containerPort: 8011'), /container users: containerPort must be 8001/],
  ['the gateway liveness probes the aggregate', (r) => k8s(r, 'sicora.yaml', 'httpGet: { path: /health/live, port: 8000 }, periodSeconds: 20', 'httpGet: { path: /health, port: 8000 }, periodSeconds: 20'), /container gateway: livenessProbe must be GET \/health\/live on port 8000/],
  ['a k8s Service selects no pods', (r) => k8s(r, 'sicora.yaml', 'selector: { app.kubernetes.io/name: sicora, app.kubernetes.io/component: kb }', 'selector: { app.kubernetes.io/name: sicora, app.kubernetes.io/component: kb2 }'), /Service kb's selector does not select the pods of sicora-kb/],
  ['a k8s file is left out of the kustomization', (r) => k8s(r, 'kustomization.yaml', '  - data.yaml\n', ''), /deploy\/k8s\/data\.yaml is not in resources/],
  ['the k8s ConfigMap points a URL at the wrong port', (r) => k8s(r, 'config.yaml', 'USERS_URL: http://users:8001', 'USERS_URL: http://users:9001'), /ConfigMap USERS_URL must be http:\/\/users:8001/],
  ['a k8s file does not parse', (r) => k8s(r, 'config.yaml', 'data:\n', 'data: [\n'), /deploy\/k8s\/config\.yaml: YAML does not parse/],
  // workflows
  ['actionlint finds an error in a workflow', (r) => (r.release = swap(r.release, 'needs: ci', 'needs: tests')), /release\.yml:\d+:\d+: actionlint .*tests/],
  ['actionlint finds an unknown context property', (r) => (r.ci = swap(r.ci, 'ci-${{ github.workflow }}', 'ci-${{ github.no_such_property }}')), /ci\.yml:\d+:\d+: actionlint .*no_such_property/],
  ['a workflow does not parse', (r) => (r.ci = `${r.ci}\n  broken: [unclosed\n`), /ci\.yml: YAML does not parse/],
  ['CI has no pgvector service container', (r) => (r.ci = swap(r.ci, 'image: pgvector/pgvector:pg16', 'image: postgres:16')), /no PostgreSQL with pgvector service container/],
  ['the CI Redis container has no health check', (r) => (r.ci = swap(r.ci, / *--health-cmd "redis-cli ping"\n/, '')), /Redis 7 service container has no --health-cmd/],
  ['CI runs on Node 20', (r) => (r.ci = swap(r.ci, 'node-version: 24', 'node-version: 20')), /setup-node must use Node 24, found 20/],
  ['CI drops the lint step', (r) => (r.ci = swap(r.ci, 'run: npm run lint', 'run: echo skipped')), /does not run "npm run lint"/],
  ['CI drops the deployment check', (r) => (r.ci = swap(r.ci, 'run: node scripts/check-deploy.mjs', 'run: echo skipped')), /does not run "node scripts\/check-deploy\.mjs"/],
  ['CI runs the suite only on the embedded back ends', (r) => (r.ci = swap(r.ci, /\n\s*env:\n\s*DATABASE_URL: [^\n]*\n\s*REDIS_URL: [^\n]*/, '')), /no "npm test" step with DATABASE_URL and REDIS_URL/],
  ['CI does not install chromium', (r) => (r.ci = swap(r.ci, ' git xz-utils chromium >', ' git xz-utils >')), /chromium is not installed with apt-get/],
  ['the release uses an unpinned action', (r) => (r.release = swap(r.release, 'docker/build-push-action@v6', 'docker/build-push-action@master')), /docker\/build-push-action@master is not pinned/],
  ['the release grants write to everything', (r) => (r.release = swap(r.release, 'permissions: {}', 'permissions: write-all')), /top-level permissions grant write/],
  ['the release job may write the repository', (r) => (r.release = swap(r.release, '    permissions:\n      contents: read\n      packages: write', '    permissions:\n      contents: write\n      packages: write')), /job image grants write on contents/],
  ['the release also runs on a branch', (r) => (r.release = swap(r.release, '  push:\n', '  push:\n    branches: [main]\n')), /only a tag releases/],
  ['the release runs on no v* tag', (r) => (r.release = swap(r.release, 'tags: ["v*"]', 'tags: ["release-*"]')), /does not run on a v\* tag/],
  ['.ci/run no longer runs the check', (r) => (r.ciRun = swap(r.ciRun, 'node scripts/check-deploy.mjs', 'true')), /\.ci\/run: does not run node scripts\/check-deploy\.mjs/],
];

describe('deployment files (scripts/check-deploy.mjs)', () => {
  it('when the repository files are checked, then nothing is reported', async () => {
    expect(await check.checkRepo(repo)).toEqual([]);
  });

  it('when the script reads the service table, then it is the platform catalogue, workers included', async () => {
    expect(repo.services.map((s) => [s.name, s.port]).sort()).toEqual(SERVICE_CATALOGUE.map((s) => [s.name, s.port]).sort());
    const withWorker = (await loadManifests()).filter((m) => m.worker).map((m) => m.name);
    expect(repo.services.filter((s) => s.worker).map((s) => s.name)).toEqual(withWorker.sort());
    expect(repo.services.filter((s) => s.worker).every((s) => Number.isInteger(s.worker?.port))).toBe(true);
  });

  it('when actionlint crashes on a file, then that file is reported unchecked and the next one is still linted', async () => {
    // Deleting the text of a block scalar's first line, not its indentation, is what made the
    // WebAssembly build panic here.
    const broken = swap(repo.ci, '--health-cmd "redis-cli ping"\n', '');
    expect(await check.lintWorkflow('.github/workflows/ci.yml', broken)).toEqual([expect.stringMatching(/ci\.yml: actionlint crashed on this file .*unchecked/)]);
    expect(await check.lintWorkflow('.github/workflows/ci.yml', repo.ci!)).toEqual([]);
  });

  it.each(mutations)('when %s, then the check fails saying so', async (_label, mutate, message) => {
    const copy = structuredClone(repo);
    mutate(copy);
    const problems = await check.checkRepo(copy);
    expect(problems.some((p) => message.test(p)), `expected a problem matching ${message}, got:\n${problems.join('\n')}`).toBe(true);
  });
});
