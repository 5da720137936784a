// The console in a real browser against the real node: starts `liandong serve` on a fresh data
// directory and port 0, opens two consoles in Debian's Chromium (playwright-core, no downloaded
// browser) and runs scenario.mjs. Env: LIANDONG_BIN (default ../../build/src/app/liandong),
// LIANDONG_WEB (default ../../web/dist), CHROMIUM_BIN (default /usr/bin/chromium).
import { test } from 'node:test';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { launchBrowser, runScenario } from './scenario.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const bin = resolve(here, process.env.LIANDONG_BIN ?? '../../build/src/app/liandong');
const webDir = resolve(here, process.env.LIANDONG_WEB ?? '../../web/dist');

async function startNode() {
  if (!existsSync(bin)) throw new Error(`node binary not found at ${bin} (build it, or set LIANDONG_BIN)`);
  if (!existsSync(join(webDir, 'index.html'))) throw new Error(`${webDir}/index.html missing: run "npm run build" in web/`);
  const dataDir = mkdtempSync(join(tmpdir(), 'liandong-browser-'));
  const args = ['serve', '--data', dataDir, '--listen', '127.0.0.1:0', '--jurisdiction', '441200', '--web', webDir];
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

test('console: report in A, live on B board and map, grade, English, reconnect banner', { timeout: 180000 }, async () => {
  const node = await startNode();
  let browser;
  try {
    browser = await launchBrowser();
    await runScenario(browser, node.url, (m) => console.log(`  ${m}`));
  } catch (e) {
    console.log(`--- node output ---\n${node.output()}`);
    throw e;
  } finally {
    await browser?.close();
    await node.stop();
  }
});
