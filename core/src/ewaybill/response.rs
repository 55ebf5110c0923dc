//! NIC's replies to the e-way bill actions (EWB API v1.03, nic-rules C.11 and D.2).
//!
//! The types here read the plaintext `data` of a successful reply, after the transport layer has
//! decrypted it. Each keeps NIC's key names on the wire in both directions, so a reply read and
//! written again is the same JSON (the sandbox answers with them too); timestamps are IST instants
//! parsed from NIC's `dd/MM/yyyy hh:mm:ss AM/PM` (or the 24-hour form it sometimes sends, with a
//! trailing space). Unknown keys are ignored: NIC adds fields to replies without notice.
//!
//! A failed call answers `{"status": "0", "error": ...}` where `error` is base64 of
//! `{"errorCodes": "238,604"}` (the form real clients see) or, in NIC's documentation, a plain
//! object `{"errorCodes": 240}`; [`error_reply`] reads both into a list of codes.

use base64::Engine as _;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::codec;
use super::number::EwbNumber;
use crate::calendar::Timestamp;

/// GENEWAYBILL's reply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GenerateReply {
    /// The new bill's number (`ewayBillNo`).
    #[serde(rename = "ewayBillNo")]
    pub ewb_number: EwbNumber,
    /// When it was generated (`ewayBillDate`).
    #[serde(rename = "ewayBillDate", with = "codec::ewb_timestamp")]
    pub generated_at: Timestamp,
    /// 23:59 IST on its last day (nic-rules C.2); absent for a Part-A slip, whose validity starts
    /// with its first Part-B (`validUpto`).
    #[serde(
        rename = "validUpto",
        default,
        with = "codec::ewb_timestamp::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub valid_until: Option<Timestamp>,
    /// A note from NIC, e.g. the PIN-to-PIN distance it applied when the distance sent was 0
    /// (`alert`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alert: Option<String>,
}

/// VEHEWB's reply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartBReply {
    /// When Part-B was entered (`vehUpdDate`).
    #[serde(rename = "vehUpdDate", with = "codec::ewb_timestamp")]
    pub updated_at: Timestamp,
    /// The validity, which a first Part-B starts (`validUpto`).
    #[serde(
        rename = "validUpto",
        default,
        with = "codec::ewb_timestamp::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub valid_until: Option<Timestamp>,
}

/// EXTENDVALIDITY's reply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExtendReply {
    /// The bill (`ewayBillNo`; sent as a string).
    #[serde(
        rename = "ewayBillNo",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub ewb_number: Option<EwbNumber>,
    /// When it was extended (`updatedDate`).
    #[serde(rename = "updatedDate", with = "codec::ewb_timestamp")]
    pub updated_at: Timestamp,
    /// The new validity, counted from the extension (`validUpto`).
    #[serde(rename = "validUpto", with = "codec::ewb_timestamp")]
    pub valid_until: Timestamp,
}

/// CANEWB's reply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CancelReply {
    /// The bill (`ewayBillNo`).
    #[serde(rename = "ewayBillNo")]
    pub ewb_number: EwbNumber,
    /// When it was cancelled (`cancelDate`).
    #[serde(rename = "cancelDate", with = "codec::ewb_timestamp")]
    pub cancelled_at: Timestamp,
}

/// REJEWB's reply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RejectReply {
    /// The bill (`ewayBillNo`).
    #[serde(rename = "ewayBillNo")]
    pub ewb_number: EwbNumber,
    /// When it was rejected (`ewbRejectedDate`).
    #[serde(rename = "ewbRejectedDate", with = "codec::ewb_timestamp")]
    pub rejected_at: Timestamp,
}

/// UPDATETRANSPORTER's reply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransporterReply {
    /// The bill (`ewayBillNo`; sent as a string).
    #[serde(
        rename = "ewayBillNo",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub ewb_number: Option<EwbNumber>,
    /// The new transporter (`transporterId`).
    #[serde(
        rename = "transporterId",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub transporter_id: Option<String>,
    /// When the transporter was changed (`transUpdateDate`).
    #[serde(rename = "transUpdateDate", with = "codec::ewb_timestamp")]
    pub updated_at: Timestamp,
}

/// A failed EWB call: NIC's error codes, in the order sent.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorReply {
    /// The codes (e.g. 238 "invalid auth token": authenticate again and retry; 604 "already
    /// generated for this document": fetch the existing bill).
    pub codes: Vec<u32>,
    /// NIC's `info` member when present, decoded from base64 JSON when it is that (702 carries the
    /// PIN codes and NIC's distance there).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub info: Option<Value>,
}

impl ErrorReply {
    /// Whether NIC answered `code`.
    pub fn has(&self, code: u32) -> bool {
        self.codes.contains(&code)
    }
}

