// The demo form: every input carries the JSON pointer of its field in the canonical e-invoice
// (data-path). On each input the form is read into a document, `prepare` computes the amounts,
// blank amounts are taken from it, `validate` checks the whole, and each finding is shown next to
// the input its path points at. Every value is passed as a string, so amounts stay exact.

import { init, prepare, validate, irn, version } from '../pkg/web/index.js';

const form = document.getElementById('invoice');
const tbody = document.querySelector('#lines tbody');
const template = document.getElementById('line-template');
const summary = document.getElementById('summary');
const irnOut = document.getElementById('irn');
const other = document.getElementById('other');

const COLUMN_LABELS = {
  productDescription: 'Description',
  hsnCode: 'HSN/SAC',
  isService: 'Service',
  quantity: 'Qty',
  unit: 'Unit',
  unitPrice: 'Unit price',
  gstRate: 'GST %',
  totalAmount: 'Gross amount',
  assessableAmount: 'Taxable',
  cgstAmount: 'CGST',
  sgstAmount: 'SGST',
  igstAmount: 'IGST',
  totalItemValue: 'Line total',
};

const DEFAULT_LINES = [
  {
    productDescription: 'Industrial valve DN50',
    hsnCode: '84818030',
    isService: false,
    quantity: '4',
    unit: 'NOS',
    unitPrice: '15999.99',
    gstRate: '18',
  },
  {
    productDescription: 'Installation and commissioning',
    hsnCode: '998719',
    isService: true,
    unitPrice: '5000',
    gstRate: '18',
  },
];

// The last prepared document, for "Fill computed amounts".
let lastPrepared = null;

// ---- JSON pointers over plain objects ----

