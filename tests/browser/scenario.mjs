// The console's browser scenario, run against whatever serves the console and API at baseUrl
// (the real node, started by console.test.mjs).
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_BIN ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
}

// Keeps every WebSocket the page opens reachable, so a test can cut the live stream.
const TRACK_SOCKETS = () => {
  const Native = window.WebSocket;
  window.__sockets = [];
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      window.__sockets.push(this);
    }
  };
};

export async function openPage(context, baseUrl, problems, name) {
  const page = await context.newPage();
  page.on('pageerror', (e) => problems.push(`${name} pageerror: ${e.message}`));
  page.on('console', (m) => {
    // A failed resource load is reported as a console error too: 404s are expected, and
    // so are the 401s of the session probe and a wrong password and the CSRF check's 403.
    if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) problems.push(`${name} console: ${m.text()}`);
  });
  await page.addInitScript(TRACK_SOCKETS);
  await page.goto(baseUrl);
  await page.getByTestId('signin-form').waitFor();
  return page;
}

/** Fills the sign-in form and submits it; waits out a sign-in back-off if the node asks for one. */
async function submitSignIn(page, name, password) {
  await page.getByTestId('signin-name').fill(name);
  await page.getByTestId('signin-password').fill(password);
  for (let i = 0; i < 3; i++) {
    await page.getByTestId('signin-submit').click();
    await page.waitForFunction(
      () => {
        const b = document.querySelector('[data-testid="signin-submit"]');
        return !b || !b.textContent.includes('…');
      },
      null,
      { timeout: 10000 },
    );
    const wait = page.getByTestId('signin-wait');
    if (!(await wait.count())) return;
    const seconds = Number(await wait.getAttribute('data-seconds'));
    await page.getByTestId('signin-submit').and(page.locator(':enabled')).waitFor({ timeout: (seconds + 5) * 1000 });
  }
}

/** Signs in and waits for the console (and, when the person may see incidents, its live stream). */
export async function signIn(page, name, password, { live = true } = {}) {
  await submitSignIn(page, name, password);
  await page.getByTestId('who-name').waitFor({ timeout: 10000 });
  await page.getByTestId('signin-form').waitFor({ state: 'detached' });
  if (live) {
    await page.getByTestId('board-title').waitFor();
    await page.locator('[data-testid="conn-state"][data-state="open"]').waitFor({ timeout: 10000 });
  }
}

async function reportAlarm(page, { type, address, clickMap, lonLat, description }) {
  const form = page.getByTestId('alarm-form');
  await page.getByTestId('tab-report').click();
  await form.getByTestId('form-channel').selectOption('119');
  await form.getByTestId('form-type').selectOption(type);
  await form.getByTestId('form-caller-name').fill('王先生');
  await form.getByTestId('form-caller-number').fill('13800000000');
  await form.getByTestId('form-address').fill(address);
  if (description) await form.getByTestId('form-description').fill(description);
  if (clickMap) {
    // A click near the middle of the map (the node's initial view) sets lon/lat.
    // A click near the middle of the map (the node's initial view) sets lon/lat; pick a spot
    // where no marker (a seeded unit, say) would take the click.
    const box = await page.getByTestId('map').boundingBox();
    const spot = await page.evaluate((b) => {
      for (const [dx, dy] of [[20, 15], [-40, 30], [60, -35], [-70, -50], [90, 70], [0, 110]]) {
        const x = b.x + b.width / 2 + dx;
        const y = b.y + b.height / 2 + dy;
        const el = document.elementFromPoint(x, y);
        if (el && !el.closest('.leaflet-marker-icon, .leaflet-control, .map-hint')) return { x, y };
      }
      return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
    }, box);
    await page.mouse.click(spot.x, spot.y);
    await assert.doesNotReject(async () => {
      await page.waitForFunction(() => document.querySelector('[data-testid="form-lon"]').value !== '');
    });
  } else {
    await form.getByTestId('form-lon').fill(String(lonLat.lon));
    await form.getByTestId('form-lat').fill(String(lonLat.lat));
  }
  await form.getByTestId('form-fig-serious_injuries').fill('1');
  await form.getByTestId('form-fig-injuries').fill('2');
  await form.getByTestId('form-submit').click();
  const inc = form.getByTestId('form-result-incident');
  await inc.waitFor({ timeout: 10000 });
  const alarmId = (await form.getByTestId('form-result-alarm').textContent()).trim();
  const incidentId = (await inc.textContent()).trim();
  const joined = await form.getByTestId('form-result-joined').getAttribute('data-joined');
  return { alarmId, incidentId, joined };
}

const detailOf = (page, id) => page.locator(`[data-testid="incident-detail"][data-incident-id="${id}"]`);

