// Recommendation and dispatch in the console, against a node with a road network and the units of
// seed.mjs. A dispatcher (A) opens a fire, gets the type's default force recommended with road
// ETAs and routes, sends an alternative by hand, edits the requirement, dispatches the
// recommendation in one click, moves a unit through its statuses, recalls one, looks at coverage
// and at a straight-line recommendation (an incident far from the roads); a call-taker (B,
// another person) watches the status board and the map in two pages: rows and markers (their
// colour on the canvas) follow live, and a position fix moves a marker, without a reload.
import assert from 'node:assert/strict';
import { openPage, signIn } from './scenario.mjs';
import { api, signInApi } from './seed.mjs';

const DISPATCHED = [255, 159, 26]; // units.ts STATUS_COLOR.dispatched (#ff9f1a)
const AVAILABLE = [63, 179, 127]; // #3fb37f

const unitRow = (page, id) => page.locator(`[data-testid="unit-row"][data-unit-id="${id}"]`);
const marker = (page, id) => page.evaluate((u) => window.liandongUnits?.marker(u) ?? null, id);

/**
 * Waits until the units' canvas shows `rgb` at the centre of a unit's marker (Leaflet redraws
 * the canvas on its next animation frame).
 */
const waitForPixel = (page, id, rgb) =>
  page
    .waitForFunction(
      ([u, want]) => {
        const m = window.liandongUnits.marker(u);
        const canvas = document.querySelector('.leaflet-units-pane canvas');
        if (!m || !canvas) return false;
        const map = document.querySelector('[data-testid="map"]').getBoundingClientRect();
        const r = canvas.getBoundingClientRect();
        const x = Math.round(((map.left + m.x - r.left) * canvas.width) / r.width);
        const y = Math.round(((map.top + m.y - r.top) * canvas.height) / r.height);
        const got = canvas.getContext('2d').getImageData(x, y, 1, 1).data;
        return want.every((c, i) => Math.abs(c - got[i]) <= 8);
      },
      [id, rgb],
      { timeout: 5000 },
    )
    .then(() => true, () => false);

