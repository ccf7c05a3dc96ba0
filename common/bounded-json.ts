// JSON.parse with a size and nesting bound, for every JSON text that comes from outside (signaling frames, peer
// payloads, report bodies). Deeply nested input is refused before it is parsed, so nothing later — a schema
// check, JSON.stringify when relaying — can overflow the stack on it.

export const DEFAULT_MAX_JSON_DEPTH = 32;
const utf8 = new TextEncoder();

export type BoundedJson = { ok: true; value: unknown } | { ok: false; code: 'too-large' | 'too-deep' | 'malformed'; error: string };

export function parseBoundedJson(text: string, limits: { maxBytes: number; maxDepth?: number }): BoundedJson {
  // TextEncoder, not Buffer: the page parses signaling frames with this too, and browsers have no Buffer.
  if (text.length > limits.maxBytes || utf8.encode(text).length > limits.maxBytes) {
    return { ok: false, code: 'too-large', error: `larger than ${limits.maxBytes} bytes` };
  }
  const maxDepth = limits.maxDepth ?? DEFAULT_MAX_JSON_DEPTH;
  if (jsonDepth(text) > maxDepth) return { ok: false, code: 'too-deep', error: `nested deeper than ${maxDepth} levels` };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, code: 'malformed', error: 'not valid JSON' };
  }
}

/** Deepest nesting of [ and { outside strings; a scan without recursion, so any input is safe to measure. */
export function jsonDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > deepest) deepest = depth;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return deepest;
}
