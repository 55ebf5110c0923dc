//! NIC's replies to e-invoice calls, typed (nic-rules B.8, D.1).
//!
//! A reply to generate-IRN has `Status` 1 with `Data` (AckNo, AckDt, Irn, SignedInvoice,
//! SignedQRCode, Status, and EwbNo / EwbDt / EwbValidTill when an e-way bill was asked for), or
//! `Status` 0 with `ErrorDetails`. Either may carry `InfoDtls`, a **list** whose entries are told
//! apart by `InfCd` (DUPIRN, EWBPPD, ...). NIC's documents give `ErrorDetails` as base64 of a JSON
//! array; production answers with the plain array; both are read. `Data` arrives as an object
//! once decrypted, or as a JSON string when a GSP passes it through; both are read.

use base64::Engine;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::irn::Irn;
use crate::calendar::{parse_einvoice_timestamp, Timestamp};

/// NIC's status of an IRN.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum IrnStatus {
    /// `ACT`: active.
    #[serde(rename = "ACT")]
    Active,
    /// `CNL`: cancelled.
    #[serde(rename = "CNL")]
    Cancelled,
}

/// The `Data` of a successful generate-IRN (or get-IRN) reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IrnDetails {
    /// Acknowledgement number; its first digit names the IRP that issued it (nic-rules C.13).
    pub ack_no: u64,
    /// Acknowledgement time (IST); the 24-hour cancel window runs from it.
    pub ack_dt: Timestamp,
    /// The IRN.
    pub irn: Irn,
    /// The invoice signed by the IRP (RS256 JWS, payload in the `data` claim).
    pub signed_invoice: String,
    /// The QR payload signed by the IRP (RS256 JWS).
    pub signed_qr_code: String,
    /// ACT or CNL; NIC omits it on some replies, which then mean ACT.
    pub status: IrnStatus,
    /// The e-way bill generated with the IRN, if one was asked for.
    pub ewb_no: Option<u64>,
    /// When that e-way bill was generated.
    pub ewb_dt: Option<Timestamp>,
    /// Until when it is valid.
    pub ewb_valid_till: Option<Timestamp>,
    /// Free text NIC adds, if any.
    pub remarks: Option<String>,
}

/// One entry of `ErrorDetails`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NicError {
    /// NIC's code, e.g. `"2150"`.
    #[serde(rename = "ErrorCode")]
    pub code: String,
    /// NIC's message.
    #[serde(rename = "ErrorMessage")]
    pub message: String,
}

/// One entry of `InfoDtls`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NicInfo {
    /// `DUPIRN`: the document was already registered; these are the original IRN's details.
    DuplicateIrn {
        /// The original acknowledgement number.
        ack_no: u64,
        /// The original acknowledgement time.
        ack_dt: Timestamp,
        /// The original IRN.
        irn: Irn,
    },
    /// `EWBPPD`: the PIN-to-PIN distance NIC computed, in km ("Pin-Pin calc distance: 2467KM").
    PinToPinDistance(u32),
    /// Any other entry, kept as sent.
    Other {
        /// `InfCd`.
        code: String,
        /// `Desc`.
        desc: Value,
    },
}

/// A generate-IRN reply, decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GenerateReply {
    /// The IRN's details when `Status` is 1.
    pub data: Option<IrnDetails>,
    /// NIC's errors when `Status` is 0.
    pub errors: Vec<NicError>,
    /// NIC's information entries, in the order sent.
    pub info: Vec<NicInfo>,
}

impl GenerateReply {
    /// The original IRN's details if NIC answered DUPIRN (error 2150 with an InfoDtls entry).
    pub fn duplicate(&self) -> Option<&NicInfo> {
        self.info
            .iter()
            .find(|i| matches!(i, NicInfo::DuplicateIrn { .. }))
    }

