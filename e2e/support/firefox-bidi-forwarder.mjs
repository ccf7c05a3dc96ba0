// Runs next to Firefox started inside a network namespace (see firefox.ts): passes Firefox's stderr through,
// and when Firefox says where its WebDriver BiDi server listens (127.0.0.1:<port> inside the namespace), opens
// the same port on 127.0.0.1 here and forwards each connection into the namespace through
// `ip netns exec <ns> node` (a loopback inside a namespace cannot be reached from outside otherwise).
// Only then is the line passed on, so puppeteer connects once the bridge listens. Exits with Firefox.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';

const ns = process.argv[2];
const PIPE = `const s=require('net').connect(+process.argv[1],'127.0.0.1');process.stdin.pipe(s);s.pipe(process.stdout);s.on('error',()=>process.exit(1));s.on('close',()=>process.exit(0));`;
let server = null;
const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  const m = /listening on ws:\/\/127\.0\.0\.1:(\d+)/.exec(line);
  if (!m || server) return void process.stderr.write(`${line}\n`);
  const port = Number(m[1]);
  server = createServer((sock) => {
    const child = spawn('ip', ['netns', 'exec', ns, process.execPath, '-e', PIPE, String(port)], { stdio: ['pipe', 'pipe', 'ignore'] });
    sock.pipe(child.stdin);
    child.stdout.pipe(sock);
    sock.on('error', () => child.kill());
    sock.on('close', () => child.kill());
    child.on('exit', () => sock.destroy());
  });
  server.listen(port, '127.0.0.1', () => process.stderr.write(`${line}\n`));
});
lines.on('close', () => {
  server?.close();
  process.exit(0);
});
