// The current language and the lookup of labels. zh-CN by default; the choice is kept in
// localStorage. Components re-render on change through onLanguageChange().
import { zhCN } from './zh-CN';
import { en } from './en';
import type { Catalogue, MessageKey } from './catalogue';

export type Lang = 'zh-CN' | 'en';
export type { MessageKey };

const catalogues: Record<Lang, Catalogue> = { 'zh-CN': zhCN, en };
const STORAGE_KEY = 'liandong.lang';

function initialLang(): Lang {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved === 'en' || saved === 'zh-CN') return saved;
  } catch {
    /* storage may be unavailable */
  }
  return 'zh-CN';
}

let current: Lang = initialLang();
const listeners: Array<() => void> = [];

export function lang(): Lang {
  return current;
}

export function setLang(next: Lang): void {
  if (next === current) return;
  current = next;
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    /* ignore */
  }
  document.documentElement.lang = next;
  for (const l of listeners) l();
}

export function onLanguageChange(fn: () => void): void {
  listeners.push(fn);
}

/** The label for key, with `{name}` placeholders filled from vars. */
export function t(key: MessageKey, vars?: Record<string, string | number>): string {
  let s: string = catalogues[current][key];
  if (vars) for (const [k, v] of Object.entries(vars)) s = s.split(`{${k}}`).join(String(v));
  return s;
}

/** The label of a code value (`status.reported`, `priority.P1` …), or the code itself if unknown. */
export function codeName(prefix: string, code: string | null | undefined): string {
  if (code == null || code === '') return '—';
  const key = `${prefix}.${code}`;
  const cat = catalogues[current] as Record<string, string>;
  return key in cat ? cat[key] : code;
}

/** Sets textContent of every [data-i18n] element under root from the catalogue. */
export function applyStaticLabels(root: ParentNode): void {
  root.querySelectorAll<HTMLElement>('[data-i18n]').forEach((el) => {
    el.textContent = t(el.dataset.i18n as MessageKey);
  });
  root.querySelectorAll<HTMLElement>('[data-i18n-title]').forEach((el) => {
    el.title = t(el.dataset.i18nTitle as MessageKey);
  });
  root.querySelectorAll<HTMLInputElement>('[data-i18n-placeholder]').forEach((el) => {
    el.placeholder = t(el.dataset.i18nPlaceholder as MessageKey);
  });
}
