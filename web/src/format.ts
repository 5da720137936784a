// Display helpers: times in the node's zone, code values in the current language.
import { codeName, lang } from './i18n';
import { store } from './state';

const fmtCache = new Map<string, Intl.DateTimeFormat>();

function formatter(kind: 'short' | 'long'): Intl.DateTimeFormat {
  const zone = store.node?.timeZone ?? 'Asia/Shanghai';
  const key = `${kind}|${zone}|${lang()}`;
  let f = fmtCache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(lang() === 'en' ? 'en-GB' : 'zh-CN', {
      timeZone: zone,
      year: kind === 'long' ? 'numeric' : undefined,
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    fmtCache.set(key, f);
  }
  return f;
}

/** The time of day (HH:MM:SS) of an RFC 3339 time in the node's zone; '—' when absent. */
export function clockTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const zone = store.node?.timeZone ?? 'Asia/Shanghai';
  let f = fmtCache.get(`clock|${zone}`);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
    fmtCache.set(`clock|${zone}`, f);
  }
  return f.format(d);
}

/** An RFC 3339 time shown in the node's zone; '—' when absent. */
export function showTime(iso: string | null | undefined, kind: 'short' | 'long' = 'short'): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return formatter(kind).format(d);
}

/** Now (or d) as RFC 3339 with the offset of the given zone, e.g. 2026-11-29T13:05:00+08:00. */
export function rfc3339InZone(d: Date, zone: string): string {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(d);
  const p: Record<string, string> = {};
  for (const x of parts) p[x.type] = x.value;
  const wall = Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute, +p.second);
  const offMin = Math.round((wall - Math.floor(d.getTime() / 1000) * 1000) / 60000);
  const sign = offMin >= 0 ? '+' : '-';
  const a = Math.abs(offMin);
  const off = `${sign}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}${off}`;
}

export function typeName(code: string | null | undefined): string {
  if (!code) return '—';
  const ty = store.taxonomy?.types.find((x) => x.code === code);
  if (!ty) return code;
  return lang() === 'en' ? ty.name_en || code : ty.name_zh || code;
}

export const statusName = (c?: string | null) => codeName('status', c);
export const categoryName = (c?: string | null) => codeName('category', c);
export const priorityName = (c?: string | null) => codeName('priority', c);
export const gradeName = (c?: string | null) => codeName('grade', c);
export const channelName = (c?: string | null) => codeName('channel', c);

export function lonLatText(l: { lon: number; lat: number } | null | undefined): string {
  return l ? `${l.lon.toFixed(5)}, ${l.lat.toFixed(5)}` : '—';
}

/** The offset (minutes east of UTC) of zone at instant ms. */
function zoneOffsetMin(ms: number, zone: string): number {
  const m = /([+-])(\d\d):(\d\d)$/.exec(rfc3339InZone(new Date(ms), zone));
  if (!m) return 0;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}

/**
 * A wall time typed in the node's zone ('2026-11-29T13:05' from <input type=datetime-local>) as
 * RFC 3339 with that zone's offset; null when it is not such a time.
 */
export function wallToRfc3339(wall: string, zone: string): string | null {
  const m = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d)(?::(\d\d))?$/.exec(wall.trim());
  if (!m) return null;
  const asUtc = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], m[6] ? +m[6] : 0);
  // The offset at the guessed instant, then again at the corrected one (DST edges).
  let off = zoneOffsetMin(asUtc, zone);
  off = zoneOffsetMin(asUtc - off * 60000, zone);
  return rfc3339InZone(new Date(asUtc - off * 60000), zone);
}

/** A duration in seconds as m:ss (h:mm:ss from an hour); '—' when absent. */
export function durationText(s: number | null | undefined): string {
  if (typeof s !== 'number' || !Number.isFinite(s)) return '—';
  const n = Math.max(0, Math.round(s));
  const pad = (x: number) => String(x).padStart(2, '0');
  const h = Math.floor(n / 3600);
  const m = Math.floor((n % 3600) / 60);
  return h ? `${h}:${pad(m)}:${pad(n % 60)}` : `${m}:${pad(n % 60)}`;
}

/** A distance in metres: 850 m, 12.4 km; '—' when absent. */
export function distanceText(m: number | null | undefined): string {
  if (typeof m !== 'number' || !Number.isFinite(m)) return '—';
  return m < 1000 ? `${Math.round(m)} m` : `${(m / 1000).toFixed(m < 100000 ? 1 : 0)} km`;
}

export const unitTypeName = (c?: string | null) => codeName('unitType', c);
export const unitStatusName = (c?: string | null) => codeName('unitStatus', c);
