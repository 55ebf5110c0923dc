// The JS API's own contract, beyond the vectors: misuse throws an Error with a code, findings are
// data, money never passes through a float, options, the package's entry points and its types.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const here = path.dirname(fileURLToPath(import.meta.url));
const WASM = path.resolve(here, '../..');
const PKG = path.join(WASM, 'pkg');
const require = createRequire(import.meta.url);
const ofn = require('../../pkg/node/index.cjs');

const INVOICE = JSON.parse(readFileSync(path.join(WASM, 'tests/fixtures/invoice-2-lines.json'), 'utf8'));

function invoice(edit) {
  const doc = structuredClone(INVOICE);
  if (edit) edit(doc);
  return doc;
}

function throwsCode(fn, code, messagePart) {
  let caught = null;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  assert.ok(caught, `expected a ${code} error`);
  assert.ok(caught instanceof Error, 'a real Error');
  assert.ok(caught instanceof ofn.OneFinOpsError);
  assert.equal(caught.name, 'OneFinOpsError');
  assert.equal(caught.code, code, caught.message);
  if (messagePart) assert.ok(caught.message.includes(messagePart), caught.message);
  return caught;
}

test('version() is the workspace version', () => {
  const cargo = readFileSync(path.join(WASM, '../Cargo.toml'), 'utf8');
  const version = /^version = "(.*)"/m.exec(cargo)[1];
  assert.equal(ofn.version(), version);
  const pkg = JSON.parse(readFileSync(path.join(PKG, 'package.json'), 'utf8'));
  assert.equal(pkg.version, version);
});

test('the fixture invoice is valid and prepares to itself', () => {
  const report = ofn.validate(INVOICE);
  assert.deepEqual(report, { valid: true, findings: [] });
  const prepared = ofn.prepare(INVOICE);
  assert.equal(prepared.ok, true);
  assert.equal(prepared.document.valueDetails.totalInvoiceValue, '81569.95');
});

test('misuse throws an Error with a code; documents are never misuse', () => {
  for (const bad of [undefined, null, 42, true, [], () => 1, 10n]) {
    throwsCode(() => ofn.validate(bad), 'invalid_argument', 'document must be an object or a JSON string');
  }
  throwsCode(() => ofn.validate(INVOICE, { sandBox: true }), 'invalid_argument', 'unknown field `sandBox`');
  throwsCode(() => ofn.validate(INVOICE, { maxItems: 'many' }), 'invalid_argument', 'options.maxItems');
  throwsCode(() => ofn.validate(INVOICE, 'sandbox'), 'invalid_argument', 'options must be an object');
  throwsCode(() => ofn.prepare(INVOICE, { numbers: 'float' }), 'invalid_argument', 'options.numbers');
  throwsCode(() => ofn.checkGstin(29), 'invalid_argument', 'gstin must be a string');
  throwsCode(() => ofn.ewaybillValidity('10 km'), 'invalid_argument');

  // Bad documents are findings.
  const notJson = ofn.validate('{"documentDetails": ');
  assert.equal(notJson.valid, false);
  assert.equal(notJson.findings[0].code, 'parse.invalid_json');
  assert.equal(notJson.findings[0].nicCode, null);
  const empty = ofn.validate({});
  assert.equal(empty.valid, false);
  assert.ok(empty.findings.length > 0);
  const notObject = ofn.prepare('[1, 2]');
  assert.deepEqual(
    { ok: notObject.ok, document: notObject.document, code: notObject.findings[0].code },
    { ok: false, document: null, code: 'parse.not_an_object' },
  );
});

test('a JS number that may not be the decimal meant is refused, with its path', () => {
  const e = throwsCode(
    () => ofn.validate(invoice((d) => (d.items[0].unitPrice = 0.1 + 0.2))),
    'inexact_number',
    '0.30000000000000004',
  );
  assert.equal(e.path, '/items/0/unitPrice');
  throwsCode(
    () => ofn.prepare(invoice((d) => (d.valueDetails.totalInvoiceValue = 12345678901234567.89))),
    'inexact_number',
  );
  const nan = throwsCode(
    () => ofn.prepare(invoice((d) => (d.items[1].gstRate = NaN))),
    'invalid_argument',
    'NaN',
  );
  assert.equal(nan.path, '/items/1/gstRate');
  throwsCode(() => ofn.validate(INVOICE, { totalTolerance: Infinity }), 'invalid_argument');
  // Safe integers and numbers of up to 15 significant digits pass exactly.
  assert.equal(ofn.validate(invoice((d) => (d.seller.pincode = 560058))).valid, true);
  const ok = ofn.prepare(invoice((d) => (d.items[0].unitPrice = 99999999999.9999)));
  assert.equal(ok.ok, true);
});

