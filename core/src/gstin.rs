//! GSTINs: which kind a 15-character identifier is, and whether its check character is right.
//!
//! The formats are the seven of nic-rules B.3 (developer.gst.gov.in, as used by india-compliance),
//! matched byte by byte rather than with a regex engine so the check costs nothing and builds for
//! every target. `URP` ("unregistered person") is recognised as a kind of its own: it is what an
//! export's buyer or an unregistered e-way bill party sends instead of a GSTIN. Whether URP is
//! acceptable in a given field is a rule of that field, not of the identifier.
//!
//! The mod-36 check character is on by default and switchable, because NIC's sandbox hands out
//! GSTINs that fail it (`29AWGPV7107B1Z1`, nic-rules B.3). It is never applied to transporter ids:
//! TRANSINs look like GSTINs but may fail it (nic-rules C.13), see [`check_transporter_id`].

use serde::{Deserialize, Serialize};

use crate::finding::Finding;
use crate::masters;

/// The characters of a GSTIN in the order of their mod-36 value (nic-rules B.3).
const CHARSET: &[u8; 36] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

/// What a GSTIN-shaped identifier is registered as (nic-rules B.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum GstinKind {
    /// A regular (normal) taxpayer: state, PAN, entity number, `Z` (or 1-9, A, B, D-J), check.
    Normal,
    /// A government department's id (state, four letters, five digits, a letter, a digit, `Z`).
    GovernmentDepartment,
    /// A non-resident taxable person (`..NR.`).
    NonResident,
    /// A non-resident online information and database access provider (`99..OS.`).
    Oidar,
    /// A unique identity number of a UN body or embassy (`..UN.` / `..ON.`).
    Uin,
    /// A tax deductor (`D` in the 14th place).
    Tds,
    /// A tax collector: an e-commerce operator (`C` in the 14th place). The only kind an
    /// e-invoice's `EcmGstin` may be (2195).
    Tcs,
    /// `URP`: an unregistered person, e.g. the buyer of an export. Not a GSTIN.
    Unregistered,
}

impl GstinKind {
    /// The kind's name as used in messages.
    pub fn label(self) -> &'static str {
        match self {
            GstinKind::Normal => "normal taxpayer",
            GstinKind::GovernmentDepartment => "government department",
            GstinKind::NonResident => "non-resident taxable person",
            GstinKind::Oidar => "OIDAR provider",
            GstinKind::Uin => "UIN holder",
            GstinKind::Tds => "TDS deductor",
            GstinKind::Tcs => "TCS collector (e-commerce operator)",
            GstinKind::Unregistered => "unregistered person (URP)",
        }
    }
}

/// How to check a GSTIN.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct GstinOptions {
    /// Verify the mod-36 check character (default `true`). Off for NIC's sandbox, whose test
    /// GSTINs fail it (nic-rules B.3, E.4).
    pub check_character: bool,
}

impl Default for GstinOptions {
    fn default() -> Self {
        GstinOptions {
            check_character: true,
        }
    }
}

/// The verdict on one identifier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GstinCheck {
    /// The kind its format matches, if any.
    pub kind: Option<GstinKind>,
    /// The state code in its first two digits (`"29"`), when it has the form of a GSTIN.
    pub state_code: Option<String>,
    /// No error finding.
    pub valid: bool,
    /// What is wrong, with path `""` (the caller knows which field it checked).
    pub findings: Vec<Finding>,
}

/// Checks a GSTIN (or `URP`): its kind by the formats of nic-rules B.3, its state prefix against
/// the state master, and (unless switched off) its mod-36 check character. NIC answers an
/// identifier that is not a registered GSTIN with 3028 "GSTIN is invalid".
pub fn check_gstin(gstin: &str, options: &GstinOptions) -> GstinCheck {
    verdict(gstin, options).into_owned()
}

/// [`GstinCheck`] with the state code borrowed from the identifier: what the rule layer reads
/// for every GSTIN of every document, without a string allocated for each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct GstinVerdict<'a> {
    /// As [`GstinCheck::kind`].
    pub(crate) kind: Option<GstinKind>,
    /// As [`GstinCheck::state_code`].
    pub(crate) state_code: Option<&'a str>,
    /// As [`GstinCheck::valid`].
    pub(crate) valid: bool,
    /// As [`GstinCheck::findings`].
    pub(crate) findings: Vec<Finding>,
}

impl GstinVerdict<'_> {
    fn into_owned(self) -> GstinCheck {
        GstinCheck {
            kind: self.kind,
            state_code: self.state_code.map(str::to_owned),
            valid: self.valid,
            findings: self.findings,
        }
    }
}

