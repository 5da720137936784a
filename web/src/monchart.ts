// A station parameter's chart, drawn by hand in SVG (no chart library in the stack): readings over
// time (a line through each bucket's mean, the readings themselves as dots when not down-sampled),
// the min–max band of down-sampled buckets, the limit lines of the water-quality classes (the
// station's target class bold and labelled, e.g. "III 类 0.005 mg/L", marked data-limit="III"),
// and the moments detectors fired (vertical marks in the level's colour). Zoom in time by dragging
// across the plot or with the wheel; `onZoom(fromMs, toMs)` then asks the owner for the range's
// readings, while the chart redraws at once with what it has. Scales and ticks are the pure
// functions below (web/README.md "Charts").
import { lang, t } from './i18n';
import type { ChartPoint, Limits } from './montypes';
import { store } from './state';

export interface FiredMark {
  at: number; // ms
  level: string;
  label: string;
}

export interface ChartData {
  points: ChartPoint[];
  unit: string;
  limits: Limits;
  fired: FiredMark[];
  from: number; // ms
  to: number; // ms
}

const SVG = 'http://www.w3.org/2000/svg';
const M = { left: 58, right: 104, top: 14, bottom: 26 };
const HEIGHT = 260;
export const MIN_SPAN_MS = 60_000;
export const MAX_SPAN_MS = 400 * 86_400_000;
export const LEVEL_COLOUR: Record<string, string> = {
  '': '#3fb37f',
  blue: '#3b82f6',
  yellow: '#f5d547',
  orange: '#ff9f1a',
  red: '#ff4d4f',
};

// ---- pure helpers ----

/** "Nice" ticks (1, 2 or 5 × 10^k apart) covering [lo, hi], about `count` of them. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi) || hi <= lo) return [lo];
  const raw = (hi - lo) / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let k = Math.ceil(lo / step); k * step <= hi + step * 1e-9 && out.length < 50; k++) out.push(Number((k * step).toPrecision(12)));
  return out;
}

/** The value axis: from 0 (or below, for negative data) to a little above the data and the limits. */
export function valueDomain(points: ChartPoint[], limits: Limits): [number, number] {
  const vals: number[] = [];
  for (const p of points) vals.push(p.min, p.max, p.last);
  if (typeof limits.target === 'number') vals.push(limits.target);
  if (typeof limits.range_low === 'number') vals.push(limits.range_low);
  const finite = vals.filter(Number.isFinite);
  if (!finite.length) return [0, 1];
  let lo = Math.min(...finite);
  let hi = Math.max(...finite);
  if (lo >= 0) lo = 0;
  if (hi <= lo) hi = lo === 0 ? 1 : lo + Math.abs(lo);
  return [lo, hi + (hi - lo) * 0.12];
}

/** A value with up to four significant digits, without trailing zeros: 0.005, 0.0125, 12.35. */
export function fmtValue(v: number): string {
  if (!Number.isFinite(v)) return '—';
  return String(Number(v.toPrecision(4)));
}

const TIME_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 2880, 10080].map((m) => m * 60_000);

/** The node zone's offset from UTC at `ms` (Asia/Shanghai: +8 h). */
function zoneOffset(ms: number, zone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
  }).formatToParts(new Date(ms));
  const n = (k: string) => Number(parts.find((p) => p.type === k)?.value ?? 0);
  return Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second')) - Math.floor(ms / 1000) * 1000;
}

/** Time ticks at round local times (every 10 min, 2 h, 1 day …), at most about 7. */
export function timeTicks(from: number, to: number, zone: string): number[] {
  const span = to - from;
  if (!(span > 0)) return [];
  const step = TIME_STEPS.find((s) => span / s <= 7) ?? Math.ceil(span / 7 / 86_400_000) * 86_400_000;
  const off = zoneOffset(from, zone);
  const out: number[] = [];
  for (let x = Math.ceil((from + off) / step) * step - off; x <= to && out.length < 20; x += step) out.push(x);
  return out;
}