test('amounts stay exact: decimal strings in, decimal strings out', () => {
  // 0.1 x 3 is 0.30 exactly (a float gives 0.30000000000000004).
  const small = ofn.prepare(
    invoice((d) => {
      d.items[0].quantity = 3;
      d.items[0].unitPrice = 0.1;
      d.items[0].totalAmount = 0;
    }),
  );
  assert.equal(small.document.items[0].totalAmount, '0.30');
  assert.equal(small.document.items[0].igstAmount, '0.05');

  // Beyond a float's digits: strings carry them through exactly.
  const big = ofn.prepare(
    invoice((d) => {
      d.items[0].quantity = '7';
      d.items[0].unitPrice = '1234567890123.45';
      d.items[0].totalAmount = '0';
    }),
  );
  assert.equal(big.ok, true);
  assert.equal(big.document.items[0].totalAmount, '8641975230864.15');
  assert.equal(big.document.items[0].igstAmount, '1555555541555.55');
  // 10197530772419.70 + 5900 (line 2) - 100 (discount) + 250 (other charges).
  assert.equal(big.document.valueDetails.totalInvoiceValue, '10197530778469.70');
  // The same as JSON text keeps every digit; as JS numbers it is only as good as a float.
  const text = ofn.prepare(big.document, { numbers: 'json' }).document;
  assert.match(text, /"totalInvoiceValue":10197530778469\.70[,}]/);
  const asNumber = ofn.prepare(big.document, { numbers: 'number' }).document;
  assert.equal(typeof asNumber.valueDetails.totalInvoiceValue, 'number');
  // Strings go back in: the prepared document validates.
  assert.equal(ofn.validate(big.document).findings.some((f) => f.code.startsWith('total.')), false);

  // Scale is kept: a computed amount has two decimals.
  const filled = ofn.prepare(invoice((d) => delete d.valueDetails.totalInvoiceValue));
  assert.equal(filled.document.valueDetails.totalInvoiceValue, '81569.95');
});

test('bigint and Date inputs', () => {
  const out = ofn.prepare(
    invoice((d) => {
      d.items[0].quantity = 4n;
    }),
  );
  assert.equal(out.ok, true);
  const future = ofn.validate(invoice((d) => (d.documentDetails.date = '2026-11-23')), {
    now: new Date('2026-11-22T04:30:00Z'),
  });
  assert.deepEqual(
    future.findings.map((f) => [f.path, f.code, f.nicCode]),
    [['/documentDetails/date', 'document.date_future', '2163']],
  );
});

test('validate finds a bad GSTIN and a wrong total, with NIC codes', () => {
  const report = ofn.validate(
    invoice((d) => {
      d.seller.gstin = '29AAFCC9980M1ZA';
      d.valueDetails.totalInvoiceValue = '81600.00';
    }),
  );
  assert.equal(report.valid, false);
  assert.deepEqual(
    report.findings.map((f) => [f.path, f.code, f.nicCode, f.severity]),
    [
      ['/seller/gstin', 'gstin.check_character', '3028', 'error'],
      ['/valueDetails/totalInvoiceValue', 'total.invoice_value', '2189', 'error'],
    ],
  );
});

test('checkGstin', () => {
  const good = ofn.checkGstin('29AAFCC9980M1ZR');
  assert.deepEqual(good, { kind: 'normal', stateCode: '29', valid: true, findings: [] });
  const bad = ofn.checkGstin('29AAFCC9980M1ZA');
  assert.equal(bad.valid, false);
  assert.deepEqual(
    bad.findings.map((f) => [f.path, f.code, f.nicCode]),
    [['', 'gstin.check_character', '3028']],
  );
  assert.equal(ofn.checkGstin('29AWGPV7107B1Z1').valid, false);
  assert.equal(ofn.checkGstin('29AWGPV7107B1Z1', { sandbox: true }).valid, true);
  assert.equal(ofn.checkGstin('29AWGPV7107B1Z1', { checkCharacter: false }).valid, true);
  assert.equal(ofn.checkGstin('URP').kind, 'unregistered');
  assert.equal(ofn.checkGstin('not a gstin').findings[0].code, 'gstin.format');
  throwsCode(() => ofn.checkGstin('URP', { check: false }), 'invalid_argument');
});

