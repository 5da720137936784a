// Monitoring in the console (issue 7's browser test). A monitoring analyst opens the chart of a
// water-quality station measuring cadmium (seeded through the API by seedMonitoring: three readings
// under the class III limit, a small river with the station on its upstream section, a fence and a
// tracked truck). The chart draws the class III limit line (data-limit="III", "III 类 0.005 mg/L")
// above the three readings; the station's marker is green ("none"); the fence and the truck are on
// the map. A sensor gateway then sends two readings over the limit (POST /api/v1/readings/lines):
// without a reload the warning appears on the board (yellow: (0.015 − 0.005)/0.005 = 2 ≥ 1), the
// marker turns yellow, the chart shows five readings and the moment the detector fired. A drag
// zooms the chart in time, "回到最新" returns. One more reading, under the limit, is appended to
// the chart and the station list live (readings telemetry). The analyst confirms the warning and
// predicts downstream arrivals from the station (seed.mjs's MONITORING_RIVER: r1 10 km at 0.5 m/s
// in 441201 → r2 18 km at 1 m/s in 441202 → r3 9 km at 0.5 m/s in 441203; the station on s-up,
// 2 km down r1). From there: 441202 entered at 8 000 / 0.5 = 16 000 s; s-mid (9 km down r2) at
// 16 000 + 9 000 = 25 000 s; 441203 entered at 16 000 + 18 000 = 34 000 s; the intake (1 km down
// r3) at 34 000 + 1 000 / 0.5 = 36 000 s — counted from the arrival at s-up itself (the release),
// so that the minute the prediction starts from does not matter.
import assert from 'node:assert/strict';
import { openPage, signIn } from './scenario.mjs';

