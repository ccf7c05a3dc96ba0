// `npm start`'s process (signal/main.ts) on SIGTERM: /readyz turns 503 at once, a new room is refused with
// 'draining', the running room goes on, and the process exits 0 once that room has ended.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runnerRuntimeEnv } from '../scripts/runner-env';
import { expect, it } from 'vitest';
import { WebSocket } from 'ws';

it('SIGTERM drains the process: not ready, no new rooms, running room goes on, exit 0 when it ends', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'p2pcheck-main-drain-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html>');
  const child = spawn(process.execPath, ['--import', 'tsx', 'signal/main.ts'], {
    cwd: join(import.meta.dirname, '..'),
    env: { ...runnerRuntimeEnv(), HOST: '127.0.0.1', PORT: '0', TURN_ENABLED: 'false', STATIC_DIR: dir, DATA_DIR: dir, LOG_LEVEL: 'warn', DRAIN_TIMEOUT_S: '60' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    let out = '';
    const port = await new Promise<number>((resolve, reject) => {
      child.stdout!.on('data', (d: Buffer) => {
        out += String(d);
        const m = /open http:\/\/[^:]+:(\d+)\//.exec(out);
        if (m) resolve(Number(m[1]));
      });
      child.once('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
    });
    const base = `http://127.0.0.1:${port}`;
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`);
    await once(ws, 'open');
    const joined = once(ws, 'message');
    ws.send(JSON.stringify({ type: 'join', roomId: 'maindrainroommaindrain1' }));
    expect(JSON.parse(String((await joined)[0]))).toMatchObject({ type: 'joined' });
    expect((await fetch(`${base}/readyz`)).status).toBe(200);

    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    let status = 200;
    for (let i = 0; i < 50 && status === 200; i++) {
      status = (await fetch(`${base}/readyz`)).status;
      if (status === 200) await new Promise((r) => setTimeout(r, 50));
    }
    expect(status).toBe(503);
    const late = new WebSocket(`ws://127.0.0.1:${port}/ws`);
    await once(late, 'open');
    const refused = once(late, 'message');
    const closed = once(late, 'close');
    late.send(JSON.stringify({ type: 'join', roomId: 'maindrainroommaindrain2' }));
    expect(JSON.parse(String((await refused)[0]))).toMatchObject({ type: 'error', code: 'draining' });
    expect((await closed)[0]).toBe(1012);
    expect(child.exitCode).toBeNull(); // the running room holds the node up
    ws.send(JSON.stringify({ type: 'leave' }));
    const [code] = await exited;
    expect(code).toBe(0);
    ws.terminate();
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}, 30000);