test('irnFromParts', () => {
  const want = '23f498ee41441ecad30f72ba5b9907506c3df70a17b0e0dff46b76a786400662';
  for (const year of ['2019-20', '2019-11-20', '20/11/2019']) {
    assert.equal(ofn.irnFromParts('29AAFCC9980M1ZR', year, 'INV', '2019-20/KA/1'), want);
  }
  throwsCode(() => ofn.irnFromParts('29AAFCC9980M1ZR', '2019', 'INV', '1'), 'invalid_argument', 'YYYY-YY');
  throwsCode(() => ofn.irnFromParts('29AAFCC9980M1ZR', '2019-20', 'BILL', '1'), 'invalid_argument', 'INV, CRN or DBN');
  throwsCode(() => ofn.irnFromParts('29AAFCC9980M1ZR', '2019-20', 'INV', 1), 'invalid_argument', 'docNumber');
  throwsCode(() => ofn.irnFromParts('', '2019-20', 'INV', '1'), 'invalid_argument');
});

test('irn of a document, and its key', () => {
  const out = ofn.irn(INVOICE);
  assert.equal(out.ok, true);
  assert.deepEqual(out.key, {
    sellerGstin: '29AAFCC9980M1ZR',
    financialYear: '2026-27',
    documentType: 'INV',
    documentNumber: 'ACM/26-27/0002',
  });
  assert.equal(out.irn, ofn.irnFromParts('29AAFCC9980M1ZR', '2026-11-20', 'INV', 'ACM/26-27/0002'));
});

test('fromNic refuses other dialects as findings; toNic takes any dialect', () => {
  const out = ofn.fromNic(INVOICE);
  assert.equal(out.ok, false);
  assert.ok(out.findings.length > 0);
  const nic = ofn.toNic(INVOICE, { numbers: 'number' });
  assert.equal(nic.document.ValDtls.TotInvVal, 81569.95);
  assert.equal(nic.document.DocDtls.Dt, '20/11/2026');
  assert.deepEqual(ofn.fromNic(nic.document).document, ofn.prepare(INVOICE).document);
});

test('ewaybillValidity', () => {
  assert.deepEqual(
    ofn.ewaybillValidity({ generatedAt: new Date('2022-10-05T07:09:00Z'), distanceKm: 10 }),
    { ok: true, distanceKm: 10, days: 1, validUpto: '2022-10-06T23:59:00+05:30', findings: [] },
  );
  const odc = ofn.ewaybillValidity({
    generatedAt: '2025-01-01T10:00:00+05:30',
    distanceKm: 3999,
    cargo: 'over_dimensional',
  });
  assert.equal(odc.days, 200);
  const far = ofn.ewaybillValidity({ generatedAt: '2025-01-01T10:00:00+05:30', distanceKm: 4001 });
  assert.equal(far.ok, false);
  assert.deepEqual(
    far.findings.map((f) => [f.path, f.code, f.nicCode, f.severity]),
    [['/distanceKm', 'validity.distance_out_of_range', null, 'error']],
  );
  throwsCode(() => ofn.ewaybillValidity({ distanceKm: 10 }), 'invalid_argument', 'generatedAt');
  throwsCode(
    () => ofn.ewaybillValidity({ generatedAt: '2025-01-01T10:00:00+05:30', distanceKm: -5 }),
    'invalid_argument',
    'distanceKm',
  );
  throwsCode(
    () => ofn.ewaybillValidity({ generatedAt: 'yesterday', distanceKm: 5 }),
    'invalid_argument',
    'generatedAt',
  );
  throwsCode(
    () => ofn.ewaybillValidity({ generatedAt: '2025-01-01T10:00:00+05:30', distanceKm: 5, cargo: 'heavy' }),
    'invalid_argument',
    'cargo',
  );
  throwsCode(
    () =>
      ofn.ewaybillValidity({
        generatedAt: '2025-01-01T10:00:00+05:30',
        extendedAt: '2025-01-02T10:00:00+05:30',
        distanceKm: 5,
      }),
    'invalid_argument',
  );
});

