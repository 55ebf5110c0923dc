//! Dates, times and the Indian financial year.
//!
//! NIC works in Indian Standard Time (UTC+05:30, no daylight saving), so IST is a fixed offset.
//! The API speaks ISO dates (`YYYY-MM-DD`) and RFC 3339 timestamps; NIC speaks `dd/mm/yyyy`
//! dates, `yyyy-MM-dd HH:mm:ss` timestamps on the e-invoice side and
//! `dd/MM/yyyy hh:mm:ss AM/PM` timestamps on the e-way bill side, all IST (nic-rules D.2, B.8).

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, TimeZone};

/// Seconds east of UTC of Indian Standard Time.
const IST_OFFSET_SECONDS: i32 = 5 * 3600 + 30 * 60;

/// Indian Standard Time (UTC+05:30), the zone of every NIC date and timestamp.
pub fn ist() -> FixedOffset {
    FixedOffset::east_opt(IST_OFFSET_SECONDS).expect("+05:30 is a valid offset")
}

/// A point in time, carried with its offset. NIC timestamps parse into IST instants.
pub type Timestamp = DateTime<FixedOffset>;

/// The format of NIC dates: `dd/mm/yyyy` (DocDtls.Dt, PrecDocDtls.InvDt, docDate, ...).
pub const NIC_DATE_FORMAT: &str = "%d/%m/%Y";
/// The format of e-invoice timestamps: `yyyy-MM-dd HH:mm:ss` in IST (AckDt, EwbValidTill).
pub const EINVOICE_TIMESTAMP_FORMAT: &str = "%Y-%m-%d %H:%M:%S";
/// The format of e-way bill timestamps: `dd/MM/yyyy hh:mm:ss AM/PM` in IST (ewayBillDate, validUpto).
pub const EWAYBILL_TIMESTAMP_FORMAT: &str = "%d/%m/%Y %I:%M:%S %p";

/// Parses a NIC date (`dd/mm/yyyy`). Exactly two digits of day and month and four of year:
/// NIC's schema pattern is fixed-width (`^[0-3][0-9]/[0-1][0-9]/...`).
pub fn parse_nic_date(text: &str) -> Result<NaiveDate, DateError> {
    let b = text.as_bytes();
    let fixed_width = b.len() == 10
        && b[2] == b'/'
        && b[5] == b'/'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 2 || i == 5 || c.is_ascii_digit());
    if !fixed_width {
        return Err(DateError::new(text, "dd/mm/yyyy"));
    }
    NaiveDate::parse_from_str(text, NIC_DATE_FORMAT).map_err(|_| DateError::new(text, "dd/mm/yyyy"))
}

/// Formats a date the NIC way (`dd/mm/yyyy`).
pub fn format_nic_date(date: NaiveDate) -> String {
    date.format(NIC_DATE_FORMAT).to_string()
}

/// Parses an API date (`YYYY-MM-DD`, exactly ten characters).
pub fn parse_api_date(text: &str) -> Result<NaiveDate, DateError> {
    let b = text.as_bytes();
    let fixed_width = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !fixed_width {
        return Err(DateError::new(text, "YYYY-MM-DD"));
    }
    // Ten bytes, all digits but the dashes: chrono's `%Y-%m-%d` would read exactly these three
    // numbers and accept the date where `from_ymd_opt` does (the tests hold the two together),
    // at a fraction of the cost of its format-driven parser.
    let number = |range: std::ops::Range<usize>| {
        b[range]
            .iter()
            .fold(0u32, |n, &d| n * 10 + u32::from(d - b'0'))
    };
    NaiveDate::from_ymd_opt(number(0..4) as i32, number(5..7), number(8..10))
        .ok_or_else(|| DateError::new(text, "YYYY-MM-DD"))
}

/// Parses an e-invoice timestamp (`yyyy-MM-dd HH:mm:ss`, IST) into an IST instant.
pub fn parse_einvoice_timestamp(text: &str) -> Result<Timestamp, DateError> {
    NaiveDateTime::parse_from_str(text.trim(), EINVOICE_TIMESTAMP_FORMAT)
        .map(from_ist_naive)
        .map_err(|_| DateError::new(text, "yyyy-MM-dd HH:mm:ss"))
}

/// Formats an instant as an e-invoice timestamp (`yyyy-MM-dd HH:mm:ss`, IST).
pub fn format_einvoice_timestamp(t: &Timestamp) -> String {
    t.with_timezone(&ist())
        .format(EINVOICE_TIMESTAMP_FORMAT)
        .to_string()
}

