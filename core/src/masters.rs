//! NIC master data: state codes, PIN-prefix ranges, UQC unit codes and the GST rate list.
//!
//! The data lives in `schemas/masters/*.json`, not in Rust literals, because NIC changes it (new
//! rate slabs, new state codes) and a data change should not need a code change (DESIGN.md
//! section 2). The files are compiled into the library and parsed once per process, on first use.
//! They are checked by this module's tests, so a broken file fails the build's tests rather than a
//! user's call; should one ever fail to parse at run time, its lookups come back empty instead of
//! panicking.

use std::str::FromStr;
use std::sync::OnceLock;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

const STATES_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/masters/states.json"));
const PIN_PREFIXES_JSON: &str =
    include_str!(concat!(env!("OUT_DIR"), "/masters/pin-prefixes.json"));
const UQC_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/masters/uqc.json"));
const GST_RATES_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/masters/gst-rates.json"));

/// What a state code stands for (`kind` in `states.json`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum StateKind {
    /// A state.
    State,
    /// A union territory.
    UnionTerritory,
    /// Outside India: 96 "Other Countries" (e-invoice) and 99 (e-way bill, unverified).
    OutsideIndia,
    /// 97 "Other Territory".
    OtherTerritory,
}

/// One entry of NIC's state master (nic-rules B.4, C.10).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct State {
    /// Two-digit code, e.g. `"29"`.
    pub code: String,
    /// Name, e.g. `"Karnataka"`.
    pub name: String,
    /// Short code, e.g. `"KA"`, where the source gives one.
    pub short_code: Option<String>,
    /// State, union territory, outside India, other territory.
    pub kind: StateKind,
    /// A code kept for old documents (25, before the merger into 26).
    pub legacy: bool,
    /// Accepted by the IRP (`Stcd`, `Pos`).
    pub einvoice: bool,
    /// Accepted by the e-way bill system.
    pub ewaybill: bool,
    /// Confirmed against an official source.
    pub verified: bool,
}

/// Whether a PIN code may belong to a state, by its first three digits (nic-rules B.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum PinCheck {
    /// The PIN falls in one of the state's ranges (ranges overlap, so this is "may belong").
    MayBelong,
    /// The state has ranges and the PIN is in none of them: NIC answers 2178.
    DoesNotBelong,
    /// Nothing can be concluded: the state has no data (Telangana, Ladakh, legacy 25) or is
    /// unknown (reported by the state-code rule instead).
    NoData,
}

/// One UQC unit (NIC unit master).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Unit {
    /// The code, e.g. `"NOS"`.
    pub code: String,
    /// What it measures.
    pub description: String,
}

