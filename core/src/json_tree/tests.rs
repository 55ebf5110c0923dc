//! The contract with serde_json, held on the repository's vectors, on hand-written edge cases
//! with exact expectations, and on generated and mutated documents.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use proptest::prelude::*;
use serde_json::Value;

use super::*;

/// Asserts the contract on `bytes`: both parsers accept or both refuse, and when both accept they
/// give the same value, number text and key order included. Returns the value when accepted.
fn agree(bytes: &[u8]) -> Option<Value> {
    let ours = parse(bytes);
    let theirs = serde_json::from_slice::<Value>(bytes);
    match (&ours, &theirs) {
        (Ok(node), Ok(value)) => {
            let mine = node.to_value();
            assert_eq!(
                &mine,
                value,
                "values differ on {:?}",
                String::from_utf8_lossy(bytes)
            );
            assert_eq!(
                mine.to_string(),
                value.to_string(),
                "texts differ on {:?}",
                String::from_utf8_lossy(bytes)
            );
            Some(mine)
        }
        (Err(_), Err(_)) => None,
        _ => panic!(
            "parse and serde_json disagree on {:?}: ours {:?}, serde_json {:?}",
            String::from_utf8_lossy(bytes),
            ours.as_ref().map(|_| ()),
            theirs.as_ref().map(|_| ()),
        ),
    }
}

/// Asserts both parsers accept `text`, and returns our tree.
fn ok(text: &[u8]) -> Node<'_> {
    assert!(
        agree(text).is_some(),
        "{:?} should parse",
        String::from_utf8_lossy(text)
    );
    parse(text).unwrap()
}

/// Asserts both parsers refuse `text`, and returns our error's kind.
fn refused(text: &[u8]) -> ParseErrorKind {
    assert!(
        agree(text).is_none(),
        "{:?} should be refused",
        String::from_utf8_lossy(text)
    );
    parse(text).unwrap_err().kind()
}

fn nested_arrays(depth: usize) -> String {
    "[".repeat(depth) + &"]".repeat(depth)
}

fn nested_objects(depth: usize) -> String {
    r#"{"a":"#.repeat(depth) + "1" + &"}".repeat(depth)
}

// ---------------------------------------------------------------------------------------------
// The corpus: every vector file, and the documents inside them.

fn json_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            json_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
}

/// The values of every `document`, `input`, `canonical` and `nic` member, at any depth.
fn members<'v>(value: &'v Value, out: &mut Vec<&'v Value>) {
    match value {
        Value::Array(items) => items.iter().for_each(|v| members(v, out)),
        Value::Object(map) => {
            for (key, v) in map {
                if matches!(key.as_str(), "document" | "input" | "canonical" | "nic") {
                    out.push(v);
                }
                members(v, out);
            }
        }
        _ => {}
    }
}

#[test]
fn every_vector_round_trips() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors");
    let mut files = Vec::new();
    json_files(&root, &mut files);
    assert!(files.len() >= 40, "found only {} vector files", files.len());
    let mut documents = 0;
    for file in &files {
        let bytes = std::fs::read(file).unwrap();
        let value = agree(&bytes).unwrap_or_else(|| panic!("{} does not parse", file.display()));
        let mut inner = Vec::new();
        members(&value, &mut inner);
        for member in inner {
            // As the API receives them (compact) and as people write them (pretty).
            for text in [
                serde_json::to_vec(member).unwrap(),
                serde_json::to_vec_pretty(member).unwrap(),
            ] {
                assert!(
                    agree(&text).is_some(),
                    "a member of {} does not parse",
                    file.display()
                );
            }
            // A member that is itself a string may hold JSON text; whatever it holds, both agree.
            if let Value::String(s) = member {
                agree(s.as_bytes());
            }
            documents += 1;
        }
    }
    assert!(
        documents >= 300,
        "found only {documents} documents in the vectors"
    );
}

// ---------------------------------------------------------------------------------------------
// Strings.

#[test]
fn plain_strings_are_borrowed_and_escaped_ones_owned() {
    let text = r#"["plain", "esc\naped", "", "é😀"]"#.as_bytes();
    let node = ok(text);
    let items = node.as_array().unwrap();
    assert!(matches!(&items[0], Node::String(Cow::Borrowed("plain"))));
    assert!(matches!(&items[1], Node::String(Cow::Owned(s)) if s == "esc\naped"));
    assert!(matches!(&items[2], Node::String(Cow::Borrowed(""))));
    assert!(matches!(&items[3], Node::String(Cow::Borrowed("é😀"))));
}

