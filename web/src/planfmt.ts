// Display helpers shared by the plan pages and the task board: codes in the current language,
// plan durations, error text.
import { ApiError } from './api';
import { codeName, t } from './i18n';
import { store } from './state';

export const LEVELS = ['I', 'II', 'III', 'IV'];

export const levelName = (l: string | null | undefined) => codeName('level', l);
export const versionStatusName = (s: string | null | undefined) => codeName('planStatus', s);
export const taskStatusName = (s: string | null | undefined) => codeName('taskStatus', s);
export const roleName = (r: string | null | undefined) => codeName('role', r);
export const reportTypeName = (r: string | null | undefined) => codeName('reportType', r);
export const recipientName = (r: string | null | undefined) => codeName('recipient', r);

/** A plan duration in seconds: "30 分钟", "2 小时 30 分钟", "1 天" ("30 min" …). */
export function planDuration(s: number | null | undefined): string {
  if (typeof s !== 'number' || !Number.isFinite(s)) return '—';
  const parts: string[] = [];
  let n = Math.round(s);
  const d = Math.floor(n / 86400);
  n -= d * 86400;
  const h = Math.floor(n / 3600);
  n -= h * 3600;
  const m = Math.floor(n / 60);
  const sec = n - m * 60;
  if (d) parts.push(t('dur.d', { n: d }));
  if (h) parts.push(t('dur.h', { n: h }));
  if (m) parts.push(t('dur.m', { n: m }));
  if (sec || !parts.length) parts.push(t('dur.s', { n: sec }));
  return parts.join(' ');
}

/** An error from the node (or anything thrown) as one line. */
export function errorText(e: unknown): string {
  return e instanceof ApiError ? `${codeName('error', e.code)}: ${e.message}` : e instanceof Error ? e.message : String(e);
}

/** The date (YYYY-MM-DD) of an RFC 3339 time in the node's zone; '—' when absent. */
export function dateOnly(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat('en-CA', { timeZone: store.node?.timeZone ?? 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
}

/** The hash of a plans view: planHref('441200-PLN-1'), planHref('review', incidentId). */
export function planHref(...parts: string[]): string {
  return `#${['plans', ...parts.map(encodeURIComponent)].join('/')}`;
}
