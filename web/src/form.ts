// The alarm form → POST /api/v1/alarms with an Idempotency-Key (one random UUID per submission,
// reused when the same submission is retried). Field errors from the API's {code,message,field}
// are shown next to their field. The address field suggests places as one types (suggest.ts) when
// the node has a road network; picking one fills the location too.
import { ApiError, post, uuid } from './api';
import { h, clear, option } from './dom';
import { applyStaticLabels, codeName, lang, onLanguageChange, t, type MessageKey } from './i18n';
import { channelName, rfc3339InZone } from './format';
import { mapCenter, setFallbackClick, showPicked, startPick, zoomTo } from './map';
import { selectIncident } from './selection';
import { activeTab } from './side';
import { store } from './state';
import { attachAddressSuggest } from './suggest';

const FIGURES = ['deaths', 'serious_injuries', 'injuries', 'missing', 'affected', 'direct_loss_yuan'] as const;

interface AlarmAnswer {
  alarm_id: string;
  incident_id: string | null;
  joined: boolean;
}

let pendingKey: string | null = null;
let reportedAtTouched = false;

export function initForm(el: HTMLElement): void {
  const field = (name: string, labelKey: MessageKey, control: HTMLElement, extra?: HTMLElement) =>
    h(
      'div',
      { class: 'field', 'data-field': name },
      h('label', { 'data-i18n': labelKey }),
      h('div', { class: 'control' }, control, extra ?? null),
      h('div', { class: 'field-error', 'data-testid': 'field-error', 'data-error-for': name, hidden: true }),
    );
  const input = (testid: string, attrs: Record<string, string> = {}) =>
    h('input', { 'data-testid': testid, autocomplete: 'off', ...attrs });

  const channel = h('select', { 'data-testid': 'form-channel', name: 'channel' });
  const reportedAt = input('form-reported-at', { name: 'reported_at', spellcheck: 'false' });
  const nowBtn = h('button', { type: 'button', class: 'btn small', 'data-i18n': 'form.now' });
  const callerName = input('form-caller-name', { name: 'caller_name' });
  const callerNumber = input('form-caller-number', { name: 'caller_number', inputmode: 'tel' });
  const type = h('select', { 'data-testid': 'form-type', name: 'type' });
  const description = h('textarea', { 'data-testid': 'form-description', rows: '2', name: 'description' });
  const address = input('form-address', { name: 'address' });
  const lon = input('form-lon', { name: 'lon', inputmode: 'decimal', class: 'coord' });
  const lat = input('form-lat', { name: 'lat', inputmode: 'decimal', class: 'coord' });
  const pickBtn = h('button', { type: 'button', class: 'btn small', 'data-testid': 'form-pick', 'data-i18n': 'form.pickOnMap' });
  const clearLoc = h('button', { type: 'button', class: 'btn small ghost', 'data-i18n': 'form.clearLocation' });
  const figs = new Map<string, HTMLInputElement>();
  const figFields = FIGURES.map((f) => {
    const inp = input(`form-fig-${f}`, { type: 'number', min: '0', step: '1', inputmode: 'numeric' });
    figs.set(f, inp);
    return field(`figures.${f}`, `fig.${f}` as MessageKey, inp);
  });
  const submit = h('button', { type: 'submit', class: 'btn primary', 'data-testid': 'form-submit' });
  const generalError = h('div', { class: 'form-error', 'data-testid': 'form-error', hidden: true });
  const result = h('div', { class: 'result', 'data-testid': 'form-result', hidden: true });

  const form = h(
    'form',
    { class: 'alarm-form', 'data-testid': 'alarm-form', novalidate: true },
    h('h3', { 'data-i18n': 'form.title' }),
    h('div', { class: 'row2' }, field('channel', 'form.channel', channel), field('reported_at', 'form.reportedAt', reportedAt, nowBtn)),
    h('div', { class: 'row2' }, field('caller.name', 'form.callerName', callerName), field('caller.number', 'form.callerNumber', callerNumber)),
    field('type', 'form.type', type),
    field('description', 'form.description', description),
    field('address', 'form.address', address),
    h(
      'div',
      { class: 'row2 loc' },
      field('location.lon', 'form.lon', lon),
      field('location.lat', 'form.lat', lat),
      h('div', { class: 'loc-buttons' }, pickBtn, clearLoc),
    ),
    h('fieldset', { class: 'figures' }, h('legend', { 'data-i18n': 'form.figures' }), h('div', { class: 'fig-grid' }, figFields)),
    generalError,
    h('div', { class: 'actions' }, submit),
    result,
  );
  el.append(form);

  const setNow = () => {
    reportedAt.value = rfc3339InZone(new Date(), store.node?.timeZone ?? 'Asia/Shanghai');
  };
  let submitting = false;
  let retryState = false;
  const renderSubmit = () => {
    submit.textContent = t(submitting ? 'form.submitting' : retryState ? 'form.retry' : 'form.submit');
    submit.disabled = submitting;
  };

  const fillChannels = () => {
    const v = channel.value || '119';
    clear(channel);
    for (const c of store.taxonomy?.channels ?? []) channel.append(option(c, channelName(c), c === v));
  };
  const fillTypes = () => {
    const v = type.value;
    clear(type);
    type.append(option('', t('form.chooseType'), v === ''));
    const tax = store.taxonomy;
    for (const cat of tax?.categories ?? []) {
      const group = h('optgroup', { label: codeName('category', cat) });
      for (const ty of tax?.types.filter((x) => x.category === cat) ?? [])
        group.append(option(ty.code, lang() === 'en' ? ty.name_en : ty.name_zh, ty.code === v));
      if (group.childElementCount) type.append(group);
    }
    const uncategorised = tax?.types.filter((x) => !tax.categories.includes(x.category)) ?? [];
    for (const ty of uncategorised) type.append(option(ty.code, lang() === 'en' ? ty.name_en : ty.name_zh, ty.code === v));
  };

  const clearErrors = () => {
    form.querySelectorAll<HTMLElement>('.field-error').forEach((e) => {
      e.hidden = true;
      e.textContent = '';
    });
    form.querySelectorAll('.field.has-error').forEach((e) => e.classList.remove('has-error'));
    generalError.hidden = true;
  };
  const showError = (fieldName: string | undefined, text: string) => {
    const wrappers = [...form.querySelectorAll<HTMLElement>('.field[data-field]')];
    const w =
      fieldName &&
      (wrappers.find((x) => x.dataset.field === fieldName) ??
        wrappers.find((x) => x.dataset.field!.startsWith(`${fieldName}.`)) ??
        wrappers.find((x) => fieldName.startsWith(`${x.dataset.field}.`) || fieldName.startsWith(`${x.dataset.field}[`)));
    if (w) {
      const e = w.querySelector<HTMLElement>('.field-error')!;
      e.textContent = text;
      e.hidden = false;
      w.classList.add('has-error');
    } else {
      generalError.textContent = fieldName ? `${fieldName}: ${text}` : text;
      generalError.hidden = false;
    }
  };

  const location = (): { lon: number; lat: number } | null | 'bad' => {
    const a = lon.value.trim();
    const b = lat.value.trim();
    if (!a && !b) return null;
    const x = Number(a);
    const y = Number(b);
    if (!a || !b || !Number.isFinite(x) || !Number.isFinite(y)) return 'bad';
    return { lon: x, lat: y };
  };
  // The label of the suggestion whose position is in the location fields, while it is.
  let pickedLabel: string | null = null;
  const setLocation = (p: { lon: number; lat: number } | null) => {
    lon.value = p ? String(p.lon) : '';
    lat.value = p ? String(p.lat) : '';
    showPicked(p);
    pendingKey = null;
    pickedLabel = null;
  };
  const suggest = attachAddressSuggest(address, mapCenter, (c) => {
    setLocation(c.position);
    pickedLabel = c.label;
    zoomTo(c.position);
    pendingKey = null;
    retryState = false;
    renderSubmit();
  });

  const onSubmit = async (e: Event) => {
    e.preventDefault();
    if (submitting) return;
    clearErrors();
    result.hidden = true;
    let ok = true;
    if (!type.value) {
      showError('type', t('form.needType'));
      ok = false;
    }
    const loc = location();
    if (loc === 'bad') {
      showError(!lon.value.trim() || !Number.isFinite(Number(lon.value)) ? 'location.lon' : 'location.lat', t('form.badNumber'));
      ok = false;
    } else if (!loc && !address.value.trim()) {
      showError('address', t('form.needLocation'));
      ok = false;
    }
    const figures: Record<string, number> = {};
    for (const [k, inp] of figs) {
      if (inp.value.trim() === '') continue;
      const n = Number(inp.value);
      if (!Number.isInteger(n) || n < 0) {
        showError(`figures.${k}`, t('form.badNumber'));
        ok = false;
      } else figures[k] = n;
    }
    if (!ok) return;
    if (!reportedAtTouched) setNow();
    const body: Record<string, unknown> = {
      channel: channel.value,
      reported_at: reportedAt.value.trim(),
      type: type.value,
    };
    const caller: Record<string, string> = {};
    if (callerName.value.trim()) caller.name = callerName.value.trim();
    if (callerNumber.value.trim()) caller.number = callerNumber.value.trim();
    if (Object.keys(caller).length) body.caller = caller;
    if (description.value.trim()) body.description = description.value.trim();
    if (address.value.trim()) body.address = address.value.trim();
    if (loc && loc !== 'bad') body.location = loc;
    if (Object.keys(figures).length) body.figures = figures;

    pendingKey ??= uuid();
    const key = pendingKey;
    submitting = true;
    renderSubmit();
    try {
      let answer: AlarmAnswer | null = null;
      for (let attempt = 0; ; attempt++) {
        try {
          answer = await post<AlarmAnswer>('/alarms', body, { 'Idempotency-Key': key });
          break;
        } catch (err) {
          if (err instanceof ApiError && err.retryable && attempt < 2) {
            await new Promise((r) => setTimeout(r, 500 * 2 ** attempt));
            continue;
          }
          throw err;
        }
      }
      pendingKey = null;
      retryState = false;
      showResult(answer);
      resetContent();
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) {
        // Nothing was recorded; after signing in again the same submission can be sent.
        retryState = true;
        showError(undefined, t('form.signInAgain'));
      } else if (err instanceof ApiError && err.retryable) {
        retryState = true; // the same key goes with the retry
        showError(undefined, `${t('form.networkError')} (${err.message})`);
      } else if (err instanceof ApiError) {
        pendingKey = null;
        retryState = false;
        showError(err.field, `${codeName('error', err.code)}: ${err.message}`);
      } else {
        showError(undefined, String(err));
      }
    } finally {
      submitting = false;
      renderSubmit();
    }
  };

  const showResult = (a: AlarmAnswer) => {
    clear(result);
    result.hidden = false;
    result.dataset.joined = String(a.joined);
    result.append(
      h('div', { class: 'result-title', 'data-i18n': 'form.resultTitle' }),
      h('div', {}, h('span', { class: 'muted', 'data-i18n': 'form.resultAlarm' }), ' ', h('code', { 'data-testid': 'form-result-alarm' }, a.alarm_id)),
      a.incident_id
        ? h(
            'div',
            {},
            h('span', { class: 'muted', 'data-i18n': 'form.resultIncident' }),
            ' ',
            h('code', { 'data-testid': 'form-result-incident' }, a.incident_id),
            ' ',
            h('button', { type: 'button', class: 'btn small', 'data-i18n': 'form.openIncident', onclick: () => void selectIncident(a.incident_id!) }),
          )
        : '',
      h('div', {
        class: a.joined ? 'tag info' : 'tag ok',
        'data-testid': 'form-result-joined',
        'data-joined': String(a.joined),
        'data-i18n': a.joined ? 'form.resultJoined' : 'form.resultNew',
      }),
    );
    applyStaticLabels(result);
  };

  const resetContent = () => {
    suggest.close();
    for (const x of [callerName, callerNumber, description, address, ...figs.values()]) x.value = '';
    type.value = '';
    setLocation(null);
    reportedAtTouched = false;
    setNow();
    pendingKey = null;
  };

  form.addEventListener('submit', (e) => void onSubmit(e));
  form.addEventListener('input', (e) => {
    // A changed form is a new submission: it gets a new key.
    pendingKey = null;
    retryState = false;
    renderSubmit();
    if (e.target === reportedAt) reportedAtTouched = true;
    if (e.target === lon || e.target === lat) {
      pickedLabel = null;
      const l = location();
      showPicked(l && l !== 'bad' ? l : null);
    }
    // An address typed over a picked one no longer vouches for the picked position ("3楼" added
    // after it still does).
    if (e.target === address && pickedLabel !== null && !address.value.trim().startsWith(pickedLabel)) setLocation(null);
  });
  nowBtn.addEventListener('click', () => {
    reportedAtTouched = false;
    setNow();
  });
  pickBtn.addEventListener('click', () => startPick(t('map.pickHint'), setLocation));
  clearLoc.addEventListener('click', () => setLocation(null));
  setFallbackClick((p) => {
    if (activeTab() !== 'report') return false;
    setLocation(p);
    return true;
  });
  window.setInterval(() => {
    if (!reportedAtTouched && !submitting) setNow();
  }, 15000);

  const relabel = () => {
    applyStaticLabels(form);
    fillChannels();
    fillTypes();
    renderSubmit();
  };
  onLanguageChange(relabel);
  store.on('node', relabel);
  relabel();
  channel.value = store.taxonomy?.channels.includes('119') ? '119' : channel.value;
  setNow();
}
