// The console in a real browser against the real node: starts `liandong serve` on a fresh data
// directory and port 0, creates an administrator (`liandong admin create`, through the running
// node) who adds one person per role the scenario needs (POST /api/v1/people with a bearer token),
// then runs scenario.mjs in Debian's Chromium (playwright-core, no downloaded browser), one
// browser context per person. A second node is started with a synthetic road network (made with
// `liandong graph synth`) for the roads layer and address suggestions (roads.mjs), and a third,
// also with roads, with units registered through the API for recommendation and dispatch
// (dispatch.mjs). A fourth runs on a test clock (`--test-clock`) with a plan in force: a grade
// confirmed in the console activates it and the task board follows the clock (plans.mjs). A fifth
// has a monitoring station: its chart shows the limit line and a warning appears live
// (monitoring.mjs). A sixth has an orange warning: an analyst composes a CAP alert from it with
// the live preview and a supervisor approves it from the queue (alerts.mjs). A seventh has a fire in
// a county: its duty officer drafts the initial report the rules ask for, fills the missing
// elements and submits, and the city's reviewer sees it arrive live and acknowledges it; on a test
// clock, an obligation left unmet goes overdue on the board (reports.mjs).
// Env: LIANDONG_BIN (default ../../build/src/app/liandong), LIANDONG_WEB (default ../../web/dist),
// CHROMIUM_BIN (default /usr/bin/chromium).
import { test } from 'node:test';
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { launchBrowser, runScenario } from './scenario.mjs';
import { runRoadsScenario } from './roads.mjs';
import { runDispatchScenario } from './dispatch.mjs';
import { runPlansScenario } from './plans.mjs';
import { runMonitoringScenario } from './monitoring.mjs';
import { runAlertsScenario, seedAlerts } from './alerts.mjs';
import { runReportsScenario, seedReports } from './reports.mjs';
import { api, seedDispatch, seedMonitoring, seedPlan } from './seed.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const bin = resolve(here, process.env.LIANDONG_BIN ?? '../../build/src/app/liandong');
const webDir = resolve(here, process.env.LIANDONG_WEB ?? '../../web/dist');
const JURISDICTION = '441200';
const ROLES = ['dispatcher', 'supervisor', 'call_taker', 'auditor'];

/** `liandong serve` on a fresh data folder; `prepare(dataDir)` may add arguments (e.g. --graph). */
async function startNode(prepare = () => []) {
  if (!existsSync(bin)) throw new Error(`node binary not found at ${bin} (build it, or set LIANDONG_BIN)`);
  if (!existsSync(join(webDir, 'index.html'))) throw new Error(`${webDir}/index.html missing: run "npm run build" in web/`);
  const dataDir = mkdtempSync(join(tmpdir(), 'liandong-browser-'));
  const args = ['serve', '--data', dataDir, '--listen', '127.0.0.1:0', '--jurisdiction', JURISDICTION, '--web', webDir,
                ...prepare(dataDir)];
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  let exited = null;
  child.on('exit', (code, signal) => (exited = { code, signal }));
  const addrFile = join(dataDir, 'node.addr');
  const deadline = Date.now() + 20000;
  while (Date.now() < deadline) {
    if (exited) throw new Error(`node exited (${JSON.stringify(exited)}) before listening:\n${output}`);
    if (existsSync(addrFile)) {
      const addr = readFileSync(addrFile, 'utf8').trim();
      if (/^[\d.]+:\d+$/.test(addr)) {
        return {
          url: `http://${addr}`,
          dataDir,
          output: () => output,
          async stop() {
            if (!exited) {
              child.kill('SIGTERM');
              for (let i = 0; i < 100 && !exited; i++) await sleep(100);
              if (!exited) child.kill('SIGKILL');
            }
            rmSync(dataDir, { recursive: true, force: true });
          },
        };
      }
    }
    await sleep(100);
  }
  child.kill('SIGKILL');
  throw new Error(`node did not write ${addrFile} within 20 s:\n${output}`);
}

/** An administrator, then one person per role; all with one random password. */
async function createAccounts(node, roles = ROLES) {
  const password = `t-${randomBytes(9).toString('hex')}`;
  const admin = spawnSync(bin, ['admin', 'create', '--data', node.dataDir, '--name', 'admin', '--password-stdin'], {
    input: `${password}\n`,
    encoding: 'utf8',
  });
  if (admin.status !== 0) throw new Error(`admin create failed (${admin.status}): ${admin.stdout}${admin.stderr}`);
  const { token } = await api(node.url, 'POST', '/session', null, { name: 'admin', password });
  const names = {};
  for (const role of roles) {
    await api(node.url, 'POST', '/people', token, {
      name: role,
      display_name: `${role} (test)`,
      jurisdiction: JURISDICTION,
      roles: [{ role, jurisdiction: JURISDICTION, subordinates: true, agency_only: false }],
      password,
    });
    names[role] = role;
  }
  await api(node.url, 'DELETE', '/session', token);
  return { password, names };
}

