// Type declarations of @onefinops/gst-core, the WebAssembly build of the OneFinOps GST core.
// The same API in Node (loaded synchronously) and in browsers (call `await init()` first).
//
// Money is exact end to end: pass amounts as JS numbers of at most 15 significant digits (every
// rupee amount below 10^13 with two decimals) or, always exact, as decimal strings ("154000.00").
// A JS number with more than 15 significant digits (0.1 + 0.2, 12345678901234567.89) is refused
// with an `inexact_number` error rather than passed on as whatever the float happens to hold.
// Returned documents carry numbers as exact decimal strings unless `{ numbers: "number" }` or
// `{ numbers: "json" }` is asked for.

/** How bad a finding is: `error` (NIC would refuse the document) or `warning`. */
export type Severity = 'error' | 'warning';

/** One problem found in a document. Findings are data; they are never thrown. */
export interface Finding {
  /** JSON pointer (RFC 6901) into the document as sent, in its own dialect; `""` for all of it. */
  path: string;
  /** A stable code, e.g. `gstin.check_character`, `total.invoice_value`, `parse.missing_field`. */
  code: string;
  /** NIC's error code for the same mistake (e.g. `"2189"`), or `null` when NIC has none. */
  nicCode: string | null;
  /** What is wrong, in words, naming the field and the rule. */
  message: string;
  severity: Severity;
}

/** An exact decimal as input: a decimal string (always exact), a JS number (at most 15 significant
 * digits, else refused) or a bigint. */
export type DecimalInput = string | number | bigint;

/** A document as input: a plain object (serialised with JSON.stringify and the checks above) or
 * its JSON text, which is read as is (the exact route for any number). */
export type DocumentInput = string | { [key: string]: unknown };

/** A JSON value whose numbers are of type `N`. */
export type JsonOf<N> = string | N | boolean | null | JsonOf<N>[] | { [key: string]: JsonOf<N> };

/** A returned document whose numbers are of type `N`. */
export type DocumentOf<N> = { [key: string]: JsonOf<N> };

/** How numbers are written in a returned document.
 * - `"string"` (default): every number is a string of its exact decimal text (`"154000.00"`);
 *   exact at any size, keeps the scale, accepted back by every function and by the API.
 * - `"number"`: JS numbers, as JSON.parse gives them; exact up to 15 significant digits only.
 * - `"json"`: the document as one JSON text with exact numbers: what to send on the wire. */
export type NumberForm = 'string' | 'number' | 'json';

export interface OutputOptions {
  numbers?: NumberForm;
}

/** The result of a function that returns a document. */
export type DocumentResult<D> =
  | { ok: true; document: D; findings: [] }
  | { ok: false; document: null; findings: Finding[] };

/** The validation options; every field is optional and defaults to NIC's current rule. */
export interface ValidationOptions {
  /** NIC sandbox mode (default false): the GSTIN check character is not verified. */
  sandbox?: boolean;
  /** The current time, RFC 3339 (`"2026-11-22T10:00:00+05:30"`) or a Date. The library never reads
   * the clock: the date rules (future date 2163, reporting limit 2305, e-way bill 820) need it. */
  now?: string | Date | null;
  /** The supplier's aggregate annual turnover in rupees (6-digit HSN rule, reporting limit). */
  aggregateTurnover?: DecimalInput | null;
  /** How far a line's tax may be from AssAmt x rate / 100, in rupees (default 1). */
  itemTaxTolerance?: DecimalInput;
  /** How far TotInvVal may be from the sum of its parts, in rupees (default 1, NIC 2189). */
  totalTolerance?: DecimalInput;
  /** The most items a document may have (default 1000, NIC 2173). */
  maxItems?: number;
  /** The allowed GST rates (default: the rate master's active rates). */
  gstRates?: DecimalInput[] | null;
  /** Days after the document date within which an IRN may be generated (default 30, NIC 2305). */
  reportingWindowDays?: number;
  /** Turnover from which the reporting limit applies, in rupees (default 10 crore). */
  reportingWindowTurnover?: DecimalInput;
  /** Turnover from which HSN codes need 6 digits, in rupees (default 5 crore). */
  hsnSixDigitTurnover?: DecimalInput;
  /** Severity of lower case in the document number (default `error`). */
  lowercaseDocumentNumber?: Severity;
  /** Severity of a PIN outside its state's ranges (default `error`, NIC 2178). */
  pinStateMismatch?: Severity;
  /** Consignment value from which an e-way bill is required, in rupees (default 50000). */
  ewaybillValueThreshold?: DecimalInput;
}

