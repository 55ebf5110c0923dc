// A small lossless JSON reader and writer for the tests: numbers stay their decimal text, so a
// vector's document reaches the core exactly as the Rust test sends it (serde_json writes a
// Value compactly with sorted keys; so does `stringifyExact(v, { sortKeys: true })`).

export class RawNumber {
  constructor(text) {
    this.text = text;
  }
}

export function parseExact(text) {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i += 1;
  };
  const value = () => {
    ws();
    const c = text[i];
    if (c === '{') {
      i += 1;
      const out = {};
      ws();
      if (text[i] === '}') {
        i += 1;
        return out;
      }
      for (;;) {
        ws();
        const key = string();
        ws();
        if (text[i] !== ':') throw new SyntaxError(`expected : at ${i}`);
        i += 1;
        out[key] = value();
        ws();
        if (text[i] === ',') {
          i += 1;
        } else if (text[i] === '}') {
          i += 1;
          return out;
        } else {
          throw new SyntaxError(`expected , or } at ${i}`);
        }
      }
    }
    if (c === '[') {
      i += 1;
      const out = [];
      ws();
      if (text[i] === ']') {
        i += 1;
        return out;
      }
      for (;;) {
        out.push(value());
        ws();
        if (text[i] === ',') {
          i += 1;
        } else if (text[i] === ']') {
          i += 1;
          return out;
        } else {
          throw new SyntaxError(`expected , or ] at ${i}`);
        }
      }
    }
    if (c === '"') return string();
    for (const [word, v] of [['true', true], ['false', false], ['null', null]]) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return v;
      }
    }
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m) throw new SyntaxError(`unexpected ${c} at ${i}`);
    i += m[0].length;
    return new RawNumber(m[0]);
  };
  const string = () => {
    const start = i;
    if (text[i] !== '"') throw new SyntaxError(`expected a string at ${i}`);
    i += 1;
    while (text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i += 1;
    return JSON.parse(text.slice(start, i));
  };
  const out = value();
  ws();
  if (i !== text.length) throw new SyntaxError(`trailing text at ${i}`);
  return out;
}

export function stringifyExact(v, { sortKeys = false } = {}) {
  if (v instanceof RawNumber) return v.text;
  if (Array.isArray(v)) return `[${v.map((x) => stringifyExact(x, { sortKeys })).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const keys = Object.keys(v);
    if (sortKeys) keys.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${keys.map((k) => `${JSON.stringify(k)}:${stringifyExact(v[k], { sortKeys })}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/** The plain JS value (numbers as JS numbers). */
export function toPlain(v) {
  if (v instanceof RawNumber) return Number(v.text);
  if (Array.isArray(v)) return v.map(toPlain);
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toPlain(x)]));
  }
  return v;
}