    /// The PIN-to-PIN distance NIC reported for the e-way bill, if any.
    pub fn pin_to_pin_distance(&self) -> Option<u32> {
        self.info.iter().find_map(|i| match i {
            NicInfo::PinToPinDistance(km) => Some(*km),
            _ => None,
        })
    }
}

/// A reply that is not one NIC sends.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("malformed NIC reply at `{path}`: {message}")]
pub struct ReplyError {
    /// JSON pointer into the reply.
    pub path: String,
    /// What is wrong.
    pub message: String,
}

fn reply_error(path: &str, message: impl Into<String>) -> ReplyError {
    ReplyError {
        path: path.to_owned(),
        message: message.into(),
    }
}

/// Decodes a generate-IRN (or get-IRN) reply whose `Data` has been decrypted.
pub fn parse_generate_reply(json: &[u8]) -> Result<GenerateReply, ReplyError> {
    let root: Value =
        serde_json::from_slice(json).map_err(|e| reply_error("", format!("not JSON: {e}")))?;
    let obj = root
        .as_object()
        .ok_or_else(|| reply_error("", "expected an object"))?;
    let status = obj
        .get("Status")
        .map(|s| read_u64(s, "/Status"))
        .transpose()?;
    let data = match obj.get("Data") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s.is_empty() => None,
        Some(Value::String(s)) => {
            let inner: Value = serde_json::from_str(s)
                .map_err(|e| reply_error("/Data", format!("Data is a string but not JSON: {e}")))?;
            Some(parse_irn_details(&inner, "/Data")?)
        }
        Some(v) => Some(parse_irn_details(v, "/Data")?),
    };
    let errors = match obj.get("ErrorDetails") {
        None | Some(Value::Null) => Vec::new(),
        Some(v) => parse_error_details(v)?,
    };
    let info = match obj.get("InfoDtls") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(entries)) => entries
            .iter()
            .enumerate()
            .map(|(i, e)| parse_info(e, &format!("/InfoDtls/{i}")))
            .collect::<Result<_, _>>()?,
        Some(_) => return Err(reply_error("/InfoDtls", "expected a list")),
    };
    if status == Some(1) && data.is_none() {
        return Err(reply_error("/Data", "Status is 1 but Data is missing"));
    }
    Ok(GenerateReply { data, errors, info })
}

/// Reads the `Data` object of a successful reply.
pub fn parse_irn_details(v: &Value, path: &str) -> Result<IrnDetails, ReplyError> {
    let obj = v
        .as_object()
        .ok_or_else(|| reply_error(path, "expected an object"))?;
    let field = |name: &str| obj.get(name).filter(|v| !v.is_null());
    let req =
        |name: &str| field(name).ok_or_else(|| reply_error(path, format!("missing `{name}`")));
    let p = |name: &str| format!("{path}/{name}");
    let string = |name: &str| -> Result<String, ReplyError> {
        req(name)?
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| reply_error(&p(name), "expected a string"))
    };
    let status = match field("Status") {
        None => IrnStatus::Active,
        Some(s) => serde_json::from_value(s.clone())
            .map_err(|_| reply_error(&p("Status"), "expected ACT or CNL"))?,
    };
    Ok(IrnDetails {
        ack_no: read_u64(req("AckNo")?, &p("AckNo"))?,
        ack_dt: read_timestamp(req("AckDt")?, &p("AckDt"))?,
        irn: string("Irn")?
            .parse()
            .map_err(|e: super::irn::IrnError| reply_error(&p("Irn"), e.to_string()))?,
        signed_invoice: string("SignedInvoice")?,
        signed_qr_code: string("SignedQRCode")?,
        status,
        ewb_no: field("EwbNo")
            .map(|v| read_u64(v, &p("EwbNo")))
            .transpose()?,
        ewb_dt: field("EwbDt")
            .map(|v| read_timestamp(v, &p("EwbDt")))
            .transpose()?,
        ewb_valid_till: field("EwbValidTill")
            .map(|v| read_timestamp(v, &p("EwbValidTill")))
            .transpose()?,
        remarks: field("Remarks").and_then(|v| v.as_str()).map(str::to_owned),
    })
}

