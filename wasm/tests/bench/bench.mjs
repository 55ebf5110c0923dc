// Times validate() on the 10-line invoice (tests/fixtures/invoice-10-lines.json) in Node and in
// headless Chromium, with the same method as examples/native_bench.rs: warm-up, then the median
// per-call time over batches. Two inputs: the JSON text (read as is) and the parsed object (the
// wrapper serialises it, with its exactness checks). Run through wasm/bench.sh; not a test:
// timings are reported, never asserted.

import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

import { startServer } from '../../demo/serve.mjs';
import { CHROMIUM_ARGS } from '../browser/chromium.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const FIXTURE = path.join(here, '../fixtures/invoice-10-lines.json');
const iterations = Number(process.argv[2] || 2000);
const BATCHES = 7;

// The timing loop, as source so that the very same code runs in Node and in the page.
// The warm-up runs for at least a second: Chromium tiers the wrapper and the module up late, and
// a tier-up inside the first measured batch would be timed as the call.
const LOOP = `(validate, input, iterations, batches) => {
  const warm = performance.now() + 1000;
  for (let i = 0; i < iterations / 5 || performance.now() < warm; i += 1) validate(input);
  const perCall = [];
  for (let b = 0; b < batches; b += 1) {
    const start = performance.now();
    for (let i = 0; i < iterations; i += 1) validate(input);
    perCall.push(((performance.now() - start) * 1000) / iterations);
  }
  perCall.sort((x, y) => x - y);
  return perCall[Math.floor(perCall.length / 2)];
}`;

function line(label, micros) {
  console.log(`${label.padEnd(44)} ${micros.toFixed(1).padStart(9)} us/call`);
}

const text = readFileSync(FIXTURE, 'utf8');
const object = JSON.parse(text);
const loop = eval(LOOP);

const require = createRequire(import.meta.url);
const ofn = require('../../pkg/node/index.cjs');
if (!ofn.validate(text).valid) throw new Error('the fixture must be valid');
console.log(`Node ${process.version}, 10-line invoice, ${iterations} calls x ${BATCHES} batches, median:`);
line('node validate(JSON text)', loop(ofn.validate, text, iterations, BATCHES));
line('node validate(object)', loop(ofn.validate, object, iterations, BATCHES));

const { server, url } = await startServer();
const userDataDir = mkdtempSync(path.join(os.tmpdir(), 'ofn-bench-'));
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: CHROMIUM_ARGS,
});
try {
  const page = await context.newPage();
  await page.goto(`${url}/tests/bench/blank.html`);
  const version = context.browser()?.version() ?? (await page.evaluate(() => navigator.userAgent));
  const result = await page.evaluate(
    async ({ loopSource, iterations: n, batches }) => {
      const m = await import('/pkg/web/index.js');
      await m.init();
      const t = await (await fetch('/tests/fixtures/invoice-10-lines.json')).text();
      const o = JSON.parse(t);
      // eslint-disable-next-line no-eval
      const timeIt = (0, eval)(loopSource);
      return { text: timeIt(m.validate, t, n, batches), object: timeIt(m.validate, o, n, batches) };
    },
    { loopSource: LOOP, iterations, batches: BATCHES },
  );
  console.log(`Chromium ${version}, headless, same loop:`);
  line('chromium validate(JSON text)', result.text);
  line('chromium validate(object)', result.object);
} finally {
  await context.close();
  server.close();
  rmSync(userDataDir, { recursive: true, force: true });
}
