// Information reports in the console (issue 9's browser test). The administrator adds a duty officer
// of a county (duty_officer over 441202: report.write there) and a reviewer of the city
// (report_reviewer over 441200: report.review); the duty officer reports a fire in the county through
// the API (seedReports), which opens an incident and, by the default rules, an obligation to report
// it up to the city. The reviewer has the reports page open with an empty inbox. The duty officer
// opens the page: the obligation is on the board with a countdown that runs (from the node's clock)
// and its basis on hover; "draft" gives an initial report pre-filled from the incident, which names
// the elements still missing and marks their fields. Submitting it as it is is refused (the node's
// 422 names the missing elements in Chinese, the page lists them). The officer fills every missing
// element (the casualty figures as numbers), saves — nothing missing — and submits: version 1, the
// obligation settled and gone from the board. Without a reload the reviewer's inbox shows the report;
// opened, it reads what the officer wrote, and the reviewer acknowledges it; the officer's page
// follows live (received, by whom). Last, the node's test clock is moved on an hour: the unit's own
// report to the county, never made, goes overdue on the board, in red, with how late it is.
import assert from 'node:assert/strict';
import { openPage, signIn } from './scenario.mjs';
import { api, signInApi } from './seed.mjs';

export const COUNTY = '441202';
export const CITY = '441200';

/** The two people, and the fire the duty officer reports (an incident in the county). */
export async function seedReports(url, password) {
  const admin = await signInApi(url, 'admin', password);
  const person = (name, display_name, role, jurisdiction) =>
    api(url, 'POST', '/people', admin, { name, display_name, jurisdiction, roles: [{ role, jurisdiction, subordinates: true, agency_only: false }], password });
  await person('county_duty', '区值班员 (test)', 'duty_officer', COUNTY);
  const reviewer = await person('city_reviewer', '市审核员 (test)', 'report_reviewer', CITY);
  await api(url, 'DELETE', '/session', admin);
  const duty = await signInApi(url, 'county_duty', password);
  const { now } = await api(url, 'POST', '/test/clock', null, { advance_ms: 0 }); // the node's test clock
  const alarm = await api(url, 'POST', '/alarms', duty, {
    channel: '119',
    reported_at: now,
    jurisdiction: COUNTY,
    location: { lon: 112.47, lat: 23.06 },
    address: '端州区测试路 8 号仓库',
    type: 'fire',
    description: '仓库起火，浓烟较大',
    caller: { name: '李先生', number: '13900000000' },
  });
  await api(url, 'DELETE', '/session', duty);
  if (!alarm.incident_id) throw new Error(`the alarm: ${JSON.stringify(alarm)}`);
  return { incidentId: alarm.incident_id, duty: 'county_duty', reviewer: 'city_reviewer', reviewerId: reviewer.id };
}

/** What the officer writes into a missing element (a text that names the element, so the reader can
 * check it arrived), or for the figures, numbers. */
const FILL = (element) => `测试${element}：已核实（区值班室）`;

async function fillElement(page, element) {
  const field = page.locator(`[data-testid="rep-editor"] .rep-field[data-field="${element}"]`);
  if (element === 'consequences') {
    const inputs = field.getByTestId('rep-consequence');
    for (let i = 0; i < (await inputs.count()); i++) if ((await inputs.nth(i).inputValue()) === '') await inputs.nth(i).fill('0');
  } else if (element === 'time') {
    await field.getByTestId('rep-field').fill('2026-12-02T08:30');
  } else {
    await field.getByTestId('rep-field').fill(FILL(element));
  }
}