/// Parses an e-way bill timestamp (`dd/MM/yyyy hh:mm:ss AM/PM`, IST) into an IST instant.
///
/// NIC sometimes answers in 24-hour form with a trailing space (`dd/MM/yyyy HH:mm:ss `), so that
/// form is accepted too (nic-rules, EWB response shapes).
pub fn parse_ewaybill_timestamp(text: &str) -> Result<Timestamp, DateError> {
    let t = text.trim();
    NaiveDateTime::parse_from_str(t, EWAYBILL_TIMESTAMP_FORMAT)
        .or_else(|_| NaiveDateTime::parse_from_str(t, "%d/%m/%Y %H:%M:%S"))
        .map(from_ist_naive)
        .map_err(|_| DateError::new(text, "dd/MM/yyyy hh:mm:ss AM/PM"))
}

/// Formats an instant as an e-way bill timestamp (`dd/MM/yyyy hh:mm:ss AM/PM`, IST).
pub fn format_ewaybill_timestamp(t: &Timestamp) -> String {
    t.with_timezone(&ist())
        .format(EWAYBILL_TIMESTAMP_FORMAT)
        .to_string()
}

/// Reads a wall-clock time in IST as an instant.
pub fn from_ist_naive(naive: NaiveDateTime) -> Timestamp {
    // A fixed offset has exactly one mapping for every local time.
    ist()
        .from_local_datetime(&naive)
        .single()
        .expect("a fixed offset maps every local time once")
}

/// The IST calendar date of an instant: the date NIC compares document dates against.
pub fn ist_date(t: &Timestamp) -> NaiveDate {
    t.with_timezone(&ist()).date_naive()
}

/// A date or timestamp that did not match its expected format.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid date `{text}`: expected {expected}")]
pub struct DateError {
    /// The text that failed to parse.
    pub text: String,
    /// The expected format, in words.
    pub expected: &'static str,
}

impl DateError {
    fn new(text: &str, expected: &'static str) -> Self {
        DateError {
            text: text.to_owned(),
            expected,
        }
    }
}

/// An Indian financial year, April to March, written `YYYY-YY` (e.g. `2019-20`) as in the IRN
/// formula (nic-rules B.7: "Financial Year is calculated based on the date of invoice").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FinancialYear {
    start_year: i32,
}

impl FinancialYear {
    /// The financial year beginning on 1 April of `start_year`.
    pub fn starting(start_year: i32) -> Self {
        FinancialYear { start_year }
    }

    /// The financial year a date falls in: 1 April to 31 March.
    pub fn of(date: NaiveDate) -> Self {
        let start_year = if date.month() >= 4 {
            date.year()
        } else {
            date.year() - 1
        };
        FinancialYear { start_year }
    }

    /// The calendar year in which this financial year begins.
    pub fn start_year(self) -> i32 {
        self.start_year
    }

    /// 1 April of the start year.
    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.start_year, 4, 1).expect("1 April exists")
    }

    /// 31 March of the following year.
    pub fn last_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.start_year + 1, 3, 31).expect("31 March exists")
    }
}

impl fmt::Display for FinancialYear {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:04}-{:02}",
            self.start_year,
            (self.start_year + 1).rem_euclid(100)
        )
    }
}

impl FromStr for FinancialYear {
    type Err = DateError;

    /// Parses `YYYY-YY`, where `YY` must be the two last digits of `YYYY + 1`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || DateError::new(s, "YYYY-YY with YY = YYYY + 1 (e.g. 2026-27)");
        let (a, b) = s.split_once('-').ok_or_else(err)?;
        if a.len() != 4 || b.len() != 2 || !a.bytes().chain(b.bytes()).all(|c| c.is_ascii_digit()) {
            return Err(err());
        }
        let start: i32 = a.parse().map_err(|_| err())?;
        let end: i32 = b.parse().map_err(|_| err())?;
        if (start + 1).rem_euclid(100) != end {
            return Err(err());
        }
        Ok(FinancialYear { start_year: start })
    }
}

impl serde::Serialize for FinancialYear {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for FinancialYear {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    /// `parse_api_date` as it was: the width check, then chrono's own `%Y-%m-%d`.
    fn chrono_api_date(text: &str) -> Option<NaiveDate> {
        let b = text.as_bytes();
        let fixed_width = b.len() == 10
            && b[4] == b'-'
            && b[7] == b'-'
            && b.iter()
                .enumerate()
                .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
        fixed_width
            .then(|| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok())
            .flatten()
    }

