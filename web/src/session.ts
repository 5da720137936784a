// Who is signed in: the session (GET/POST/DELETE /api/v1/session), its permissions, and what
// happens when the node says the session is gone. The console shows only what `can()` allows.
import { ApiError, get, request, setCsrfToken, setUnauthenticatedHandler } from './api';
import type { Principal, SessionInfo } from './types';

let principal: Principal | null = null;
let expiryTimer: number | undefined;
let lostHandler: (() => void) | null = null;
let lost = false;

export function current(): Principal | null {
  return principal;
}

/** Whether the signed-in person holds the permission (anywhere in their jurisdiction). */
export function can(permission: string): boolean {
  return principal?.permissions.includes(permission) ?? false;
}

function adopt(s: SessionInfo): Principal {
  principal = s.principal;
  if (!Array.isArray(principal.permissions)) principal.permissions = [];
  if (!Array.isArray(principal.roles)) principal.roles = [];
  setCsrfToken(s.csrf_token ?? null);
  lost = false;
  watchExpiry(s.expires_at);
  return principal;
}

// When the session runs out, ask the node (which answers 401 and so triggers the handler), rather
// than trusting the browser's clock.
function watchExpiry(expiresAt: string | undefined): void {
  window.clearTimeout(expiryTimer);
  const at = expiresAt ? Date.parse(expiresAt) : NaN;
  if (!Number.isFinite(at)) return;
  const ms = Math.min(Math.max(at - Date.now() + 1000, 1000), 2 ** 31 - 1);
  expiryTimer = window.setTimeout(() => void probe(), ms);
}

/** The current session, or null when not signed in. */
export async function loadSession(): Promise<Principal | null> {
  try {
    return adopt(await get<SessionInfo>('/session', { quiet401: true }));
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return null;
    throw e;
  }
}

/** Checks the session is still there; a 401 calls the lost-session handler. */
export async function probe(): Promise<void> {
  try {
    adopt(await get<SessionInfo>('/session'));
  } catch {
    /* a 401 went to the handler; network errors: the stream keeps retrying */
  }
}

/** Signs in with a cookie session; throws ApiError (sign_in_failed, slow_down with retryAfterS). */
export async function signIn(name: string, password: string): Promise<Principal> {
  const r = await request<SessionInfo>('POST', '/session', { name, password, cookie: true }, { quiet401: true });
  return adopt(r.body);
}

export async function signOut(): Promise<void> {
  try {
    await request('DELETE', '/session', undefined, { quiet401: true });
  } finally {
    principal = null;
    setCsrfToken(null);
    window.clearTimeout(expiryTimer);
  }
}

export async function changePassword(currentPassword: string, newPassword: string): Promise<void> {
  await request('POST', '/session/password', { current_password: currentPassword, new_password: newPassword }, { quiet401: true });
}

/** fn runs once each time the node answers 401 unauthenticated (until the next sign-in). */
export function onSessionLost(fn: () => void): void {
  lostHandler = fn;
}

setUnauthenticatedHandler(() => {
  if (lost || !principal) return;
  lost = true;
  window.clearTimeout(expiryTimer);
  setCsrfToken(null);
  lostHandler?.();
});