test('console: sign-in, report in A, live on B, grade, reveal, roles, CSRF, audit, sign-out', { timeout: 180000 }, async () => {
  const node = await startNode();
  let browser;
  try {
    const accounts = await createAccounts(node);
    browser = await launchBrowser();
    await runScenario(browser, node.url, accounts, (m) => console.log(`  ${m}`));
  } catch (e) {
    console.log(`--- node output ---\n${node.output()}`);
    throw e;
  } finally {
    await browser?.close();
    await node.stop();
  }
});

/** `liandong graph synth` into the data folder: arguments for a node with that road network. */
function synthRoads(dataDir) {
  const graph = join(dataDir, 'roads.ldg');
  const made = spawnSync(bin, ['graph', 'synth', '--nodes', '3000', '--seed', '1', '--out', graph], { encoding: 'utf8' });
  if (made.status !== 0) throw new Error(`graph synth failed (${made.status}): ${made.stdout}${made.stderr}`);
  return ['--graph', graph];
}

test('console: roads layer and address suggestions on a node with a road network', { timeout: 180000 }, async () => {
  const node = await startNode(synthRoads);
  let browser;
  try {
    const accounts = await createAccounts(node, ['call_taker']);
    browser = await launchBrowser();
    await runRoadsScenario(browser, node.url, accounts, (m) => console.log(`  ${m}`));
  } catch (e) {
    console.log(`--- node output ---\n${node.output()}`);
    throw e;
  } finally {
    await browser?.close();
    await node.stop();
  }
});

test('console: recommend and dispatch; the status board and the map follow live', { timeout: 180000 }, async () => {
  const node = await startNode(synthRoads);
  let browser;
  try {
    const accounts = await createAccounts(node, ['dispatcher', 'call_taker']);
    const seed = await seedDispatch(node.url, JURISDICTION, accounts.password);
    browser = await launchBrowser();
    await runDispatchScenario(browser, node.url, accounts, seed, (m) => console.log(`  ${m}`));
  } catch (e) {
    console.log(`--- node output ---\n${node.output()}`);
    throw e;
  } finally {
    await browser?.close();
    await node.stop();
  }
});

test('console: a confirmed grade activates the plan; the task board counts down and shows overdue live', { timeout: 180000 }, async () => {
  const node = await startNode(() => ['--test-clock']);
  let browser;
  try {
    // The incident commander confirms the grade (duty_officer lacks incident.grade.confirm); the
    // supervisor writes the plan, which a second supervisor (seedPlan) approves.
    const accounts = await createAccounts(node, ['supervisor', 'incident_commander']);
    const seed = await seedPlan(node.url, JURISDICTION, accounts.password, accounts);
    browser = await launchBrowser();
    await runPlansScenario(browser, node.url, accounts, seed, (m) => console.log(`  ${m}`));
  } catch (e) {
    console.log(`--- node output ---\n${node.output()}`);
    throw e;
  } finally {
    await browser?.close();
    await node.stop();
  }
});

test('console: a station chart shows the limit line; readings over it raise a warning live', { timeout: 180000 }, async () => {
  const node = await startNode();
  let browser;
  try {
    const accounts = await createAccounts(node, ['monitoring_analyst']);
    const seed = await seedMonitoring(node.url, JURISDICTION, accounts.password, accounts.names);
    browser = await launchBrowser();
    await runMonitoringScenario(browser, node.url, accounts, seed, (m) => console.log(`  ${m}`));
  } catch (e) {
    console.log(`--- node output ---\n${node.output()}`);
    throw e;
  } finally {
    await browser?.close();
    await node.stop();
  }
});

test('console: a CAP alert composed with a live preview, approved by a second person, published live', { timeout: 180000 }, async () => {
  const node = await startNode();
  let browser;
  try {
    const accounts = await createAccounts(node, ['monitoring_analyst', 'supervisor']);
    const seed = await seedAlerts(node.url, JURISDICTION, accounts.password, accounts.names);
    browser = await launchBrowser();
    await runAlertsScenario(browser, node.url, accounts, seed, (m) => console.log(`  ${m}`));
  } catch (e) {
    console.log(`--- node output ---\n${node.output()}`);
    throw e;
  } finally {
    await browser?.close();
    await node.stop();
  }
});

test('console: a county drafts an initial report, fills what is missing, submits; the city receives it live', { timeout: 180000 }, async () => {
  const node = await startNode(() => ['--test-clock']);
  let browser;
  try {
    const accounts = await createAccounts(node, []);
    const seed = await seedReports(node.url, accounts.password);
    browser = await launchBrowser();
    await runReportsScenario(browser, node.url, accounts, seed, (m) => console.log(`  ${m}`));
  } catch (e) {
    console.log(`--- node output ---\n${node.output()}`);
    throw e;
  } finally {
    await browser?.close();
    await node.stop();
  }
});
