// The demo form in a real browser: Debian's Chromium, headless, driven by playwright-core (no
// browser download), the page and the web build served from loopback by this test. A clerk types
// a bad seller GSTIN and a wrong invoice total; the exact messages appear next to those fields.
// A screenshot is saved to tests/artifacts/wasm/ (repository root, git-ignored).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

import { startServer } from '../../demo/serve.mjs';
import { CHROMIUM, CHROMIUM_ARGS } from './chromium.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const ARTIFACTS = path.resolve(here, '../../../tests/artifacts/wasm');
const GSTIN_MESSAGE =
  'seller GSTIN (SellerDtls.Gstin): GSTIN `29AAFCC9980M1ZA` has check character `A` but its ' +
  'first 14 characters give `R` (mod-36 check, nic-rules B.3; switch it off with sandbox mode ' +
  "for NIC's test GSTINs)";
const TOTAL_MESSAGE =
  'total invoice value (TotInvVal) 81600.00 is not the sum of the total item values - discount ' +
  '+ other charges + round-off = 81419.95 (tolerance 1)';

let server;
let baseUrl;
let context;
let userDataDir;

before(async () => {
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install -y chromium`);
  ({ server, url: baseUrl } = await startServer());
  // A fresh, empty profile for every run.
  userDataDir = mkdtempSync(path.join(os.tmpdir(), 'ofn-chromium-'));
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1360, height: 900 },
  });
});

after(async () => {
  await context?.close();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve()));
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
});

/** The messages shown next to an input: in its label, or under its line for a line field. */
async function messagesAt(page, dataPath) {
  return page.evaluate((p) => {
    const input = document.querySelector(`input[data-path="${p}"]`);
    const row = input.closest('tr.line');
    const lis = row
      ? [...(row.nextElementSibling?.matches('tr.line-findings') ? row.nextElementSibling.querySelectorAll('li') : [])].filter(
          (li) => li.dataset.path === p,
        )
      : [...input.closest('label').querySelectorAll('li')];
    return lis.map((li) => ({
      message: li.querySelector('.msg').textContent,
      nic: li.querySelector('.nic')?.textContent ?? null,
      code: li.dataset.code,
    }));
  }, dataPath);
}

test('the demo form shows the findings of a bad GSTIN and a wrong total next to their fields', async () => {
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));

  await page.goto(`${baseUrl}/demo/`);
  await page.waitForFunction(() => document.body.dataset.ready, null, { timeout: 30000 });
  assert.equal(await page.evaluate(() => document.body.dataset.ready), 'true', problems.join('\n'));

  // As loaded: a valid invoice, amounts computed into the placeholders.
  assert.equal(await page.textContent('#summary'), '✓ Ready to send: no errors, 0 warnings.');
  assert.equal(await page.locator('li.finding').count(), 0);
  const total = page.locator('input[data-path="/valueDetails/totalInvoiceValue"]');
  assert.equal(await total.getAttribute('placeholder'), '81419.95');
  assert.match(await page.textContent('#irn'), /^[0-9a-f]{64}$/);

  // A bad seller GSTIN, typed key by key.
  const gstin = page.locator('input[data-path="/seller/gstin"]');
  await gstin.fill('');
  await gstin.pressSequentially('29AAFCC9980M1ZA');
  assert.deepEqual(await messagesAt(page, '/seller/gstin'), [
    { message: GSTIN_MESSAGE, nic: 'NIC 3028', code: 'gstin.check_character' },
  ]);
  assert.equal(await gstin.evaluate((el) => el.classList.contains('invalid')), true);
  assert.equal(await page.textContent('#summary'), '✗ 1 error, 0 warnings: NIC would refuse this invoice.');

  // A wrong invoice total.
  await total.pressSequentially('81600.00');
  assert.deepEqual(await messagesAt(page, '/valueDetails/totalInvoiceValue'), [
    { message: TOTAL_MESSAGE, nic: 'NIC 2189', code: 'total.invoice_value' },
  ]);
  assert.equal(await page.textContent('#summary'), '✗ 2 errors, 0 warnings: NIC would refuse this invoice.');
  // Each message sits next to its own field and nowhere else.
  assert.equal(await page.locator('li.finding').count(), 2);

  // A wrong line amount is shown under its line, labelled with its column.
  const igst = page.locator('input[data-path="/items/1/igstAmount"]');
  await igst.pressSequentially('950');
  const lineMessages = await messagesAt(page, '/items/1/igstAmount');
  assert.deepEqual(
    lineMessages.map((m) => [m.code, m.nic]),
    [['tax.igst_amount', 'NIC 2235']],
  );
  assert.equal(
    await page.locator('tr.line-findings li[data-path="/items/1/igstAmount"] b').textContent(),
    'IGST: ',
  );
  // The computed amounts that now disagree with it (line total, IGST total) are not blamed.
  assert.deepEqual(
    await page.$$eval('li.finding', (lis) => lis.map((li) => li.dataset.path)),
    ['/seller/gstin', '/items/1/igstAmount', '/valueDetails/totalInvoiceValue'],
  );

  mkdirSync(ARTIFACTS, { recursive: true });
  const shot = path.join(ARTIFACTS, 'demo-findings.png');
  await page.screenshot({ path: shot, fullPage: true });
  assert.ok(existsSync(shot));

  // Fill computed amounts: the total and the line are corrected; the GSTIN error stays.
  await page.click('#fill');
  assert.equal(await total.inputValue(), '81419.95');
  assert.equal(await igst.inputValue(), '900.00');
  assert.deepEqual(
    await page.$$eval('li.finding', (lis) => lis.map((li) => li.dataset.code)),
    ['gstin.check_character'],
  );
  await gstin.fill('29AAFCC9980M1ZR');
  assert.equal(await page.textContent('#summary'), '✓ Ready to send: no errors, 0 warnings.');

  assert.deepEqual(problems, []);
  await page.close();
});
