// The public JS API of the OneFinOps GST core, over the raw wasm-bindgen exports (JSON text in and
// out, see wasm/src/api.rs). build.sh splices this file into wrap-node.cjs and wrap-web.js, so it
// holds no import or export of its own: it defines createApi(raw, ensureReady).
//
// Money: the core reads every amount from the decimal text of its JSON number, never from a float.
// Documents are therefore serialised here with JSON.stringify, which writes a JS number as the
// shortest text that reads back as the same number (0.1 stays "0.1"). A JS number with more than
// 15 significant digits may already differ from the decimal that was meant (0.1 + 0.2 is
// 0.30000000000000004, and 12345678901234567.89 is 12345678901234568), so such a number is refused
// with an `inexact_number` error instead of being passed on silently: write large or computed
// amounts as decimal strings ("12345678901234567.89"), which every function accepts. Returned
// documents carry numbers as exact decimal strings by default ({ numbers: "string" }).

function createApi(raw, ensureReady) {
  'use strict';

  /** The error thrown on misuse. Problems with a document are never thrown: they are findings. */
  class OneFinOpsError extends Error {
    constructor(code, message, details) {
      super(message);
      this.name = 'OneFinOpsError';
      this.code = code;
      if (details) Object.assign(this, details);
    }
  }

  function fail(code, message, details) {
    throw new OneFinOpsError(code, message, details);
  }

  function describe(value) {
    if (value === null) return 'null';
    if (Array.isArray(value)) return 'an array';
    if (value instanceof Date) return 'a Date';
    const t = typeof value;
    return t === 'object' ? 'an object' : t === 'undefined' ? 'undefined' : `a ${t}`;
  }

  // Significant digits of the shortest round-trip text of a finite number.
  function significantDigits(n) {
    const mantissa = String(Math.abs(n)).split('e')[0].replace('.', '');
    return mantissa.replace(/^0+/, '').replace(/0+$/, '').length;
  }

  function pointerToken(key) {
    return String(key).replace(/~/g, '~0').replace(/\//g, '~1');
  }

  // Whether a JS number may not be the decimal that was meant: not finite, or more than 15
  // significant digits in its shortest text (the same as significantDigits(n) > 15, without
  // building strings: it runs on every number of every document). An amount of at most two
  // decimals below 1e13 is the double nearest to its cents / 100, a decimal of at most 15 digits;
  // otherwise a number has at most 15 digits exactly when its 15-digit rounding reads back as it.
  function suspect(n) {
    if (Number.isSafeInteger(n)) return false;
    if (!Number.isFinite(n)) return true;
    if (Math.abs(n) < 1e13 && Math.round(n * 100) / 100 === n) return false;
    return Number(n.toPrecision(15)) !== n;
  }

  const SUSPECT = {};

  function fastReplacer(key, v) {
    if (typeof v === 'number') {
      if (suspect(v)) throw SUSPECT;
    } else if (typeof v === 'bigint') {
      return v.toString();
    }
    return v;
  }

  // Whether `v` holds anything the checking passes below must see: a suspect number, a BigInt,
  // an object with its own toJSON (a Date), or nesting deep enough to be cyclic. A plain walk
  // costs a fraction of a replacer called for every value (on a 10-line invoice in Node, about
  // a third of the whole validate call), and nearly every document needs nothing more.
  function needsCheckingPass(v, depth) {
    switch (typeof v) {
      case 'number':
        return suspect(v);
      case 'bigint':
        return true;
      case 'object': {
        if (v === null) return false;
        if (depth > 200 || typeof v.toJSON === 'function') return true;
        if (Array.isArray(v)) {
          for (let i = 0; i < v.length; i++) {
            if (needsCheckingPass(v[i], depth + 1)) return true;
          }
          return false;
        }
        // Object.keys: the own enumerable names JSON.stringify writes; a third faster in Node 20
        // than for-in with hasOwnProperty.
        const keys = Object.keys(v);
        for (let i = 0; i < keys.length; i++) {
          if (needsCheckingPass(v[keys[i]], depth + 1)) return true;
        }
        return false;
      }
      default:
        return false;
    }
  }

  // JSON text of a plain JS value, refusing what JSON or a float would silently change. The
  // first pass only checks; a suspect number is then found again with its path, for the error.
  function jsonText(value, what) {
    if (!needsCheckingPass(value, 0)) return JSON.stringify(value);
    try {
      return JSON.stringify(value, fastReplacer);
    } catch (e) {
      if (e !== SUSPECT) throw e;
    }
    return jsonTextWithPaths(value, what);
  }

  function jsonTextWithPaths(value, what) {
    const paths = new WeakMap();
    return JSON.stringify(value, function (key, v) {
      const parent = paths.get(this);
      const path = parent === undefined ? '' : `${parent}/${pointerToken(key)}`;
      const where = path === '' ? what : `${what} at ${path}`;
      switch (typeof v) {
        case 'number':
          if (!Number.isFinite(v)) {
            fail('invalid_argument', `${where}: ${v} is not a number JSON can carry`, { path });
          }
          if (!Number.isSafeInteger(v) && significantDigits(v) > 15) {
            fail(
              'inexact_number',
              `${where}: the JS number ${v} has more than 15 significant digits, so it may not be ` +
                'the decimal that was meant (amounts never pass through a float); pass it as a ' +
                'decimal string instead',
              { path },
            );
          }
          return v;
        case 'bigint':
          return v.toString();
        case 'object':
          if (v !== null) paths.set(v, path);
          return v;
        default:
          return v;
      }
    });
  }

  function documentText(document, what) {
    if (typeof document === 'string') return document;
    if (document === null || typeof document !== 'object' || Array.isArray(document)) {
      fail('invalid_argument', `${what} must be an object or a JSON string, not ${describe(document)}`);
    }
    return jsonText(document, what);
  }

  function optionsText(options, what) {
    if (options === undefined || options === null) return '{}';
    if (typeof options !== 'object' || Array.isArray(options) || options instanceof Date) {
      fail('invalid_argument', `${what} must be an object, not ${describe(options)}`);
    }
    return jsonText(options, what);
  }

  function stringArgument(value, name) {
    if (typeof value !== 'string') {
      fail('invalid_argument', `${name} must be a string, not ${describe(value)}`);
    }
    return value;
  }

  // Calls a raw export and reads its answer; a misuse envelope becomes a thrown error.
  function call(fn, ...args) {
    if (ensureReady) ensureReady();
    return answer(() => fn(...args));
  }

  const encoder = new TextEncoder();
  let memory = null;

  // Calls a raw export whose arguments are text in the module's input buffer (a document and,
  // unless `second` is undefined, its options): each is written as UTF-8 with encodeInto, which
  // is twenty times faster than wasm-bindgen's copy of a string argument (see wasm/src/lib.rs,
  // `input_buffer`). A JS string of n UTF-16 units is at most 3n bytes of UTF-8; a lone
  // surrogate becomes U+FFFD, as it would through a string argument.
  function callWithInput(fn, first, second) {
    if (ensureReady) ensureReady();
    return answer(() => {
      const room = 3 * (first.length + (second === undefined ? 0 : second.length));
      const at = raw.inputBuffer(room);
      if (at === 0) {
        fail(
          'invalid_argument',
          `the document is too large: the module's memory cannot hold its ${room} bytes of room`,
        );
      }
      // The Memory object lives as long as the instance; its buffer is replaced when it grows,
      // so the view is made after inputBuffer, which may grow it.
      if (memory === null) memory = raw.wasmMemory();
      const view = new Uint8Array(memory.buffer, at, room);
      const firstLen = encoder.encodeInto(first, view).written;
      if (second === undefined) return fn(firstLen);
      const secondLen = encoder.encodeInto(second, view.subarray(firstLen)).written;
      return fn(firstLen, secondLen);
    });
  }

  // A document function: the document (object or JSON text) and its options, through the input
  // buffer.
  function withDocument(fn, document, options, what = 'document') {
    return callWithInput(fn, documentText(document, what), optionsText(options, 'options'));
  }

  // Runs one raw call and parses its JSON answer; a trap becomes an `internal` error.
  function answer(run) {
    let text;
    try {
      text = run();
    } catch (e) {
      if (typeof WebAssembly !== 'undefined' && e instanceof WebAssembly.RuntimeError) {
        let message = null;
        try {
          message = raw.lastPanic();
        } catch (_) {
          // The instance may be unusable after a trap.
        }
        fail('internal', `the WASM core failed: ${message || e.message}; reload the module`);
      }
      throw e;
    }
    const out = JSON.parse(text);
    if (out !== null && typeof out === 'object' && out.error) {
      fail(out.error.code, out.error.message);
    }
    return out;
  }

  return {
    OneFinOpsError,

    /** Validates an e-invoice (canonical, flat or NIC JSON): `{valid, findings}`. */
    validate(document, options) {
      return withDocument(raw.validate, document, options);
    },

    /** Validates an e-way bill (canonical or NIC GENEWAYBILL JSON): `{valid, findings}`. */
    validateEwaybill(document, options) {
      return withDocument(raw.validateEwaybill, document, options);
    },

    /** Fills every derived amount: `{ok, document, findings}`, document in canonical form. */
    prepare(document, options) {
      return withDocument(raw.prepare, document, options);
    },

    /** Maps an e-invoice in any dialect to NIC's v1.1 JSON: `{ok, document, findings}`. */
    toNic(document, options) {
      return withDocument(raw.toNic, document, options);
    },

    /** Maps NIC's v1.1 JSON to the canonical form: `{ok, document, findings}`. */
    fromNic(nicDocument, options) {
      return withDocument(raw.fromNic, nicDocument, options, 'nicDocument');
    },

    /** The IRN the IRP will assign to a document: `{ok, irn, key, findings}`. */
    irn(document) {
      return callWithInput(raw.irn, documentText(document, 'document'));
    },

    /** The IRN of four parts: SHA-256 of GSTIN + financial year + type + number, lower-case hex. */
    irnFromParts(gstin, financialYearOrDate, docType, docNumber) {
      return call(
        raw.irnFromParts,
        stringArgument(gstin, 'gstin'),
        stringArgument(financialYearOrDate, 'financialYearOrDate'),
        stringArgument(docType, 'docType'),
        stringArgument(docNumber, 'docNumber'),
      ).irn;
    },

    /** Checks a GSTIN (or `URP`): `{kind, stateCode, valid, findings}`. */
    checkGstin(gstin, options) {
      return call(raw.checkGstin, stringArgument(gstin, 'gstin'), optionsText(options, 'options'));
    },

    /** Predicts an e-way bill's `validUpto`: `{ok, distanceKm, days, validUpto, findings}`. */
    ewaybillValidity(input) {
      if (input === null || typeof input !== 'object' || Array.isArray(input)) {
        fail('invalid_argument', `input must be an object, not ${describe(input)}`);
      }
      return call(raw.ewaybillValidity, jsonText(input, 'input'));
    },

    /** The version of the core. */
    version() {
      if (ensureReady) ensureReady();
      return raw.version();
    },
  };
}