/// Reads `ErrorDetails`: a list of `{ErrorCode, ErrorMessage}`, or base64 of that list.
pub fn parse_error_details(v: &Value) -> Result<Vec<NicError>, ReplyError> {
    let list = match v {
        Value::String(b64) => {
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(b64.trim())
                .map_err(|e| reply_error("/ErrorDetails", format!("not base64: {e}")))?;
            serde_json::from_slice::<Value>(&bytes).map_err(|e| {
                reply_error(
                    "/ErrorDetails",
                    format!("base64 of something not JSON: {e}"),
                )
            })?
        }
        other => other.clone(),
    };
    let entries = list
        .as_array()
        .ok_or_else(|| reply_error("/ErrorDetails", "expected a list"))?;
    entries
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let path = format!("/ErrorDetails/{i}");
            let code = e
                .get("ErrorCode")
                .map(code_text)
                .ok_or_else(|| reply_error(&path, "missing `ErrorCode`"))?;
            let message = e
                .get("ErrorMessage")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned();
            Ok(NicError { code, message })
        })
        .collect()
}

fn parse_info(v: &Value, path: &str) -> Result<NicInfo, ReplyError> {
    let code = v
        .get("InfCd")
        .and_then(Value::as_str)
        .ok_or_else(|| reply_error(path, "missing `InfCd`"))?;
    let desc = v.get("Desc").cloned().unwrap_or(Value::Null);
    let desc_path = format!("{path}/Desc");
    match code {
        "DUPIRN" => {
            // Some GSPs pass Desc through as a JSON string rather than an object.
            let desc = match desc {
                Value::String(s) => serde_json::from_str(&s)
                    .map_err(|e| reply_error(&desc_path, format!("not JSON: {e}")))?,
                other => other,
            };
            let d = parse_dup_desc(&desc, &desc_path)?;
            Ok(d)
        }
        "EWBPPD" => match desc.as_str().and_then(first_number) {
            Some(km) => Ok(NicInfo::PinToPinDistance(km)),
            None => Ok(NicInfo::Other {
                code: code.to_owned(),
                desc,
            }),
        },
        _ => Ok(NicInfo::Other {
            code: code.to_owned(),
            desc,
        }),
    }
}

fn parse_dup_desc(desc: &Value, path: &str) -> Result<NicInfo, ReplyError> {
    let get = |name: &str| {
        desc.get(name)
            .filter(|v| !v.is_null())
            .ok_or_else(|| reply_error(path, format!("missing `{name}`")))
    };
    Ok(NicInfo::DuplicateIrn {
        ack_no: read_u64(get("AckNo")?, &format!("{path}/AckNo"))?,
        ack_dt: read_timestamp(get("AckDt")?, &format!("{path}/AckDt"))?,
        irn: get("Irn")?
            .as_str()
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| reply_error(&format!("{path}/Irn"), "expected an IRN"))?,
    })
}

/// The first run of digits in `text`: NIC writes distances inside prose.
fn first_number(text: &str) -> Option<u32> {
    let start = text.find(|c: char| c.is_ascii_digit())?;
    let digits: String = text[start..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

/// NIC writes codes and numbers sometimes as strings, sometimes as numbers.
fn code_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn read_u64(v: &Value, path: &str) -> Result<u64, ReplyError> {
    code_text(v)
        .trim()
        .parse()
        .map_err(|_| reply_error(path, format!("expected a whole number, got {v}")))
}

fn read_timestamp(v: &Value, path: &str) -> Result<Timestamp, ReplyError> {
    let s = v
        .as_str()
        .ok_or_else(|| reply_error(path, "expected a timestamp string"))?;
    parse_einvoice_timestamp(s).map_err(|e| reply_error(path, e.to_string()))
}
