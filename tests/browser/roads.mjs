// The roads layer and the alarm form's address suggestions, against a node started with a road
// network (console.test.mjs makes a synthetic one). Signed in as a call-taker.
import assert from 'node:assert/strict';
import { openPage, signIn } from './scenario.mjs';

const mapState = (page) =>
  page.evaluate(() => {
    const m = document.querySelector('[data-testid="map"]');
    return { state: m.dataset.roadsState, features: Number(m.dataset.roadFeatures ?? -1) };
  });

/** Painted pixels on the roads pane's canvas (the layer draws on a canvas, not in the DOM). */
const paintedRoadPixels = (page) =>
  page.evaluate(() => {
    const canvas = document.querySelector('.leaflet-roads-pane canvas');
    if (!canvas || !canvas.width || !canvas.height) return 0;
    const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    let n = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
    return n;
  });

export async function runRoadsScenario(browser, baseUrl, accounts, log = () => {}) {
  const problems = [];
  const context = await browser.newContext({ viewport: { width: 1600, height: 900 }, locale: 'zh-CN' });
  try {
    const page = await openPage(context, baseUrl, problems, 'R');
    await signIn(page, accounts.names.call_taker, accounts.password);

    // The roads layer: fetched for the view, drawn on its canvas, under the incidents' markers.
    await page.locator('[data-testid="map"][data-roads-state="ready"]').waitFor({ timeout: 15000 });
    const first = await mapState(page);
    assert.ok(first.features > 0, `roads drawn: ${JSON.stringify(first)}`);
    assert.ok((await paintedRoadPixels(page)) > 1000, 'the roads canvas is painted');
    const z = await page.evaluate(() => ({
      roads: Number(getComputedStyle(document.querySelector('.leaflet-roads-pane')).zIndex),
      markers: Number(getComputedStyle(document.querySelector('.leaflet-marker-pane')).zIndex),
      overlays: Number(getComputedStyle(document.querySelector('.leaflet-overlay-pane')).zIndex),
    }));
    assert.ok(z.roads < z.markers && z.roads < z.overlays, `roads under incidents: ${JSON.stringify(z)}`);
    // Zooming in refetches (debounced) and brings the minor streets.
    await page.locator('.leaflet-control-zoom-in').click();
    await page.waitForFunction(
      (n) => {
        const m = document.querySelector('[data-testid="map"]');
        return m.dataset.roadsState === 'ready' && Number(m.dataset.roadFeatures) !== n;
      },
      first.features,
      { timeout: 10000 },
    );
    const zoomed = await mapState(page);
    log(`roads layer: ${first.features} features, ${zoomed.features} after zooming in`);

    // A street of the network, as the node's address search knows it.
    const street = await page.evaluate(async () => {
      for (const q of ['路', '街', '道']) {
        const r = await fetch(`/api/v1/geocode?q=${encodeURIComponent(q)}&limit=20`);
        const items = (await r.json()).items ?? [];
        const s = items.find((c) => c.kind === 'street');
        if (s) return s;
      }
      return null;
    });
    assert.ok(street, 'the synthetic city has named streets');

    // Typing it in the alarm form offers suggestions: the street itself first.
    await page.getByTestId('tab-report').click();
    const form = page.getByTestId('alarm-form');
    const address = form.getByTestId('form-address');
    await address.click();
    await address.pressSequentially(street.name, { delay: 30 });
    const list = form.getByTestId('address-suggestions');
    const options = list.getByTestId('address-suggestion');
    await options.first().waitFor({ timeout: 5000 });
    assert.equal(await address.getAttribute('aria-expanded'), 'true');
    const labels = await options.allTextContents();
    assert.ok(labels[0].startsWith(street.name), `first suggestion is the street: ${labels.join(' | ')}`);
    // Keyboard: down, down, up is the first again; Enter picks it (and does not submit).
    await address.press('ArrowDown');
    await address.press('ArrowDown');
    if ((await options.count()) > 1) assert.equal(await options.nth(1).getAttribute('aria-selected'), 'true');
    await address.press('ArrowUp');
    assert.equal(await options.first().getAttribute('aria-selected'), 'true');
    await address.press('Enter');
    await list.waitFor({ state: 'hidden' });
    assert.equal(await form.getByTestId('form-result').isVisible(), false, 'Enter picked, it did not submit');
    assert.equal(await address.inputValue(), street.label);
    assert.equal(Number(await form.getByTestId('form-lon').inputValue()), street.position.lon);
    assert.equal(Number(await form.getByTestId('form-lat').inputValue()), street.position.lat);
    await form.getByTestId('form-type').selectOption('fire');
    await form.getByTestId('form-submit').click();
    await form.getByTestId('form-result-incident').waitFor({ timeout: 10000 });
    const located = (await form.getByTestId('form-result-incident').textContent()).trim();
    await page.locator(`[data-testid="incident-marker"][data-incident-id="${located}"]`).waitFor({ timeout: 5000 });
    log(`picked ${street.label}: ${located} is on the map`);

    // An address that matches nothing says so, fills no position, and the alarm stays unlocated.
    await address.click();
    await address.pressSequentially('Qzxvw Nowhere 999', { delay: 20 });
    await form.getByTestId('address-no-match').waitFor({ timeout: 5000 });
    assert.equal(await options.count(), 0);
    assert.equal(await form.getByTestId('form-lon').inputValue(), '');
    await form.getByTestId('form-type').selectOption('fire');
    await form.getByTestId('form-submit').click();
    await page.waitForFunction(
      (before) => {
        const el = document.querySelector('[data-testid="form-result-incident"]');
        return el && el.textContent.trim() !== before;
      },
      located,
      { timeout: 10000 },
    );
    const unlocated = (await form.getByTestId('form-result-incident').textContent()).trim();
    await page.locator(`[data-testid="unlocated-item"][data-incident-id="${unlocated}"]`).waitFor({ timeout: 5000 });
    log(`no match: ${unlocated} stays unlocated`);

    assert.deepEqual(problems, [], 'no page errors');
  } finally {
    await context.close();
  }
}