/** The outcome of validation: `valid` is false when any finding is an error. */
export interface Report {
  valid: boolean;
  /** Every finding of every layer: parse, then shape (JSON Schema), then rules and arithmetic. */
  findings: Finding[];
}

/** The four parts NIC hashes into the IRN. */
export interface DocumentKey {
  sellerGstin: string;
  /** `YYYY-YY`, the financial year (April to March) of the document date. */
  financialYear: string;
  documentType: 'INV' | 'CRN' | 'DBN';
  documentNumber: string;
}

export type IrnResult =
  | { ok: true; irn: string; key: DocumentKey; findings: [] }
  | { ok: false; irn: null; key: null; findings: Finding[] };

/** What a GSTIN-shaped identifier is registered as. */
export type GstinKind =
  | 'normal'
  | 'governmentDepartment'
  | 'nonResident'
  | 'oidar'
  | 'uin'
  | 'tds'
  | 'tcs'
  | 'unregistered';

export interface GstinOptions {
  /** Verify the mod-36 check character (default true, or false with `sandbox`). */
  checkCharacter?: boolean;
  /** NIC sandbox mode: its test GSTINs fail the check character, so it is off. */
  sandbox?: boolean;
}

export interface GstinCheck {
  /** The kind whose format it matches, or null. */
  kind: GstinKind | null;
  /** Its first two digits (`"29"`), when it has the form of a GSTIN. */
  stateCode: string | null;
  valid: boolean;
  /** What is wrong; `path` is `""` (the caller knows the field). */
  findings: Finding[];
}

/** What is carried, as far as validity goes: 200 km a day, or 20 for over-dimensional cargo
 * and movements with a ship leg. */
export type Cargo = 'normal' | 'over_dimensional' | 'ship_leg';

/** A new bill (or the first Part-B of a Part-A slip): validity from `generatedAt` over
 * `distanceKm`; a declared distance of 0 needs NIC's PIN-to-PIN distance in `pinToPinKm`. */
export interface GenerationValidityInput {
  generatedAt: string | Date;
  distanceKm: number;
  pinToPinKm?: number;
  cargo?: Cargo;
}

/** An extension: validity from `extendedAt` over the distance still to travel. */
export interface ExtensionValidityInput {
  extendedAt: string | Date;
  remainingKm: number;
  cargo?: Cargo;
}

export type ValidityResult =
  | {
      ok: true;
      /** The distance the days were counted over. */
      distanceKm: number;
      days: number;
      /** The predicted validUpto: 23:59:00 IST, RFC 3339 (`"2022-10-06T23:59:00+05:30"`). */
      validUpto: string;
      findings: [];
    }
  | { ok: false; distanceKm: null; days: null; validUpto: null; findings: Finding[] };

/** The codes of thrown errors. */
export type ErrorCode =
  /** An argument of the wrong type or shape, an unknown option, a part that is not an IRN part,
   * a document too large for the module's memory. */
  | 'invalid_argument'
  /** A JS number with more than 15 significant digits: pass it as a decimal string. */
  | 'inexact_number'
  /** The web build was used before `await init()`. */
  | 'not_initialized'
  /** A bug in the core (a trap); reload the module. */
  | 'internal';

/** Thrown on misuse only. `instanceof Error`; `code` says what kind. */
export class OneFinOpsError extends Error {
  readonly name: 'OneFinOpsError';
  readonly code: ErrorCode;
  /** For `inexact_number` and non-finite numbers: the JSON pointer of the number. */
  readonly path?: string;
}

/** Validates an e-invoice (canonical, flat quickstart or NIC v1.1 JSON) offline. */
export function validate(document: DocumentInput, options?: ValidationOptions): Report;

/** Validates an e-way bill (canonical or NIC GENEWAYBILL JSON) offline. */
export function validateEwaybill(document: DocumentInput, options?: ValidationOptions): Report;