/// [`check_gstin`], borrowing the state code.
pub(crate) fn verdict<'a>(gstin: &'a str, options: &GstinOptions) -> GstinVerdict<'a> {
    check(gstin, options.check_character, true, "GSTIN")
}

/// Checks a transporter id (`TransId`, `transporterId`): a GSTIN or a TRANSIN. Same formats, but
/// never the check character, since NIC issues TRANSINs that fail it (nic-rules C.13, e.g.
/// `29AAFCA7488L1Z0`), and no state prefix, since a TRANSIN's first two digits are not a state
/// (`88AAACD8017H1ZX`).
pub fn check_transporter_id(id: &str) -> GstinCheck {
    check(id, false, false, "transporter id").into_owned()
}

/// NIC's schema pattern for a GSTIN: `^[0-9]{2}[0-9A-Z]{13}$`.
fn has_nic_schema_shape(gstin: &str) -> bool {
    let b = gstin.as_bytes();
    b.len() == 15
        && b[..2].iter().all(u8::is_ascii_digit)
        && b[2..]
            .iter()
            .all(|c| c.is_ascii_digit() || c.is_ascii_uppercase())
}

fn check<'a>(
    gstin: &'a str,
    check_character: bool,
    check_state: bool,
    what: &str,
) -> GstinVerdict<'a> {
    if gstin == "URP" {
        return GstinVerdict {
            kind: Some(GstinKind::Unregistered),
            state_code: None,
            valid: true,
            findings: Vec::new(),
        };
    }
    let Some(kind) = kind_of(gstin) else {
        // NIC's sandbox issues test GSTINs such as 36AMBPG7773M002 that fit NIC's schema pattern
        // (two digits, thirteen letters or digits) but none of the registration formats. With the
        // check character off, which is what sandbox mode means, they pass with a warning.
        if !check_character && has_nic_schema_shape(gstin) {
            return GstinVerdict {
                kind: None,
                state_code: Some(&gstin[..2]),
                valid: true,
                findings: vec![Finding::warning(
                    "",
                    "gstin.sandbox_format",
                    format!(
                        "{what} `{gstin}` fits NIC's schema pattern but none of the GSTIN \
                         formats; accepted because the check character is off (NIC sandbox), \
                         production would refuse it (3028)"
                    ),
                )],
            };
        }
        return GstinVerdict {
            kind: None,
            state_code: None,
            valid: false,
            findings: vec![Finding::error(
                "",
                "gstin.format",
                format!(
                    "{what} `{gstin}` matches none of the GSTIN formats (normal, government \
                     department, NRI, OIDAR, UIN, TDS, TCS: 15 upper-case letters and digits)"
                ),
            )
            .with_nic_code("3028")],
        };
    };
    let state_code = &gstin[..2];
    let mut findings = Vec::new();
    // An OIDAR registration is centrally administered under code 99, which no state carries.
    if check_state && kind != GstinKind::Oidar && !is_gstin_state(state_code) {
        findings.push(
            Finding::error(
                "",
                "gstin.state_code",
                format!(
                    "{what} `{gstin}` starts with `{state_code}`, which is not a state code of \
                     the state master"
                ),
            )
            .with_nic_code("3028"),
        );
    }
    if check_character {
        if let Some(expected) = check_character_of(&gstin[..14]) {
            if gstin.as_bytes()[14] != expected as u8 {
                findings.push(
                    Finding::error(
                        "",
                        "gstin.check_character",
                        format!(
                            "{what} `{gstin}` has check character `{}` but its first 14 \
                             characters give `{expected}` (mod-36 check, nic-rules B.3; switch it \
                             off with sandbox mode for NIC's test GSTINs)",
                            char::from(gstin.as_bytes()[14])
                        ),
                    )
                    .with_nic_code("3028"),
                );
            }
        }
    }
    GstinVerdict {
        kind: Some(kind),
        state_code: Some(state_code),
        valid: findings.is_empty(),
        findings,
    }
}

/// A state code a GSTIN can start with: any state or territory of the master, not the
/// "other country" codes (96, and 99 of the e-way bill system).
fn is_gstin_state(code: &str) -> bool {
    masters::state(code).is_some_and(|s| s.kind != masters::StateKind::OutsideIndia)
}

