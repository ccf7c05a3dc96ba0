// Serves the built page from one directory: hashed assets with long caching, index.html for every
// page route (the SPA routes itself; /report/<id> is one of them). Requests outside the directory are refused,
// a missing file (a name with an extension, or anything under /assets/) is a 404 rather than the page.
// Every answer, errors included, carries SECURITY_HEADERS (CSP, frame-ancestors, no referrer, nosniff); the page's
// CSP also names this host's WebSocket origin (pageSecurityHeaders).
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { pageSecurityHeaders, SECURITY_HEADERS } from './security-headers';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.txt': 'text/plain; charset=utf-8',
};

function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' }).end(text);
}

/** A path that names a file (not a page route): it is a 404 when missing, never the page. */
const namesAFile = (decoded: string) => decoded.startsWith('/assets/') || extname(decoded) !== '';

export function createStaticHandler(dir: string, connectOrigins: readonly string[] = []) {
  const root = resolve(dir);
  return async function serveStatic(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
    let decoded: string;
    try {
      decoded = decodeURIComponent(pathname);
    } catch {
      return sendText(res, 400, 'bad path');
    }
    const candidate = resolve(join(root, normalize(decoded)));
    const inside = candidate === root || candidate.startsWith(root + sep);
    const found = inside && (await isFile(candidate));
    if (!found && namesAFile(decoded)) return sendText(res, 404, 'not found');
    const file = found ? candidate : join(root, 'index.html');
    if (!(await isFile(file))) return sendText(res, 503, 'The page is not built yet: run `npm run build`.');
    const immutable = file.includes(`${sep}assets${sep}`);
    const isPage = extname(file) === '.html';
    res.writeHead(200, {
      ...(isPage ? pageSecurityHeaders(req.headers.host, connectOrigins) : SECURITY_HEADERS),
      'content-type': MIME[extname(file)] ?? 'application/octet-stream',
      'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    // The file may vanish between stat and read (a rebuild): end this answer, never the process.
    createReadStream(file)
      .on('error', () => res.destroy())
      .pipe(res);
  };
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
