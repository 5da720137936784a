// CAP alerts in the console (issue 8's browser test). A monitoring analyst raises an orange
// warning through the API (seedAlerts: water pollution at a point of the river, so the node derives
// a 5 km circle around it). A supervisor has the alerts page open with an empty approval queue.
// The analyst, on the same page, composes an alert from the warning: the form fills with the
// node's derived content (Env, Severe/Immediate for orange), the preview shows the CAP XML with no
// errors, and the page says a second person holding warning.approve.orange must approve. Clearing
// the event gives a warning (amber) on /alert/info[1]/event with its code — the codec's rule: an
// empty event is allowed but should name the event — and unticking the only category an error
// (red) on /alert/info[1]/category, the field marked and submitting refused; putting both back
// clears them. The analyst submits: the alert waits for approval, and the
// analyst's own queue row offers no approval (the drafter never approves). Without a reload the
// supervisor's queue shows it with the document it would be; sending it back without a reason is
// refused in the page; the supervisor approves. Both pages then list it as published with a
// national identifier (441200 + body code, Beijing entry time within a minute or two of now,
// sequence digit), draw its circle on the map in orange, and link the public CAP document, which
// is served without signing in and carries that identifier. The approval trail names the
// permission the supervisor approved with. Last, an outside source pushes two provincial alerts
// (POST /api/v1/cap/inbox with an alert_source key): the valid one appears live among the alerts
// received, with its source, and on the map (dashed, yellow for Moderate); the one with an urgency
// CAP does not know is quarantined, its report (cap.enum at /alert/info[1]/urgency) shown.
import assert from 'node:assert/strict';
import { openPage, signIn } from './scenario.mjs';
import { api, signInApi } from './seed.mjs';

/** The orange warning the alert is composed from, raised by the analyst through the API, and a key
 * for an outside CAP source (the administrator: role alert_source) to push alerts with. */
export async function seedAlerts(url, jurisdiction, password, names) {
  const admin = await signInApi(url, 'admin', password);
  const sourceKey = (await api(url, 'POST', '/keys', admin, { name: 'province', role: 'alert_source', jurisdiction })).key;
  await api(url, 'DELETE', '/session', admin);
  const analyst = await signInApi(url, names.monitoring_analyst, password);
  const warning = await api(url, 'POST', '/warnings', analyst, {
    jurisdiction,
    level: 'orange',
    title: '测试河镉浓度超标',
    description: '测试河上游断面镉浓度超过 III 类标准 3 倍，下游取水口须做好停止取水准备。',
    type: 'water_pollution',
    location: { lon: 112.32, lat: 23.0 },
  });
  await api(url, 'DELETE', '/session', analyst);
  if (warning.level !== 'orange') throw new Error(`the warning: ${JSON.stringify(warning)}`);
  return { warningId: warning.id, sourceKey };
}

/** A provincial rainstorm alert (yellow: Moderate) over a polygon north of the city, as CAP 1.2
 * sent now; `urgency` lets the test send one the codec refuses. */
function provincialCap(urgency, sequence) {
  const now = Date.now();
  const bj = new Date(Math.floor(now / 1000) * 1000 + 8 * 3600000).toISOString().slice(0, 19); // Beijing wall time
  return `<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>44000041600000_${bj.replace(/[-:T]/g, '')}_${sequence}</identifier>
  <sender>440000@gd.example</sender>
  <sent>${bj}+08:00</sent>
  <status>Actual</status>
  <msgType>Alert</msgType>
  <scope>Public</scope>
  <info>
    <language>zh-CN</language>
    <category>Met</category>
    <event>暴雨</event>
    <urgency>${urgency}</urgency>
    <severity>Moderate</severity>
    <certainty>Likely</certainty>
    <headline>省气象台发布暴雨黄色预警</headline>
    <description>未来 6 小时内将出现暴雨。</description>
    <area>
      <areaDesc>肇庆市北部</areaDesc>
      <polygon>23.2,112.3 23.2,112.6 23.4,112.6 23.4,112.3 23.2,112.3</polygon>
    </area>
  </info>
</alert>`;
}

async function pushCap(baseUrl, key, xml) {
  const res = await fetch(`${baseUrl}/api/v1/cap/inbox`, { method: 'POST', headers: { 'Content-Type': 'application/cap+xml', Authorization: `Bearer ${key}` }, body: xml });
  return { status: res.status, body: await res.json() };
}