export async function runReportsScenario(browser, baseUrl, accounts, seed, logLine = () => {}) {
  const t0 = Date.now();
  const log = (m) => logLine(`${((Date.now() - t0) / 1000).toFixed(1)} s: ${m}`);
  const problems = [];
  const ctxA = await browser.newContext({ viewport: { width: 1600, height: 1000 }, locale: 'zh-CN' });
  const ctxB = await browser.newContext({ viewport: { width: 1600, height: 1000 }, locale: 'zh-CN' });
  try {
    // The city's reviewer watches the inbox first: empty.
    const b = await openPage(ctxB, baseUrl, problems, 'B');
    await signIn(b, seed.reviewer, accounts.password);
    await b.evaluate(() => (window.__sameDocument = true));
    await b.getByTestId('nav-reports').click();
    await b.getByTestId('inbox-none').waitFor({ timeout: 10000 });

    // The county's duty officer: the obligation on the board, counting down.
    const a = await openPage(ctxA, baseUrl, problems, 'A');
    await signIn(a, seed.duty, accounts.password);
    await a.evaluate(() => (window.__sameDocument = true));
    await a.getByTestId('nav-reports').click();
    const obligation = a.locator(`[data-testid="obligation-row"][data-incident-id="${seed.incidentId}"][data-report-type="initial"][data-to="${CITY}"]`);
    await obligation.waitFor({ timeout: 10000 });
    assert.equal(await obligation.getAttribute('data-status'), 'open');
    assert.match(await obligation.getAttribute('title'), /《生产安全事故报告和调查处理条例》/, 'the basis on hover');
    // The county → city rule gives 2 hours (h:mm); the unit → county one 1 hour (m:ss, ticking). A
    // live event resets the countdown's clock to the node's, so the full hour may show until the
    // next tick.
    assert.match(await obligation.getByTestId('obligation-countdown').textContent(), /^剩余 (1:5\d|2:00)$/);
    const unit = a.locator(`[data-testid="obligation-row"][data-incident-id="${seed.incidentId}"][data-from-tier="unit"]`).getByTestId('obligation-countdown');
    const before = await unit.textContent();
    assert.match(before, /^剩余 (5\d:\d\d|1:00)$/);
    await a.waitForFunction(
      ([id, was]) => document.querySelector(`[data-testid="obligation-row"][data-incident-id="${id}"][data-from-tier="unit"] [data-testid="obligation-countdown"]`)?.textContent !== was,
      [seed.incidentId, before],
      { timeout: 3000 },
    );
    const obligationId = await obligation.getAttribute('data-obligation-id');
    log(`obligation ${obligationId} on the board: ${await obligation.getByTestId('obligation-countdown').textContent()}; the unit's ${before}, then ${await unit.textContent()}`);

    // Draft from it: pre-filled, the missing elements named and their fields marked.
    await obligation.getByTestId('obligation-draft').click();
    const editor = a.locator('[data-testid="rep-editor"][data-status="draft"]');
    await editor.waitFor({ timeout: 5000 });
    const reportId = await editor.getAttribute('data-report-id');
    assert.match(reportId, /^441200-RPT-\d+$/);
    assert.equal(await editor.getByTestId('rep-incident').textContent(), `事件 ${seed.incidentId}`);
    assert.ok((await editor.locator('[data-testid="rep-field"][data-field="place"]').inputValue()).includes('测试路'), 'the place comes from the incident');
    const missing = await editor.getByTestId('rep-missing-item').evaluateAll((ls) => ls.map((l) => l.dataset.element));
    assert.ok(missing.length > 0, 'a fresh draft lacks elements');
    for (const m of missing) assert.equal(await editor.locator(`.rep-field[data-field="${m}"]`).getAttribute('data-missing'), 'true', `${m} is marked`);
    log(`${reportId} drafted; missing: ${missing.join(', ')}`);

    // Submitting it incomplete: refused, each missing element named.
    await editor.getByTestId('rep-submit').click();
    const refusal = a.getByTestId('rep-error');
    await refusal.waitFor({ timeout: 5000 });
    const text = await refusal.textContent();
    assert.match(text, /报告缺少必备要素/);
    const names = await editor.getByTestId('rep-missing-item').evaluateAll((ls) => ls.map((l) => l.querySelector('strong').textContent));
    for (const n of names) assert.ok(text.includes(n), `the refusal names ${n}`);
    await a.locator('[data-testid="rep-missing"].refused').waitFor({ timeout: 2000 });
    log(`refused: ${text}`);

    // Fill, save: nothing missing; submit.
    for (const m of missing) await fillElement(a, m);
    assert.equal(await a.getByTestId('rep-editor').getAttribute('data-dirty'), 'true');
    await a.getByTestId('rep-save').click();
    await a.locator('[data-testid="rep-editor"][data-dirty="false"][data-missing-count="0"]').waitFor({ timeout: 5000 });
    await a.getByTestId('rep-complete').waitFor({ timeout: 2000 });
    const submitted = Date.now();
    await a.getByTestId('rep-submit').click();
    await a.locator('[data-testid="rep-editor"][data-status="submitted"]').waitFor({ timeout: 5000 });
    await a.getByTestId('rep-result').waitFor({ timeout: 2000 });
    assert.equal(await a.locator('[data-testid="rep-version"]').count(), 1, 'version 1');
    await a.locator(`[data-testid="obligation-row"][data-obligation-id="${obligationId}"]`).waitFor({ state: 'detached', timeout: 5000 });
    log('filled, saved (nothing missing), submitted: version 1; the obligation settled');

    // Live in the city's inbox; read and acknowledged.
    const row = b.locator(`[data-testid="inbox-row"][data-report-id="${reportId}"][data-status="submitted"]`);
    await row.waitFor({ timeout: 5000 });
    log(`in the city's inbox ${Date.now() - submitted} ms after submitting`);
    assert.equal(await b.evaluate(() => window.__sameDocument), true, 'no reload');
    await row.locator('a.rep-head').click();
    const reader = b.locator(`[data-testid="rep-reader"][data-report-id="${reportId}"]`);
    await reader.waitFor({ timeout: 5000 });
    const written = missing.find((m) => m !== 'consequences' && m !== 'time');
    if (written) assert.equal((await reader.locator(`[data-testid="rep-content"] dd[data-element="${written}"]`).textContent()).trim(), FILL(written));
    await reader.getByTestId('reader-receive').click();
    await b.locator(`[data-testid="rep-reader"][data-report-id="${reportId}"][data-status="received"]`).waitFor({ timeout: 5000 });
    await b.locator(`[data-testid="inbox-row"][data-report-id="${reportId}"][data-status="received"]`).waitFor({ timeout: 5000 });
    log('read and acknowledged by the city');

    // The officer's page follows.
    await a.locator(`[data-testid="own-row"][data-report-id="${reportId}"][data-status="received"]`).waitFor({ timeout: 5000 });
    await a.locator('[data-testid="rep-editor"][data-status="received"]').waitFor({ timeout: 5000 });
    assert.ok((await a.getByTestId('rep-received').textContent()).startsWith(`${seed.reviewerId} `), 'received by the city reviewer');
    assert.equal(await a.evaluate(() => window.__sameDocument), true, 'no reload');
    log('the county sees it received, live');

    // An hour on (the node's test clock): the unit's report to the county, still owed, is overdue —
    // red, with how late — on the page at once.
    await api(baseUrl, 'POST', '/test/clock', null, { advance_ms: 61 * 60 * 1000 });
    const late = a.locator(`[data-testid="obligation-row"][data-incident-id="${seed.incidentId}"][data-from-tier="unit"][data-status="overdue"]`);
    await late.waitFor({ timeout: 5000 });
    assert.match(await late.getAttribute('class'), /\boverdue\b/);
    assert.match(await late.getByTestId('obligation-countdown').textContent(), /^超时 [01]:\d\d$/);
    assert.equal(await late.evaluate((el) => getComputedStyle(el).borderLeftColor), 'rgb(229, 83, 75)', 'overdue in red');
    await a.getByTestId('overdue-count').waitFor({ timeout: 2000 });
    log(`an hour on: the unit's obligation overdue, ${await late.getByTestId('obligation-countdown').textContent()}`);

    assert.deepEqual(problems, [], 'no page errors');
  } finally {
    await ctxA.close();
    await ctxB.close();
  }
}
