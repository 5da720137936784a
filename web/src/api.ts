// The only way the console talks to the node: same-origin JSON over /api/v1 (docs/API.md). The
// session lives in an HttpOnly cookie the browser sends by itself; unsafe requests carry the
// session's CSRF token; an `unauthenticated` answer at any time goes to the handler session.ts sets.
import type { ApiErrorBody } from './types';

export const API = '/api/v1';

export class ApiError extends Error {
  constructor(
    readonly status: number, // 0: network failure
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly retryAfterS?: number, // from a 429's Retry-After header
  ) {
    super(message);
  }
  /** True when the same request may simply be sent again. */
  get retryable(): boolean {
    return this.status === 0 || this.status === 503;
  }
}

export interface Answer<T> {
  status: number;
  body: T;
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
let csrfToken: string | null = null;
let onUnauthenticated: (() => void) | null = null;

/** The token sent as X-CSRF-Token with every unsafe request (from the session answers). */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when a request is answered 401 unauthenticated (session expired, revoked, signed out). */
export function setUnauthenticatedHandler(fn: () => void): void {
  onUnauthenticated = fn;
}

export interface RequestOptions {
  headers?: Record<string, string>;
  /** Don't call the unauthenticated handler on a 401 (sign-in, the session probe). */
  quiet401?: boolean;
}

/** Errors are {code,message,field}; accept {error:{...}} as well. */
function errorBody(parsed: unknown): Partial<ApiErrorBody> {
  if (typeof parsed !== 'object' || parsed === null) return {};
  const o = parsed as Record<string, unknown>;
  if (typeof o.error === 'object' && o.error !== null) return o.error as Partial<ApiErrorBody>;
  return o as Partial<ApiErrorBody>;
}

export async function request<T>(method: string, path: string, body?: unknown, opts: RequestOptions = {}): Promise<Answer<T>> {
  let res: Response;
  try {
    res = await fetch(API + path, {
      method,
      credentials: 'same-origin',
      headers: {
        Accept: 'application/json',
        ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        ...(UNSAFE.has(method) && csrfToken ? { 'X-CSRF-Token': csrfToken } : {}),
        ...opts.headers,
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
  } catch (e) {
    throw new ApiError(0, 'network', e instanceof Error ? e.message : String(e));
  }
  const text = await res.text();
  let parsed: unknown = null;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = null;
    }
  }
  if (!res.ok) {
    const err = errorBody(parsed);
    const code = err.code ?? `http_${res.status}`;
    const ra = Number(res.headers.get('Retry-After'));
    const e = new ApiError(res.status, code, err.message ?? res.statusText, err.field, Number.isFinite(ra) && ra > 0 ? ra : undefined);
    if (res.status === 401 && code !== 'sign_in_failed' && !opts.quiet401) onUnauthenticated?.();
    throw e;
  }
  return { status: res.status, body: parsed as T };
}

export async function get<T>(path: string, opts?: RequestOptions): Promise<T> {
  return (await request<T>('GET', path, undefined, opts)).body;
}

export async function post<T>(path: string, body: unknown, headers?: Record<string, string>): Promise<T> {
  return (await request<T>('POST', path, body, { headers })).body;
}

/** A random UUID v4; crypto.randomUUID exists only in secure contexts, getRandomValues everywhere. */
export function uuid(): string {
  const c = globalThis.crypto;
  if (c && typeof c.randomUUID === 'function' && globalThis.isSecureContext) return c.randomUUID();
  const b = new Uint8Array(16);
  c.getRandomValues(b);
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
