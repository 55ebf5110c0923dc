// Type-checked (never run) by tests/node/api.test.mjs: every export of index.d.ts in use, with
// the narrowing a caller relies on. `@ts-expect-error` lines must fail to type-check.

import api, {
  OneFinOpsError,
  checkGstin,
  ewaybillValidity,
  fromNic,
  init,
  initSync,
  irn,
  irnFromParts,
  prepare,
  toNic,
  validate,
  validateEwaybill,
  version,
  type DocumentOf,
  type Finding,
  type GstinKind,
  type Report,
} from '@onefinops/gst-core';

async function main(): Promise<void> {
  await init();
  initSync();
  const doc = { documentDetails: { type: 'INV', number: 'A/1', date: '2026-11-20' } };

  const report: Report = validate(doc, { sandbox: true, now: new Date(), gstRates: ['5', 18] });
  const first: Finding | undefined = report.findings[0];
  const nic: string | null = first ? first.nicCode : null;
  validateEwaybill('{"docNo": "1"}');

  const prepared = prepare(doc);
  if (prepared.ok) {
    const d: DocumentOf<string> = prepared.document;
    const total: unknown = d['valueDetails'];
    void total;
  } else {
    const why: Finding[] = prepared.findings;
    void why;
  }
  const text = toNic(doc, { numbers: 'json' });
  if (text.ok) {
    const s: string = text.document;
    void s;
  }
  const asNumbers = fromNic('{}', { numbers: 'number' });
  if (asNumbers.ok) {
    const n: DocumentOf<number> = asNumbers.document;
    void n;
  }

  const id = irn(doc);
  const key: string = id.ok ? id.key.financialYear : '';
  const fromParts: string = irnFromParts('29AAFCC9980M1ZR', '2026-27', 'INV', 'A/1');

  const g = checkGstin('29AAFCC9980M1ZR', { checkCharacter: false });
  const kind: GstinKind | null = g.kind;

  const v = ewaybillValidity({ generatedAt: '2025-01-01T10:00:00+05:30', distanceKm: 10 });
  const upto: string | null = v.ok ? v.validUpto : null;
  ewaybillValidity({ extendedAt: new Date(), remainingKm: 5, cargo: 'ship_leg' });

  const ver: string = version() + api.version();

  try {
    validate(doc, {});
  } catch (e) {
    if (e instanceof OneFinOpsError && e.code === 'inexact_number') {
      const where: string | undefined = e.path;
      void where;
    }
  }

  // @ts-expect-error: an unknown option
  validate(doc, { sandBox: true });
  // @ts-expect-error: not a document type
  irnFromParts('29AAFCC9980M1ZR', '2026-27', 'BILL', 'A/1');
  // @ts-expect-error: cargo names
  ewaybillValidity({ generatedAt: '2025-01-01', distanceKm: 1, cargo: 'heavy' });

  void [nic, key, fromParts, kind, upto, ver];
}

void main;
