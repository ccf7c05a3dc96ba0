// Two p2pcheck processes (signal/main.ts, as `npm start` runs it) on one PostgreSQL: a report saved through node A
// opens through node B. And a node whose DATABASE_URL points nowhere stops at start with one line naming it.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleLobbyReport } from '../../common/testdata/sample-lobby-report';
import { startTestPostgres, type TestPostgres } from './test-postgres';
import { runnerRuntimeEnv } from '../../scripts/runner-env';

let postgres: TestPostgres;
let url: string;
let dataDir: string;
const nodes: ChildProcess[] = [];

beforeAll(async () => {
  postgres = await startTestPostgres();
  url = await postgres.createDatabase('nodes');
  dataDir = mkdtempSync(join(tmpdir(), 'p2pcheck-nodes-'));
}, 120_000);
afterAll(async () => {
  for (const n of nodes) if (n.exitCode === null) n.kill('SIGKILL');
  await postgres?.stop();
  rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

function startNode(databaseUrl: string): { child: ChildProcess; port: Promise<number>; exit: Promise<{ code: number | null; stderr: string }> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'signal/main.ts'], {
    cwd: join(__dirname, '..', '..'),
    // Each node its own DATA_DIR: only the database is shared (with SQLite, B could not see A's report).
    env: { ...runnerRuntimeEnv(), HOST: '127.0.0.1', PORT: '0', TURN_ENABLED: 'false', DATA_DIR: mkdtempSync(join(dataDir, 'node-')), DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  nodes.push(child);
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const port = new Promise<number>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString();
      const m = /open http:\/\/[^:]+:(\d+)\//.exec(stdout);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`node exited (${code}) before listening: ${stderr}`)));
  });
  const exit = new Promise<{ code: number | null; stderr: string }>((resolve) => child.once('exit', (code) => resolve({ code, stderr })));
  return { child, port, exit };
}

describe('saved reports across nodes (PostgreSQL)', () => {
  it('a report saved through node A opens through node B', async () => {
    const [a, b] = [startNode(url), startNode(url)];
    const [portA, portB] = await Promise.all([a.port, b.port]);
    const ready = await fetch(`http://127.0.0.1:${portB}/readyz`);
    expect(ready.status).toBe(200);
    expect(((await ready.json()) as { checks: Record<string, string> }).checks).toEqual({ postgres: 'ok' });
    const saved = await fetch(`http://127.0.0.1:${portA}/api/reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ report: sampleLobbyReport() }),
    });
    expect(saved.status).toBe(201);
    const { id } = (await saved.json()) as { id: string };
    const opened = await fetch(`http://127.0.0.1:${portB}/api/reports/${id}`);
    expect(opened.status).toBe(200);
    expect(((await opened.json()) as { kind: string; redacted: boolean })).toMatchObject({ kind: 'lobby', redacted: true });
    expect((await fetch(`http://127.0.0.1:${portB}/api/reports/${'Z'.repeat(24)}`)).status).toBe(404);
    a.child.kill('SIGTERM');
    b.child.kill('SIGTERM');
    expect((await a.exit).code).toBe(0);
    expect((await b.exit).code).toBe(0);
  }, 90_000);

  it('a node whose DATABASE_URL points nowhere exits at start with one line naming it', async () => {
    const closed = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const port = (s.address() as { port: number }).port;
        s.close(() => resolve(port));
      });
    });
    const node = startNode(`postgres://app:s3cret@127.0.0.1:${closed}/reports`);
    node.port.catch(() => undefined);
    const { code, stderr } = await node.exit;
    expect(code).toBe(1);
    expect(stderr.trim()).toBe(`p2pcheck: configuration error: DATABASE_URL (app@127.0.0.1:${closed}/reports): cannot reach PostgreSQL (ECONNREFUSED): start it, or fix the host and port in DATABASE_URL`);
  }, 60_000);
});
