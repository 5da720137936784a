// The node's clock as the browser sees it. Deadlines are in the node's time, and the node may run
// on a test clock (or simply be set differently from the browser): every answer that carries the
// node's `now` updates the offset, and countdowns read nodeNow(), not Date.now(). One ticker
// (once a second, only while someone listens) drives every countdown on the page.

let offsetMs = 0;
const tickers = new Set<() => void>();
let timer: number | undefined;

/** Adopts the node's `now` (RFC 3339) from an answer. */
export function setNodeNow(iso: string | null | undefined): void {
  if (!iso) return;
  const at = Date.parse(iso);
  if (Number.isFinite(at)) offsetMs = at - Date.now();
}

/** The node's time now, in ms since the epoch. */
export function nodeNow(): number {
  return Date.now() + offsetMs;
}

/** Runs fn every second until the returned function is called. */
export function onTick(fn: () => void): () => void {
  tickers.add(fn);
  if (timer === undefined) timer = window.setInterval(() => tickers.forEach((f) => f()), 1000);
  return () => {
    tickers.delete(fn);
    if (!tickers.size && timer !== undefined) {
      window.clearInterval(timer);
      timer = undefined;
    }
  };
}

/** Signed seconds from node-now to the time (negative once it has passed); null when absent. */
export function secondsUntil(iso: string | null | undefined): number | null {
  if (!iso) return null;
  const at = Date.parse(iso);
  return Number.isFinite(at) ? Math.round((at - nodeNow()) / 1000) : null;
}

/** A countdown: 12:05, 1:02:03; "-3:10" once passed. */
export function countdownText(s: number): string {
  const neg = s < 0;
  const n = Math.abs(s);
  const pad = (x: number) => String(x).padStart(2, '0');
  const h = Math.floor(n / 3600);
  const m = Math.floor((n % 3600) / 60);
  const body = h ? `${h}:${pad(m)}:${pad(n % 60)}` : `${m}:${pad(n % 60)}`;
  return neg ? `-${body}` : body;
}