/// The kind whose format `gstin` has, or `None`. Where two formats overlap (a 14th character `D`
/// is allowed by the normal format too) the more specific kind wins: `D` marks a deductor.
pub fn kind_of(gstin: &str) -> Option<GstinKind> {
    let b = gstin.as_bytes();
    if b.len() != 15 {
        return None;
    }
    let digit = |i: usize| b[i].is_ascii_digit();
    let upper = |i: usize| b[i].is_ascii_uppercase();
    let alnum = |i: usize| digit(i) || upper(i);
    let digits = |r: std::ops::Range<usize>| r.into_iter().all(digit);
    let letters = |r: std::ops::Range<usize>| r.into_iter().all(upper);
    let nonzero_alnum = |i: usize| (b[i] != b'0') && alnum(i);

    // ^[0-9]{2}[A-Z]{5}[0-9]{4}[A-Z][1-9A-Z]C[0-9A-Z]$
    let pan_like = digits(0..2) && letters(2..7) && digits(7..11) && upper(11) && nonzero_alnum(12);
    if pan_like && b[13] == b'C' && alnum(14) {
        return Some(GstinKind::Tcs);
    }
    // ^[0-9]{2}[A-Z]{4}[A-Z0-9][0-9]{4}[A-Z][1-9A-Z]D[0-9A-Z]$
    if digits(0..2)
        && letters(2..6)
        && alnum(6)
        && digits(7..11)
        && upper(11)
        && nonzero_alnum(12)
        && b[13] == b'D'
        && alnum(14)
    {
        return Some(GstinKind::Tds);
    }
    // ^99[0-9]{2}[A-Z]{3}[0-9]{5}OS[0-9A-Z]$
    let foreign_body = digits(0..4) && letters(4..7) && digits(7..12) && alnum(14);
    if foreign_body && b[0] == b'9' && b[1] == b'9' && b[12] == b'O' && b[13] == b'S' {
        return Some(GstinKind::Oidar);
    }
    // ^[0-9]{4}[A-Z]{3}[0-9]{5}NR[0-9A-Z]$
    if foreign_body && b[12] == b'N' && b[13] == b'R' {
        return Some(GstinKind::NonResident);
    }
    // ^[0-9]{4}[A-Z]{3}[0-9]{5}[UO]N[A-Z0-9]$
    if foreign_body && matches!(b[12], b'U' | b'O') && b[13] == b'N' {
        return Some(GstinKind::Uin);
    }
    // ^[0-9]{2}[A-Z]{4}[0-9]{5}[A-Z][0-9]Z[0-9]$
    if digits(0..2)
        && letters(2..6)
        && digits(6..11)
        && upper(11)
        && digit(12)
        && b[13] == b'Z'
        && digit(14)
    {
        return Some(GstinKind::GovernmentDepartment);
    }
    // ^[0-9]{2}[A-Z]{5}[0-9]{4}[A-Z][1-9A-Z][Z1-9ABD-J][0-9A-Z]$
    let normal_14th = matches!(b[13], b'Z' | b'1'..=b'9' | b'A' | b'B' | b'D'..=b'J');
    if pan_like && normal_14th && alnum(14) {
        return Some(GstinKind::Normal);
    }
    None
}

/// The mod-36 check character of the first 14 characters of a GSTIN (nic-rules B.3): each
/// character's value (its index in `0-9A-Z`) is multiplied by 1 and 2 alternately from the left,
/// the quotient and remainder of each product by 36 are added up, and the check character is the
/// one that brings the sum to a multiple of 36. `None` if the input is not 14 such characters.
pub fn check_character_of(first14: &str) -> Option<char> {
    let b = first14.as_bytes();
    if b.len() != 14 {
        return None;
    }
    let mut sum: u32 = 0;
    for (i, &c) in b.iter().enumerate() {
        // The index in CHARSET, computed rather than searched for.
        let value = u32::from(match c {
            b'0'..=b'9' => c - b'0',
            b'A'..=b'Z' => c - b'A' + 10,
            _ => return None,
        });
        let product = value * if i % 2 == 0 { 1 } else { 2 };
        sum += product / 36 + product % 36;
    }
    let index = ((36 - sum % 36) % 36) as usize;
    Some(char::from(CHARSET[index]))
}

/// Whether a 15-character GSTIN ends in the right check character.
pub fn has_valid_check_character(gstin: &str) -> bool {
    gstin.len() == 15
        && gstin.is_char_boundary(14)
        && check_character_of(&gstin[..14]).is_some_and(|c| gstin.as_bytes()[14] == c as u8)
}

#[cfg(test)]
mod tests {