function tokens(path) {
  return path
    .split('/')
    .slice(1)
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function getPath(obj, path) {
  let cur = obj;
  for (const t of tokens(path)) {
    if (cur === null || typeof cur !== 'object' || !(t in cur)) return undefined;
    cur = cur[t];
  }
  return cur;
}

function setPath(obj, path, value) {
  const ts = tokens(path);
  let cur = obj;
  ts.forEach((t, i) => {
    if (i === ts.length - 1) {
      cur[t] = value;
    } else {
      if (cur[t] === undefined) cur[t] = /^\d+$/.test(ts[i + 1]) ? [] : {};
      cur = cur[t];
    }
  });
}

// ---- lines ----

function addLine(values = {}) {
  const row = template.content.firstElementChild.cloneNode(true);
  for (const input of row.querySelectorAll('input[data-field]')) {
    const v = values[input.dataset.field];
    if (input.type === 'checkbox') input.checked = Boolean(v);
    else if (v !== undefined) input.value = v;
  }
  row.querySelector('.remove').addEventListener('click', () => {
    row.remove();
    renumber();
    check();
  });
  tbody.appendChild(row);
  renumber();
}

function lineRows() {
  return [...tbody.querySelectorAll('tr.line')];
}

function renumber() {
  [...tbody.children].forEach((tr) => {
    if (!tr.classList.contains('line-findings')) tr.classList.add('line');
  });
  lineRows().forEach((tr, i) => {
    tr.dataset.path = `/items/${i}`;
    tr.querySelector('.n').textContent = String(i + 1);
    for (const input of tr.querySelectorAll('input[data-field]')) {
      input.dataset.path = `/items/${i}/${input.dataset.field}`;
    }
  });
}

// ---- reading the form ----

function istToday() {
  return new Date(Date.now() + 330 * 60 * 1000).toISOString().slice(0, 10);
}

/** The document as typed, and the paths of the amounts left blank for prepare to compute. */
function readForm() {
  const doc = {
    documentDetails: { type: 'INV' },
    transactionDetails: { taxScheme: 'GST', supplyType: 'B2B', reverseCharge: 'N' },
    seller: {},
    buyer: {},
    items: [],
    valueDetails: {},
  };
  const blanks = [];
  lineRows().forEach((tr, i) => {
    doc.items[i] = { serialNumber: String(i + 1) };
    blanks.push(`/items/${i}/totalAmount`);
  });
  for (const input of form.querySelectorAll('input[data-path]')) {
    const path = input.dataset.path;
    if (input.type === 'checkbox') {
      setPath(doc, path, input.checked ? 'Y' : 'N');
      continue;
    }
    const text = input.value.trim();
    if (text === '') {
      if (input.hasAttribute('data-derived')) blanks.push(path);
      // A blank number or optional text is left out; a blank required text is sent empty, so
      // that the schema names the field (a missing field would stop parsing at the first one).
      if (input.dataset.kind || input.hasAttribute('data-optional')) continue;
    }
    setPath(doc, path, text);
  }
  return { doc, blanks };
}

// ---- checking ----

function check() {
  const { doc, blanks } = readForm();
  const prepared = prepare(doc);
  lastPrepared = prepared.ok ? prepared.document : null;
  const full = structuredClone(doc);
  for (const path of blanks) {
    // Blank amounts: computed ones when the document prepares, else 0 so that the real problem,
    // not a missing amount, is what the clerk reads.
    const value = prepared.ok ? getPath(prepared.document, path) : '0';
    if (value !== undefined) setPath(full, path, value);
  }
  for (const input of form.querySelectorAll('input[data-derived]')) {
    const value = lastPrepared ? getPath(lastPrepared, input.dataset.path) : undefined;
    input.placeholder = value === undefined ? '' : value;
  }
  const report = validate(full, { now: new Date() });
  // An amount the form computed is right by construction; a finding on it only echoes a wrong
  // amount the clerk typed elsewhere (a typed IGST makes the computed line total disagree), and
  // that typed amount has its own finding. Only typed fields, and the document, get messages.
  const computed = new Set(prepared.ok ? blanks : []);
  render(report.findings.filter((f) => !computed.has(f.path)));
  const id = irn(full);
  irnOut.textContent = id.ok ? id.irn : '–';
  irnOut.title = id.ok ? `SHA-256 of ${Object.values(id.key).join(' + ')}` : '';
}

// ---- showing findings ----

function clearFindings() {
  for (const el of form.querySelectorAll('.invalid')) el.classList.remove('invalid');
  for (const el of form.querySelectorAll('ul.findings.attached')) el.remove();
  for (const el of tbody.querySelectorAll('tr.line-findings')) el.remove();
  other.querySelector('ul').replaceChildren();
}

/** The element a finding belongs to: the input at its path, else the nearest container. */
function targetOf(path) {
  let p = path;
  for (;;) {
    const el = p === '' ? null : form.querySelector(`[data-path="${CSS.escape(p)}"]`);
    if (el) return el;
    if (p === '') return null;
    p = p.slice(0, p.lastIndexOf('/'));
  }
}

function listFor(el) {
  const row = el.closest('tr.line');
  if (row) {
    let findingsRow = row.nextElementSibling;
    if (!findingsRow || !findingsRow.classList.contains('line-findings')) {
      findingsRow = document.createElement('tr');
      findingsRow.className = 'line-findings';
      const td = document.createElement('td');
      td.colSpan = row.children.length;
      const ul = document.createElement('ul');
      ul.className = 'findings';
      td.appendChild(ul);
      findingsRow.appendChild(td);
      row.after(findingsRow);
    }
    return findingsRow.querySelector('ul');
  }
  const host = el.tagName === 'INPUT' ? el.closest('label') || el.parentElement : el;
  let ul = [...host.children].find((c) => c.matches('ul.findings.attached'));
  if (!ul) {
    ul = document.createElement('ul');
    ul.className = 'findings attached';
    host.appendChild(ul);
  }
  return ul;
}

function render(findings) {
  clearFindings();
  let errors = 0;
  let warnings = 0;
  for (const f of findings) {
    if (f.severity === 'error') errors += 1;
    else warnings += 1;
    const el = targetOf(f.path);
    const li = document.createElement('li');
    li.className = `finding ${f.severity}`;
    li.dataset.code = f.code;
    li.dataset.path = f.path;
    const inLine = el && el.closest('tr.line') && el.dataset.field;
    if (inLine) {
      const label = document.createElement('b');
      label.textContent = `${COLUMN_LABELS[el.dataset.field] || el.dataset.field}: `;
      li.appendChild(label);
    }
    const msg = document.createElement('span');
    msg.className = 'msg';
    msg.textContent = f.message;
    li.appendChild(msg);
    if (f.nicCode) {
      const nic = document.createElement('span');
      nic.className = 'nic';
      nic.textContent = `NIC ${f.nicCode}`;
      li.appendChild(nic);
    }
    if (el) {
      el.classList.add('invalid');
      listFor(el).appendChild(li);
    } else {
      other.querySelector('ul').appendChild(li);
    }
  }
  other.hidden = other.querySelector('ul').children.length === 0;
  const w = warnings === 1 ? '1 warning' : `${warnings} warnings`;
  if (errors === 0) {
    summary.textContent = `✓ Ready to send: no errors, ${w}.`;
    summary.className = 'ok';
  } else {
    const e = errors === 1 ? '1 error' : `${errors} errors`;
    summary.textContent = `✗ ${e}, ${w}: NIC would refuse this invoice.`;
    summary.className = 'bad';
  }
  document.body.dataset.errors = String(errors);
  document.body.dataset.warnings = String(warnings);
}

function fillComputed() {
  if (!lastPrepared) return;
  for (const input of form.querySelectorAll('input[data-derived]')) {
    const value = getPath(lastPrepared, input.dataset.path);
    input.value = value === undefined ? '' : value;
  }
  check();
}

// ---- start ----

async function main() {
  await init();
  form.querySelector('[data-path="/documentDetails/date"]').value = istToday();
  DEFAULT_LINES.forEach((line) => addLine(line));
  form.addEventListener('input', check);
  document.getElementById('add-line').addEventListener('click', () => {
    addLine({ gstRate: '18', quantity: '1', unit: 'NOS' });
    check();
  });
  document.getElementById('fill').addEventListener('click', fillComputed);
  document.title += ` (core ${version()})`;
  check();
  document.body.dataset.ready = 'true';
}

main().catch((e) => {
  summary.textContent = `The checker could not start: ${e.message}`;
  summary.className = 'bad';
  document.body.dataset.ready = 'failed';
  throw e;
});