export async function runMonitoringScenario(browser, baseUrl, accounts, seed, logLine = () => {}) {
  const t0 = Date.now();
  const log = (m) => logLine(`${((Date.now() - t0) / 1000).toFixed(1)} s: ${m}`);
  const problems = [];
  const context = await browser.newContext({ viewport: { width: 1600, height: 1000 }, locale: 'zh-CN' });
  try {
    const page = await openPage(context, baseUrl, problems, 'A');
    await signIn(page, accounts.names.monitoring_analyst, accounts.password);
    await page.evaluate(() => (window.__sameDocument = true));
    await page.getByTestId('nav-monitoring').click();
    const row = page.locator(`[data-testid="station-row"][data-station-id="${seed.stationId}"]`);
    await row.waitFor({ timeout: 10000 });
    const marker = page.locator(`[data-testid="station-marker"][data-station-id="${seed.stationId}"]`);
    assert.equal(await marker.getAttribute('data-level'), 'none', 'readings under the limit: no level');
    await page.getByTestId('warning-none').waitFor();
    await page.locator('path.mon-fence.kind-water_source_protection').waitFor({ timeout: 5000 });
    await page.locator(`[data-testid="object-marker"][data-object-id="${seed.objectId}"]`).waitFor({ timeout: 5000 });

    // The chart: three readings and the class III limit line.
    await row.click();
    const detail = page.locator(`[data-testid="station-detail"][data-station-id="${seed.stationId}"]`);
    await detail.locator('[data-testid="chart-note"][data-loaded="true"]').waitFor({ timeout: 10000 });
    const svg = detail.getByTestId('chart-svg');
    assert.equal(await svg.getAttribute('data-points'), '3');
    assert.equal(await detail.getByTestId('chart-point').count(), 3);
    const values = await detail.getByTestId('chart-point').evaluateAll((ps) => ps.map((p) => Number(p.dataset.value)));
    assert.deepEqual(values, [0.002, 0.003, 0.0025], 'the readings in time order');
    const limit = detail.locator('[data-testid="chart-limit"][data-limit="III"]');
    assert.equal(await limit.getAttribute('data-value'), '0.005');
    assert.equal((await limit.locator('text').textContent()).trim(), 'III 类 0.005 mg/L');
    // The limit line lies above every reading (smaller y on screen).
    const ly = Number(await limit.locator('line').getAttribute('y1'));
    const ys = await detail.getByTestId('chart-point').evaluateAll((ps) => ps.map((p) => Number(p.getAttribute('cy'))));
    assert.ok(ys.every((y) => y > ly), `points below the limit line: ${ys} vs ${ly}`);
    assert.equal(await detail.getByTestId('chart-fired').count(), 0, 'no detector has fired yet');
    log('chart: 3 readings under the class III limit line');

    // Readings over the limit from the sensor gateway: the warning appears live.
    const sent = Date.now();
    const res = await fetch(`${baseUrl}/api/v1/readings/lines`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain', Authorization: `Bearer ${seed.gatewayKey}` },
      body: seed.overLines,
    });
    assert.equal(res.status, 200, await res.text());
    const warning = page.locator(`[data-testid="warning-row"][data-station-id="${seed.stationId}"]`);
    await warning.waitFor({ timeout: 10000 });
    log(`warning on the board ${Date.now() - sent} ms after the readings were sent`);
    assert.equal(await warning.getAttribute('data-level'), 'yellow');
    assert.equal(await warning.getAttribute('data-status'), 'raised');
    assert.ok(/^441200-WRN-\d+$/.test(await warning.getAttribute('data-warning-id')));
    assert.match(await warning.getByTestId('warning-level').textContent(), /黄色/);
    await page.locator(`[data-testid="station-marker"][data-station-id="${seed.stationId}"][data-level="yellow"]`).waitFor({ timeout: 5000 });
    const colour = await marker.evaluate((el) => getComputedStyle(el).backgroundColor);
    assert.equal(colour, 'rgb(245, 213, 71)', 'the marker is painted yellow');
    await detail.locator('[data-testid="chart-svg"][data-points="5"]').waitFor({ timeout: 5000 });
    await detail.getByTestId('chart-fired').first().waitFor({ timeout: 5000 });
    assert.equal(await detail.locator('[data-testid="chart-point"].over').count(), 2, 'two readings over the limit');
    assert.equal(await page.evaluate(() => window.__sameDocument), true, 'no reload');
    log('warning yellow, marker yellow, chart 5 readings with the detector mark');

    // Zoom: a drag across the right part of the plot selects a shorter window, which is queried
    // again (from/to); "back to now" returns to the 24-hour window.
    const box = await svg.boundingBox();
    const zoomed = page.waitForResponse((r) => r.url().includes('/readings?') && r.url().includes('from='));
    await page.mouse.move(box.x + box.width * 0.55, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.7, box.y + box.height / 2, { steps: 4 });
    await page.mouse.up();
    await zoomed;
    const span = Date.parse(await svg.getAttribute('data-to')) - Date.parse(await svg.getAttribute('data-from'));
    assert.ok(span > 60000 && span < 6 * 3600000, `a shorter window after the drag: ${span} ms`);
    await detail.getByTestId('chart-follow').click();
    await detail.locator('[data-testid="chart-svg"][data-points="5"]').waitFor({ timeout: 5000 });
    assert.equal(await detail.getByTestId('chart-follow').count(), 0);
    log(`zoomed to ${(span / 60000).toFixed(0)} min and back`);

    // The analyst confirms it (warning.issue).
    await warning.getByTestId('warning-confirm').click();
    await page.locator(`[data-testid="warning-row"][data-station-id="${seed.stationId}"][data-status="confirmed"]`).waitFor({ timeout: 5000 });

    // One more reading, back under the limit: appended to the chart and the list live (the
    // stream's readings telemetry).
    const more = await fetch(`${baseUrl}/api/v1/readings/lines`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain', Authorization: `Bearer ${seed.gatewayKey}` },
      body: seed.laterLine,
    });
    assert.equal(more.status, 200, await more.text());
    await detail.locator('[data-testid="chart-svg"][data-points="6"]').waitFor({ timeout: 5000 });
    await row.locator('[data-testid="station-value"][data-parameter="cadmium"]', { hasText: '0.004 mg/L' }).waitFor({ timeout: 5000 });
    log('a later reading appended live');

    // Downstream arrivals from the station's section.
    await detail.getByTestId('station-predict').click();
    const arrivals = page.getByTestId('predict-arrival');
    await arrivals.first().waitFor({ timeout: 5000 });
    const at = Object.fromEntries(await arrivals.evaluateAll((rs) => rs.map((r) => [r.dataset.site, Date.parse(r.dataset.arrival)])));
    assert.deepEqual(Object.keys(at).sort(), ['intake', 's-mid', 's-up'], 'the release site itself, then downstream');
    const after = (ms) => (ms - at['s-up']) / 1000; // seconds after the release at s-up
    assert.equal(after(at['s-mid']), 25000, 's-mid');
    assert.equal(after(at.intake), 36000, 'the intake');
    const entries = await page.getByTestId('predict-entry').evaluateAll((rs) => rs.map((r) => [r.dataset.jurisdiction, Date.parse(r.dataset.at)]));
    assert.deepEqual(entries.map(([j, t]) => [j, after(t)]), [['441202', 16000], ['441203', 34000]], 'jurisdictions entered');
    assert.equal(await page.locator('.mon-arrival-label').count(), 3, 'arrival labels on the map');
    log('prediction: s-mid, intake and two jurisdictions at the hand-computed times');

    assert.deepEqual(problems, [], 'no page errors');
  } finally {
    await context.close();
  }
}