function timeLabel(ms: number, span: number): string {
  const zone = store.node?.timeZone ?? 'Asia/Shanghai';
  const opts: Intl.DateTimeFormatOptions =
    span <= 86_400_000 ? { hour: '2-digit', minute: '2-digit' } : { month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' };
  return new Intl.DateTimeFormat(lang() === 'en' ? 'en-GB' : 'zh-CN', { ...opts, timeZone: zone, hourCycle: 'h23' }).format(new Date(ms));
}

/** The limit lines to draw: the target class, and other classes with a distinct value in view. */
export function limitLines(limits: Limits, domain: [number, number]): Array<{ cls: string; value: number; target: boolean }> {
  const out: Array<{ cls: string; value: number; target: boolean }> = [];
  const classes = limits.classes ?? {};
  const target = limits.target_class ?? '';
  if (typeof limits.target === 'number') out.push({ cls: target, value: limits.target, target: true });
  for (const [cls, value] of Object.entries(classes)) {
    if (cls === target || value < domain[0] || value > domain[1]) continue;
    if (out.some((l) => l.value === value)) continue;
    out.push({ cls, value, target: false });
  }
  return out;
}

// ---- drawing ----

function el<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>, text?: string): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

export class StationChart {
  readonly root: HTMLElement;
  private svg: SVGSVGElement;
  private readout: HTMLElement;
  private data: ChartData | null = null;
  private width = 560;
  private drag: { x0: number; rect: SVGRectElement } | null = null;
  private wheelTimer: number | undefined;

  constructor(private readonly onZoom: (from: number, to: number) => void) {
    this.root = document.createElement('div');
    this.root.className = 'mon-chart';
    this.readout = document.createElement('div');
    this.readout.className = 'chart-readout muted';
    this.readout.dataset.testid = 'chart-readout';
    this.svg = el('svg', { class: 'chart-svg', role: 'img', 'data-testid': 'chart-svg' });
    this.root.append(this.readout, this.svg);
    this.svg.addEventListener('mousedown', (e) => this.dragStart(e));
    window.addEventListener('mousemove', (e) => this.dragMove(e));
    window.addEventListener('mouseup', (e) => this.dragEnd(e));
    this.svg.addEventListener('mousemove', (e) => this.hover(e));
    this.svg.addEventListener('wheel', (e) => this.wheel(e), { passive: false });
  }

