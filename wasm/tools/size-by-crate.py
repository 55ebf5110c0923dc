#!/usr/bin/env python3
"""Groups a .wasm's function bodies by crate: raw bytes and gzip -9 bytes per crate (each crate's
bodies compressed on their own, so the gzip column sums to more than the module's), plus the
code and data sections. Run it on rustc's output, before wasm-bindgen (it needs the name section):

    wasm/tools/size-by-crate.py target/wasm/wasm32-unknown-unknown/wasm-release/onefinops_wasm.wasm [rows]

Names are demangled with c++filt (binutils). A generic instantiated for another crate's type is
counted in the crate that defines the generic (serde_json's Value deserializer for a core type
counts as serde_json); std's generics (core::sort, alloc::vec, ...) are counted as
core<module>. See wasm/SIZE.md for what the figures were.
"""
import collections
import gzip
import re
import subprocess
import sys


def leb(b, i):
    r = s = 0
    while True:
        x = b[i]
        i += 1
        r |= (x & 0x7F) << s
        s += 7
        if x < 0x80:
            return r, i


def sections(b):
    out, i = {}, 8
    while i < len(b):
        t = b[i]
        i += 1
        n, i = leb(b, i)
        body = b[i:i + n]
        if t == 0:
            ln, j = leb(body, 0)
            out['custom:' + body[j:j + ln].decode()] = body[j + ln:]
        else:
            out[t] = body
        i += n
    return out


def imported_functions(imp):
    k, count = 0, 0
    n, k = leb(imp, k)
    for _ in range(n):
        for _ in range(2):
            ln, k = leb(imp, k)
            k += ln
        kind = imp[k]
        k += 1
        if kind == 0:
            _, k = leb(imp, k)
            count += 1
        elif kind == 1:
            k += 1
            flags = imp[k]
            k += 1
            _, k = leb(imp, k)
            if flags & 1:
                _, k = leb(imp, k)
        elif kind == 2:
            flags = imp[k]
            k += 1
            _, k = leb(imp, k)
            if flags & 1:
                _, k = leb(imp, k)
        elif kind == 3:
            k += 2
    return count


def function_names(ns):
    names, k = {}, 0
    while k < len(ns):
        sid = ns[k]
        k += 1
        size, k = leb(ns, k)
        end = k + size
        if sid == 1:
            n, k = leb(ns, k)
            for _ in range(n):
                idx, k = leb(ns, k)
                ln, k = leb(ns, k)
                names[idx] = ns[k:k + ln].decode('utf8', 'replace')
                k += ln
        k = end
    return names


STD_MODULES = set('core alloc std impl fmt ptr iter ops cmp slice str vec string boxed sync '
                  'collections hash convert option result num mem marker cell rc de ser panicking '
                  'raw_vec btree map hash_map traits adapters drop_in_place any error io'.split())


def crate_of(name):
    n = name.lstrip('<').replace('&', '').replace('mut ', '').replace('dyn ', '')
    m = re.match(r'([A-Za-z_][A-Za-z0-9_]*)', n)
    if not m:
        return '?'
    c = m.group(1)
    if c in ('core', 'alloc', 'std'):
        for inner in re.findall(r'([a-z_][a-z0-9_]*)::', n):
            if inner not in STD_MODULES:
                return f'{c}<{inner}>'
    return c


def main():
    b = open(sys.argv[1], 'rb').read()
    rows = int(sys.argv[2]) if len(sys.argv) > 2 else 40
    s = sections(b)
    if 'custom:name' not in s:
        sys.exit('no name section: run it on the module before wasm-bindgen')
    base = imported_functions(s[2])
    names = function_names(s['custom:name'])
    code = s[10]
    k = 0
    n, k = leb(code, k)
    mangled = [names.get(f + base, '?') for f in range(n)]
    demangled = subprocess.run(['c++filt'], input='\n'.join(mangled), capture_output=True,
                               text=True, check=True).stdout.split('\n')
    groups = collections.defaultdict(list)
    for f in range(n):
        size, k = leb(code, k)
        groups[crate_of(demangled[f])].append(code[k:k + size])
        k += size
    data = s.get(11, b'')
    print(f'code section {len(code)} B raw, {len(gzip.compress(code, 9))} B gz; '
          f'data section {len(data)} B raw, {len(gzip.compress(data, 9))} B gz')
    table = sorted(((sum(map(len, v)), len(gzip.compress(b''.join(v), 9)), len(v), g)
                    for g, v in groups.items()), reverse=True)
    print(f"{'raw':>9} {'gz':>8} {'fns':>5}  crate")
    for raw, gz, fns, g in table[:rows]:
        print(f'{raw:9} {gz:8} {fns:5}  {g}')


if __name__ == '__main__':
    main()