#[derive(Debug, Default, Deserialize)]
struct StatesFile {
    states: Vec<State>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct PinFile {
    states: Vec<PinState>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct PinState {
    state_code: String,
    status: String,
    #[serde(default)]
    ranges: Vec<PinRange>,
    #[serde(default)]
    pins: Vec<u32>,
}

#[derive(Debug, Deserialize)]
struct PinRange {
    from: u32,
    to: u32,
}

#[derive(Debug, Default, Deserialize)]
struct UqcFile {
    units: Vec<Unit>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct RatesFile {
    rates: Vec<RateEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct RateEntry {
    rate: String,
    status: String,
    #[serde(default)]
    default_enabled: Option<bool>,
}

struct Masters {
    states: Vec<State>,
    pins: Vec<PinState>,
    units: Vec<Unit>,
    /// Each unit's code in upper case, as a [`unit_key`], with its position in `units`, sorted: a
    /// unit is looked up for every item of every document, and the master has dozens.
    unit_index: Vec<(u128, usize)>,
    /// Codes longer than a [`unit_key`] holds, which only a scan finds.
    long_units: bool,
    rates: Vec<Decimal>,
    /// `rates` as [`rate_units`], if every one has few enough decimals for it.
    rate_units: Option<Vec<i64>>,
    all_rates: Vec<Decimal>,
    /// Position in `states` of each two-digit code `00`-`99`, [`NONE`] where the master has none:
    /// states are looked up several times per document.
    state_index: [u16; 100],
    /// Position in `pins` of the first entry of each two-digit code, [`NONE`] where none.
    pin_index: [u16; 100],
}

/// No entry in an index by two-digit code.
const NONE: u16 = u16::MAX;

/// The number of a two-digit code (`"07"` is 7), if it is two ASCII digits.
fn two_digits(code: &str) -> Option<usize> {
    match code.as_bytes() {
        [a @ b'0'..=b'9', b @ b'0'..=b'9'] => {
            Some(usize::from(a - b'0') * 10 + usize::from(b - b'0'))
        }
        _ => None,
    }
}

/// Positions by two-digit code of the first entry with each code. Codes of another form are not
/// indexed, and are not what [`two_digits`] sends to the index either.
fn index_by_code<'a>(codes: impl Iterator<Item = &'a str>) -> [u16; 100] {
    let mut index = [NONE; 100];
    for (i, code) in codes.enumerate() {
        if let (Some(n), Ok(at)) = (two_digits(code), u16::try_from(i)) {
            if index[n] == NONE && at != NONE {
                index[n] = at;
            }
        }
    }
    index
}

/// A unit code of at most 15 bytes, in upper case, as one integer: the bytes from the most
/// significant end, then the length, so that keys order as the codes do and no two codes share
/// one. Comparing two integers is a fraction of comparing two strings.
fn unit_key(code: &[u8]) -> Option<u128> {
    if code.len() > 15 {
        return None;
    }
    let mut bytes = [0u8; 16];
    // One loop that copies and upper-cases: a `copy_from_slice` is a `memory.copy` call in WASM.
    for (to, from) in bytes.iter_mut().zip(code) {
        *to = from.to_ascii_uppercase();
    }
    bytes[15] = code.len() as u8;
    Some(u128::from_be_bytes(bytes))
}

fn masters() -> &'static Masters {
    static MASTERS: OnceLock<Masters> = OnceLock::new();
    MASTERS.get_or_init(|| {
        let states: StatesFile = serde_json::from_str(STATES_JSON).unwrap_or_default();
        let pins: PinFile = serde_json::from_str(PIN_PREFIXES_JSON).unwrap_or_default();
        let units: UqcFile = serde_json::from_str(UQC_JSON).unwrap_or_default();
        let rates: RatesFile = serde_json::from_str(GST_RATES_JSON).unwrap_or_default();
        // The 40 % slab is in the file but off by default: whether the IRP's master has it is
        // unverified (nic-rules B.2), so it takes a rate-list override to allow it.
        let enabled = |r: &RateEntry| r.status == "active" || r.default_enabled == Some(true);
        let mut unit_index: Vec<(u128, usize)> = units
            .units
            .iter()
            .enumerate()
            .filter_map(|(i, u)| Some((unit_key(u.code.as_bytes())?, i)))
            .collect();
        unit_index.sort();
        let long_units = unit_index.len() != units.units.len();
        let state_index = index_by_code(states.states.iter().map(|s| s.code.as_str()));
        let pin_index = index_by_code(pins.states.iter().map(|p| p.state_code.as_str()));
        let enabled_rates: Vec<Decimal> = rates
            .rates
            .iter()
            .filter(|r| enabled(r))
            .filter_map(|r| Decimal::from_str(&r.rate).ok())
            .collect();
        Masters {
            rate_units: enabled_rates.iter().map(|r| rate_units(*r)).collect(),
            state_index,
            pin_index,
            long_units,
            states: states.states,
            pins: pins.states,
            units: units.units,
            unit_index,
            rates: enabled_rates,
            all_rates: rates
                .rates
                .iter()
                .filter_map(|r| Decimal::from_str(&r.rate).ok())
                .collect(),
        }
    })
}

/// Writes a one-digit state code the way the master does (`"7"` as `"07"`); NIC's `Stcd`
/// pattern allows both forms.
pub fn normalize_state_code(code: &str) -> std::borrow::Cow<'_, str> {
    if code.len() == 1 && code.as_bytes()[0].is_ascii_digit() {
        std::borrow::Cow::Owned(format!("0{code}"))
    } else {
        std::borrow::Cow::Borrowed(code)
    }
}

/// Every state of the master, in code order.
pub fn states() -> &'static [State] {
    &masters().states
}