/// A reply that is not a readable EWB error.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReplyError {
    /// The body is not JSON.
    #[error("the reply is not JSON: {0}")]
    Json(String),
    /// The reply says `status: 1`.
    #[error("the reply reports success (status 1), not an error")]
    NotAFailure,
    /// There is no `error` member.
    #[error("the reply has no `error` member")]
    MissingError,
    /// `error` is neither JSON nor base64 of JSON.
    #[error("the `error` member is neither JSON nor base64 of JSON: {0}")]
    Undecodable(String),
    /// An error code that is not a number.
    #[error("invalid error code `{0}`")]
    BadCode(String),
    /// `error` carries no codes.
    #[error("the error carries no error codes")]
    NoCodes,
}

/// Reads a failed EWB reply from its body text.
pub fn parse_error_reply(body: &str) -> Result<ErrorReply, ReplyError> {
    let v: Value = serde_json::from_str(body).map_err(|e| ReplyError::Json(e.to_string()))?;
    error_reply(&v)
}

/// Reads a failed EWB reply: `{"status": "0", "error": <base64 JSON, JSON text or object>}`.
pub fn error_reply(reply: &Value) -> Result<ErrorReply, ReplyError> {
    if status_is_success(reply.get("status")) {
        return Err(ReplyError::NotAFailure);
    }
    let error = reply.get("error").ok_or(ReplyError::MissingError)?;
    let error = decode_embedded(error).ok_or_else(|| ReplyError::Undecodable(short(error)))?;
    let codes = match &error {
        Value::Object(members) => match members.get("errorCodes") {
            Some(c) => codes_of(c)?,
            None => Vec::new(),
        },
        // Some replies carry the code list bare: `"error": "238,604"`.
        bare => codes_of(bare)?,
    };
    if codes.is_empty() {
        return Err(ReplyError::NoCodes);
    }
    let info = reply
        .get("info")
        .filter(|i| !i.is_null())
        .map(|i| decode_embedded(i).unwrap_or_else(|| i.clone()));
    Ok(ErrorReply { codes, info })
}

fn status_is_success(status: Option<&Value>) -> bool {
    match status {
        Some(Value::String(s)) => s.trim() == "1",
        Some(Value::Number(n)) => n.to_string() == "1",
        Some(Value::Bool(b)) => *b,
        _ => false,
    }
}

/// An embedded JSON value: an object as is, or a string holding JSON text or base64 of JSON text.
/// A string that is neither is kept as a string if it looks like a code list.
fn decode_embedded(v: &Value) -> Option<Value> {
    let text = match v {
        Value::String(s) => s.trim(),
        Value::Null => return None,
        other => return Some(other.clone()),
    };
    if text.starts_with('{') || text.starts_with('[') {
        return serde_json::from_str(text).ok();
    }
    if !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b',' || b == b' ')
    {
        return Some(Value::String(text.to_owned()));
    }
    let engine = &base64::engine::general_purpose::STANDARD;
    let lenient = &base64::engine::general_purpose::STANDARD_NO_PAD;
    let bytes = engine
        .decode(text)
        .or_else(|_| lenient.decode(text.trim_end_matches('=')))
        .ok()?;
    serde_json::from_slice(&bytes).ok()
}

fn codes_of(v: &Value) -> Result<Vec<u32>, ReplyError> {
    match v {
        Value::Number(n) => {
            let t = n.to_string();
            t.parse()
                .map(|c| vec![c])
                .map_err(|_| ReplyError::BadCode(t))
        }
        // NIC's list is comma-separated and often ends with a comma ("702,").
        Value::String(s) => s
            .split(',')
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(|c| c.parse().map_err(|_| ReplyError::BadCode(c.to_owned())))
            .collect(),
        Value::Array(items) => {
            let mut out = Vec::new();
            for item in items {
                out.extend(codes_of(item)?);
            }
            Ok(out)
        }
        other => Err(ReplyError::BadCode(short(other))),
    }
}