/** Fills every derived amount (line totals, taxes, document totals) of an e-invoice in any
 * dialect, exactly; returns it in canonical form. Blank derived amounts may be left out. */
export function prepare(
  document: DocumentInput,
  options?: { numbers?: 'string' },
): DocumentResult<DocumentOf<string>>;
export function prepare(
  document: DocumentInput,
  options: { numbers: 'number' },
): DocumentResult<DocumentOf<number>>;
export function prepare(document: DocumentInput, options: { numbers: 'json' }): DocumentResult<string>;
export function prepare(
  document: DocumentInput,
  options?: OutputOptions,
): DocumentResult<DocumentOf<string> | DocumentOf<number> | string>;

/** Maps an e-invoice in any dialect to NIC's v1.1 JSON. Use `{ numbers: "json" }` for the text to
 * send to NIC (its schema types amounts as numbers). */
export function toNic(
  document: DocumentInput,
  options?: { numbers?: 'string' },
): DocumentResult<DocumentOf<string>>;
export function toNic(
  document: DocumentInput,
  options: { numbers: 'number' },
): DocumentResult<DocumentOf<number>>;
export function toNic(document: DocumentInput, options: { numbers: 'json' }): DocumentResult<string>;
export function toNic(
  document: DocumentInput,
  options?: OutputOptions,
): DocumentResult<DocumentOf<string> | DocumentOf<number> | string>;

/** Maps NIC's v1.1 JSON to the canonical form (other dialects are refused as findings). */
export function fromNic(
  nicDocument: DocumentInput,
  options?: { numbers?: 'string' },
): DocumentResult<DocumentOf<string>>;
export function fromNic(
  nicDocument: DocumentInput,
  options: { numbers: 'number' },
): DocumentResult<DocumentOf<number>>;
export function fromNic(
  nicDocument: DocumentInput,
  options: { numbers: 'json' },
): DocumentResult<string>;
export function fromNic(
  nicDocument: DocumentInput,
  options?: OutputOptions,
): DocumentResult<DocumentOf<string> | DocumentOf<number> | string>;

/** The IRN the IRP will assign to a document, and the four parts it is the hash of. The document
 * only has to parse: validate it for everything else. */
export function irn(document: DocumentInput): IrnResult;

/** The IRN of four parts: lower-case hex SHA-256 of gstin + financial year + type + number.
 * `financialYearOrDate` is `YYYY-YY` or the document date (`YYYY-MM-DD` or `dd/mm/yyyy`);
 * `docType` is INV, CRN or DBN. Throws `invalid_argument` on a malformed part. */
export function irnFromParts(
  gstin: string,
  financialYearOrDate: string,
  docType: 'INV' | 'CRN' | 'DBN',
  docNumber: string,
): string;

/** Checks a GSTIN (or `URP`): its format and kind, its state prefix and its check character. */
export function checkGstin(gstin: string, options?: GstinOptions): GstinCheck;

/** Predicts an e-way bill's validUpto (Rule 138(10)): days of 200 km (20 km), ending 23:59 IST. */
export function ewaybillValidity(
  input: GenerationValidityInput | ExtensionValidityInput,
): ValidityResult;

/** The version of the core. */
export function version(): string;

/** Browser: loads and instantiates the module (once; later calls share the promise). By default
 * it fetches `onefinops_wasm_bg.wasm` next to the module; pass a URL, a Response, the bytes or a
 * WebAssembly.Module to load it otherwise. Node: resolves at once. */
export function init(moduleOrPath?: string | object): Promise<void>;

/** Browser: instantiates synchronously from the bytes or a WebAssembly.Module. Node: no-op. */
export function initSync(module?: object): void;

declare const api: {
  OneFinOpsError: typeof OneFinOpsError;
  validate: typeof validate;
  validateEwaybill: typeof validateEwaybill;
  prepare: typeof prepare;
  toNic: typeof toNic;
  fromNic: typeof fromNic;
  irn: typeof irn;
  irnFromParts: typeof irnFromParts;
  checkGstin: typeof checkGstin;
  ewaybillValidity: typeof ewaybillValidity;
  version: typeof version;
  init: typeof init;
  initSync: typeof initSync;
};
export default api;
