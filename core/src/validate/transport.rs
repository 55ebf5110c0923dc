//! Part-B rules shared by an e-invoice's `EwbDtls` (e-way bill with the IRN, nic-rules C.12) and
//! the e-way bill itself (nic-rules C.3, C.4): distance, the fields each mode needs, vehicle
//! number formats, over-dimensional cargo and ship mode, transport document dates, transporter id.
//!
//! The two systems give the same mistakes different codes (road without a vehicle is 4011 on the
//! IRP and 303 on the EWB system), so each rule carries both.

use chrono::NaiveDate;

use super::options::ValidationOptions;
use crate::calendar::ist_date;
use crate::finding::Finding;
use crate::gstin::check_transporter_id;
use crate::transport::{TransportMode, VehicleType};

/// Which system will judge the Part-B, for NIC's codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum System {
    /// The IRP (e-way bill with the IRN, `EwbDtls`).
    Irp,
    /// The e-way bill system (GENEWAYBILL).
    Ewb,
}

impl System {
    fn pick(self, irp: Option<&'static str>, ewb: Option<&'static str>) -> Option<&'static str> {
        match self {
            System::Irp => irp,
            System::Ewb => ewb,
        }
    }
}

/// The JSON keys of the Part-B fields, relative to `base`.
pub(super) struct Keys {
    pub base: &'static str,
    pub transporter_id: &'static str,
    pub distance: &'static str,
    pub document_number: &'static str,
    pub document_date: &'static str,
    pub vehicle_number: &'static str,
    pub vehicle_type: &'static str,
}

/// The Part-B of a document, borrowed from either model.
pub(super) struct PartB<'a> {
    pub transporter_id: Option<&'a str>,
    pub mode: Option<TransportMode>,
    pub distance: u32,
    pub document_number: Option<&'a str>,
    pub document_date: Option<NaiveDate>,
    pub vehicle_number: Option<&'a str>,
    pub vehicle_type: Option<VehicleType>,
    /// PIN goods leave from and arrive at, when known.
    pub from_pin: Option<u32>,
    pub to_pin: Option<u32>,
    /// The date of the document the goods move under.
    pub document_date_of_supply: NaiveDate,
}

/// The longest distance NIC accepts, in km (nic-rules C.3).
const MAX_DISTANCE: u32 = 4000;
/// The longest distance between two places with the same PIN, in km (nic-rules C.3).
const MAX_SAME_PIN_DISTANCE: u32 = 100;

fn finding(path: String, code: &str, nic: Option<&str>, message: String) -> Finding {
    let f = Finding::error(path, code, message);
    match nic {
        Some(n) => f.with_nic_code(n),
        None => f,
    }
}