    #[test]
    fn nic_sandbox_shapes_pass_only_with_the_check_character_off() {
        let sandbox = GstinOptions {
            check_character: false,
        };
        let c = check_gstin("36AMBPG7773M002", &sandbox);
        assert!(c.valid);
        assert_eq!(c.state_code.as_deref(), Some("36"));
        assert_eq!(c.findings.len(), 1);
        assert_eq!(c.findings[0].code, "gstin.sandbox_format");
        assert_eq!(c.findings[0].severity, crate::finding::Severity::Warning);
        let c = check_gstin("36AMBPG7773M002", &GstinOptions::default());
        assert!(!c.valid);
        assert_eq!(c.findings[0].code, "gstin.format");
        // Not even NIC's schema shape: refused in every mode.
        let c = check_gstin("36ambpg7773m002", &sandbox);
        assert!(!c.valid);
        assert_eq!(c.findings[0].code, "gstin.format");
    }

    use super::*;

    #[test]
    fn known_good_gstins_pass_the_check_character() {
        for g in ["27AAPFU0939F1ZV", "29AAFCC9980M1ZR", "05AAACG2115R1ZN"] {
            let c = check_gstin(g, &GstinOptions::default());
            assert!(c.valid, "{g}: {:?}", c.findings);
            assert_eq!(c.kind, Some(GstinKind::Normal));
            assert_eq!(c.state_code.as_deref(), Some(&g[..2]));
        }
    }

    #[test]
    fn sandbox_gstins_fail_the_check_character_unless_switched_off() {
        for g in ["29AWGPV7107B1Z1", "29ABCDE1234F1Z5", "27FGHIJ5678K1Z2"] {
            let c = check_gstin(g, &GstinOptions::default());
            assert!(!c.valid, "{g}");
            assert_eq!(c.findings.len(), 1);
            assert_eq!(c.findings[0].code, "gstin.check_character");
            let off = check_gstin(
                g,
                &GstinOptions {
                    check_character: false,
                },
            );
            assert!(off.valid, "{g}");
        }
    }

    #[test]
    fn transporter_ids_are_never_checksummed() {
        assert!(!has_valid_check_character("29AAFCA7488L1Z0"));
        assert!(check_transporter_id("29AAFCA7488L1Z0").valid);
        assert!(check_transporter_id("88AAACD8017H1ZX").valid);
    }

    #[test]
    fn kinds() {
        for (g, kind) in [
            ("29AAFCC9980M1ZR", GstinKind::Normal),
            ("07DELS12345A1Z5", GstinKind::GovernmentDepartment),
            ("0717ABC12345NR1", GstinKind::NonResident),
            ("9917SGP29001OSG", GstinKind::Oidar),
            ("0717UNO12345UN1", GstinKind::Uin),
            ("29BLRA12345B1D7", GstinKind::Tds),
            ("29AAFCC9980M1CR", GstinKind::Tcs),
            ("URP", GstinKind::Unregistered),
        ] {
            let c = check_gstin(
                g,
                &GstinOptions {
                    check_character: false,
                },
            );
            assert_eq!(c.kind, Some(kind), "{g}");
        }
        for bad in [
            "",
            "29AAFCC9980M1Z",
            "29aafcc9980m1zr",
            "29AAFCC9980M0ZR",
            "ABAAFCC9980M1ZR",
            "29AAFCC9980M1ZR1",
            "२९AAFCC9980M1Z",
        ] {
            let c = check_gstin(bad, &GstinOptions::default());
            assert_eq!(c.kind, None, "{bad}");
            assert_eq!(c.findings[0].code, "gstin.format");
        }
    }

    #[test]
    fn unknown_state_prefix() {
        let c = check_gstin(
            "45AAFCC9980M1ZR",
            &GstinOptions {
                check_character: false,
            },
        );
        assert_eq!(c.findings[0].code, "gstin.state_code");
    }

    #[test]
    fn check_character_examples() {
        assert_eq!(check_character_of("27AAPFU0939F1Z"), Some('V'));
        assert_eq!(check_character_of("27AAPFU0939F1"), None);
        assert_eq!(check_character_of("27aapfu0939f1z"), None);
    }

    #[test]
    fn check_character_values_are_charset_positions() {
        for c in 0..=255u8 {
            let mut first14 = *b"27AAPFU0939F1Z";
            first14[3] = c;
            let Ok(text) = std::str::from_utf8(&first14) else {
                continue;
            };
            let expected = CHARSET.iter().position(|&x| x == c).map(|_| {
                let mut sum = 0;
                for (i, &b) in first14.iter().enumerate() {
                    let value = CHARSET.iter().position(|&x| x == b).unwrap() as u32;
                    let product = value * if i % 2 == 0 { 1 } else { 2 };
                    sum += product / 36 + product % 36;
                }
                char::from(CHARSET[((36 - sum % 36) % 36) as usize])
            });
            assert_eq!(check_character_of(text), expected, "{c}");
        }
    }
}