/// The state with this code (`"29"`, or `"7"` for `"07"`), if the master has it.
pub fn state(code: &str) -> Option<&'static State> {
    let code = normalize_state_code(code);
    let m = masters();
    if let Some(n) = two_digits(&code) {
        return m.states.get(usize::from(m.state_index[n]));
    }
    // The master is in code order (a test holds it to that).
    let states = &m.states;
    states
        .binary_search_by(|s| s.code.as_str().cmp(&code))
        .ok()
        .map(|i| &states[i])
}

/// Whether `pin` may belong to the state `state_code`, by the first-three-digit ranges of NIC's
/// master as compiled by india-compliance (nic-rules B.4). The ranges overlap (160 is Punjab and
/// Chandigarh, 403 Maharashtra and Goa), so a match is never proof; a miss is what NIC reports as
/// 2178. States without data never miss. A PIN outside 100000..=999999 belongs nowhere.
pub fn pin_may_belong(pin: u32, state_code: &str) -> PinCheck {
    let code = normalize_state_code(state_code);
    let m = masters();
    let entry = match two_digits(&code) {
        Some(n) => m.pins.get(usize::from(m.pin_index[n])),
        None => m.pins.iter().find(|p| p.state_code == code),
    };
    let Some(entry) = entry else {
        return PinCheck::NoData;
    };
    if entry.pins.contains(&pin) {
        return PinCheck::MayBelong;
    }
    match entry.status.as_str() {
        "ranges" => {
            if !(100_000..=999_999).contains(&pin) {
                return PinCheck::DoesNotBelong;
            }
            let prefix = pin / 1000;
            if entry
                .ranges
                .iter()
                .any(|r| (r.from..=r.to).contains(&prefix))
            {
                PinCheck::MayBelong
            } else {
                PinCheck::DoesNotBelong
            }
        }
        // Addresses abroad have exactly the PINs listed (999999).
        "foreign" => PinCheck::DoesNotBelong,
        _ => PinCheck::NoData,
    }
}

/// Every UQC unit of the master.
pub fn units() -> &'static [Unit] {
    &masters().units
}

/// The UQC unit with this code, compared in upper case (NIC's `Unit` pattern allows lower case;
/// the master's codes are upper case).
pub fn unit(code: &str) -> Option<&'static Unit> {
    let m = masters();
    let scan = || m.units.iter().find(|u| u.code.eq_ignore_ascii_case(code));
    if m.long_units {
        return scan();
    }
    let Some(key) = unit_key(code.as_bytes()) else {
        // No code of the master is this long.
        return None;
    };
    // Equal codes are ordered by position, so this is the first match, as a scan would find.
    let i = m.unit_index.partition_point(|&(k, _)| k < key);
    m.unit_index
        .get(i)
        .filter(|&&(k, _)| k == key)
        .map(|&(_, at)| &m.units[at])
}

/// The GST rates (`GstRt`, percent) the IRP accepts by default (2240): the master's active rates.
/// Slabs marked configurable and off by default (40 %) are left out.
pub fn gst_rates() -> &'static [Decimal] {
    &masters().rates
}

/// Every rate in the master file, including the slabs that are off by default.
pub fn all_gst_rates() -> &'static [Decimal] {
    &masters().all_rates
}

/// Whether `rate` is an allowed GST rate: in `override_rates` when given, else in
/// [`gst_rates`]. Decimals compare by value, so `18`, `18.0` and `18.000` are the same rate.
pub fn is_allowed_gst_rate(rate: Decimal, override_rates: Option<&[Decimal]>) -> bool {
    match override_rates {
        Some(rates) => rates.contains(&rate),
        // The default list, as normalised (mantissa, scale) pairs: equal values normalise alike,
        // and comparing two integers is a fraction of comparing two decimals (this runs on every
        // line of every document).
        None => {
            static KEYS: OnceLock<Vec<(i128, u32)>> = OnceLock::new();
            // Most rates have few decimals: then the rate and the list, all in units of
            // 10^-RATE_SCALE, compare as integers, without normalising the rate.
            if let (Some(list), Some(units)) = (&masters().rate_units, rate_units(rate)) {
                return list.contains(&units);
            }
            let keys = KEYS.get_or_init(|| gst_rates().iter().map(|r| rate_key(*r)).collect());
            keys.contains(&rate_key(rate))
        }
    }
}

/// The most decimals [`rate_units`] takes.
const RATE_SCALE: u32 = 6;