/// Runs the Part-B rules.
pub(super) fn check(
    system: System,
    keys: &Keys,
    p: &PartB<'_>,
    options: &ValidationOptions,
    out: &mut Vec<Finding>,
) {
    let at = |key: &str| format!("{}/{key}", keys.base);

    if let Some(id) = p.transporter_id {
        if check_transporter_id(id).kind.is_none() {
            out.push(finding(
                at(keys.transporter_id),
                "transporter.format",
                None,
                format!(
                    "transporter id `{id}` is neither a GSTIN nor a TRANSIN (15 upper-case letters \
                     and digits in GSTIN form)"
                ),
            ));
        }
    }

    if p.distance > MAX_DISTANCE {
        out.push(finding(
            at(keys.distance),
            "ewb.distance_range",
            system.pick(None, Some("221")),
            format!("distance {} km is more than {MAX_DISTANCE} km", p.distance),
        ));
    } else if let (Some(from), Some(to)) = (p.from_pin, p.to_pin) {
        // Within one PIN the system has no distance to substitute for 0 (nic-rules C.3).
        if from == to && !(1..=MAX_SAME_PIN_DISTANCE).contains(&p.distance) {
            let nic = if p.distance == 0 {
                system.pick(Some("4029"), Some("721"))
            } else {
                system.pick(Some("4013"), Some("702"))
            };
            out.push(finding(
                at(keys.distance),
                "ewb.same_pin_distance",
                nic,
                format!(
                    "distance {} km between two places with the same PIN code {from}: it must \
                     be 1 to {MAX_SAME_PIN_DISTANCE} km",
                    p.distance
                ),
            ));
        }
    }

    match p.mode {
        Some(TransportMode::Road) => {
            if p.vehicle_number.is_none_or(|v| v.trim().is_empty()) {
                out.push(finding(
                    at(keys.vehicle_number),
                    "ewb.vehicle_required",
                    system.pick(Some("4011"), Some("303")),
                    "vehicle number is missing; it is required for transport by road".to_owned(),
                ));
            }
        }
        Some(mode) => {
            let name = match mode {
                TransportMode::Rail => "rail",
                TransportMode::Air => "air",
                _ => "ship",
            };
            if p.document_number.is_none_or(|v| v.trim().is_empty()) {
                out.push(finding(
                    at(keys.document_number),
                    "ewb.transport_document_required",
                    system.pick(Some("4012"), Some("394")),
                    format!("transport document number is missing; it is required for transport by {name}"),
                ));
            }
            if p.document_date.is_none() {
                out.push(finding(
                    at(keys.document_date),
                    "ewb.transport_document_date_required",
                    system.pick(Some("2254"), Some("385")),
                    format!("transport document date is missing; it is required for transport by {name}"),
                ));
            }
            // Ship is the exception: NIC refuses R for it (726), so cargo by ship is sent as O.
            if mode != TransportMode::Ship
                && p.vehicle_type == Some(VehicleType::OverDimensionalCargo)
            {
                out.push(finding(
                    at(keys.vehicle_type),
                    "ewb.odc_not_road",
                    system.pick(Some("4024"), Some("634")),
                    format!("vehicle type is `O` (over-dimensional cargo), which is allowed by road (and ship) only, not by {name}"),
                ));
            }
            if mode == TransportMode::Ship && p.vehicle_type == Some(VehicleType::Regular) {
                out.push(finding(
                    at(keys.vehicle_type),
                    "ewb.ship_regular_vehicle",
                    system.pick(Some("4039"), Some("726")),
                    "vehicle type is `R` (regular), which is not allowed for ship mode; send `O`"
                        .to_owned(),
                ));
            }
        }
        None => {
            // Part-A only: the transporter who will enter Part-B must be named (619).
            if p.transporter_id.is_none_or(|v| v.trim().is_empty()) {
                out.push(finding(
                    at(keys.transporter_id),
                    "ewb.transporter_required",
                    system.pick(None, Some("619")),
                    "neither a transport mode nor a transporter id is given; a Part-A only e-way \
                     bill must name its transporter"
                        .to_owned(),
                ));
            }
        }
    }

    if let Some(v) = p.vehicle_number {
        if !v.trim().is_empty() && !vehicle_number_ok(v) {
            out.push(finding(
                at(keys.vehicle_number),
                "ewb.vehicle_number_format",
                system.pick(Some("4014"), None),
                format!(
                    "vehicle number `{v}` matches none of NIC's formats (AB12AB1234, AB12A1234, \
                     AB121234, ABC1234, AB123A1234, AB12ABC1234, 12BH1234AB, or DF / TM / BP / NP \
                     numbers)"
                ),
            ));
        }
    }

    if let Some(td) = p.document_date {
        if td < p.document_date_of_supply {
            out.push(finding(
                at(keys.document_date),
                "ewb.transport_document_date_before_document",
                system.pick(Some("4021"), Some("362")),
                format!(
                    "transport document date {td} is before the document date {}",
                    p.document_date_of_supply
                ),
            ));
        }
        if let Some(now) = &options.now {
            let today = ist_date(now);
            if td > today {
                out.push(finding(
                    at(keys.document_date),
                    "ewb.transport_document_date_future",
                    system.pick(Some("4016"), None),
                    format!("transport document date {td} is after today ({today}, IST)"),
                ));
            }
        }
    }
}

/// Whether a vehicle number has one of the forms of NIC's general master (nic-rules C.4), after
/// dropping spaces and hyphens and reading letters in upper case. Also accepted: the Bharat
/// series `12BH1234AB`, registered since 2021 and not in the quoted master, so that a valid
/// vehicle is not refused offline.
pub fn vehicle_number_ok(raw: &str) -> bool {
    let v: Vec<u8> = raw
        .bytes()
        .filter(|b| *b != b' ' && *b != b'-')
        .map(|b| b.to_ascii_uppercase())
        .collect();
    if !(4..=20).contains(&v.len()) || !v.iter().all(u8::is_ascii_alphanumeric) {
        return false;
    }
    // Defence, temporary registration, Bhutan, Nepal: free form after the prefix.
    match &v[..2] {
        b"DF" | b"BP" | b"NP" => return true,
        b"TM" => return v.len() >= 7,
        _ => {}
    }
    const SHAPES: &[&[u8]] = &[
        b"LLDDDDDD",
        b"LLDDLDDDD",
        b"LLDDLLDDDD",
        b"LLLDDDD",
        b"LLDDDLDDDD",
        b"LLDDLLLDDDD",
        b"DDBHDDDDL",
        b"DDBHDDDDLL",
    ];
    SHAPES.iter().any(|shape| {
        shape.len() == v.len()
            && shape.iter().zip(&v).all(|(s, c)| match s {
                b'L' => c.is_ascii_uppercase(),
                b'D' => c.is_ascii_digit(),
                literal => literal == c,
            })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vehicle_numbers() {
        for ok in [
            "KA01AB1234",
            "KA 01 AB 1234",
            "ka-01-ab-1234",
            "KA01A1234",
            "KA011234",
            "ABC1234",
            "KA012A1234",
            "KA01ABC1234",
            "22BH1234AB",
            "DF123456",
            "TM123456",
            "BP1234",
            "NP12345",
        ] {
            assert!(vehicle_number_ok(ok), "{ok}");
        }
        for bad in [
            "",
            "KA",
            "KA01AB123",
            "1234KA01",
            "KA01AB12345",
            "TM123",
            "KA01AB12#4",
            "KA01ÄB1234",
        ] {
            assert!(!vehicle_number_ok(bad), "{bad}");
        }
    }
}
