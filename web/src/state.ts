// The console's in-memory picture: node, taxonomy, open incidents, units, stations and agencies;
// listeners re-render on change. Incidents are replaced whole from GET /incidents/{id} answers;
// units are patched from the stream (units.ts), their positions without an event per fix.
import type { Agency, Incident, IncidentDetail, NodeInfo, Station, Taxonomy, Unit } from './types';

export type Topic = 'incidents' | 'units' | 'selection' | 'connection' | 'node';
export type ConnState = 'connecting' | 'open' | 'closed';

const FINAL = new Set(['closed', 'cancelled']);
export const isOpen = (i: Incident) => !FINAL.has(i.status);

class Store {
  node: NodeInfo | null = null;
  taxonomy: Taxonomy | null = null;
  incidents = new Map<string, Incident>();
  units = new Map<string, Unit>();
  stations = new Map<string, Station>();
  agencies = new Map<string, Agency>();
  /** Incident id → time (ms) until which its row and marker flash (a new alarm). */
  flashUntil = new Map<string, number>();
  selectedId: string | null = null;
  detail: IncidentDetail | null = null;
  conn: ConnState = 'connecting';
  everConnected = false;
  private listeners = new Map<Topic, Array<() => void>>();

  on(topic: Topic, fn: () => void): void {
    const l = this.listeners.get(topic) ?? [];
    l.push(fn);
    this.listeners.set(topic, l);
  }

  emit(topic: Topic): void {
    for (const fn of this.listeners.get(topic) ?? []) fn();
  }

  /** Open incidents, newest first (by opened_at, then id sequence). */
  openIncidents(): Incident[] {
    return [...this.incidents.values()].filter(isOpen).sort(newestFirst);
  }

  /** Stores a fetched incident; closed/cancelled ones leave the board. */
  putIncident(inc: IncidentDetail): void {
    const { alarms: _a, timeline: _t, ...plain } = inc;
    if (isOpen(plain)) this.incidents.set(plain.id, plain);
    else this.incidents.delete(plain.id);
    if (this.selectedId === inc.id) this.detail = inc;
  }

  flash(id: string, ms = 4000): void {
    this.flashUntil.set(id, Date.now() + ms);
  }

  isFlashing(id: string): boolean {
    const until = this.flashUntil.get(id);
    return until !== undefined && until > Date.now();
  }
}

function idSeq(id: string): number {
  const n = Number(id.slice(id.lastIndexOf('-') + 1));
  return Number.isFinite(n) ? n : 0;
}

function newestFirst(a: Incident, b: Incident): number {
  const ta = a.opened_at ? Date.parse(a.opened_at) : 0;
  const tb = b.opened_at ? Date.parse(b.opened_at) : 0;
  if (ta !== tb) return tb - ta;
  return idSeq(b.id) - idSeq(a.id);
}

export const store = new Store();
