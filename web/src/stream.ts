// The live stream: one WebSocket to /api/v1/stream?after=SEQ. Tracks the last seq seen, reconnects
// with backoff from it (or from a lagging frame's resume_after), so no event is lost.
import { API } from './api';
import { store } from './state';
import type { JournalEvent } from './types';

export interface StreamHandlers {
  onEvent(ev: JournalEvent): void;
  onTelemetry?(topic: string, data: Record<string, unknown>): void;
  /** The socket opened; `again` after a reconnection (telemetry sent meanwhile is not replayed). */
  onOpen?(again: boolean): void;
  /** A socket closed without opening: the handler may check whether the session is still there
   * (a refused upgrade's status is not visible to the page). */
  onConnectFailed?(): void;
}

export class LiveStream {
  private ws: WebSocket | null = null;
  private lastSeq: number;
  private attempt = 0;
  private timer: number | undefined;
  private stopped = false;

  constructor(
    afterSeq: number,
    private readonly handlers: StreamHandlers,
  ) {
    this.lastSeq = afterSeq;
  }

  get seq(): number {
    return this.lastSeq;
  }

  start(): void {
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    window.clearTimeout(this.timer);
    this.ws?.close();
  }

  private url(): string {
    const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
    return `${proto}//${location.host}${API}/stream?after=${this.lastSeq}`;
  }

  private setConn(s: typeof store.conn): void {
    if (store.conn === s) return;
    store.conn = s;
    store.emit('connection');
  }

  private connect(): void {
    if (this.stopped) return;
    this.setConn(store.everConnected ? 'closed' : 'connecting');
    let ws: WebSocket;
    try {
      ws = new WebSocket(this.url());
    } catch {
      this.retry();
      return;
    }
    this.ws = ws;
    let opened = false;
    ws.onopen = () => {
      opened = true;
      this.attempt = 0;
      const again = store.everConnected;
      store.everConnected = true;
      this.setConn('open');
      this.handlers.onOpen?.(again);
    };
    ws.onmessage = (m) => this.frame(m.data);
    ws.onerror = () => {
      /* onclose follows */
    };
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.ws = null;
      if (this.stopped) return;
      this.setConn(store.everConnected ? 'closed' : 'connecting');
      if (!opened) this.handlers.onConnectFailed?.();
      this.retry();
    };
  }

  private retry(): void {
    // 0.5 s, 1 s, 2 s … up to 10 s, with jitter so many consoles don't reconnect in step.
    const base = Math.min(10000, 500 * 2 ** this.attempt);
    this.attempt++;
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(() => this.connect(), base * (0.75 + Math.random() * 0.5));
  }

  private frame(data: unknown): void {
    if (typeof data !== 'string') return;
    let f: { type?: string; event?: JournalEvent; resume_after?: number; topic?: string; data?: unknown };
    try {
      f = JSON.parse(data);
    } catch {
      return;
    }
    if (f.type === 'event' && f.event && typeof f.event.seq === 'number') {
      if (f.event.seq <= this.lastSeq) return; // already seen (defensive; the server never repeats)
      this.lastSeq = f.event.seq;
      this.handlers.onEvent(f.event);
    } else if (f.type === 'lagging') {
      if (typeof f.resume_after === 'number') this.lastSeq = f.resume_after;
      // The server closes after this frame; close ourselves too so the retry starts at once.
      const ws = this.ws;
      this.ws = null;
      ws?.close();
      this.setConn('closed');
      this.attempt = 0;
      this.retry();
    } else if (f.type === 'telemetry' && typeof f.topic === 'string') {
      this.handlers.onTelemetry?.(f.topic, (f.data ?? {}) as Record<string, unknown>);
    }
  }
}
