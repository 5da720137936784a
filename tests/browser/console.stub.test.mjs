// Fast check of the console alone: the browser scenario against the JS stand-in (stub-node.mjs),
// serving ../../web/dist. Needs `npm run build` in web/ first.
import { test } from 'node:test';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startStubNode } from './stub-node.mjs';
import { launchBrowser, runScenario } from './scenario.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const webDir = resolve(process.env.LIANDONG_WEB ?? resolve(here, '../../web/dist'));

test('console scenario against the stand-in node', { timeout: 120000 }, async () => {
  if (!existsSync(resolve(webDir, 'index.html'))) throw new Error(`${webDir}/index.html missing: run "npm run build" in web/`);
  const node = await startStubNode({ webDir });
  const browser = await launchBrowser();
  try {
    await runScenario(browser, node.url, (m) => console.log(`  ${m}`));
  } finally {
    await browser.close();
    await node.close();
  }
});
