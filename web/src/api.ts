// The only way the console talks to the node: same-origin JSON over /api/v1 (docs/API.md).
import type { ApiErrorBody } from './types';

export const API = '/api/v1';

export class ApiError extends Error {
  constructor(
    readonly status: number, // 0: network failure
    readonly code: string,
    message: string,
    readonly field?: string,
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

export async function request<T>(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Answer<T>> {
  let res: Response;
  try {
    res = await fetch(API + path, {
      method,
      headers: {
        Accept: 'application/json',
        ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        ...headers,
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
    const err = (parsed ?? {}) as Partial<ApiErrorBody>;
    throw new ApiError(res.status, err.code ?? `http_${res.status}`, err.message ?? res.statusText, err.field);
  }
  return { status: res.status, body: parsed as T };
}

export async function get<T>(path: string): Promise<T> {
  return (await request<T>('GET', path)).body;
}

export async function post<T>(path: string, body: unknown, headers?: Record<string, string>): Promise<T> {
  return (await request<T>('POST', path, body, headers)).body;
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