    #[test]
    fn api_dates_are_read_as_chrono_reads_them() {
        let check = |text: &str| {
            let ours = parse_api_date(text);
            assert_eq!(ours.as_ref().ok().copied(), chrono_api_date(text), "{text}");
            if let Err(e) = ours {
                assert_eq!(e, DateError::new(text, "YYYY-MM-DD"), "{text}");
            }
        };
        // Every month and day field, valid or not, in leap and common years and at the ends.
        for year in [
            "0000", "0001", "1900", "1999", "2000", "2024", "2026", "2100", "9999",
        ] {
            for month in 0..100 {
                for day in 0..100 {
                    check(&format!("{year}-{month:02}-{day:02}"));
                }
            }
        }
        // Every year, on the days a year can get wrong.
        for year in 0..10_000 {
            for md in ["01-01", "02-28", "02-29", "12-31", "13-01", "00-10"] {
                check(&format!("{year:04}-{md}"));
            }
        }
        for text in [
            "",
            "2026-1-20",
            "2026-011-2",
            "+026-11-20",
            "-026-11-20",
            "2026/11/20",
            "2026-11-20 ",
            " 2026-11-2",
            "2026-11-2x",
            "20261120",
            "2026-11-20T00",
            "2026-١١-20",
        ] {
            check(text);
        }
    }

    #[test]
    fn financial_year_boundaries() {
        assert_eq!(FinancialYear::of(d(2020, 3, 31)).to_string(), "2019-20");
        assert_eq!(FinancialYear::of(d(2020, 4, 1)).to_string(), "2020-21");
        assert_eq!(FinancialYear::of(d(2099, 12, 31)).to_string(), "2099-00");
        assert_eq!(FinancialYear::of(d(2026, 5, 4)).first_day(), d(2026, 4, 1));
        assert_eq!(FinancialYear::of(d(2027, 1, 4)).last_day(), d(2027, 3, 31));
    }

    #[test]
    fn financial_year_parse() {
        assert_eq!(
            "2026-27".parse::<FinancialYear>().unwrap().start_year(),
            2026
        );
        assert_eq!(
            "1999-00".parse::<FinancialYear>().unwrap().start_year(),
            1999
        );
        for bad in ["2026-28", "2026/27", "26-27", "2026-2027", "", "abcd-ef"] {
            assert!(bad.parse::<FinancialYear>().is_err(), "{bad}");
        }
    }

    #[test]
    fn nic_dates_are_fixed_width() {
        assert_eq!(parse_nic_date("05/10/2022").unwrap(), d(2022, 10, 5));
        assert_eq!(format_nic_date(d(2022, 10, 5)), "05/10/2022");
        for bad in [
            "5/10/2022",
            "2022-10-05",
            "31/02/2022",
            "05/10/22",
            "05-10-2022",
        ] {
            assert!(parse_nic_date(bad).is_err(), "{bad}");
        }
        assert_eq!(parse_api_date("2026-05-04").unwrap(), d(2026, 5, 4));
        for bad in [
            "2026-5-4",
            "04/05/2026",
            "2026-02-30",
            "2026-05-04T00:00:00Z",
        ] {
            assert!(parse_api_date(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn nic_timestamps_are_ist() {
        let t = parse_einvoice_timestamp("2022-09-29 23:59:00").unwrap();
        assert_eq!(t.to_rfc3339(), "2022-09-29T23:59:00+05:30");
        assert_eq!(format_einvoice_timestamp(&t), "2022-09-29 23:59:00");
        let e = parse_ewaybill_timestamp("06/10/2022 11:59:00 PM").unwrap();
        assert_eq!(e.to_rfc3339(), "2022-10-06T23:59:00+05:30");
        assert_eq!(format_ewaybill_timestamp(&e), "06/10/2022 11:59:00 PM");
        let e24 = parse_ewaybill_timestamp("05/10/2022 12:39:00 ").unwrap();
        assert_eq!(e24.to_rfc3339(), "2022-10-05T12:39:00+05:30");
        let utc = DateTime::parse_from_rfc3339("2022-10-05T18:40:00Z").unwrap();
        assert_eq!(ist_date(&utc), d(2022, 10, 6));
    }
}
