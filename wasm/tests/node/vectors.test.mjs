// Replays the conformance vectors of tests/vectors/ through the Node build of the package, as
// core/tests/validation_vectors.rs, einvoice_vectors.rs and lifecycle.rs replay them in Rust:
// the same findings (path, code, nicCode, severity, in order), the same NIC JSON, the same IRNs.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

import { parseExact, stringifyExact, toPlain, RawNumber } from './exact-json.mjs';

const require = createRequire(import.meta.url);
const ofn = require('../../pkg/node/index.cjs');

const VECTORS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../tests/vectors');

function files(dir) {
  return readdirSync(path.join(VECTORS, dir))
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => [f, parseExact(readFileSync(path.join(VECTORS, dir, f), 'utf8'))]);
}

/** The compared part of a finding, as the Rust test compares it. */
function key(f) {
  return {
    path: f.path,
    code: f.code,
    nicCode: f.nicCode ?? null,
    severity: f.severity,
  };
}

/** Numbers as their exact text: what `{ numbers: "string" }` returns. */
function numbersAsText(v) {
  if (v instanceof RawNumber) return v.text;
  if (Array.isArray(v)) return v.map(numbersAsText);
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, numbersAsText(x)]));
  }
  return v;
}

// ---- validation ----

const validationCases = [];
for (const [file, doc] of files('validation')) {
  const list = Array.isArray(doc) ? doc : doc.cases || [];
  list.forEach((c, i) => validationCases.push([`${file}#${i}`, c]));
}

test('the validation vectors are there', () => {
  assert.ok(validationCases.length >= 120, `only ${validationCases.length} cases`);
});

function runValidation(c, document) {
  const options = toPlain(c.options);
  switch (c.kind) {
    case 'einvoice':
      return ofn.validate(document, options);
    case 'ewaybill':
      return ofn.validateEwaybill(document, options);
    default:
      throw new Error(`unknown kind ${c.kind}`);
  }
}

function checkReport(name, c, report) {
  const expected = c.findings.map((f) => key(toPlain(f)));
  assert.deepEqual(
    report.findings.map(key),
    expected,
    `${name} (${c.description}): messages ${JSON.stringify(report.findings.map((f) => f.message))}`,
  );
  assert.equal(report.valid, !expected.some((f) => f.severity === 'error'), `${name}: valid`);
  for (const f of report.findings) {
    assert.equal(typeof f.message, 'string');
    assert.ok(f.message.length > 0, `${name}: empty message for ${f.code}`);
    assert.ok('nicCode' in f, `${name}: nicCode is always present`);
  }
}

test('validation vectors: the document as exact JSON text (the bytes the Rust test sends)', () => {
  for (const [name, c] of validationCases) {
    const text = stringifyExact(c.document, { sortKeys: true });
    checkReport(name, c, runValidation(c, text));
  }
});

test('validation vectors: the document as a plain JS object', () => {
  for (const [name, c] of validationCases) {
    checkReport(name, c, runValidation(c, toPlain(c.document)));
  }
});

// ---- e-invoice model: NIC mapping and IRN ----

const models = files('einvoice');

test('the e-invoice model vectors are there', () => {
  assert.ok(models.length >= 9, `only ${models.length} vectors`);
});

for (const [file, v] of models) {
  test(`einvoice/${file}: toNic, fromNic and irn`, () => {
    const input = toPlain(v.input);
    const exactInput = stringifyExact(v.input);

    // A plain object in (JS numbers: the value is kept, not the scale of 5000.00), JS numbers
    // out: equal to the vector read with JSON.parse.
    const asNumbers = ofn.toNic(input, { numbers: 'number' });
    assert.equal(asNumbers.ok, true, JSON.stringify(asNumbers.findings));
    assert.deepEqual(asNumbers.document, toPlain(v.nic));

    // The exact text in, the default out: every number a string of its exact text, scale
    // included, equal to the vector's text.
    const asStrings = ofn.toNic(exactInput);
    assert.deepEqual(asStrings.document, numbersAsText(v.nic));
    assert.deepEqual(asStrings.findings, []);

    // JSON text, exact: the same tree as the vector, number for number.
    const asJson = ofn.toNic(exactInput, { numbers: 'json' });
    assert.equal(typeof asJson.document, 'string');
    assert.deepEqual(numbersAsText(parseExact(asJson.document)), numbersAsText(v.nic));

    // NIC -> canonical, exactly the vector's canonical form.
    const back = ofn.fromNic(stringifyExact(v.nic));
    assert.equal(back.ok, true, JSON.stringify(back.findings));
    assert.deepEqual(back.document, numbersAsText(v.canonical));

    // The IRN, from the document and from its four parts.
    const id = ofn.irn(input);
    assert.equal(id.ok, true);
    assert.equal(id.irn, v.irn);
    const { sellerGstin, financialYear, documentType, documentNumber } = id.key;
    assert.equal(ofn.irnFromParts(sellerGstin, financialYear, documentType, documentNumber), v.irn);
    assert.equal(ofn.irn(toPlain(v.nic)).irn, v.irn);

    // prepare is a fixed point, and what it returns validates with no arithmetic error.
    const once = ofn.prepare(input);
    assert.equal(once.ok, true, JSON.stringify(once.findings));
    assert.deepEqual(ofn.prepare(once.document).document, once.document);
  });
}

test('einvoice-parse/bad-inputs.json: the parse findings, through irn()', () => {
  const [[, cases]] = files('einvoice-parse');
  assert.ok(cases.length >= 25);
  for (const c of cases) {
    const out = ofn.irn(stringifyExact(c.input, { sortKeys: true }));
    assert.equal(out.ok, false, c.description);
    assert.deepEqual(
      out.findings.map((f) => ({ path: f.path, code: f.code })),
      c.findings.map((f) => ({ path: f.path, code: f.code })),
      c.description,
    );
  }
});

// ---- e-way bill validity ----

test('lifecycle/validity.json: ewaybillValidity', () => {
  const v = parseExact(readFileSync(path.join(VECTORS, 'lifecycle/validity.json'), 'utf8'));
  for (const c of v.cases) {
    const input = toPlain(c.input);
    const expected = toPlain(c.expected);
    const { op, from, ...rest } = input;
    const arg =
      op === 'predict' ? { generatedAt: from, ...rest } : { extendedAt: from, ...rest };
    const out = ofn.ewaybillValidity(arg);
    if (expected.error) {
      assert.equal(out.ok, false, c.name);
      assert.equal(out.findings[0].code, expected.error, c.name);
      assert.equal(out.findings[0].nicCode, expected.nicCode, c.name);
    } else {
      assert.equal(out.ok, true, `${c.name}: ${JSON.stringify(out.findings)}`);
      assert.deepEqual(
        { days: out.days, validUpto: out.validUpto, distanceKm: out.distanceKm },
        expected,
        c.name,
      );
    }
  }
});