  draw(d: ChartData): void {
    this.data = d;
    this.width = Math.max(320, this.root.clientWidth || 560);
    const { svg, width } = this;
    svg.replaceChildren();
    svg.setAttribute('viewBox', `0 0 ${width} ${HEIGHT}`);
    svg.setAttribute('width', String(width));
    svg.setAttribute('height', String(HEIGHT));
    const visible = d.points.filter((p) => this.inView(Date.parse(p.t)));
    svg.dataset.points = String(visible.length);
    svg.dataset.from = new Date(d.from).toISOString();
    svg.dataset.to = new Date(d.to).toISOString();
    svg.setAttribute('aria-label', t('mon.chartAria', { n: visible.length }));
    const domain = valueDomain(visible, d.limits);
    const x = (ms: number) => M.left + ((ms - d.from) / (d.to - d.from)) * (width - M.left - M.right);
    const y = (v: number) => M.top + (1 - (v - domain[0]) / (domain[1] - domain[0])) * (HEIGHT - M.top - M.bottom);
    const right = width - M.right;
    const bottom = HEIGHT - M.bottom;

    const clipId = `clip-${Math.random().toString(36).slice(2)}`;
    const defs = el('defs', {});
    const clip = el('clipPath', { id: clipId });
    clip.append(el('rect', { x: M.left, y: M.top, width: right - M.left, height: bottom - M.top }));
    defs.append(clip);
    svg.append(defs, el('rect', { class: 'chart-bg', x: M.left, y: M.top, width: right - M.left, height: bottom - M.top }));

    for (const v of niceTicks(domain[0], domain[1], 5)) {
      svg.append(el('line', { class: 'chart-grid', x1: M.left, x2: right, y1: y(v), y2: y(v) }));
      svg.append(el('text', { class: 'chart-tick', x: M.left - 6, y: y(v) + 4, 'text-anchor': 'end' }, fmtValue(v)));
    }
    const span = d.to - d.from;
    for (const ms of timeTicks(d.from, d.to, store.node?.timeZone ?? 'Asia/Shanghai')) {
      svg.append(el('line', { class: 'chart-grid', x1: x(ms), x2: x(ms), y1: M.top, y2: bottom }));
      svg.append(el('text', { class: 'chart-tick', x: x(ms), y: bottom + 16, 'text-anchor': 'middle' }, timeLabel(ms, span)));
    }
    svg.append(el('text', { class: 'chart-unit', x: 4, y: M.top + 2 }, d.unit));

    const plot = el('g', { 'clip-path': `url(#${clipId})` });
    svg.append(plot);
    // The min–max band of down-sampled buckets.
    const banded = visible.filter((p) => p.n > 1);
    if (banded.length) {
      const top = banded.map((p) => `${x(Date.parse(p.t))},${y(p.max)}`);
      const low = banded.map((p) => `${x(Date.parse(p.t))},${y(p.min)}`).reverse();
      plot.append(el('polygon', { class: 'chart-band', 'data-testid': 'chart-band', points: [...top, ...low].join(' ') }));
    }
    const value = (p: ChartPoint) => (p.n > 1 ? p.mean : p.last);
    if (visible.length > 1)
      plot.append(
        el('polyline', { class: 'chart-line', 'data-testid': 'chart-line', points: visible.map((p) => `${x(Date.parse(p.t))},${y(value(p))}`).join(' ') }),
      );

    for (const l of [...limitLines(d.limits, domain)].reverse()) {
      const g = el('g', { class: `chart-limit${l.target ? ' target' : ''}`, 'data-testid': 'chart-limit', 'data-limit': l.cls, 'data-value': l.value });
      g.append(el('line', { x1: M.left, x2: right, y1: y(l.value), y2: y(l.value) }));
      g.append(el('text', { x: right + 4, y: y(l.value) + 4 }, t('mon.limitLabel', { cls: l.cls, value: fmtValue(l.value), unit: d.unit })));
      svg.append(g);
    }
    if (typeof d.limits.range_low === 'number') {
      const g = el('g', { class: 'chart-limit target', 'data-testid': 'chart-limit', 'data-limit': 'low' });
      g.append(el('line', { x1: M.left, x2: right, y1: y(d.limits.range_low), y2: y(d.limits.range_low) }));
      g.append(el('text', { x: right + 4, y: y(d.limits.range_low) + 4 }, t('mon.limitLow', { value: fmtValue(d.limits.range_low) })));
      svg.append(g);
    }

    for (const f of d.fired.filter((f) => this.inView(f.at))) {
      const g = el('g', { class: 'chart-fired', 'data-testid': 'chart-fired', 'data-level': f.level || 'none' });
      const c = LEVEL_COLOUR[f.level] ?? '#8b95a5';
      g.append(el('line', { x1: x(f.at), x2: x(f.at), y1: M.top, y2: bottom, stroke: c }));
      g.append(el('polygon', { points: `${x(f.at) - 5},${M.top} ${x(f.at) + 5},${M.top} ${x(f.at)},${M.top + 8}`, fill: c }));
      g.append(el('title', {}, f.label));
      svg.append(g);
    }

    if (visible.length <= 400) {
      const limit = d.limits.target;
      for (const p of visible) {
        const v = value(p);
        const over = typeof limit === 'number' && (d.limits.bound === 'lower' ? v < limit : v > limit);
        const c = el('circle', {
          class: `chart-point${over ? ' over' : ''}`,
          'data-testid': 'chart-point',
          'data-t': p.t,
          'data-value': v,
          cx: x(Date.parse(p.t)),
          cy: y(v),
          r: p.n > 1 ? 2 : 3.5,
        });
        c.append(el('title', {}, `${timeLabel(Date.parse(p.t), 0)} · ${fmtValue(v)} ${d.unit}${p.n > 1 ? ` (n=${p.n})` : ''}`));
        plot.append(c);
      }
    }
    if (!visible.length)
      svg.append(el('text', { class: 'chart-empty', x: (M.left + right) / 2, y: (M.top + bottom) / 2, 'text-anchor': 'middle' }, t('mon.chartEmpty')));
  }

