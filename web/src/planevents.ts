// The stream's `tasks` topic (plan.*, activation.*, task.*, notification.*, drill.* events) handed
// to whichever plan view or task board is listening; live.ts feeds it.
import type { JournalEvent } from './types';

const listeners = new Set<(ev: JournalEvent) => void>();

export const isPlanEvent = (type: string): boolean => /^(plan|activation|task|notification|drill)\./.test(type);

/** fn(ev) for every plan-topic event until the returned function is called. */
export function onPlanEvent(fn: (ev: JournalEvent) => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export function handlePlanEvent(ev: JournalEvent): void {
  for (const fn of [...listeners]) fn(ev);
}

/** Calls fn at most once per `ms`, after the last call (a burst of events gives one reload). */
export function coalesce(fn: () => void, ms = 150): () => void {
  let timer: number | undefined;
  return () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(fn, ms);
  };
}
