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

async function openConsole(context, baseUrl, problems, name) {
  const page = await context.newPage();
  page.on('pageerror', (e) => problems.push(`${name} pageerror: ${e.message}`));
  page.on('console', (m) => {
    // A failed resource load is reported as a console error too; 404s are expected (roads).
    if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) problems.push(`${name} console: ${m.text()}`);
  });
  await page.addInitScript(TRACK_SOCKETS);
  await page.goto(baseUrl);
  await page.getByTestId('board-title').waitFor();
  await page.locator('[data-testid="conn-state"][data-state="open"]').waitFor({ timeout: 10000 });
  return page;
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

export async function runScenario(browser, baseUrl, log = () => {}) {
  const problems = [];
  const context = await browser.newContext({ viewport: { width: 1600, height: 900 }, locale: 'zh-CN' });
  try {
    const a = await openConsole(context, baseUrl, problems, 'A');
    const b = await openConsole(context, baseUrl, problems, 'B');

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

    // B opens the detail and confirms the proposed grade.
    await row.click();
    const detail = b.locator(`[data-testid="incident-detail"][data-incident-id="${first.incidentId}"]`);
    await detail.waitFor({ timeout: 5000 });
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

    // B switches to English: labels and type names change, and the choice is remembered.
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

    assert.deepEqual(problems, [], 'no page errors');
    return { first, second, grade };
  } finally {
    await context.close();
  }
}