  private inView(ms: number): boolean {
    return !!this.data && ms >= this.data.from && ms <= this.data.to;
  }

  private timeAt(clientX: number): number {
    const d = this.data!;
    const r = this.svg.getBoundingClientRect();
    const px = ((clientX - r.left) / r.width) * this.width;
    const f = Math.min(1, Math.max(0, (px - M.left) / (this.width - M.left - M.right)));
    return d.from + f * (d.to - d.from);
  }

  private localX(clientX: number): number {
    const r = this.svg.getBoundingClientRect();
    return Math.min(this.width - M.right, Math.max(M.left, ((clientX - r.left) / r.width) * this.width));
  }

  private dragStart(e: MouseEvent): void {
    if (!this.data || e.button !== 0) return;
    e.preventDefault();
    const x0 = this.localX(e.clientX);
    const rect = el('rect', { class: 'chart-select', 'data-testid': 'chart-select', x: x0, y: M.top, width: 0, height: HEIGHT - M.top - M.bottom });
    this.svg.append(rect);
    this.drag = { x0, rect };
  }

  private dragMove(e: MouseEvent): void {
    if (!this.drag) return;
    const x1 = this.localX(e.clientX);
    this.drag.rect.setAttribute('x', String(Math.min(this.drag.x0, x1)));
    this.drag.rect.setAttribute('width', String(Math.abs(x1 - this.drag.x0)));
  }

  private dragEnd(e: MouseEvent): void {
    if (!this.drag || !this.data) return;
    const { x0, rect } = this.drag;
    this.drag = null;
    rect.remove();
    const x1 = this.localX(e.clientX);
    if (Math.abs(x1 - x0) < 6) return;
    const d = this.data;
    const at = (px: number) => d.from + ((px - M.left) / (this.width - M.left - M.right)) * (d.to - d.from);
    let a = at(Math.min(x0, x1));
    let b = at(Math.max(x0, x1));
    if (b - a < MIN_SPAN_MS) {
      const mid = (a + b) / 2;
      a = mid - MIN_SPAN_MS / 2;
      b = mid + MIN_SPAN_MS / 2;
    }
    this.zoomTo(a, b, 0);
  }

  private wheel(e: WheelEvent): void {
    if (!this.data) return;
    e.preventDefault();
    const d = this.data;
    const at = this.timeAt(e.clientX);
    const k = e.deltaY < 0 ? 0.7 : 1 / 0.7;
    const span = Math.min(MAX_SPAN_MS, Math.max(MIN_SPAN_MS, (d.to - d.from) * k));
    const f = (at - d.from) / (d.to - d.from);
    this.zoomTo(at - f * span, at + (1 - f) * span, 250);
  }

  private zoomTo(from: number, to: number, delayMs: number): void {
    if (!this.data) return;
    this.draw({ ...this.data, from, to });
    window.clearTimeout(this.wheelTimer);
    this.wheelTimer = window.setTimeout(() => this.onZoom(Math.round(from), Math.round(to)), delayMs);
  }

  private hover(e: MouseEvent): void {
    const d = this.data;
    if (!d || this.drag) return;
    const at = this.timeAt(e.clientX);
    let best: ChartPoint | null = null;
    for (const p of d.points) if (!best || Math.abs(Date.parse(p.t) - at) < Math.abs(Date.parse(best.t) - at)) best = p;
    if (!best) return;
    const v = best.n > 1 ? best.mean : best.last;
    const range = best.n > 1 ? ` [${fmtValue(best.min)} – ${fmtValue(best.max)}], n=${best.n}` : '';
    this.readout.textContent = `${timeLabel(Date.parse(best.t), 2 * 86_400_000)} · ${fmtValue(v)} ${d.unit}${range}`;
  }
}