test('text reaches the core as UTF-8 through the input buffer: non-ASCII, lone surrogates, size', () => {
  // Multi-byte characters before the options: the options are read from just after the
  // document's UTF-8 bytes, so a wrong length would misread them (unknown option: no throw).
  const names = invoice((d) => {
    d.buyer.legalName = 'Śrī Gaṇeśa Traders ₹ गणेश';
    d.items[0].productDescription = 'बॉल बेयरिंग 6204 — 😀';
  });
  const asText = JSON.stringify(names);
  assert.ok(Buffer.byteLength(asText) > asText.length + 30);
  for (const doc of [names, asText]) {
    const prepared = ofn.prepare(doc, { numbers: 'string' });
    assert.equal(prepared.document.buyer.legalName, 'Śrī Gaṇeśa Traders ₹ गणेश');
    assert.equal(prepared.document.items[0].productDescription, 'बॉल बेयरिंग 6204 — 😀');
    assert.equal(ofn.validate(doc, { sandbox: true }).valid, true);
    throwsCode(() => ofn.validate(doc, { sandBox: true }), 'invalid_argument', 'sandBox');
  }
  // A lone surrogate has no UTF-8 form. In an object JSON.stringify writes it as the escape
  // \ud800, which JSON (RFC 8259) accepts but no Rust string can hold: a finding, not a throw.
  const withLone = invoice((d) => (d.buyer.tradeName = 'Globex \uD800 LLP'));
  const escaped = ofn.prepare(withLone);
  assert.equal(escaped.document, null);
  assert.deepEqual(
    escaped.findings.map((f) => [f.path, f.code]),
    [['', 'parse.invalid_json']],
  );
  // Raw in a text, it arrives as U+FFFD, as TextEncoder writes it.
  const rawLone = JSON.stringify(withLone).replace('\\ud800', '\uD800');
  assert.equal(ofn.prepare(rawLone).document.buyer.tradeName, 'Globex \uFFFD LLP');
  // Past the 1 MiB the buffer keeps between calls, and the calls after it.
  const huge = ofn.validate(invoice((d) => (d.items[0].productDescription = 'x'.repeat(600000))));
  assert.deepEqual(
    huge.findings.map((f) => [f.path, f.code]),
    [['/items/0/productDescription', 'schema.max_length']],
  );
  assert.deepEqual(ofn.validate(INVOICE), { valid: true, findings: [] });
  assert.equal(ofn.irn(asText).irn, ofn.irn(INVOICE).irn);
  // Room the 32-bit memory cannot give is refused with 0 (the wrapper then throws
  // invalid_argument), not an abort that would leave the instance trapped.
  const raw = require('../../pkg/node/onefinops_wasm.js');
  assert.equal(raw.inputBuffer(2 ** 32 - 1), 0);
  assert.deepEqual(ofn.validate(INVOICE), { valid: true, findings: [] });
});

test('validateEwaybill', () => {
  const out = ofn.validateEwaybill('{"docNo": 5}');
  assert.equal(out.valid, false);
  assert.ok(out.findings.length > 0);
});

test('the package: entry points by name (require and import) and its file list', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ofn-pkg-'));
  try {
    mkdirSync(path.join(dir, 'node_modules/@onefinops'), { recursive: true });
    symlinkSync(PKG, path.join(dir, 'node_modules/@onefinops/gst-core'), 'dir');
    writeFileSync(
      path.join(dir, 'check.cjs'),
      "const o = require('@onefinops/gst-core'); const n = require('@onefinops/gst-core/node');\n" +
        "process.stdout.write(JSON.stringify([o.version(), o.validate('{}').valid, o === n, typeof o.default.validate]));\n",
    );
    writeFileSync(
      path.join(dir, 'check.mjs'),
      "import o, { validate, version, init } from '@onefinops/gst-core';\n" +
        "await init();\n" +
        "process.stdout.write(JSON.stringify([version(), validate('{}').valid, o.version === version]));\n",
    );
    const cjs = JSON.parse(execFileSync(process.execPath, ['check.cjs'], { cwd: dir, encoding: 'utf8' }));
    const esm = JSON.parse(execFileSync(process.execPath, ['check.mjs'], { cwd: dir, encoding: 'utf8' }));
    assert.deepEqual(cjs, [ofn.version(), false, true, 'function']);
    assert.deepEqual(esm, [ofn.version(), false, true]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const pack = JSON.parse(
    execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: PKG, encoding: 'utf8' }),
  );
  const listed = pack[0].files.map((f) => f.path).sort();
  for (const f of [
    'README.md',
    'index.d.ts',
    'package.json',
    'node/index.cjs',
    'node/index.mjs',
    'node/onefinops_wasm.js',
    'node/onefinops_wasm_bg.wasm',
    'web/index.js',
    'web/onefinops_wasm.js',
    'web/onefinops_wasm_bg.wasm',
  ]) {
    assert.ok(listed.includes(f), `${f} is in the package: ${listed.join(', ')}`);
  }
});

test('the TypeScript declarations type-check a use of every export', () => {
  const tsc = path.join(WASM, 'tests/node_modules/typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', path.join(WASM, 'tests/types/tsconfig.json')], {
    encoding: 'utf8',
  });
});
