// A modal box over the console (a native <dialog>: focus trap and Escape for free).
import { h } from './dom';

export interface Dialog {
  el: HTMLDialogElement;
  close(): void;
}

export function openDialog(testid: string, ...content: Node[]): Dialog {
  const el = h('dialog', { class: 'dialog', 'data-testid': testid }, ...content);
  el.addEventListener('close', () => el.remove());
  document.body.append(el);
  el.showModal();
  return { el, close: () => el.close() };
}
