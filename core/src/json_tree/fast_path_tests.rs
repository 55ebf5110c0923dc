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