async function openIncident(page, id) {
  await page.locator(`[data-testid="incident-row"][data-incident-id="${id}"]`).click();
  const detail = detailOf(page, id);
  await detail.waitFor({ timeout: 5000 });
  return detail;
}

/**
 * accounts: {password, names: {dispatcher, supervisor, call_taker, auditor}} — people of the
 * node's jurisdiction holding those roles (console.test.mjs creates them).
 */
export async function runScenario(browser, baseUrl, accounts, log = () => {}) {
  const problems = [];
  const { password, names } = accounts;
  const contexts = [];
  const newContext = async () => {
    const c = await browser.newContext({ viewport: { width: 1600, height: 900 }, locale: 'zh-CN' });
    contexts.push(c);
    return c;
  };
  try {
    // A: a dispatcher. A wrong password is refused with a message; the right one enters.
    const a = await openPage(await newContext(), baseUrl, problems, 'A');
    assert.equal((await a.getByTestId('signin-title').textContent()).trim(), '登录');
    await submitSignIn(a, names.dispatcher, `${password}-wrong`);
    await a.getByTestId('signin-error').waitFor();
    assert.equal((await a.getByTestId('signin-error').textContent()).trim(), '用户名或密码错误');
    assert.equal(await a.getByTestId('board-title').count(), 0, 'nothing of the console before sign-in');
    await signIn(a, names.dispatcher, password);
    assert.match(await a.getByTestId('who-roles').textContent(), /调度员/);
    assert.notEqual((await a.getByTestId('who-jurisdiction').textContent()).trim(), '—');
    log(`A signed in as ${names.dispatcher}`);

    // B: a supervisor, in another browser context (its own cookie).
    const bContext = await newContext();
    const b = await openPage(bContext, baseUrl, problems, 'B');
    await signIn(b, names.supervisor, password);
    const supervisorId = await b.getByTestId('who').getAttribute('data-person-id');

    // Chinese by default.
    assert.equal((await b.getByTestId('board-title').textContent()).trim(), '事件看板');
    assert.notEqual((await b.getByTestId('node-name').textContent()).trim(), '…');

    // A reports a fire, located by a click on the map.
    const first = await reportAlarm(a, { type: 'fire', address: '端州区天宁北路 100 号', clickMap: true, description: '三楼冒烟' });
    log(`reported ${first.alarmId} → ${first.incidentId} (joined=${first.joined})`);
    assert.match(first.alarmId, /-ALM-\d+$/);
    assert.match(first.incidentId, /-INC-\d+$/);

    // B sees it on the board, highlighted, and on the map, without a reload.
    const row = b.locator(`[data-testid="incident-row"][data-incident-id="${first.incidentId}"]`);
    await row.waitFor({ timeout: 5000 });
    assert.match(await row.getAttribute('class'), /\bflash\b/, 'the new alarm row is highlighted');
    assert.equal((await row.getByTestId('row-type').textContent()).trim(), '火灾');
    const marker = b.locator(`[data-testid="incident-marker"][data-incident-id="${first.incidentId}"]`);
    await marker.waitFor({ state: 'visible', timeout: 5000 });

    // B (supervisor) opens the detail and confirms the proposed grade.
    const detail = await openIncident(b, first.incidentId);
    const proposed = detail.getByTestId('grade-proposed');
    await b.waitForFunction(
      () => document.querySelector('[data-testid="grade-proposed"]')?.getAttribute('data-grade'),
      null,
      { timeout: 5000 },
    );
    const grade = await proposed.getAttribute('data-grade');
    assert.match(grade, /^(I|II|III|IV)$/);
    assert.equal(await detail.getByTestId('grade-select').inputValue(), grade);
    await detail.getByTestId('grade-confirm').click();
    await b.locator(`[data-testid="grade-confirmed"][data-grade="${grade}"]`).waitFor({ timeout: 5000 });
    // The confirmation reaches A's board live.
    await a
      .locator(`[data-testid="incident-row"][data-incident-id="${first.incidentId}"] [data-testid="row-grade"].confirmed`)
      .waitFor({ timeout: 5000 });
    log(`confirmed grade ${grade}`);

    // The timeline shows the alarm, the opening and the grading.
    assert.ok((await detail.getByTestId('detail-timeline').locator('li').count()) >= 2);

    // The caller arrives masked; the supervisor may reveal it, and is told that it is recorded.
    const bCaller = detail.getByTestId('alarm-caller').first();
    assert.equal(await bCaller.getAttribute('data-masked'), 'true');
    assert.equal((await bCaller.getByTestId('caller-name').textContent()).trim(), '王**');
    assert.equal((await bCaller.getByTestId('caller-number').textContent()).trim(), '138****0000');
    await bCaller.getByTestId('reveal-note').waitFor();
    await bCaller.getByTestId('alarm-reveal').click();
    await detail.locator('[data-testid="alarm-caller"][data-masked="false"]').waitFor({ timeout: 5000 });
    assert.equal((await detail.getByTestId('caller-number').first().textContent()).trim(), '13800000000');
    assert.equal((await detail.getByTestId('caller-name').first().textContent()).trim(), '王先生');
    log('supervisor revealed the caller');

    // A dispatcher manages the incident but may neither confirm grades nor reveal callers.
    const aDetail = await openIncident(a, first.incidentId);
    await aDetail.getByTestId('status-to-verified').waitFor();
    assert.equal(await aDetail.getByTestId('grade-confirm').count(), 0);
    assert.equal(await aDetail.getByTestId('alarm-reveal').count(), 0);
    assert.equal(await aDetail.locator('[data-testid="alarm-caller"][data-masked="true"]').count(), 1);

    // B switches to English: labels and type names change, and the choice is remembered; the
    // session survives the reload.
    await b.getByTestId('lang-switch').click();
    assert.equal((await b.getByTestId('board-title').textContent()).trim(), 'Incident board');
    assert.equal((await b.getByTestId('tab-report').textContent()).trim(), 'Report alarm');
    assert.equal((await row.getByTestId('row-type').textContent()).trim(), 'Fire');
    assert.match(await b.getByTestId('detail-type').textContent(), /^Fire/);
    await b.reload();
    await b.getByTestId('board-title').waitFor();
    assert.equal((await b.getByTestId('board-title').textContent()).trim(), 'Incident board');
    assert.equal((await a.getByTestId('board-title').textContent()).trim(), '事件看板', 'A stays Chinese until reloaded');
    await b.locator('[data-testid="conn-state"][data-state="open"]').waitFor({ timeout: 10000 });

    // Cutting B's stream shows the banner; it reconnects from the last seq and hides it again, and
    // an alarm reported meanwhile still arrives.
    await b.evaluate(() => window.__sockets.at(-1).close());
    const banner = b.getByTestId('conn-banner');
    await banner.waitFor({ state: 'visible', timeout: 3000 });
    assert.equal((await banner.textContent()).trim(), 'Connection lost, reconnecting…');
    const second = await reportAlarm(a, {
      type: 'flood',
      address: '端州区江滨路',
      lonLat: { lon: 112.43, lat: 23.02 },
    });
    await banner.waitFor({ state: 'hidden', timeout: 15000 });
    await b.locator(`[data-testid="incident-row"][data-incident-id="${second.incidentId}"]`).waitFor({ timeout: 5000 });
    assert.equal(
      (await b.locator(`[data-testid="incident-row"][data-incident-id="${second.incidentId}"] [data-testid="row-type"]`).textContent()).trim(),
      'Flood',
    );
    log(`after reconnect B has ${second.incidentId}`);

    // CSRF: a request carrying the session cookie but not the token is refused and changes nothing.
    const csrf = await a.evaluate(async () => {
      const r = await fetch('/api/v1/alarms', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ channel: '119', reported_at: new Date().toISOString(), address: 'x', type: 'fire' }),
      });
      return { status: r.status, body: await r.text() };
    });
    assert.equal(csrf.status, 403, csrf.body);
    assert.match(csrf.body, /csrf_failed/);

    // A's session ends (signed out in another tab of the same browser) while A is typing an alarm:
    // the sign-in screen comes over the console, and after signing in again what A typed is still
    // there and can be sent.
    await a.getByTestId('tab-report').click();
    const aForm = a.getByTestId('alarm-form');
    await aForm.getByTestId('form-type').selectOption('traffic_accident');
    await aForm.getByTestId('form-address').fill('端州区信安大道');
    await aForm.getByTestId('form-description').fill('两车相撞');
    const other = await a.context().newPage();
    await other.goto(baseUrl);
    await other.getByTestId('sign-out').click();
    await other.getByTestId('signin-form').waitFor();
    await other.close();
    // (The sign-in screen may already cover the form if the node closed A's stream: submit from script.)
    await aForm.evaluate((f) => f.requestSubmit());
    await a.getByTestId('signin-lost').waitFor({ timeout: 10000 });
    await submitSignIn(a, names.dispatcher, password);
    await a.getByTestId('signin-form').waitFor({ state: 'detached' });
    assert.equal(await aForm.getByTestId('form-address').inputValue(), '端州区信安大道');
    assert.equal(await aForm.getByTestId('form-description').inputValue(), '两车相撞');
    await aForm.getByTestId('form-submit').click();
    await aForm.getByTestId('form-result').waitFor({ state: 'visible', timeout: 10000 });
    assert.notEqual((await aForm.getByTestId('form-result-alarm').textContent()).trim(), second.alarmId);
    const third = (await aForm.getByTestId('form-result-incident').textContent()).trim();
    await a.locator('[data-testid="conn-state"][data-state="open"]').waitFor({ timeout: 10000 });
    await a.locator(`[data-testid="incident-row"][data-incident-id="${third}"]`).waitFor({ timeout: 5000 });
    log(`A signed in again after losing the session; reported ${third}`);

    // C: a call-taker reports and handles alarms, but sees no status, priority, merge or grade
    // actions, and callers stay masked.
    const c = await openPage(await newContext(), baseUrl, problems, 'C');
    await signIn(c, names.call_taker, password);
    await c.getByTestId('tab-report').waitFor();
    const cDetail = await openIncident(c, first.incidentId);
    await cDetail.getByTestId('grade-proposed').waitFor();
    for (const id of ['status-to-verified', 'status-to-cancelled', 'priority-apply', 'merge-apply', 'merge-select', 'grade-confirm', 'alarm-reveal'])
      assert.equal(await cDetail.getByTestId(id).count(), 0, `a call-taker does not see ${id}`);
    assert.ok((await cDetail.getByTestId('alarm-nuisance').count()) > 0, 'a call-taker handles alarms');
    assert.equal(await cDetail.getByTestId('alarm-caller').first().getAttribute('data-masked'), 'true');
    assert.equal(await c.getByTestId('nav-audit').count(), 0);

    // D: an auditor sees incidents and the audit page, but cannot report.
    const d = await openPage(await newContext(), baseUrl, problems, 'D');
    await signIn(d, names.auditor, password);
    assert.equal(await d.getByTestId('tab-report').count(), 0, 'an auditor has no report form');
    assert.equal(await d.getByTestId('alarm-form').count(), 0);
    await d.getByTestId('nav-audit').click();
    await d.getByTestId('audit-title').waitFor();
    await d.locator('[data-testid="audit-table"][data-loading="false"]').waitFor();
    assert.ok((await d.getByTestId('audit-row').count()) > 0, 'the audit page lists events');
    // The supervisor's reveal is in the trail: filter by who and by type prefix.
    await d.getByTestId('audit-by').fill(supervisorId);
    await d.getByTestId('audit-search').click();
    await d.locator('[data-testid="audit-table"][data-loading="false"]').waitFor();
    await d.locator('[data-testid="audit-row"]').first().waitFor({ timeout: 5000 });
    const types = await d.getByTestId('audit-row').evaluateAll((rows) => rows.map((r) => r.dataset.type));
    const revealType = types.find((x) => /reveal/.test(x));
    assert.ok(revealType, `a reveal event among the supervisor's: ${types.join(', ')}`);
    const byCells = await d.getByTestId('audit-by-cell').allTextContents();
    assert.ok(byCells.every((x) => x.includes(supervisorId)), `only the supervisor's events: ${byCells.join(', ')}`);
    await d.getByTestId('audit-type').fill(revealType);
    await d.getByTestId('audit-search').click();
    await d.locator('[data-testid="audit-table"][data-loading="false"]').waitFor();
    await d.locator(`[data-testid="audit-row"][data-type="${revealType}"]`).first().waitFor({ timeout: 5000 });
    const filtered = await d.getByTestId('audit-row').evaluateAll((rows) => rows.map((r) => r.dataset.type));
    assert.ok(filtered.every((x) => x.startsWith(revealType)), `only ${revealType}: ${filtered.join(', ')}`);
    // The export links carry the same filters and download the events.
    for (const [format, pattern] of [['csv', /text\/csv/], ['ndjson', /ndjson|json/]]) {
      const href = await d.getByTestId(`audit-export-${format}`).getAttribute('href');
      assert.match(href, new RegExp(`format=${format}`));
      assert.match(href, /type=/);
      const got = await d.evaluate(async (u) => {
        const r = await fetch(u);
        return { status: r.status, type: r.headers.get('content-type') ?? '', body: await r.text() };
      }, href);
      assert.equal(got.status, 200, got.body);
      assert.match(got.type, pattern);
      assert.ok(got.body.includes(revealType), `the ${format} export holds the reveal event`);
    }
    await d.getByTestId('audit-verify').click();
    const verified = d.getByTestId('audit-verify-result');
    await verified.waitFor({ timeout: 10000 });
    assert.equal(await verified.getAttribute('data-ok'), 'true', await verified.textContent());
    log(`auditor found ${revealType}; chain verified`);

    // Signing out returns to the sign-in screen, and a reload stays there.
    await d.getByTestId('sign-out').click();
    await d.getByTestId('signin-form').waitFor({ timeout: 10000 });
    await d.reload();
    await d.getByTestId('signin-form').waitFor();
    assert.equal(await d.getByTestId('board-title').count(), 0);

    assert.deepEqual(problems, [], 'no page errors');
    return { first, second, grade };
  } finally {
    for (const c of contexts) await c.close();
  }
}
