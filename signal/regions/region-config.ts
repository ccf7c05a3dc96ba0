// ICE_REGIONS: the TURN/STUN regions the page ranks by round trip (docs/deployment.md, "TURN regions"). Either a
// JSON array or the path of a file holding one:
//   [{ "id": "eu-west", "name": "Frankfurt",
//      "urls": ["stun:eu.example.org:3478", "turn:eu.example.org:3478?transport=udp", "turns:eu.example.org:5349?transport=tcp"],
//      "probe": "https://eu.example.org:9642", "secretEnv": "TURN_SECRET_EU", "alternatePort": 3479 }]
// Each region's secret is its TURN servers' TURN_SECRET: given as `secretEnv` (the name of a variable that holds
// it; keeps secrets out of the file) or inline as `secret`. Unset = no regions: the bundled server is the one
// region, exactly as before. Checked at start: a bad entry is one line naming ICE_REGIONS, the region and the fix.
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { z } from 'zod';
import { parseBoundedJson } from '../../common/bounded-json';
import type { IceRegionInfo } from '../../common/ice-regions';
import { ConfigError } from '../../turn/config-error';

export interface IceRegion extends IceRegionInfo {
  /** stun:, turn: and turns: URLs as configured. */
  urls: string[];
  /** The shared secret the region's TURN servers check credentials with (issued with; rotation is theirs). */
  secret: string;
}

const MAX_REGIONS = 32;
const MAX_BYTES = 64 * 1024;
const MIN_SECRET = 16;

/** stun:host[:port], turn(s):host[:port][?transport=udp|tcp]; host a name or an IP literal (IPv6 in brackets). */
const ICE_URL = /^(stun|turns?):(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]{1,253})(?::(\d{1,5}))?(\?transport=(udp|tcp))?$/;

const regionSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,31}$/, 'id must be 1 to 32 lower-case letters, digits or -, e.g. eu-west'),
    name: z.string().trim().min(1).max(64),
    urls: z.array(z.string().max(300)).min(1).max(16),
    probe: z.string().max(300).nullable().optional(),
    secret: z.string().optional(),
    secretEnv: z.string().regex(/^[A-Z_][A-Z0-9_]{0,63}$/, 'secretEnv must name an environment variable, e.g. TURN_SECRET_EU').optional(),
    alternatePort: z.number().int().min(1).max(65535).nullable().optional(),
    alternateHost: z.string().max(64).refine((h) => isIP(h) !== 0, 'alternateHost must be an IP literal').nullable().optional(),
  })
  .strict();

export function iceRegionsFromEnv(env: NodeJS.ProcessEnv, readFile: (path: string) => string = (p) => readFileSync(p, 'utf8')): IceRegion[] {
  const raw = env.ICE_REGIONS?.trim();
  if (!raw) return [];
  const fail = (why: string): never => {
    throw new ConfigError('ICE_REGIONS', `ICE_REGIONS: ${why}`);
  };
  let text = raw;
  if (!raw.startsWith('[')) {
    try {
      text = readFile(raw);
    } catch (err) {
      fail(`cannot read the file ${raw} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}): give a JSON array of regions or the path of a readable file holding one`);
    }
  }
  const json = parseBoundedJson(text, { maxBytes: MAX_BYTES, maxDepth: 6 });
  if (!json.ok) return fail(`not valid JSON (${json.code === 'malformed' ? json.error : `it is ${json.error}`}): give an array such as [{"id":"eu","name":"Frankfurt","urls":["stun:eu.example.org:3478"],"secretEnv":"TURN_SECRET_EU"}]`);
  if (!Array.isArray(json.value) || json.value.length === 0 || json.value.length > MAX_REGIONS) {
    return fail(`must be a JSON array of 1 to ${MAX_REGIONS} regions (or unset for the bundled server only)`);
  }
  const regions: IceRegion[] = [];
  json.value.forEach((entry, i) => {
    const label = `region ${i + 1}${entry && typeof entry === 'object' && 'id' in entry && typeof entry.id === 'string' ? ` ("${entry.id.slice(0, 32)}")` : ''}`;
    const parsed = regionSchema.safeParse(entry);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return fail(`${label}: ${issue.path.length ? `${issue.path.join('.')}: ` : ''}${issue.message}`);
    }
    const r = parsed.data;
    if (regions.some((x) => x.id === r.id)) fail(`${label}: the id "${r.id}" is used twice; give every region its own id`);
    for (const url of r.urls) if (!ICE_URL.test(url)) fail(`${label}: "${url}" is not a stun:, turn: or turns: URL (e.g. turn:eu.example.org:3478?transport=udp)`);
    const stun = r.urls.find((u) => u.startsWith('stun:'));
    if (!stun) fail(`${label}: urls need a stun: URL (the round trip is measured to it and the NAT check uses it)`);
    if (r.secret !== undefined && r.secretEnv !== undefined) fail(`${label}: give secret or secretEnv, not both`);
    const secret = r.secretEnv !== undefined ? env[r.secretEnv]?.trim() : r.secret?.trim();
    if (!secret) fail(`${label}: ${r.secretEnv ? `${r.secretEnv} (its secretEnv) is not set` : 'needs secretEnv (or secret)'}: the TURN_SECRET of the region's TURN servers`);
    if (secret!.length < MIN_SECRET) fail(`${label}: the secret is shorter than ${MIN_SECRET} characters: use a long random one (e.g. openssl rand -hex 24)`);
    let probe: string | null = null;
    if (r.probe) {
      let u: URL | null = null;
      try {
        u = new URL(r.probe);
      } catch {
        u = null;
      }
      if (!u || (u.protocol !== 'https:' && u.protocol !== 'http:') || u.search || u.hash || u.username || u.password) {
        fail(`${label}: probe must be the http(s) base URL of the region's probe peer, e.g. https://eu.example.org:9642`);
      }
      probe = u!.href.replace(/\/$/, '');
    }
    const m = ICE_URL.exec(stun!)!;
    regions.push({
      id: r.id,
      name: r.name,
      urls: r.urls,
      secret: secret!,
      primary: { host: m[2]!.replace(/^\[|\]$/g, ''), port: m[3] ? Number(m[3]) : 3478 },
      alternatePort: r.alternatePort ?? null,
      alternateHost: r.alternateHost ?? null,
      probe,
    });
  });
  return regions;
}

/** The origins the page's CSP must allow in connect-src for the regions' probe peers. */
export function probeOrigins(regions: readonly IceRegion[]): string[] {
  return [...new Set(regions.flatMap((r) => (r.probe ? [new URL(r.probe).origin] : [])))];
}

/** What /api/config says about a region: everything but its URLs' credentials and its secret. */
export function regionInfo(r: IceRegion): IceRegionInfo {
  return { id: r.id, name: r.name, primary: r.primary, alternatePort: r.alternatePort, alternateHost: r.alternateHost, probe: r.probe };
}
