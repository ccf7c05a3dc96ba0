// A lobby member's shown name: the default from its browser and OS ("Firefox on Linux"), and the check of a name
// the person typed (the relay refuses the same: common/messages.ts MAX_PEER_NAME).
import { MAX_PEER_NAME } from '../../common/messages';

const BROWSERS: [RegExp, string][] = [
  [/Edg\//, 'Edge'],
  [/OPR\//, 'Opera'],
  [/SamsungBrowser\//, 'Samsung Internet'],
  [/Firefox\/|FxiOS\//, 'Firefox'],
  [/Chrome\/|CriOS\//, 'Chrome'],
  [/Safari\//, 'Safari'],
];
const SYSTEMS: [RegExp, string][] = [
  [/Android/, 'Android'],
  [/iPhone|iPad|iPod/, 'iOS'],
  [/CrOS/, 'ChromeOS'],
  [/Windows/, 'Windows'],
  [/Mac OS X|Macintosh/, 'macOS'],
  [/Linux/, 'Linux'],
];

/** "Chrome on Linux"; "Peer" when the user agent says nothing we know. */
export function defaultPeerName(userAgent: string): string {
  const browser = BROWSERS.find(([re]) => re.test(userAgent))?.[1];
  const system = SYSTEMS.find(([re]) => re.test(userAgent))?.[1];
  if (browser && system) return `${browser} on ${system}`;
  return browser ?? system ?? 'Peer';
}

/** The name as it goes on the wire, or an error a person can act on. */
export function checkPeerName(input: string): { ok: true; name: string } | { ok: false; error: string } {
  const name = input.trim().replace(/\s+/g, ' ');
  if (name.length === 0) return { ok: false, error: 'A name needs at least one character.' };
  if (name.length > MAX_PEER_NAME) return { ok: false, error: `A name has at most ${MAX_PEER_NAME} characters (this one has ${name.length}).` };
  return { ok: true, name };
}