/** The preview pane once the newest preview has come back (not one still under way). */
async function settledPreview(page, state) {
  await page.locator(`[data-testid="alert-preview"][data-state="${state}"]`).waitFor({ timeout: 5000 });
  return page.getByTestId('alert-preview');
}

/** The instant (ms) of a national identifier's entry time YYYYMMDDhhmmss, Beijing time (UTC+8). */
function fromBeijingStamp(s) {
  const [y, mo, d, h, mi, se] = [s.slice(0, 4), s.slice(4, 6), s.slice(6, 8), s.slice(8, 10), s.slice(10, 12), s.slice(12, 14)].map(Number);
  return Date.UTC(y, mo - 1, d, h, mi, se) - 8 * 3600000;
}

export async function runAlertsScenario(browser, baseUrl, accounts, seed, logLine = () => {}) {
  const t0 = Date.now();
  const log = (m) => logLine(`${((Date.now() - t0) / 1000).toFixed(1)} s: ${m}`);
  const problems = [];
  const ctxA = await browser.newContext({ viewport: { width: 1600, height: 1000 }, locale: 'zh-CN' });
  const ctxB = await browser.newContext({ viewport: { width: 1600, height: 1000 }, locale: 'zh-CN' });
  try {
    // The supervisor watches the page first: the queue is empty.
    const b = await openPage(ctxB, baseUrl, problems, 'B');
    await signIn(b, accounts.names.supervisor, accounts.password);
    await b.evaluate(() => (window.__sameDocument = true));
    await b.getByTestId('nav-alerts').click();
    await b.getByTestId('queue-none').waitFor({ timeout: 10000 });

    const a = await openPage(ctxA, baseUrl, problems, 'A');
    await signIn(a, accounts.names.monitoring_analyst, accounts.password);
    await a.getByTestId('nav-alerts').click();
    const source = a.getByTestId('compose-source');
    await source.locator(`option[value="w:${seed.warningId}"]`).waitFor({ state: 'attached', timeout: 10000 });
    await source.selectOption(`w:${seed.warningId}`);

    // The node's content for an orange water-pollution warning, and a clean preview.
    let preview = await settledPreview(a, 'ok');
    assert.equal(await a.getByTestId('compose-severity').inputValue(), 'Severe');
    assert.equal(await a.getByTestId('compose-urgency').inputValue(), 'Immediate');
    const ticked = await a.getByTestId('compose-category').evaluateAll((cs) => cs.filter((c) => c.checked).map((c) => c.value));
    assert.deepEqual(ticked, ['Env'], 'water pollution is an environmental alert');
    const event = await a.getByTestId('compose-event').inputValue();
    assert.ok(event.length > 0, 'the event is derived from the warning type');
    assert.equal(await preview.locator('[data-testid="cap-issue"][data-severity="error"]').count(), 0, 'no errors');
    const xml = await preview.getByTestId('preview-xml').textContent();
    assert.match(xml, /<severity>Severe<\/severity>/);
    assert.ok(xml.includes(`<event>${event}</event>`), 'the XML carries the form’s event');
    assert.match(xml, /<circle>23(\.0+)?,112\.32(0*) 5(\.0+)?<\/circle>/, 'a 5 km circle at the warning (lat,lon radius)');
    assert.equal(await a.getByTestId('compose-approval').getAttribute('data-approval'), 'warning.approve.orange');
    log('compose: derived content, preview without errors, approval by warning.approve.orange');

    // Clearing the event: a warning (amber) with its code and path, which does not stop submitting;
    // unticking the only category: an error (red), the field marked, and submitting refused.
    await a.getByTestId('compose-event').fill('');
    preview = await settledPreview(a, 'ok');
    const warned = preview.locator('[data-testid="cap-issue"][data-severity="warning"][data-path="/alert/info[1]/event"]');
    await warned.waitFor({ timeout: 5000 });
    const warnCode = await warned.getAttribute('data-code');
    assert.match(warnCode, /^cap\.[a-z_.]+$/, `a stable code: ${warnCode}`);
    assert.ok((await warned.textContent()).includes(warnCode), 'the code is shown');
    assert.equal(await warned.evaluate((el) => getComputedStyle(el).borderLeftColor), 'rgb(224, 165, 38)', 'warnings in amber');
    assert.equal(await a.getByTestId('compose-submit').isDisabled(), false, 'a warning does not stop submitting');
    await a.locator('[data-testid="compose-category"][data-category="Env"]').uncheck();
    preview = await settledPreview(a, 'errors');
    const issue = preview.locator('[data-testid="cap-issue"][data-severity="error"][data-path="/alert/info[1]/category"]');
    await issue.waitFor({ timeout: 5000 });
    const code = await issue.getAttribute('data-code');
    assert.match(code, /^cap\.[a-z_.]+$/, `a stable code: ${code}`);
    assert.ok((await issue.textContent()).includes(code), 'the code is shown');
    assert.equal(await issue.evaluate((el) => getComputedStyle(el).borderLeftColor), 'rgb(229, 83, 75)', 'errors in red');
    assert.ok(await a.locator('.field.has-error[data-field="category"]').count(), 'the category field is marked');
    assert.equal(await a.getByTestId('compose-submit').isDisabled(), true, 'no submitting with errors');
    log(`cleared event: warning ${warnCode}; no category: error ${code} at /alert/info[1]/category`);

    // Put back (the event changed): clean again, and the XML follows the form.
    await a.locator('[data-testid="compose-category"][data-category="Env"]').check();
    await a.getByTestId('compose-event').fill('水污染预警（测试）');
    preview = await settledPreview(a, 'ok');
    await preview.getByTestId('preview-issues-none').waitFor({ timeout: 5000 });
    assert.ok((await preview.getByTestId('preview-xml').textContent()).includes('<event>水污染预警（测试）</event>'));
    await a.getByTestId('compose-submit').and(a.locator(':enabled')).waitFor({ timeout: 5000 });
    const submitted = Date.now();
    await a.getByTestId('compose-submit').click();
    await a.locator('[data-testid="compose-result"], [data-testid="compose-error"]').first().waitFor({ timeout: 5000 });
    const refused = a.getByTestId('compose-error');
    if (await refused.count()) assert.fail(`submitting failed: ${await refused.textContent()}`);
    const mine = a.locator('[data-testid="queue-row"]');
    await mine.first().waitFor({ timeout: 5000 });
    const alertId = await mine.first().getAttribute('data-alert-id');
    assert.match(alertId, /^441200-ALR-\d+$/);
    assert.match(await a.getByTestId('compose-result').textContent(), new RegExp(`${alertId}.*warning\\.approve\\.orange`));
    await a.locator(`[data-testid="queue-row"][data-alert-id="${alertId}"][data-may-approve="false"]`).waitFor({ timeout: 5000 });
    assert.equal(await mine.first().getByTestId('queue-approve').count(), 0, 'the drafter is offered no approval');
    assert.ok((await mine.first().getByTestId('queue-why-not').textContent()).length > 0, 'and is told why');
    log(`submitted ${alertId}: waiting for approval; no approve button for the drafter`);

    // Live in the supervisor's queue, with the document it would be.
    const row = b.locator(`[data-testid="queue-row"][data-alert-id="${alertId}"]`);
    await row.waitFor({ timeout: 10000 });
    log(`in the supervisor's queue ${Date.now() - submitted} ms after submitting`);
    assert.equal(await row.getAttribute('data-level'), 'orange');
    await b.locator(`[data-testid="queue-row"][data-alert-id="${alertId}"][data-may-approve="true"]`).waitFor({ timeout: 5000 });
    await row.getByTestId('queue-xml').waitFor({ state: 'attached', timeout: 5000 });
    assert.ok((await row.getByTestId('queue-xml').textContent()).includes('<event>水污染预警（测试）</event>'));
    assert.equal(await b.evaluate(() => window.__sameDocument), true, 'no reload');

    // Sending back needs a reason (the page says so before asking the node); then approve.
    await row.getByTestId('queue-reject').click();
    await row.getByTestId('queue-error').waitFor({ timeout: 2000 });
    assert.match(await row.getByTestId('queue-error').textContent(), /理由/);
    await row.getByTestId('queue-note').fill('同意发布');
    await row.getByTestId('queue-approve').click();
    await b.getByTestId('queue-result').waitFor({ timeout: 5000 });
    await b.getByTestId('queue-none').waitFor({ timeout: 5000 });
    log('approved');

    // Published, in both pages, with a national identifier; on the map in orange.
    for (const [name, p] of [['supervisor', b], ['analyst', a]]) {
      const out = p.locator(`[data-testid="outgoing-row"][data-alert-id="${alertId}"][data-state="published"]`);
      await out.waitFor({ timeout: 5000 });
      const identifier = await out.getAttribute('data-identifier');
      const m = /^441200(\d{8})_(\d{14})_(\d)$/.exec(identifier);
      assert.ok(m, `${name}: a national identifier: ${identifier}`);
      const skew = Math.abs(fromBeijingStamp(m[2]) - Date.now());
      assert.ok(skew < 120000, `${name}: the entry time is now, in Beijing time: ${m[2]} (${skew} ms off)`);
      assert.equal((await out.getByTestId('alert-identifier').textContent()).trim(), identifier);
      assert.equal(await out.getByTestId('alert-cap-link').getAttribute('href'), `/api/v1/cap/alerts/${alertId}`);
      const area = p.locator(`path.alert-area[data-alert-id="${alertId}"]`);
      await area.waitFor({ timeout: 5000 });
      assert.equal(await area.getAttribute('data-level'), 'orange');
      assert.equal(await area.getAttribute('stroke'), '#ff9f1a', `${name}: drawn in orange`);
      log(`${name}: published as ${identifier}, on the map`);
    }
    assert.equal(await a.locator(`[data-testid="queue-row"][data-alert-id="${alertId}"]`).count(), 0, 'gone from the queue');

    // The public document, without signing in.
    const identifier = await b.locator(`[data-testid="outgoing-row"][data-alert-id="${alertId}"]`).getAttribute('data-identifier');
    const res = await fetch(`${baseUrl}/api/v1/cap/alerts/${alertId}`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type'), /cap\+xml/);
    const doc = await res.text();
    assert.ok(doc.includes(`<identifier>${identifier}</identifier>`), 'the public document carries the identifier');
    assert.ok(doc.includes('<event>水污染预警（测试）</event>'));

    // The approval trail, with the permission used.
    await b.locator(`[data-testid="outgoing-row"][data-alert-id="${alertId}"] .alert-head`).click();
    const trail = b.locator(`[data-testid="outgoing-row"][data-alert-id="${alertId}"] [data-testid="alert-trail"]`);
    await trail.waitFor({ timeout: 5000 });
    const steps = await trail.getByTestId('alert-step').evaluateAll((ls) => ls.map((l) => l.dataset.action));
    assert.deepEqual(steps, ['drafted', 'submitted', 'approved', 'published']);
    assert.ok((await trail.locator('[data-action="approved"]').textContent()).includes('warning.approve.orange'));
    log('public CAP document and approval trail');

    // Alerts from outside, pushed while the page is open: a valid one is received (and drawn dashed,
    // yellow), a malformed one is quarantined with its report.
    const good = await pushCap(baseUrl, seed.sourceKey, provincialCap('Expected', 0));
    assert.equal(good.status, 200, JSON.stringify(good.body));
    const bad = await pushCap(baseUrl, seed.sourceKey, provincialCap('Soonish', 1));
    assert.equal(bad.status, 422, JSON.stringify(bad.body));
    const [goodId, badId] = [good.body.results[0].alert_id, bad.body.results[0].alert_id];
    const received = b.locator(`[data-testid="received-row"][data-alert-id="${goodId}"][data-state="received"]`);
    await received.waitFor({ timeout: 5000 });
    assert.match(await received.getByTestId('received-source').textContent(), /push:441200-KEY-\d+/);
    // Drawn at once; in view when chosen (the map fits the first areas only, then stays put).
    const dashed = b.locator(`path.alert-area.dir-incoming[data-alert-id="${goodId}"]`);
    await dashed.waitFor({ state: 'attached', timeout: 5000 });
    await received.locator('.alert-head').click();
    await dashed.waitFor({ timeout: 5000 });
    await received.getByTestId('alert-trail').waitFor({ timeout: 5000 });
    assert.equal(await dashed.getAttribute('stroke'), '#f5d547', 'Moderate is yellow');
    assert.equal(await dashed.getAttribute('stroke-dasharray'), '6 4', 'received areas are dashed');
    const quarantined = b.locator(`[data-testid="received-row"][data-alert-id="${badId}"][data-state="quarantined"]`);
    await quarantined.waitFor({ timeout: 5000 });
    const reported = quarantined.locator('[data-testid="cap-issue"][data-severity="error"]');
    assert.deepEqual(await reported.evaluateAll((is) => is.map((i) => [i.dataset.code, i.dataset.path])), [['cap.enum', '/alert/info[1]/urgency']]);
    assert.equal(await b.evaluate(() => window.__sameDocument), true, 'no reload');
    log('received: one on the map (dashed), one quarantined with its report');

    assert.deepEqual(problems, [], 'no page errors');
  } finally {
    await ctxA.close();
    await ctxB.close();
  }
}