/// `rate` in units of 10^-6, if it has at most 6 decimals and 12 digits: then it is exact and fits
/// an `i64` (at most 10^18), whose comparison is cheaper than an `i128`'s.
fn rate_units(rate: Decimal) -> Option<i64> {
    const POW10: [i64; RATE_SCALE as usize + 1] = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000];
    let scale = rate.scale();
    let m = rate.mantissa();
    if scale > RATE_SCALE || m.unsigned_abs() > 1_000_000_000_000 {
        return None;
    }
    Some(m as i64 * POW10[(RATE_SCALE - scale) as usize])
}

/// `rate` as its normalised mantissa and scale (`18.00` and `18` are both `(18, 0)`).
fn rate_key(rate: Decimal) -> (i128, u32) {
    let n = rate.normalize();
    (n.mantissa(), n.scale())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn master_files_parse() {
        assert!(states().len() >= 38);
        assert!(units().len() >= 40);
        assert!(gst_rates().len() >= 12);
        assert!(all_gst_rates().len() > gst_rates().len());
        assert!(!masters().pins.is_empty());
    }

    #[test]
    fn gst_rates_compare_by_value() {
        let d = |s: &str| Decimal::from_str(s).unwrap();
        for rate in gst_rates() {
            assert!(is_allowed_gst_rate(*rate, None), "{rate}");
            let mut padded = *rate;
            padded.rescale(rate.scale() + 3);
            assert!(is_allowed_gst_rate(padded, None), "{padded}");
        }
        assert!(is_allowed_gst_rate(d("18.00"), None));
        assert!(is_allowed_gst_rate(d("0.0"), None));
        assert!(!is_allowed_gst_rate(d("17"), None));
        assert!(!is_allowed_gst_rate(d("18.01"), None));
        assert!(!is_allowed_gst_rate(d("-18"), None));
        assert!(is_allowed_gst_rate(d("17"), Some(&[d("17.0")])));
        assert!(!is_allowed_gst_rate(d("18"), Some(&[d("17")])));
    }

    #[test]
    fn state_lookup() {
        assert_eq!(state("29").unwrap().name, "Karnataka");
        assert_eq!(state("7").unwrap().code, "07");
        assert_eq!(state("96").unwrap().kind, StateKind::OutsideIndia);
        assert!(state("28").is_none());
        assert!(state("").is_none());
        assert!(!state("99").unwrap().einvoice);
        // `state` searches by halves: the master must be in strict code order.
        assert!(states().windows(2).all(|w| w[0].code < w[1].code));
        for s in states() {
            assert_eq!(state(&s.code).map(|found| &found.name), Some(&s.name));
        }
    }

    #[test]
    fn pins_may_belong() {
        assert_eq!(pin_may_belong(560058, "29"), PinCheck::MayBelong);
        assert_eq!(pin_may_belong(400001, "29"), PinCheck::DoesNotBelong);
        // Overlaps: 160 is Punjab and Chandigarh, 403 Maharashtra and Goa.
        assert_eq!(pin_may_belong(160017, "03"), PinCheck::MayBelong);
        assert_eq!(pin_may_belong(160017, "4"), PinCheck::MayBelong);
        assert_eq!(pin_may_belong(403001, "27"), PinCheck::MayBelong);
        assert_eq!(pin_may_belong(403001, "30"), PinCheck::MayBelong);
        // No data for Telangana: nothing to conclude.
        assert_eq!(pin_may_belong(500001, "36"), PinCheck::NoData);
        assert_eq!(pin_may_belong(999999, "96"), PinCheck::MayBelong);
        assert_eq!(pin_may_belong(400001, "96"), PinCheck::DoesNotBelong);
        assert_eq!(pin_may_belong(999999, "97"), PinCheck::MayBelong);
        assert_eq!(pin_may_belong(999999, "29"), PinCheck::DoesNotBelong);
        assert_eq!(pin_may_belong(56005, "29"), PinCheck::DoesNotBelong);
        assert_eq!(pin_may_belong(560058, "45"), PinCheck::NoData);
    }

    #[test]
    fn units_and_rates() {
        assert!(unit("NOS").is_some());
        assert!(unit("kgs").is_some());
        assert!(unit("XYZ").is_none());
        assert!(unit("").is_none());
        assert!(unit("NOSNOSNOSNOSNOSNOS").is_none());
        for u in units() {
            let lower = u.code.to_ascii_lowercase();
            let first = units().iter().find(|v| v.code.eq_ignore_ascii_case(&lower));
            assert_eq!(unit(&lower).map(|v| &v.code), first.map(|v| &v.code));
            assert!(std::ptr::eq(unit(&u.code).unwrap(), first.unwrap()));
        }
        assert!(is_allowed_gst_rate(Decimal::new(1800, 2), None));
        assert!(is_allowed_gst_rate(Decimal::new(25, 2), None));
        assert!(!is_allowed_gst_rate(Decimal::new(40, 0), None));
        assert!(!is_allowed_gst_rate(Decimal::new(17, 0), None));
        let custom = [Decimal::new(40, 0)];
        assert!(is_allowed_gst_rate(Decimal::new(40, 0), Some(&custom)));
        assert!(!is_allowed_gst_rate(Decimal::new(18, 0), Some(&custom)));
    }

    #[test]
    fn indexes_agree_with_searches() {
        let m = masters();
        let mut codes: Vec<String> = (0..100).map(|n| format!("{n:02}")).collect();
        codes.extend((0..10).map(|n| n.to_string()));
        codes.extend(["", "0", "007", "7a", "a7", "٠٧", "96 ", "+7"].map(String::from));
        for code in &codes {
            let normal = normalize_state_code(code);
            let searched = m
                .states
                .binary_search_by(|s| s.code.as_str().cmp(&normal))
                .ok()
                .map(|i| &m.states[i]);
            assert_eq!(state(code), searched, "{code:?}");
            let scanned = m.pins.iter().position(|p| p.state_code == normal);
            for pin in [999_999, 560_058, 110_001, 403_001, 56_005] {
                let expected = match scanned {
                    None => PinCheck::NoData,
                    Some(_) => pin_may_belong(pin, &m.pins[scanned.unwrap()].state_code),
                };
                assert_eq!(pin_may_belong(pin, code), expected, "{code:?} {pin}");
            }
        }
        assert!(!m.long_units);
    }

    #[test]
    fn unit_keys_tell_codes_apart() {
        assert_eq!(unit_key(b"nos"), unit_key(b"NOS"));
        assert_ne!(unit_key(b"NOS"), unit_key(b"NOS\0"));
        assert_ne!(unit_key(b"NO"), unit_key(b"NO\0"));
        assert!(unit_key(b"NOS") < unit_key(b"NOSA"));
        assert!(unit_key(b"BAG") < unit_key(b"BAL"));
        assert!(unit_key(&[b'A'; 15]).is_some());
        assert!(unit_key(&[b'A'; 16]).is_none());
        assert!(unit("NOS\0").is_none());
        assert!(unit("nOs").is_some());
        assert!(unit("N\u{f6}S").is_none());
        assert!(unit("NOSNOSNOSNOSNOS").is_none());
    }

    #[test]
    fn rates_compare_by_value_at_every_scale() {
        let keys: Vec<(i128, u32)> = gst_rates().iter().map(|r| rate_key(*r)).collect();
        for m in [
            0i64,
            1,
            5,
            10,
            18,
            25,
            180,
            1800,
            18_000,
            250,
            -18,
            1_800_000_000,
            1_000_000_000_000,
            1_000_000_000_001,
            18_000_000_000_000,
            7_500,
        ] {
            for scale in 0..=14 {
                let rate = Decimal::new(m, scale);
                assert_eq!(
                    is_allowed_gst_rate(rate, None),
                    keys.contains(&rate_key(rate)),
                    "{rate}"
                );
            }
        }
        assert!(is_allowed_gst_rate(
            Decimal::from_parts(0, 0, 0, true, 3),
            None
        ));
        assert!(!is_allowed_gst_rate(Decimal::MAX, None));
        // Past the integer comparison's 12 digits, the normalised comparison answers.
        assert!(is_allowed_gst_rate(
            Decimal::new(18_000_000_000_000, 12),
            None
        ));
        assert!(!is_allowed_gst_rate(
            Decimal::new(18_000_000_000_001, 12),
            None
        ));
        assert!(is_allowed_gst_rate(
            Decimal::from_parts(18_000_000, 0, 0, false, 6),
            None
        ));
        assert!(is_allowed_gst_rate(
            Decimal::from_parts(180_000_000, 0, 0, false, 7),
            None
        ));
    }
}