fn short(v: &Value) -> String {
    let mut t = v.to_string();
    if t.len() > 80 {
        let mut end = 80;
        while !t.is_char_boundary(end) {
            end -= 1;
        }
        t.truncate(end);
        t.push('…');
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn b64(s: &str) -> String {
        base64::engine::general_purpose::STANDARD.encode(s)
    }

    #[test]
    fn generate_reply_timestamps_are_ist() {
        let r: GenerateReply = serde_json::from_value(json!({
            "ewayBillNo": 301002999920u64,
            "ewayBillDate": "05/10/2022 12:39:00 PM",
            "validUpto": "06/10/2022 11:59:00 PM",
            "alert": ""
        }))
        .unwrap();
        assert_eq!(r.ewb_number.get(), 301002999920);
        assert_eq!(r.generated_at.to_rfc3339(), "2022-10-05T12:39:00+05:30");
        assert_eq!(
            r.valid_until.unwrap().to_rfc3339(),
            "2022-10-06T23:59:00+05:30"
        );
        assert_eq!(r.alert.as_deref(), Some(""));
        let back = serde_json::to_value(&r).unwrap();
        assert_eq!(back["ewayBillDate"], json!("05/10/2022 12:39:00 PM"));
        assert_eq!(back["validUpto"], json!("06/10/2022 11:59:00 PM"));
    }

    #[test]
    fn twenty_four_hour_form_with_trailing_space() {
        let r: GenerateReply = serde_json::from_value(json!({
            "ewayBillNo": "301002999920",
            "ewayBillDate": "05/10/2022 12:39:00 ",
            "validUpto": "06/10/2022 23:59:00 ",
            "someNewField": 1
        }))
        .unwrap();
        assert_eq!(r.generated_at.to_rfc3339(), "2022-10-05T12:39:00+05:30");
        assert_eq!(
            r.valid_until.unwrap().to_rfc3339(),
            "2022-10-06T23:59:00+05:30"
        );
        assert_eq!(r.alert, None);
    }

    #[test]
    fn part_a_slip_has_no_validity_yet() {
        let r: GenerateReply = serde_json::from_value(json!({
            "ewayBillNo": 301002999920u64, "ewayBillDate": "05/10/2022 12:39:00 PM", "validUpto": ""
        }))
        .unwrap();
        assert_eq!(r.valid_until, None);
        let r: GenerateReply = serde_json::from_value(json!({
            "ewayBillNo": 301002999920u64, "ewayBillDate": "05/10/2022 12:39:00 PM", "validUpto": null
        }))
        .unwrap();
        assert_eq!(r.valid_until, None);
        assert!(serde_json::from_value::<GenerateReply>(json!({
            "ewayBillNo": 301002999920u64, "ewayBillDate": "2022-10-05 12:39:00"
        }))
        .is_err());
    }

    #[test]
    fn action_replies() {
        let c: CancelReply = serde_json::from_value(json!({
            "ewayBillNo": "301002999920", "cancelDate": "04/10/2022 04:14:00 PM"
        }))
        .unwrap();
        assert_eq!(c.cancelled_at.to_rfc3339(), "2022-10-04T16:14:00+05:30");
        let p: PartBReply = serde_json::from_value(json!({
            "validUpto": "06/10/2022 11:59:00 PM", "vehUpdDate": "05/10/2022 12:44:00 PM"
        }))
        .unwrap();
        assert_eq!(p.updated_at.to_rfc3339(), "2022-10-05T12:44:00+05:30");
        let x: ExtendReply = serde_json::from_value(json!({
            "ewayBillNo": "321003228100", "updatedDate": "04/07/2023 06:13:00 PM",
            "validUpto": "05/07/2023 11:59:00 PM"
        }))
        .unwrap();
        assert_eq!(x.valid_until.to_rfc3339(), "2023-07-05T23:59:00+05:30");
        assert_eq!(x.ewb_number.unwrap().get(), 321003228100);
        let t: TransporterReply = serde_json::from_value(json!({
            "ewayBillNo": "301002999920", "transUpdateDate": "05/10/2022 12:45:00 PM",
            "transporterId": "05AAACG2140A1ZL"
        }))
        .unwrap();
        assert_eq!(t.transporter_id.as_deref(), Some("05AAACG2140A1ZL"));
        let r: RejectReply = serde_json::from_value(json!({
            "ewayBillNo": 181000609270u64, "ewbRejectedDate": "15/12/2017 10:24:00 AM"
        }))
        .unwrap();
        assert_eq!(r.rejected_at.to_rfc3339(), "2017-12-15T10:24:00+05:30");
    }

    #[test]
    fn base64_error_codes() {
        let body = json!({"status": "0", "error": b64(r#"{"errorCodes":"238,604"}"#)});
        let e = error_reply(&body).unwrap();
        assert_eq!(e.codes, vec![238, 604]);
        assert!(e.has(604));
        let e = parse_error_reply(&body.to_string()).unwrap();
        assert_eq!(e.codes, vec![238, 604]);
    }

    #[test]
    fn plain_error_codes_and_trailing_comma() {
        let e = error_reply(&json!({"status": "0", "error": {"errorCodes": 240}})).unwrap();
        assert_eq!(e.codes, vec![240]);
        let e = error_reply(&json!({"status": 0, "error": {"errorCodes": "702,"}})).unwrap();
        assert_eq!(e.codes, vec![702]);
        let info = b64(r#"{"fromPinCode":560001,"toPinCode":110001,"distance":2150}"#);
        let e = error_reply(&json!({
            "status": "0", "error": b64(r#"{"errorCodes":"702"}"#), "info": info
        }))
        .unwrap();
        assert_eq!(e.info.unwrap()["distance"].to_string(), "2150");
    }

    #[test]
    fn not_an_error() {
        assert_eq!(
            error_reply(&json!({"status": "1", "data": "..."})),
            Err(ReplyError::NotAFailure)
        );
        assert_eq!(
            error_reply(&json!({"status": "0"})),
            Err(ReplyError::MissingError)
        );
        assert!(matches!(
            error_reply(&json!({"status": "0", "error": "%%%"})),
            Err(ReplyError::Undecodable(_))
        ));
        assert!(matches!(
            error_reply(&json!({"status": "0", "error": {"errorCodes": "23x"}})),
            Err(ReplyError::BadCode(_))
        ));
        assert_eq!(
            error_reply(&json!({"status": "0", "error": {"errorCodes": ""}})),
            Err(ReplyError::NoCodes)
        );
        assert!(matches!(
            parse_error_reply("<html>"),
            Err(ReplyError::Json(_))
        ));
    }
}
