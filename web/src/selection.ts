// Which incident the detail panel shows; loading its detail (alarms, timeline).
import { get } from './api';
import { store } from './state';
import type { IncidentDetail } from './types';

const listeners: Array<(id: string) => void> = [];

export function onSelect(fn: (id: string) => void): void {
  listeners.push(fn);
}

export async function selectIncident(id: string): Promise<void> {
  store.selectedId = id;
  if (store.detail?.id !== id) store.detail = null;
  for (const l of listeners) l(id);
  store.emit('selection');
  await reloadSelected();
}

export async function reloadSelected(): Promise<void> {
  const id = store.selectedId;
  if (!id) return;
  try {
    const inc = await get<IncidentDetail>(`/incidents/${encodeURIComponent(id)}`);
    if (store.selectedId !== id) return;
    store.putIncident(inc);
    store.emit('incidents');
    store.emit('selection');
  } catch {
    /* the panel keeps what it has */
  }
}

export function clearSelection(): void {
  store.selectedId = null;
  store.detail = null;
  store.emit('selection');
}
