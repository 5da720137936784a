// The plans page (plan.read): one view at a time, picked by the hash's sub-path —
//   #plans                      the library (planlib.ts)
//   #plans/import[/PLAN-ID]     import a plan, or a new version of one (planimport.ts)
//   #plans/review/INCIDENT-ID   an incident's after-action review (review.ts)
//   #plans/PLAN-ID              one plan (planview.ts)
// A view gets a fresh host element and a `View` whose `alive()` turns false when another view
// replaces it (late answers then paint nothing); `onLeave` functions run on the switch.
import './plans.css';
import { h } from './dom';
import { onLanguageChange } from './i18n';
import { showLibrary } from './planlib';
import { showImport } from './planimport';
import { showPlan } from './planview';
import { showReview } from './review';

export interface View {
  host: HTMLElement;
  alive(): boolean;
  onLeave(fn: () => void): void;
}

let root: HTMLElement;
let current = '\u0000';
let leave: Array<() => void> = [];
let generation = 0;

export function initPlansPage(el: HTMLElement): void {
  root = el;
  onLanguageChange(() => route(current, true));
}

export function plansShown(sub: string): void {
  route(sub, false);
}

function route(sub: string, again: boolean): void {
  if (!root || (sub === current && !again)) return;
  current = sub;
  for (const fn of leave) fn();
  leave = [];
  const gen = ++generation;
  const host = h('div', { class: 'plans-view' });
  root.replaceChildren(host);
  const view: View = { host, alive: () => gen === generation, onLeave: (fn) => leave.push(fn) };
  const [head, ...rest] = sub.split('/');
  const arg = decodeURIComponent(rest.join('/'));
  if (!head) showLibrary(view);
  else if (head === 'import') showImport(view, arg);
  else if (head === 'review') showReview(view, arg);
  else showPlan(view, decodeURIComponent(head));
}
