// The page's HTTP calls to its server's API: an error answer becomes an ApiRequestError whose message is the
// plain-words sentence from limit-messages.ts (429 with Retry-After, 503, …), and which keeps the status, code and
// delay for whoever wants to act on them.
import { httpFailureText, parseRetryAfter, type ApiService, type HttpFailure } from './limit-messages';

export class ApiRequestError extends Error {
  override readonly name = 'ApiRequestError';
  constructor(
    readonly service: ApiService,
    readonly failure: HttpFailure,
  ) {
    super(httpFailureText(service, failure));
  }
}

const text = (v: unknown, max: number) => (typeof v === 'string' && v.length > 0 ? v.slice(0, max) : null);

/** Reads an error answer: {code, error, retryAfter?} when the body is JSON, the Retry-After header first. */
export async function httpFailureOf(res: Response, nowMs = Date.now()): Promise<HttpFailure> {
  const body = (await res.json().catch(() => null)) as { code?: unknown; error?: unknown; retryAfter?: unknown } | null;
  const fromBody = typeof body?.retryAfter === 'number' && Number.isFinite(body.retryAfter) && body.retryAfter >= 0 ? Math.ceil(body.retryAfter) : null;
  return {
    status: res.status,
    code: text(body?.code, 64),
    error: text(body?.error, 300),
    retryAfterSeconds: parseRetryAfter(res.headers.get('retry-after'), nowMs) ?? fromBody,
  };
}

/** fetch + JSON for one of the server's APIs; an error answer throws ApiRequestError. */
export async function fetchApiJson<T>(service: ApiService, input: string, init?: RequestInit): Promise<T> {
  const res = await fetch(input, init);
  if (!res.ok) throw new ApiRequestError(service, await httpFailureOf(res));
  return (await res.json()) as T;
}
