// A fresh database on the real PostgreSQL for one benchmark part, dropped afterwards — and on abort, through
// the run guard's cleanups — so a cut-short run leaves nothing behind.
export const PG_URL = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Runs fn(databaseUrl) on a new `bench_<prefix>_<pid>` database. */
export async function withDatabase(prefix, cleanups, fn) {
  const pg = (await import('pg')).default;
  const name = `bench_${prefix}_${process.pid}`;
  const exec = async (sql) => {
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await exec(`CREATE DATABASE ${name}`);
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  const drop = async () => {
    cleanups.delete(drop);
    await exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  };
  cleanups.add(drop);
  try {
    return await fn(url.toString());
  } finally {
    await drop();
  }
}