#[test]
fn every_escape() {
    for (text, expected) in [
        (r#""\"""#, "\""),
        (r#""\\""#, "\\"),
        (r#""\/""#, "/"),
        (r#""\b""#, "\u{8}"),
        (r#""\f""#, "\u{c}"),
        (r#""\n""#, "\n"),
        (r#""\r""#, "\r"),
        (r#""\t""#, "\t"),
        (r#""\u0041""#, "A"),
        (r#""\u00e9\u00E9""#, "éé"),
        (r#""\u0000""#, "\0"),
        (r#""\u001f""#, "\u{1f}"),
        (r#""\u2028""#, "\u{2028}"),
        (r#""\uFFFF""#, "\u{ffff}"),
        (
            r#""a\"b\\c\/d\be\ff\ng\rh\ti""#,
            "a\"b\\c/d\u{8}e\u{c}f\ng\rh\ti",
        ),
        (r#""\\\\\\""#, "\\\\\\"),
        (
            r#""long run before the escape \n and a long one after it""#,
            "long run before the escape \n and a long one after it",
        ),
    ] {
        let node = ok(text.as_bytes());
        assert_eq!(node.as_str(), Some(expected), "{text}");
        assert!(matches!(node, Node::String(Cow::Owned(_))), "{text}");
    }
}

#[test]
fn invalid_escapes_are_refused() {
    for text in [
        r#""\x""#,
        r#""\U0041""#,
        r#""\u00g0""#,
        r#""\u12""#,
        r#""\u12"#,
        r#""\"#,
        r#""\'""#,
        r#""\a""#,
        r#""\0""#,
        r#""\u""#,
        "\"\\\u{e9}\"",
    ] {
        let kind = refused(text.as_bytes());
        assert!(
            matches!(
                kind,
                ParseErrorKind::InvalidEscape | ParseErrorKind::UnexpectedEnd
            ),
            "{text}: {kind:?}"
        );
    }
}

#[test]
fn surrogate_pairs_combine() {
    for (text, expected) in [
        (r#""\ud83d\ude00""#, "😀"),
        (r#""\uD83D\uDE00""#, "😀"),
        (r#""\ud800\udc00""#, "\u{10000}"),
        (r#""\udbff\udfff""#, "\u{10ffff}"),
        (r#""x\ud83d\ude00y\ud83d\ude01z""#, "x😀y😁z"),
    ] {
        assert_eq!(ok(text.as_bytes()).as_str(), Some(expected), "{text}");
    }
}

#[test]
fn lone_surrogates_are_refused_as_serde_json_does() {
    // serde_json 1.x, building a `String`, refuses every surrogate escape that is not half of a
    // well-formed pair (checked by experiment: "lone leading surrogate", "unexpected end of hex
    // escape").
    for text in [
        r#""\ud800""#,
        r#""\udc00""#,
        r#""\udfff""#,
        r#""\ud800x""#,
        r#""\ud800\n""#,
        r#""\ud800\ud800""#,
        r#""\ud800\u0041""#,
        r#""\ude00\ud83d""#,
        r#""\ud800\u""#,
        r#""\ud800\udc0""#,
        r#"["\ud800\udbff"]"#,
        r#"{"\ud800":1}"#,
    ] {
        let kind = refused(text.as_bytes());
        assert!(
            matches!(
                kind,
                ParseErrorKind::LoneSurrogate
                    | ParseErrorKind::InvalidEscape
                    | ParseErrorKind::UnexpectedEnd
            ),
            "{text}: {kind:?}"
        );
    }
}

#[test]
fn raw_control_characters_are_refused_and_del_is_not() {
    for c in 0u8..0x20 {
        let text = [b'"', b'a', c, b'b', b'"'];
        assert_eq!(refused(&text), ParseErrorKind::ControlCharacter, "{c:#x}");
        // After an escape too, and in a key.
        let text = [b'"', b'\\', b'n', c, b'"'];
        assert_eq!(refused(&text), ParseErrorKind::ControlCharacter, "{c:#x}");
        let text = [b'{', b'"', c, b'"', b':', b'1', b'}'];
        assert_eq!(refused(&text), ParseErrorKind::ControlCharacter, "{c:#x}");
    }
    assert_eq!(ok(b"\"\x7f\"").as_str(), Some("\u{7f}"));
}

#[test]
fn stop_bytes_at_every_offset_of_the_word_scan() {
    // The scanner reads eight bytes at a time: a quote, a backslash or a control character must
    // be found wherever it falls in the word, whatever surrounds it (high bytes included).
    for len in 0..24 {
        for filler in ["a", "é", "\u{7f}", "~"] {
            let body: String = filler.repeat(len);
            ok(format!("\"{body}\"").as_bytes());
            ok(format!("[\"{body}\",\"{body}\\n{body}\"]").as_bytes());
            assert_eq!(
                refused(format!("\"{body}\u{1}{body}\"").as_bytes()),
                ParseErrorKind::ControlCharacter
            );
            refused(format!("\"{body}").as_bytes());
        }
    }
}

#[test]
fn invalid_utf8_is_refused_inside_and_outside_strings() {
    for text in [
        &b"\"\xff\""[..],
        b"\"abc\xc3\"",
        b"\"\xc0\x80\"",
        b"\"\xed\xa0\x80\"",
        b"\"\xf4\x90\x80\x80\"",
        b"{\"\xff\":1}",
        b"[\"a\\n\xff\"]",
        b"\xff",
        b"1 \xff",
        b"[1,\xff]",
    ] {
        assert_eq!(refused(text), ParseErrorKind::InvalidUtf8, "{text:?}");
    }
    // Valid UTF-8 outside a string is still not JSON.
    assert_eq!(refused("é".as_bytes()), ParseErrorKind::UnexpectedByte);
    assert_eq!(
        ok("\"\u{2028}\u{feff}é\"".as_bytes()).as_str(),
        Some("\u{2028}\u{feff}é")
    );
}

// ---------------------------------------------------------------------------------------------
// Numbers.

#[test]
fn numbers_keep_their_text_and_convert_as_serde_json_does() {
    // (as written, as serde_json keeps it)
    for (text, kept) in [
        ("0", "0"),
        ("-0", "-0"),
        ("-0.0", "-0.0"),
        ("1E400", "1e+400"),
        ("1e400", "1e+400"),
        ("1e+5", "1e+5"),
        ("1e05", "1e+05"),
        ("1.5E-3", "1.5e-3"),
        ("1.0e-0", "1.0e-0"),
        ("0.0000001", "0.0000001"),
        ("12.50", "12.50"),
        (
            "123456789012345678901234567890",
            "123456789012345678901234567890",
        ),
        (
            "-123456789012345678901234567890",
            "-123456789012345678901234567890",
        ),
        ("18446744073709551615", "18446744073709551615"),
        ("18446744073709551616", "18446744073709551616"),
        ("-9223372036854775808", "-9223372036854775808"),
        ("-9223372036854775809", "-9223372036854775809"),
        (
            "3.141592653589793238462643383279",
            "3.141592653589793238462643383279",
        ),
    ] {
        let node = ok(text.as_bytes());
        assert_eq!(node.as_number(), Some(text));
        assert_eq!(node.to_value().to_string(), kept, "{text}");
        // And in context, where the number ends at a delimiter rather than the input's end.
        ok(format!("[{text},{text}]").as_bytes());
        ok(format!("{{\"n\":{text}}}").as_bytes());
    }
}

#[test]
fn malformed_numbers_are_refused() {
    for text in [
        "01",
        "-01",
        "00",
        "1.",
        ".5",
        "-",
        "+1",
        "1e",
        "1e+",
        "1E-",
        "1.e5",
        "-.5",
        "0x10",
        "1_000",
        "[01]",
        "[1.]",
        "[-]",
        "NaN",
        "Infinity",
        "-Infinity",
        "1.5.2",
        "1e5e5",
        "--1",
    ] {
        refused(text.as_bytes());
    }
    assert_eq!(
        parse(b"01").unwrap_err().kind(),
        ParseErrorKind::InvalidNumber
    );
    assert_eq!(
        parse(b"1.").unwrap_err().kind(),
        ParseErrorKind::UnexpectedEnd
    );
    assert_eq!(
        parse(b"1.]").unwrap_err().kind(),
        ParseErrorKind::InvalidNumber
    );
}

// ---------------------------------------------------------------------------------------------
// Structure.

#[test]
fn literals_and_containers() {
    assert_eq!(ok(b"null"), Node::Null);
    assert_eq!(ok(b"true"), Node::Bool(true));
    assert_eq!(ok(b"false"), Node::Bool(false));
    assert_eq!(ok(b"[]"), Node::Array(Vec::new()));
    assert_eq!(ok(b" [ ] "), Node::Array(Vec::new()));
    assert_eq!(ok(b"{}"), Node::Object(Vec::new()));
    assert_eq!(ok(b"{ \t\n\r}"), Node::Object(Vec::new()));
    assert_eq!(
        ok(br#" { "a" : [ 1 , true , null ] , "b" : { } } "#),
        Node::Object(vec![
            (
                Cow::Borrowed("a"),
                Node::Array(vec![Node::Number("1"), Node::Bool(true), Node::Null])
            ),
            (Cow::Borrowed("b"), Node::Object(Vec::new())),
        ])
    );
}

#[test]
fn malformed_structure_is_refused() {
    for text in [
        "[1,]",
        r#"{"a":1,}"#,
        "[,1]",
        "[1,,2]",
        "{,}",
        r#"{"a"}"#,
        r#"{"a" 1}"#,
        r#"{"a":}"#,
        "{1:1}",
        "{a:1}",
        "{'a':1}",
        r#"{"a":1 "b":2}"#,
        "[1 2]",
        "[",
        "]",
        "{",
        "}",
        "[1",
        r#"{"a":1"#,
        r#"{"a""#,
        "[}",
        "{]",
        "tru",
        "nul",
        "fals",
        "truex",
        "True",
        "nulll",
        "\"abc",
        "1 x",
        "{}x",
        "[] []",
        "1 2",
        "\"a\" \"b\"",
        "// c\n1",
        "/* c */ 1",
        "1 // c",
        "1\0",
    ] {
        refused(text.as_bytes());
    }
    assert_eq!(
        parse(b"[1,]").unwrap_err().kind(),
        ParseErrorKind::UnexpectedByte
    );
    assert_eq!(
        parse(br#"{"a":1,}"#).unwrap_err().kind(),
        ParseErrorKind::UnexpectedByte
    );
    assert_eq!(
        parse(b"1 x").unwrap_err().kind(),
        ParseErrorKind::TrailingCharacters
    );
    assert_eq!(
        parse(b"[1").unwrap_err().kind(),
        ParseErrorKind::UnexpectedEnd
    );
}

#[test]
fn empty_input_whitespace_and_bom() {
    assert_eq!(refused(b""), ParseErrorKind::UnexpectedEnd);
    assert_eq!(refused(b" \t\n\r"), ParseErrorKind::UnexpectedEnd);
    // serde_json treats a byte order mark as a stray character, as RFC 8259 allows.
    assert_eq!(refused(b"\xef\xbb\xbf{}"), ParseErrorKind::UnexpectedByte);
    assert_eq!(
        refused(b"{}\xef\xbb\xbf"),
        ParseErrorKind::TrailingCharacters
    );
    // Only the four whitespace characters of RFC 8259.
    for ws in ["\u{c}", "\u{b}", "\u{a0}", "\u{2028}", "\u{feff}"] {
        refused(format!("{ws}1").as_bytes());
        refused(format!("[1{ws}]").as_bytes());
    }
    assert_eq!(ok(b" \t\n\r1 \t\n\r"), Node::Number("1"));
}

#[test]
fn depth_limit_is_serde_jsons_exactly() {
    // Find serde_json's boundary by experiment rather than trusting the constant.
    let first_refused = (1..=200)
        .find(|&d| serde_json::from_str::<Value>(&nested_arrays(d)).is_err())
        .unwrap();
    assert_eq!(first_refused, MAX_DEPTH + 1);
    for (depth, accepted) in [(MAX_DEPTH, true), (MAX_DEPTH + 1, false)] {
        let shapes = [
            nested_arrays(depth),
            nested_objects(depth),
            "[".repeat(depth - 1) + "{}" + &"]".repeat(depth - 1),
            r#"{"a":["#.repeat(depth / 2)
                + &"[".repeat(depth % 2)
                + &"]".repeat(depth % 2)
                + &"]}".repeat(depth / 2),
        ];
        for text in shapes {
            assert_eq!(
                agree(text.as_bytes()).is_some(),
                accepted,
                "depth {depth}: {text}"
            );
            if !accepted {
                assert_eq!(
                    parse(text.as_bytes()).unwrap_err().kind(),
                    ParseErrorKind::DepthLimit
                );
            }
        }
    }
    // The limit is on depth, not on the number of containers.
    ok(format!("[{}]", vec![nested_arrays(MAX_DEPTH - 1); 50].join(",")).as_bytes());
    // Unclosed and very deep: refused at the limit, without going deeper.
    assert_eq!(
        refused("[".repeat(100_000).as_bytes()),
        ParseErrorKind::DepthLimit
    );
    assert_eq!(
        refused(r#"{"a":"#.repeat(100_000).as_bytes()),
        ParseErrorKind::DepthLimit
    );
}

#[test]
fn duplicate_keys_are_kept_and_the_last_wins() {
    let node = ok(br#"{"a":1,"b":2,"a":3}"#);
    assert_eq!(node.as_object().unwrap().len(), 3);
    assert_eq!(node.get("a"), Some(&Node::Number("3")));
    assert_eq!(node.get("b"), Some(&Node::Number("2")));
    assert_eq!(node.get("c"), None);
    assert!(node.has_duplicate_keys());
    assert_eq!(node.to_value().to_string(), r#"{"a":3,"b":2}"#);

    // A duplicate spelled with an escape is still a duplicate.
    let node = ok(br#"{"a":1,"\u0061":{"x":[]}}"#);
    assert_eq!(node.get("a").unwrap().kind(), "object");
    assert!(node.has_duplicate_keys());

    // Anywhere in the tree, and in objects big enough to be sorted rather than compared pairwise.
    assert!(ok(br#"[1,{"k":[{"x":1,"x":2}]}]"#).has_duplicate_keys());
    let big: Vec<String> = (0..40).map(|i| format!("\"k{i}\":{i}")).collect();
    let unique = format!("{{{}}}", big.join(","));
    assert!(!ok(unique.as_bytes()).has_duplicate_keys());
    let twice = format!("{{{},\"k7\":null}}", big.join(","));
    let node = ok(twice.as_bytes());
    assert!(node.has_duplicate_keys());
    assert_eq!(node.get("k7"), Some(&Node::Null));
    assert!(!ok(br#"{"a":{"a":{"a":1}},"b":[{"a":1},{"a":2}]}"#).has_duplicate_keys());
}

#[test]
fn accessors() {
    let node = ok(br#"{"s":"x","n":-1.5,"b":false,"z":null,"a":[1],"o":{}}"#);
    assert_eq!(node.kind(), "object");
    assert_eq!(node.get("s").unwrap().as_str(), Some("x"));
    assert_eq!(node.get("n").unwrap().as_number(), Some("-1.5"));
    assert_eq!(node.get("b").unwrap().as_bool(), Some(false));
    assert!(node.get("z").unwrap().is_null());
    assert_eq!(
        node.get("a").unwrap().as_array(),
        Some(&[Node::Number("1")][..])
    );
    assert_eq!(node.get("o").unwrap().as_object(), Some(&[][..]));
    let kinds: Vec<&str> = node
        .as_object()
        .unwrap()
        .iter()
        .map(|(_, v)| v.kind())
        .collect();
    assert_eq!(
        kinds,
        ["string", "number", "boolean", "null", "array", "object"]
    );
    assert_eq!(node.get("s").unwrap().as_number(), None);
    assert_eq!(node.get("n").unwrap().as_str(), None);
    assert_eq!(node.get("a").unwrap().get("x"), None);
    assert_eq!(Node::Null.as_array(), None);
    assert_eq!(Node::Bool(true).as_object(), None);
    assert_eq!(Node::Null.as_bool(), None);
    // Only a hand-built tree can hold a number that is not JSON number text.
    assert_eq!(Node::Number("1.").to_value(), Value::Null);
}

#[test]
fn errors_say_where() {
    let e = parse(b"[1, 2, x]").unwrap_err();
    assert_eq!((e.kind(), e.offset()), (ParseErrorKind::UnexpectedByte, 7));
    assert_eq!(e.to_string(), "unexpected character at byte 7");
    let e = parse(b"\"ab\xff\"").unwrap_err();
    assert_eq!((e.kind(), e.offset()), (ParseErrorKind::InvalidUtf8, 3));
}

#[test]
fn a_document_starts_clean_after_one_refused_midway() {
    // A refused document leaves its open containers' entries in the thread's scratch vectors;
    // the next document must not see them.
    for broken in [
        &br#"{"a":[1,{"b":"c","d":[true"#[..],
        br#"[[["x",{"k":"v","w":"#,
        br#"{"a":{"b":{"c":1}},"d":[1,2,x]}"#,
    ] {
        refused(broken);
        let node = ok(br#"{"x":[1,{"y":"z"}],"w":{}}"#);
        assert_eq!(
            node.to_value(),
            serde_json::json!({"x": [1, {"y": "z"}], "w": {}})
        );
        assert_eq!(ok(b"[]"), Node::Array(Vec::new()));
    }
}

#[test]
fn a_huge_document_does_not_keep_its_scratch_room() {
    let wide = format!("[{}1]", "1,".repeat(5 * MAX_KEPT));
    ok(wide.as_bytes());
    let (elems, entries) = SCRATCH.take();
    assert!(elems.capacity() <= MAX_KEPT && entries.capacity() <= MAX_KEPT);
    ok(br#"{"a":[1,2]}"#);
    let (elems, entries) = SCRATCH.take();
    assert!(elems.capacity() >= 16 && entries.capacity() >= 64);
}

// ---------------------------------------------------------------------------------------------
// serde_json's private tokens.

#[test]
fn the_number_token_is_read_as_serde_json_reads_it() {
    let n = NUMBER_TOKEN;
    for (text, kept) in [
        (format!(r#"{{"{n}":"1"}}"#), "1"),
        (format!(r#"{{"{n}":"1E5"}}"#), "1e+5"),
        (format!(r#"{{"{n}":"\u0031"}}"#), "1"),
        (format!(r#"{{ "{n}" : "-0.5e-3" }}"#), "-0.5e-3"),
        (
            r#"{"$serde_json::private::Numbe\u0072":"2"}"#.to_string(),
            "2",
        ),
        (format!(r#"[{{"{n}":"7"}}]"#), "[7]"),
        (
            format!(r#"{{"a":1,"{n}":"1"}}"#),
            r#"{"$serde_json::private::Number":"1","a":1}"#,
        ),
    ] {
        let node = ok(text.as_bytes());
        assert_eq!(node.to_value().to_string(), kept, "{text}");
    }
    // The tree keeps the object as written.
    let text = format!(r#"{{"{n}":"1"}}"#);
    assert_eq!(ok(text.as_bytes()).get(n).and_then(Node::as_str), Some("1"));
    for text in [
        format!(r#"{{"{n}":"1","a":2}}"#),
        format!(r#"{{"{n}":"1",}}"#),
        format!(r#"{{"{n}":1}}"#),
        format!(r#"{{"{n}":null}}"#),
        format!(r#"{{"{n}":{{}}}}"#),
        format!(r#"{{"{n}":" 1"}}"#),
        format!(r#"{{"{n}":"1 "}}"#),
        format!(r#"{{"{n}":"01"}}"#),
        format!(r#"{{"{n}":""}}"#),
        format!(r#"{{"{n}"}}"#),
        format!(r#"{{"{n}":"1""#),
    ] {
        refused(text.as_bytes());
    }
    // The object still counts towards the depth.
    let at = |depth: usize| {
        "[".repeat(depth - 1) + &format!(r#"{{"{n}":"1"}}"#) + &"]".repeat(depth - 1)
    };
    ok(at(MAX_DEPTH).as_bytes());
    refused(at(MAX_DEPTH + 1).as_bytes());
}

#[test]
fn the_raw_value_token_follows_the_build() {
    // Whether the token is live depends on serde_json's `raw_value` feature in this build (in
    // this crate's tests, axum turns it on through the sandbox); `agree` holds either way.
    let r = RAW_VALUE_TOKEN;
    let n = NUMBER_TOKEN;
    let inner = nested_arrays(MAX_DEPTH);
    for text in [
        format!(r#"{{"{r}":"[1, 2]"}}"#),
        format!(r#"{{"{r}":" [1] "}}"#),
        format!(r#"{{"{r}":"[1,]"}}"#),
        format!(r#"{{"{r}":"1","a":2}}"#),
        format!(r#"{{"{r}":1}}"#),
        format!(r#"{{"{r}":"1E2"}}"#),
        format!(r#"{{"{r}":""}}"#),
        format!(r#"{{"{r}":"{{\"{n}\":\"3\"}}"}}"#),
        format!(r#"{{"{r}":"{{\"{r}\":\"[true]\"}}"}}"#),
        format!(r#"{{"a":0,"{r}":"[1]"}}"#),
        // The document inside starts a fresh depth count, as in serde_json.
        "[".repeat(MAX_DEPTH - 1) + &format!(r#"{{"{r}":"{inner}"}}"#) + &"]".repeat(MAX_DEPTH - 1),
    ] {
        agree(text.as_bytes());
    }
}

// ---------------------------------------------------------------------------------------------
// Generated documents.

/// A JSON value to render, with the choices of spelling serde_json must not care about.
#[derive(Debug, Clone)]
enum Doc {
    Null,
    Bool(bool),
    Number(String),
    String(Vec<Piece>),
    Array(Vec<Doc>),
    Object(Vec<(Vec<Piece>, Doc)>),
}

/// One character of a string and how to spell it.
#[derive(Debug, Clone)]
enum Piece {
    /// As itself (raw control characters included, which must be refused).
    Raw(char),
    /// As a short escape if it has one, else as `\u` escape(s).
    Short(char),
    /// As `\u` escape(s), upper or lower case hex.
    Unicode(char, bool),
    /// A surrogate escape on its own, which must be refused.
    LoneSurrogate(u16),
}

fn piece() -> impl Strategy<Value = Piece> {
    let interesting = prop::sample::select(vec![
        'a',
        'Z',
        '0',
        ' ',
        '"',
        '\\',
        '/',
        '\u{0}',
        '\n',
        '\t',
        '\u{1f}',
        '\u{7f}',
        'é',
        '€',
        '\u{2028}',
        '\u{feff}',
        '😀',
        '\u{10ffff}',
    ]);
    let c = prop_oneof![4 => "[a-z0-9 ]", 1 => any::<char>().prop_map(String::from)]
        .prop_map(|s| s.chars().next().unwrap_or('a'));
    let c = prop_oneof![3 => c, 2 => interesting];
    prop_oneof![
        12 => c.clone().prop_map(|c| {
            // Spelled so that the string stays valid: only the generated escapes may break it.
            if c == '"' || c == '\\' || c < ' ' {
                Piece::Short(c)
            } else {
                Piece::Raw(c)
            }
        }),
        2 => c.clone().prop_map(Piece::Short),
        2 => (c.clone(), any::<bool>()).prop_map(|(c, upper)| Piece::Unicode(c, upper)),
        1 => c.prop_map(Piece::Raw),
        1 => (0xD800u16..=0xDFFF).prop_map(Piece::LoneSurrogate),
    ]
}

fn string_pieces() -> impl Strategy<Value = Vec<Piece>> {
    prop::collection::vec(piece(), 0..12)
}

fn key() -> impl Strategy<Value = Vec<Piece>> {
    let known = prop::sample::select(vec!["a", "b", "a", "items", NUMBER_TOKEN, RAW_VALUE_TOKEN])
        .prop_map(|k| k.chars().map(Piece::Raw).collect());
    prop_oneof![6 => known, 3 => string_pieces()]
}

fn number() -> impl Strategy<Value = String> {
    let int = prop_oneof!["0", "[1-9][0-9]{0,25}"];
    let frac = prop_oneof![2 => Just(String::new()), 1 => "\\.[0-9]{1,20}"];
    let exp = prop_oneof![2 => Just(String::new()), 1 => "[eE][+-]?[0-9]{1,4}"];
    (any::<bool>(), int, frac, exp)
        .prop_map(|(neg, i, f, e)| format!("{}{i}{f}{e}", if neg { "-" } else { "" }))
}

fn doc() -> impl Strategy<Value = Doc> {
    let leaf = prop_oneof![
        Just(Doc::Null),
        any::<bool>().prop_map(Doc::Bool),
        number().prop_map(Doc::Number),
        string_pieces().prop_map(Doc::String),
        // The private tokens' values: strings that are numbers or JSON texts.
        number().prop_map(|n| Doc::String(n.chars().map(Piece::Raw).collect())),
        prop::sample::select(vec!["[1]", " {} ", "[1,]", "\"x\""])
            .prop_map(|t| Doc::String(t.chars().map(Piece::Short).collect())),
    ];
    leaf.prop_recursive(5, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(Doc::Array),
            prop::collection::vec((key(), inner), 0..8).prop_map(Doc::Object),
        ]
    })
}

struct Renderer<'w> {
    out: Vec<u8>,
    ws: &'w [u8],
    next: usize,
}

impl Renderer<'_> {
    /// Whitespace between tokens, mostly none, drawn from the generated choices in turn.
    fn space(&mut self) {
        if self.ws.is_empty() {
            return;
        }
        let choice = self.ws[self.next % self.ws.len()];
        self.next += 1;
        let text: &[u8] = match choice % 16 {
            0 => b" ",
            1 => b"\t",
            2 => b"\n",
            3 => b"\r\n",
            4 => b"  \t ",
            _ => b"",
        };
        self.out.extend_from_slice(text);
    }

    fn string(&mut self, pieces: &[Piece]) {
        self.out.push(b'"');
        for p in pieces {
            match p {
                Piece::Raw(c) => self
                    .out
                    .extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes()),
                Piece::Short(c) => match c {
                    '"' => self.out.extend_from_slice(b"\\\""),
                    '\\' => self.out.extend_from_slice(b"\\\\"),
                    '/' => self.out.extend_from_slice(b"\\/"),
                    '\u{8}' => self.out.extend_from_slice(b"\\b"),
                    '\u{c}' => self.out.extend_from_slice(b"\\f"),
                    '\n' => self.out.extend_from_slice(b"\\n"),
                    '\r' => self.out.extend_from_slice(b"\\r"),
                    '\t' => self.out.extend_from_slice(b"\\t"),
                    c if *c < ' ' => self.unicode(*c, false),
                    c => self
                        .out
                        .extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes()),
                },
                Piece::Unicode(c, upper) => self.unicode(*c, *upper),
                Piece::LoneSurrogate(u) => {
                    self.out.extend_from_slice(format!("\\u{u:04x}").as_bytes())
                }
            }
        }
        self.out.push(b'"');
    }

    fn unicode(&mut self, c: char, upper: bool) {
        for unit in c.encode_utf16(&mut [0; 2]) {
            let text = if upper {
                format!("\\u{unit:04X}")
            } else {
                format!("\\u{unit:04x}")
            };
            self.out.extend_from_slice(text.as_bytes());
        }
    }

    fn doc(&mut self, doc: &Doc) {
        match doc {
            Doc::Null => self.out.extend_from_slice(b"null"),
            Doc::Bool(b) => self
                .out
                .extend_from_slice(if *b { b"true" } else { b"false" }),
            Doc::Number(n) => self.out.extend_from_slice(n.as_bytes()),
            Doc::String(pieces) => self.string(pieces),
            Doc::Array(items) => {
                self.out.push(b'[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        self.out.push(b',');
                    }
                    self.space();
                    self.doc(item);
                    self.space();
                }
                self.space();
                self.out.push(b']');
            }
            Doc::Object(entries) => {
                self.out.push(b'{');
                for (i, (key, value)) in entries.iter().enumerate() {
                    if i > 0 {
                        self.out.push(b',');
                    }
                    self.space();
                    self.string(key);
                    self.space();
                    self.out.push(b':');
                    self.space();
                    self.doc(value);
                    self.space();
                }
                self.space();
                self.out.push(b'}');
            }
        }
    }
}

fn render(doc: &Doc, ws: &[u8]) -> Vec<u8> {
    let mut r = Renderer {
        out: Vec::new(),
        ws,
        next: 0,
    };
    r.space();
    r.doc(doc);
    r.space();
    r.out
}

/// A change to a rendered document, most of which make it invalid.
#[derive(Debug, Clone)]
enum Mutation {
    None,
    Flip(prop::sample::Index, u8),
    Truncate(prop::sample::Index),
    Insert(prop::sample::Index, u8),
    Delete(prop::sample::Index),
    Duplicate(prop::sample::Index, prop::sample::Index),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let byte = prop_oneof![
        3 => prop::sample::select(
            b"{}[]\",:0123456789-+.eE \t\n\\u/tfnrl\x00\x1f\x7f\xc3\xa9\xff\xed".to_vec()
        ),
        1 => any::<u8>(),
    ];
    prop_oneof![
        2 => Just(Mutation::None),
        2 => (any::<prop::sample::Index>(), 1u8..=255).prop_map(|(i, x)| Mutation::Flip(i, x)),
        1 => any::<prop::sample::Index>().prop_map(Mutation::Truncate),
        2 => (any::<prop::sample::Index>(), byte).prop_map(|(i, b)| Mutation::Insert(i, b)),
        1 => any::<prop::sample::Index>().prop_map(Mutation::Delete),
        1 => (any::<prop::sample::Index>(), any::<prop::sample::Index>())
            .prop_map(|(a, b)| Mutation::Duplicate(a, b)),
    ]
}

fn mutate(mut bytes: Vec<u8>, m: &Mutation) -> Vec<u8> {
    if bytes.is_empty() {
        return bytes;
    }
    match m {
        Mutation::None => {}
        Mutation::Flip(i, x) => {
            let i = i.index(bytes.len());
            bytes[i] ^= x;
        }
        Mutation::Truncate(i) => bytes.truncate(i.index(bytes.len())),
        Mutation::Insert(i, b) => bytes.insert(i.index(bytes.len() + 1), *b),
        Mutation::Delete(i) => {
            bytes.remove(i.index(bytes.len()));
        }
        Mutation::Duplicate(a, b) => {
            // A slice of the document pasted elsewhere in it: brackets, keys and commas in odd
            // places.
            let (a, b) = (a.index(bytes.len()), b.index(bytes.len()));
            let piece = bytes[a.min(b)..a.max(b)].to_vec();
            let at = a.max(b);
            bytes.splice(at..at, piece);
        }
    }
    bytes
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 4096, ..ProptestConfig::default() })]

    #[test]
    fn generated_documents_agree_with_serde_json(
        doc in doc(),
        ws in prop::collection::vec(any::<u8>(), 0..32),
        mutations in prop::collection::vec(mutation(), 0..3),
    ) {
        let rendered = render(&doc, &ws);
        agree(&rendered);
        let mut bytes = rendered;
        for m in &mutations {
            bytes = mutate(bytes, m);
            agree(&bytes);
        }
    }

    #[test]
    fn near_json_bytes_agree_with_serde_json(
        bytes in prop::collection::vec(
            prop_oneof![
                8 => prop::sample::select(b"{}[]\",:0123456789-+.eE \\u0aAfdtrnlsu".to_vec()),
                1 => any::<u8>(),
            ],
            0..48,
        ),
    ) {
        agree(&bytes);
    }

    #[test]
    fn arbitrary_bytes_agree_with_serde_json(bytes in prop::collection::vec(any::<u8>(), 0..64)) {
        agree(&bytes);
    }
}
