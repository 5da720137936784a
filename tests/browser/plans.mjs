// Plans in the console, against a node on a test clock (`--test-clock`) with the plan of seed.mjs in
// force (a fire plan whose level IV gives 火情侦察 within 30 min, and 疏散 waiting for it).
//
// An incident commander (IC: holds incident.grade.confirm, plan.activate and task.update; the
// duty_officer role lacks incident.grade.confirm) opens a fire reported over the API, confirms its
// grade IV in the console, and watches the plan activate by itself: the task board fills (a task
// with a countdown in the node's time, one waiting for it, the notification, the report due). They
// accept the first task; then the test moves the node's clock 31 minutes on (POST /test/clock) and
// the task turns overdue (超时, red, escalated) on the board without a reload — through the stream's
// `tasks` topic, which makes the board reload and take the node's new `now`. The review page lists
// it as late. A supervisor finds the plan in the library and sees a bad plan's validator errors on
// the import page before any saving.
import assert from 'node:assert/strict';
import { openPage, signIn } from './scenario.mjs';
import { api, signInApi } from './seed.mjs';

export async function runPlansScenario(browser, baseUrl, accounts, seed, logLine = () => {}) {
  const t0 = Date.now();
  const log = (m) => logLine(`${((Date.now() - t0) / 1000).toFixed(1)} s: ${m}`);
  const problems = [];
  const { password, names } = accounts;
  const contexts = [];
  const newContext = async () => {
    const c = await browser.newContext({ viewport: { width: 1600, height: 1000 }, locale: 'zh-CN' });
    contexts.push(c);
    return c;
  };
  try {
    // The node's time (its clock stands still unless the test moves it).
    const { now } = await api(baseUrl, 'POST', '/test/clock', null, { advance_ms: 0 });
    const icToken = await signInApi(baseUrl, names.incident_commander, password);
    const alarm = await api(baseUrl, 'POST', '/alarms', icToken, {
      channel: '119', reported_at: now, address: '测试路 8 号仓库', type: 'fire', description: '仓库冒烟',
      location: { lon: 112.47, lat: 23.05 },
    });
    const incidentId = alarm.incident_id;
    log(`incident ${incidentId} at node time ${now}`);

    // IC: the incident, no plan yet; confirms grade IV (the proposal: no reason needed).
    const ic = await openPage(await newContext(), baseUrl, problems, 'IC');
    await signIn(ic, names.incident_commander, password);
    await ic.evaluate(() => (window.__sameDocument = true));
    await ic.locator(`[data-testid="incident-row"][data-incident-id="${incidentId}"]`).click();
    const detail = ic.locator(`[data-testid="incident-detail"][data-incident-id="${incidentId}"]`);
    const board = detail.locator(`[data-testid="task-board"][data-incident-id="${incidentId}"]`);
    await board.locator('[data-testid="no-activation"]').waitFor({ timeout: 10000 });
    assert.equal(await board.getByTestId('drill-badge').count(), 0, 'a real incident has no drill badge');
    await detail.getByTestId('grade-select').selectOption('IV');
    await detail.getByTestId('grade-confirm').click();
    await detail.locator('[data-testid="grade-confirmed"][data-grade="IV"]').waitFor({ timeout: 10000 });

    // The plan activates on the confirmed grade; the board fills from the stream.
    const activation = board.getByTestId('activation');
    await activation.waitFor({ timeout: 10000 });
    assert.equal(await activation.getAttribute('data-level'), 'IV');
    assert.match(await activation.getByTestId('activation-plan').textContent(), /测试火灾预案 v1/);
    assert.equal((await activation.getByTestId('activation-lead').textContent()).trim(), '119');
    const recon = board.locator('[data-testid="task"][data-key="recon"]');
    const evacuate = board.locator('[data-testid="task"][data-key="evacuate"]');
    await recon.waitFor({ timeout: 10000 });
    assert.equal(await recon.getAttribute('data-status'), 'open');
    assert.equal(await recon.getAttribute('data-overdue'), 'false');
    assert.equal(await evacuate.getAttribute('data-status'), 'waiting');
    assert.match(await evacuate.getByTestId('task-waiting-for').textContent(), /火情侦察并报告/);
    assert.equal(await evacuate.getByTestId('task-accept').count(), 0, 'a waiting task has no buttons');
    const countdown = recon.getByTestId('task-countdown');
    const first = Number(await countdown.getAttribute('data-seconds'));
    assert.ok(first > 25 * 60 && first <= 30 * 60, `about 30 minutes left: ${first} s`);
    assert.match(await countdown.textContent(), /^\d+:\d\d$/);
    await ic.waitForFunction(
      ([el, s]) => Number(document.querySelector(el)?.dataset.seconds) < s,
      [`[data-testid="task"][data-key="recon"] [data-testid="task-countdown"]`, first],
      { timeout: 5000 },
    );
    await board.getByTestId('notification').first().waitFor();
    await board.getByTestId('report-countdown').first().waitFor();
    log(`board filled: recon open with ${await countdown.textContent()} left, evacuate waiting; it ticks`);

    // IC accepts the first task.
    await recon.getByTestId('task-accept').click();
    await board.locator('[data-testid="task"][data-key="recon"][data-status="accepted"]').waitFor({ timeout: 5000 });

    // The node's clock moves past the deadline: the task turns overdue on the board, live.
    const moved = Date.now();
    await api(baseUrl, 'POST', '/test/clock', null, { advance_ms: 31 * 60 * 1000 });
    const overdue = board.locator('[data-testid="task"][data-key="recon"][data-overdue="true"]');
    await overdue.waitFor({ timeout: 8000 });
    await overdue.getByTestId('task-overdue').waitFor();
    assert.match(await overdue.getByTestId('task-overdue').textContent(), /超时/);
    assert.match(await overdue.getByTestId('task-countdown').textContent(), /^-\d+:\d\d$/, 'the countdown runs past zero');
    assert.equal(await evacuate.getAttribute('data-overdue'), 'false', '疏散 is due at 45 min');
    assert.equal(await ic.evaluate(() => window.__sameDocument), true, 'no reload');
    log(`overdue shown ${Date.now() - moved} ms after the clock moved`);

    // Completing it releases the waiting task.
    await overdue.getByTestId('task-complete').click();
    await board.locator('[data-testid="task"][data-key="evacuate"][data-status="open"]').waitFor({ timeout: 5000 });

    // The review lists the late task.
    await board.getByTestId('review-link').click();
    const review = ic.locator(`[data-testid="review"][data-incident-id="${incidentId}"][data-loading="false"]`);
    await review.waitFor({ timeout: 10000 });
    await review.locator('[data-testid="review-late"] tr.late').first().waitFor();
    assert.match(await review.getByTestId('review-late').textContent(), /火情侦察并报告/);
    assert.match(await review.getByTestId('review-html').getAttribute('href'), /review\?format=html$/);
    log('review lists the late task');

    // A supervisor: the library lists the plan, in force, with its levels.
    const sup = await openPage(await newContext(), baseUrl, problems, 'S');
    await signIn(sup, names.supervisor, password);
    await sup.getByTestId('nav-plans').click();
    const row = sup.locator(`[data-testid="plan-row"][data-plan-id="${seed.planId}"]`);
    await row.waitFor({ timeout: 10000 });
    assert.equal((await row.getByTestId('plan-effective').textContent()).trim(), 'v1');
    assert.match(await row.getByTestId('plan-levels').textContent(), /III.*IV/);
    await sup.getByTestId('plan-search').fill('没有这个预案');
    await sup.getByTestId('plan-list-empty').waitFor({ timeout: 5000 });
    await sup.getByTestId('plan-search').fill('测试火灾');
    await row.waitFor({ timeout: 5000 });
    log('library lists the plan');

    // The import page shows the validator's errors (line, path) for a bad plan, and no saving.
    await sup.getByTestId('plan-import-open').click();
    const bad = 'key: Bad Key\ntitle: 坏预案\nowner: "119"\nscope: {types: [fire]}\nlevels:\n  IV:\n    lead: "119"\n    tasks:\n      a: {owner: "119", description: 甲, deadline: soon}\n';
    await sup.getByTestId('import-source').fill(bad);
    await sup.getByTestId('import-validate').click();
    await sup.locator('[data-testid="import-result"][data-state="invalid"]').waitFor({ timeout: 5000 });
    const errors = sup.locator('[data-testid="import-diagnostic"][data-severity="error"]');
    assert.ok((await errors.count()) >= 1, 'at least one error');
    const lines = await errors.evaluateAll((rows) => rows.map((r) => Number(r.dataset.line)));
    assert.ok(lines.includes(9), `the bad deadline's line (9) is named: ${lines}`);
    assert.equal(await sup.getByTestId('import-save').isDisabled(), true, 'no saving an invalid plan');
    log(`import: ${await errors.count()} error(s) at lines ${lines.join(', ')}`);

    assert.deepEqual(problems, [], 'no page errors');
  } finally {
    for (const c of contexts) await c.close();
  }
}