/** A second page of a signed-in context (same cookie), watched for errors. */
async function secondPage(context, url, problems, name) {
  const page = await context.newPage();
  page.on('pageerror', (e) => problems.push(`${name} pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) problems.push(`${name} console: ${m.text()}`);
  });
  await page.goto(url);
  await page.getByTestId('who-name').waitFor({ timeout: 10000 });
  await page.locator('[data-testid="conn-state"][data-state="open"]').waitFor({ timeout: 10000 });
  return page;
}

async function openPanel(detail) {
  await detail.getByTestId('dispatch-open').click();
  await detail.locator('[data-testid="rec-slots"][data-loading="false"][data-method]').waitFor({ timeout: 10000 });
}

/** Stroked routes in the map's overlay pane (Leaflet's SVG), by colour. */
const routePaths = (page) =>
  page.evaluate(() => [...document.querySelectorAll('.leaflet-overlay-pane path')].map((p) => p.getAttribute('stroke')).filter(Boolean));

export async function runDispatchScenario(browser, baseUrl, accounts, seed, logLine = () => {}) {
  const t0 = Date.now();
  const log = (m) => logLine(`${((Date.now() - t0) / 1000).toFixed(1)} s: ${m}`);
  const problems = [];
  const { password, names } = accounts;
  const id = (callSign) => seed.units[callSign].id;
  const contexts = [];
  const newContext = async () => {
    const c = await browser.newContext({ viewport: { width: 1600, height: 900 }, locale: 'zh-CN' });
    contexts.push(c);
    return c;
  };
  const now = () => new Date().toISOString();
  try {
    // Every unit but one reports a position a little off its station (so that markers do not
    // overlap); 急救2 has none and stands at its station.
    const fixes = Object.entries(seed.units)
      .filter(([cs]) => cs !== '急救2')
      .map(([, u], i) => {
        const st = Object.values(seed.stations).find((s) => s.id === u.station_id);
        return { object_id: u.id, time: now(), lon: st.location.lon + 0.0006 * (i + 1), lat: st.location.lat - 0.0004 * (i % 3), speed_kmh: 0 };
      });
    const applied = await api(baseUrl, 'POST', '/positions', seed.key, fixes);
    assert.equal(applied.applied, fixes.length, JSON.stringify(applied));

    const dispatcherToken = await signInApi(baseUrl, names.dispatcher, password);
    const alarm = await api(baseUrl, 'POST', '/alarms', dispatcherToken, {
      channel: '119', reported_at: now(), location: seed.incident, address: '测试大道 1 号', type: 'fire', description: '厨房起火',
    });
    const incidentId = alarm.incident_id;

    // B: a call-taker, the map on one page and the status board on another.
    const bContext = await newContext();
    const bMap = await openPage(bContext, baseUrl, problems, 'B-map');
    await signIn(bMap, names.call_taker, password);
    const bBoard = await secondPage(bContext, `${baseUrl}/#units`, problems, 'B-board');
    await bBoard.getByTestId('units-title').waitFor();
    await bMap.waitForFunction(() => window.liandongUnits?.count() === 6, null, { timeout: 10000 });
    for (const p of [bMap, bBoard]) await p.evaluate(() => (window.__sameDocument = true));
    for (const cs of Object.keys(seed.units))
      assert.equal(await unitRow(bBoard, id(cs)).getAttribute('data-status'), 'available', cs);
    assert.equal(await bBoard.getByTestId('unit-to-out_of_service').count(), 0, 'a call-taker has no status buttons');
    assert.equal(await unitRow(bBoard, id('近站水罐1')).getAttribute('data-stale'), 'false');
    log(`B sees 6 units; 急救2 (no fix) stale=${await unitRow(bBoard, id('急救2')).getAttribute('data-stale')}`);
    // B brings the incident's neighbourhood into view (its location link zooms the map to it), where
    // the near station's units (about 60 m apart) are drawn apart.
    await bMap.locator(`[data-testid="incident-row"][data-incident-id="${incidentId}"]`).click();
    await bMap.locator(`[data-testid="incident-detail"][data-incident-id="${incidentId}"]`).getByTestId('detail-location').click();
    await bMap.waitForFunction(() => window.liandongUnits.zoom() >= 16);
    const box = await bMap.getByTestId('map').boundingBox();
    const [m1, m2] = [await marker(bMap, id('近站水罐1')), await marker(bMap, id('近站水罐2'))];
    assert.ok(Math.hypot(m1.x - m2.x, m1.y - m2.y) > 16, `markers apart: ${JSON.stringify([m1, m2])}`);
    log('B zoomed in');
    const before = await marker(bMap, id('近站水罐1'));
    assert.ok(before.x > 0 && before.y > 0 && before.x < box.width && before.y < box.height, `in view: ${JSON.stringify(before)}`);
    assert.equal(before.status, 'available');
    assert.ok(before.filled, 'a fresh position is drawn filled');
    assert.ok(await waitForPixel(bMap, id('近站水罐1'), AVAILABLE), 'drawn in the available colour');

    // A: the dispatcher opens the fire and asks for units: the type's default force.
    const a = await openPage(await newContext(), baseUrl, problems, 'A');
    await signIn(a, names.dispatcher, password);
    log('A signed in');
    await a.locator(`[data-testid="incident-row"][data-incident-id="${incidentId}"]`).click();
    const detail = a.locator(`[data-testid="incident-detail"][data-incident-id="${incidentId}"]`);
    await detail.waitFor();
    const started = Date.now();
    await openPanel(detail);
    log(`recommendation shown in ${Date.now() - started} ms`);
    assert.equal(await detail.getByTestId('req-source').getAttribute('data-source'), 'type_default');
    assert.equal(await detail.getByTestId('rec-slots').getAttribute('data-method'), 'road');
    assert.equal(await detail.getByTestId('straight-line-notice').count(), 0);
    const types = await detail.getByTestId('req-type').evaluateAll((s) => s.map((x) => x.value));
    assert.deepEqual(types, ['engine', 'ladder', 'ambulance']);
    const recommended = await detail.getByTestId('rec-unit').evaluateAll((r) => r.map((x) => x.dataset.unitId));
    assert.deepEqual(new Set(recommended), new Set([id('近站水罐1'), id('近站水罐2'), id('近站登高1'), id('急救1')]));
    for (const eta of await detail.getByTestId('rec-eta').allTextContents()) assert.match(eta.trim(), /^\d+:\d\d$/);
    const colours = new Set(await routePaths(a));
    assert.ok(colours.size >= 3, `a route colour per slot: ${[...colours]}`);

    // An alternative sent by hand: the ambulance slot's next best.
    const ambulance = detail.locator('[data-testid="rec-slot"][data-type="ambulance"]');
    await ambulance.locator('summary').click();
    const alt = ambulance.locator(`[data-testid="rec-alternative"][data-unit-id="${id('急救2')}"]`);
    await alt.getByTestId('rec-dispatch-one').click();
    await detail.getByTestId('dispatch-done').waitFor({ timeout: 5000 });
    assert.equal(await detail.getByTestId('dispatch-panel').count(), 0, 'the panel closes');
    assert.equal((await routePaths(a)).length, 0, 'its routes go with it');
    await detail.locator(`[data-testid="assignment"][data-unit-id="${id('急救2')}"]`).waitFor({ timeout: 5000 });
    await unitRow(bBoard, id('急救2')).and(bBoard.locator('[data-status="dispatched"]')).waitFor({ timeout: 5000 });
    log('急救2 dispatched by hand; B saw it');

    // The requirement edited: no ambulance this time; dispatched in one click.
    await openPanel(detail);
    const rows = detail.getByTestId('req-row');
    assert.equal(await rows.count(), 3);
    await rows.nth(2).getByTestId('req-remove').click();
    await detail.getByTestId('recommend').click();
    await detail.locator('[data-testid="req-source"][data-source="request"]').waitFor({ timeout: 10000 });
    await detail.locator('[data-testid="rec-slots"][data-loading="false"]').waitFor();
    const sent = await detail.getByTestId('rec-unit').evaluateAll((r) => r.map((x) => x.dataset.unitId));
    assert.deepEqual(new Set(sent), new Set([id('近站水罐1'), id('近站水罐2'), id('近站登高1')]));
    await detail.getByTestId('dispatch-recommended').click();
    await detail.getByTestId('dispatch-done').waitFor({ timeout: 5000 });
    await a.locator(`[data-testid="incident-detail"][data-incident-id="${incidentId}"][data-status="responding"]`).waitFor({ timeout: 5000 });
    assert.equal(await detail.getByTestId('assignment').count(), 4);

    // B: the rows and the markers change without a reload.
    for (const u of sent) {
      await unitRow(bBoard, u).and(bBoard.locator('[data-status="dispatched"]')).waitFor({ timeout: 5000 });
      assert.equal((await unitRow(bBoard, u).getByTestId('unit-incident').textContent()).trim(), incidentId);
    }
    await bMap.waitForFunction((u) => window.liandongUnits.marker(u)?.status === 'dispatched', id('近站水罐1'), { timeout: 5000 });
    assert.ok(await waitForPixel(bMap, id('近站水罐1'), DISPATCHED), 'drawn in the dispatched colour');
    log(`dispatched ${sent.length} recommended units; B's board and map followed`);

    // A moves 近站水罐1 en route, then on scene, from the status board.
    await a.getByTestId('nav-units').click();
    const aRow = unitRow(a, id('近站水罐1'));
    await aRow.getByTestId('unit-to-en_route').click();
    await unitRow(bBoard, id('近站水罐1')).and(bBoard.locator('[data-status="en_route"]')).waitFor({ timeout: 5000 });
    await a.locator(`[data-testid="unit-row"][data-unit-id="${id('近站水罐1')}"][data-status="en_route"]`).waitFor();
    await aRow.getByTestId('unit-to-on_scene').click();
    await unitRow(bBoard, id('近站水罐1')).and(bBoard.locator('[data-status="on_scene"]')).waitFor({ timeout: 5000 });

    // A position fix moves a marker on B's map.
    const to = { lon: seed.incident.lon + 0.0003, lat: seed.incident.lat + 0.0002 };
    await api(baseUrl, 'POST', '/positions', seed.key, [{ object_id: id('近站水罐2'), time: now(), ...to, speed_kmh: 42 }]);
    await bMap.waitForFunction(
      ([u, p]) => {
        const m = window.liandongUnits.marker(u);
        return m && Math.abs(m.lon - p.lon) < 1e-9 && Math.abs(m.lat - p.lat) < 1e-9;
      },
      [id('近站水罐2'), to],
      { timeout: 5000 },
    );
    log('a fix moved 近站水罐2 on B’s map');

    // Back on the incident: the statuses, the intervals, and a recall with a reason.
    await a.getByTestId('nav-ops').click();
    await detail.locator(`[data-testid="assignment"][data-unit-id="${id('近站水罐1')}"][data-status="on_scene"]`).waitFor({ timeout: 5000 });
    await detail.getByTestId('intervals').waitFor({ timeout: 5000 });
    assert.match(await detail.getByTestId('interval-call_processing_s').textContent(), /^\d+:\d\d/);
    assert.match(await detail.getByTestId('interval-total_s').textContent(), /^\d+:\d\d/);
    await detail.locator(`[data-testid="assignment"][data-unit-id="${id('近站登高1')}"]`).getByTestId('assignment-recall').click();
    const dialog = a.getByTestId('recall-dialog');
    await dialog.getByTestId('recall-confirm').click();
    await dialog.locator('.form-error:not([hidden])').waitFor(); // a reason is required
    await dialog.getByTestId('recall-reason').fill('力量充足');
    await dialog.getByTestId('recall-confirm').click();
    await dialog.waitFor({ state: 'detached' });
    await detail.locator(`[data-testid="assignment"][data-unit-id="${id('近站登高1')}"][data-ended="recalled"]`).waitFor({ timeout: 5000 });
    await unitRow(bBoard, id('近站登高1')).and(bBoard.locator('[data-status="available"]')).waitFor({ timeout: 5000 });
    log('recalled 近站登高1; intervals shown');

    // Coverage of engines, with move-ups when any.
    await a.getByTestId('tab-coverage').click();
    await a.locator('[data-testid="coverage-result"][data-loading="false"]').waitFor({ timeout: 15000 });
    await a.getByTestId('coverage-share').waitFor({ timeout: 5000 });
    log(`engine coverage ${await a.getByTestId('coverage-share').textContent()}, ${await a.getByTestId('moveup').count()} move-up(s)`);

    // Far from every road the node ranks by straight-line distance: said plainly, and no time shown.
    const far = await api(baseUrl, 'POST', '/alarms', dispatcherToken, {
      channel: '119', reported_at: now(), location: seed.offRoad, address: '山里', type: 'fire',
    });
    await a.getByTestId('tab-detail').click();
    await a.locator(`[data-testid="incident-row"][data-incident-id="${far.incident_id}"]`).click();
    const farDetail = a.locator(`[data-testid="incident-detail"][data-incident-id="${far.incident_id}"]`);
    await farDetail.waitFor();
    await openPanel(farDetail);
    assert.equal(await farDetail.getByTestId('rec-slots').getAttribute('data-method'), 'straight_line');
    await farDetail.getByTestId('straight-line-notice').waitFor();
    assert.ok((await farDetail.getByTestId('rec-notice').textContent()).length > 0, 'the node says why');
    assert.ok((await farDetail.getByTestId('rec-unit').count()) > 0);
    assert.equal(await farDetail.getByTestId('rec-eta').count(), 0, 'no time');
    await farDetail.getByTestId('dispatch-close').click();
    log('straight-line recommendation: notice, no times');

    // A call-taker may not dispatch.
    await bMap.locator(`[data-testid="incident-row"][data-incident-id="${incidentId}"]`).click();
    await bMap.locator(`[data-testid="incident-detail"][data-incident-id="${incidentId}"] [data-testid="assignment"]`).first().waitFor();
    assert.equal(await bMap.getByTestId('dispatch-open').count(), 0);
    assert.equal(await bMap.getByTestId('assignment-recall').count(), 0);

    for (const p of [bMap, bBoard]) assert.equal(await p.evaluate(() => window.__sameDocument), true, 'no reload');
    assert.deepEqual(problems, [], 'no page errors');
  } finally {
    for (const c of contexts) await c.close();
  }
}
