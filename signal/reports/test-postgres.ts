// Test support (not a test): a real, throwaway PostgreSQL for tests. initdb into a temporary directory, pg_ctl start
// as the `postgres` user (when running as root) on a private port on 127.0.0.1 (and a unix socket in that directory),
// password authentication over TCP; stop() stops it and removes the directory. Debian's `postgresql` package puts
// initdb and pg_ctl in /usr/lib/postgresql/<version>/bin (not on PATH); PG_BIN overrides where to look.
import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

export interface TestPostgres {
  host: string;
  port: number;
  user: string;
  password: string;
  /** The directory of its unix socket: reachable from any network namespace (local connections need no password). */
  socketDir: string;
  /** postgres://postgres@localhost:port/<database>?host=<socketDir>: through the unix socket, from any namespace. */
  socketUrlFor(database: string): string;
  /** postgres://user:password@host:port/<database> */
  urlFor(database: string): string;
  /** Creates an empty database and returns its URL. */
  createDatabase(name: string): Promise<string>;
  /** Stops the server (fast shutdown) and removes its directory; idempotent. */
  stop(): Promise<void>;
}

/** The directory holding initdb and pg_ctl: PG_BIN, then Debian's /usr/lib/postgresql/<newest>/bin, then PATH. */
export function postgresBinDir(env: NodeJS.ProcessEnv = process.env): string {
  const has = (dir: string) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl'));
  if (env.PG_BIN) {
    if (has(env.PG_BIN)) return env.PG_BIN;
    throw new Error(`PG_BIN=${env.PG_BIN} holds no initdb and pg_ctl`);
  }
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a)) : [];
  for (const v of versions) if (has(join(root, v, 'bin'))) return join(root, v, 'bin');
  for (const dir of (env.PATH ?? '').split(delimiter)) if (dir && has(dir)) return dir;
  throw new Error('PostgreSQL is not installed (no initdb/pg_ctl in /usr/lib/postgresql/<version>/bin or on PATH): apt-get install postgresql, or set PG_BIN');
}

/** A TCP port free on `host` right now (test servers: Redis, PostgreSQL, benchmarks). */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, host, () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export async function startTestPostgres(opts: { host?: string } = {}): Promise<TestPostgres> {
  const host = opts.host ?? '127.0.0.1';
  const bin = postgresBinDir();
  const dir = mkdtempSync(join(tmpdir(), 'p2pcheck-pg-'));
  const data = join(dir, 'data');
  const password = 'test-' + Math.random().toString(36).slice(2);
  const asRoot = process.getuid?.() === 0;
  // initdb refuses to run as root: run the server binaries as `postgres`, owning the directory.
  const as = (cmd: string, args: string[]) => (asRoot ? run('runuser', ['-u', 'postgres', '--', join(bin, cmd), ...args]) : run(join(bin, cmd), args));
  writeFileSync(join(dir, 'pw'), password);
  if (asRoot) {
    const uid = Number((await run('id', ['-u', 'postgres'])).stdout.trim());
    const gid = Number((await run('id', ['-g', 'postgres'])).stdout.trim());
    chownSync(dir, uid, gid);
    chownSync(join(dir, 'pw'), uid, gid);
  }
  let port = 0;
  try {
    await as('initdb', ['-D', data, '-U', 'postgres', '--pwfile', join(dir, 'pw'), '--auth-local=trust', '--auth-host=scram-sha-256', '-E', 'UTF8', '--locale=C', '--no-sync', '--no-instructions']);
    // A port taken between freePort and the start is retried (bounded).
    for (let attempt = 0; ; attempt++) {
      port = await freePort(host);
      const settings = `-p ${port} -c listen_addresses=${host} -k ${dir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=60 -c shared_buffers=16MB`;
      try {
        await as('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-o', settings, '-w', '-t', '60', 'start']);
        break;
      } catch (err) {
        if (attempt >= 2) throw err;
      }
    }
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  const urlFor = (database: string) => `postgres://postgres:${encodeURIComponent(password)}@${host}:${port}/${database}`;
  let stopped = false;
  return {
    host,
    port,
    user: 'postgres',
    password,
    socketDir: dir,
    socketUrlFor: (database) => `postgres://postgres@localhost:${port}/${database}?host=${encodeURIComponent(dir)}`,
    urlFor,
    async createDatabase(name) {
      const client = new pg.Client({ connectionString: urlFor('postgres') });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE "${name.replace(/"/g, '')}"`);
      } finally {
        await client.end();
      }
      return urlFor(name);
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      try {
        await as('pg_ctl', ['-D', data, '-m', 'fast', '-w', '-t', '30', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
