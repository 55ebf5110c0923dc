//! The word-at-a-time scanners held against the plain byte-at-a-time reading they stand for, on
//! edge inputs and on arbitrary bytes. The contract tests (`tests.rs`) see the scanners only
//! through whole documents; these look at every offset and byte value a word can hold.

use proptest::prelude::*;

use super::*;

/// The plain reading [`scan_plain`] must agree with: one [`STOP`] lookup per byte.
fn stop_bytewise(b: &[u8], i: usize) -> usize {
    b[i..]
        .iter()
        .position(|&c| STOP[usize::from(c)])
        .map_or(b.len(), |k| i + k)
}

/// Bytes next to the stop bytes' values, where a borrow or an off-by-one in the word tests would
/// show.
const NEIGHBOURS: [u8; 14] = [
    b'a', b' ', b'!', b'#', 0x1f, 0x20, 0x21, 0x5b, 0x5d, 0x7f, 0x80, 0xa2, 0xdc, 0xff,
];

#[test]
fn the_word_scan_finds_every_stop_byte_where_a_byte_scan_does() {
    for filler in NEIGHBOURS {
        for len in 0..20 {
            for stop in 0..=u8::MAX {
                for after in [filler, stop, 0x00, b'"', b'\\'] {
                    let mut b = vec![filler; len];
                    b.push(stop);
                    b.push(after);
                    b.extend_from_slice(&[filler; 9]);
                    for start in 0..=b.len() {
                        assert_eq!(
                            scan_plain(&b, start),
                            stop_bytewise(&b, start),
                            "{b:?} from {start}"
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn the_word_scan_is_exact_on_each_byte_of_a_word() {
    // Every byte value alone in every lane, and in every lane above a stop byte.
    for lane in 0..8 {
        for value in 0..=u8::MAX {
            let mut word = [b'a'; 8];
            word[lane] = value;
            let expected = if STOP[usize::from(value)] { lane } else { 8 };
            assert_eq!(scan_plain(&word, 0), expected, "{word:?}");
            let mut word = [value; 8];
            word[lane] = b'"';
            let expected = word.iter().position(|&c| STOP[usize::from(c)]).unwrap();
            assert_eq!(scan_plain(&word, 0), expected, "{word:?}");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 4096, ..ProptestConfig::default() })]

    #[test]
    fn the_word_scan_agrees_with_a_byte_scan(
        b in prop::collection::vec(
            prop_oneof![
                4 => prop::sample::select(NEIGHBOURS.to_vec()),
                1 => prop::sample::select(b"\"\\\x00\x01\x1f".to_vec()),
                2 => any::<u8>(),
            ],
            0..40,
        ),
        start in 0usize..40,
    ) {
        let start = start.min(b.len());
        prop_assert_eq!(scan_plain(&b, start), stop_bytewise(&b, start));
    }
}

/// Where the parser has a number's integer part start: after its minus sign, if it has one.
fn after_minus(b: &[u8], start: usize) -> usize {
    start + usize::from(b.get(start) == Some(&b'-'))
}

/// Asserts that [`short_number_end`], where it answers, says what [`number_end`] says, and
/// returns its answer.
fn short_agrees(b: &[u8], start: usize) -> Option<usize> {
    let short = short_number_end(b, after_minus(b, start));
    if let Some(end) = short {
        assert_eq!(
            number_end(b, start),
            Ok(end),
            "{:?} from {start}",
            String::from_utf8_lossy(b)
        );
    }
    short
}

#[test]
fn the_digit_word_test_is_exact_on_each_byte_of_a_word() {
    for lane in 0..8 {
        for value in 0..=u8::MAX {
            for filler in [b'0', b'9', value] {
                let mut word = [filler; 8];
                word[lane] = value;
                let run = word.iter().take_while(|c| c.is_ascii_digit()).count();
                let expected = (run < 8).then_some(run);
                assert_eq!(digit_run(&word, 0), expected, "{word:?}");
            }
        }
    }
    // Fewer than eight bytes: left to the byte loop.
    assert_eq!(digit_run(b"1234567", 0), None);
    assert_eq!(digit_run(b"12345678", 1), None);
}

#[test]
fn the_short_number_path_agrees_with_the_grammar_on_edge_numbers() {
    let numbers = [
        "0",
        "-0",
        "00",
        "01",
        "-01",
        "-",
        "--1",
        "-a",
        "1",
        "9",
        "10",
        "1.",
        "1.5",
        "0.5",
        "-0.5",
        "1.e5",
        "1e5",
        "1E+5",
        "1e-5",
        "1.5e5",
        ".5",
        "1234567",
        "12345678",
        "123456789",
        "0.1234567",
        "0.12345678",
        "1.1234567",
        "1234567.1234567",
        "15999.99",
        "5000.0",
        "560058",
        "1.2.3",
        "1..2",
        "0x1",
        "1a",
        "-1234567",
        "-12345678",
    ];
    let tails = [
        "", ",", "}", "]", " ", ".", ".5", "e", "E5", "x", "0", "\u{e9}",
    ];
    for number in numbers {
        for tail in tails {
            for pad in ["", "        ", "}}}}}}}}}}}}}}}}"] {
                let text = format!("{number}{tail}{pad}");
                short_agrees(text.as_bytes(), 0);
                let text = format!("[{number}{tail}{pad}");
                short_agrees(text.as_bytes(), 1);
            }
        }
    }
}

#[test]
fn the_short_number_path_takes_an_invoices_numbers() {
    for number in [
        "4", "15999.99", "0.5", "-12.25", "560058", "5000.0", "18", "0",
    ] {
        let text = format!("{number},\"x\":1}}");
        assert_eq!(
            short_agrees(text.as_bytes(), 0),
            Some(number.len()),
            "{number}"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 4096, ..ProptestConfig::default() })]

    #[test]
    fn the_short_number_path_agrees_with_number_end(
        b in prop::collection::vec(
            prop_oneof![
                8 => prop::sample::select(b"0123456789".to_vec()),
                3 => prop::sample::select(b"-+.eE,}] x".to_vec()),
                1 => any::<u8>(),
            ],
            0..24,
        ),
        start in 0usize..4,
    ) {
        let start = start.min(b.len());
        if let Some(end) = short_number_end(&b, after_minus(&b, start)) {
            prop_assert_eq!(number_end(&b, start), Ok(end));
        }
    }
}
