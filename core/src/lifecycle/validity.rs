//! The e-way bill validity predictor (Rule 138(10), nic-rules C.2 and C.3).
//!
//! A bill is valid for `days` days, where a day is 200 km of travel (20 km for over-dimensional
//! cargo or a multimodal movement with a ship leg), at least one day, and "each day ... expiring at
//! midnight of the day immediately following the date of generation". NIC stamps that end as
//! **23:59:00 IST on (start date + days)**: recorded replies 05/10/2022 12:39 PM + 10 km ->
//! 06/10/2022 11:59:00 PM, and 2022-09-16 19:29 + 2467 km -> 2022-09-29 23:59:00. An extension is
//! the same rule counted from the extension time over the remaining distance (recorded: 04/07/2023
//! 06:13 PM, 5 km -> 05/07/2023 11:59:00 PM).
//!
//! This is a predictor: the `validUpto` NIC returns from GENEWAYBILL, VEHEWB and EXTENDVALIDITY is
//! authoritative. Two inputs are on the caller:
//! - a declared distance of 0 asks NIC to compute the PIN-to-PIN road distance; NIC reports it back
//!   (the EWB `alert`, or the e-invoice `InfoDtls` EWBPPD entry). The predictor cannot know it, so
//!   with distance 0 it needs that PIN-to-PIN distance as an input and refuses without it;
//! - a Part-A-only slip has no validity at all until its first Part-B entry, so the start instant
//!   is the Part-B entry, not the Part-A generation (see [`predict_on_generation`]).

use chrono::{Days, NaiveTime};
use serde::{Deserialize, Serialize};

use crate::calendar::{from_ist_naive, ist_date, Timestamp};
use crate::transport::{TransportMode, VehicleType};

/// The largest distance NIC accepts, in km (`EwbDtls.Distance` and `transDistance` max 4000).
pub const MAX_DISTANCE_KM: u32 = 4000;

/// Km of travel per day of validity for normal cargo (200 since 01-01-2021, Notif. 94/2020-CT).
pub const KM_PER_DAY_NORMAL: u32 = 200;

/// Km of travel per day of validity for over-dimensional cargo or a ship leg.
pub const KM_PER_DAY_SLOW: u32 = 20;

/// What is carried, and how, as far as validity is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cargo {
    /// Anything else: 200 km a day.
    #[default]
    Normal,
    /// Over-dimensional cargo (vehicle type `O`): 20 km a day.
    OverDimensional,
    /// A multimodal movement with at least one leg by ship: 20 km a day.
    ShipLeg,
}

impl Cargo {
    /// Km of travel that one day of validity covers.
    pub fn km_per_day(self) -> u32 {
        match self {
            Cargo::Normal => KM_PER_DAY_NORMAL,
            Cargo::OverDimensional | Cargo::ShipLeg => KM_PER_DAY_SLOW,
        }
    }

    /// The cargo class implied by a bill's vehicle type and mode. ODC wins over the mode; ship
    /// (mode 4, which NIC also uses for ship-cum-road/rail) counts as a ship leg.
    pub fn of(vehicle_type: Option<VehicleType>, mode: Option<TransportMode>) -> Cargo {
        match (vehicle_type, mode) {
            (Some(VehicleType::OverDimensionalCargo), _) => Cargo::OverDimensional,
            (_, Some(TransportMode::Ship)) => Cargo::ShipLeg,
            _ => Cargo::Normal,
        }
    }
}

/// Days of validity for a distance: `max(1, ceil(km / km_per_day))`.
///
/// Zero km gives one day: the rule's first slab is "up to 200 km" (or 20 km), which includes 0.
pub fn validity_days(distance_km: u32, cargo: Cargo) -> u32 {
    distance_km.div_ceil(cargo.km_per_day()).max(1)
}

/// The end of validity of a bill whose validity starts at `start` and lasts `days` days:
/// 23:59:00 IST on the IST date of `start` plus `days`.
///
/// The calendar date is taken in IST because that is the date NIC counts from, whatever offset
/// `start` carries. A date past the calendar's end (only reachable with absurd inputs, far beyond
/// the 360-day cap of rule 821) saturates at the calendar's last day rather than panicking.
pub fn valid_upto(start: &Timestamp, days: u32) -> Timestamp {
    let end_date = ist_date(start)
        .checked_add_days(Days::new(u64::from(days)))
        .unwrap_or(chrono::NaiveDate::MAX);
    from_ist_naive(end_date.and_time(end_of_validity_day()))
}

/// 23:59:00, the time of day NIC writes into every `validUpto`.
fn end_of_validity_day() -> NaiveTime {
    NaiveTime::from_hms_opt(23, 59, 0).expect("23:59:00 is a time")
}

/// What the predictor is asked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ValidityInput {
    /// When validity starts: the generation of a bill with Part-B, the first Part-B entry of a
    /// Part-A-only slip, or the extension.
    pub from: Timestamp,
    /// The distance declared on the bill, 0 to 4000 km; 0 asks NIC to compute it.
    pub distance_km: u32,
    /// NIC's PIN-to-PIN distance (EWBPPD / `alert`), needed when `distance_km` is 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pin_to_pin_km: Option<u32>,
    /// The cargo class.
    #[serde(default)]
    pub cargo: Cargo,
}

/// What the predictor answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Prediction {
    /// The distance the days were counted over (the PIN-to-PIN distance when 0 was declared).
    pub distance_km: u32,
    /// Days of validity.
    pub days: u32,
    /// The predicted `validUpto`, 23:59:00 IST.
    pub valid_upto: Timestamp,
}

/// Why the predictor cannot answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ValidityError {
    /// Distance 0 means "NIC computes it"; without NIC's PIN-to-PIN figure there is nothing to
    /// count days over.
    #[error("distance 0 asks NIC to compute the PIN-to-PIN distance; pass that distance to predict validity")]
    NeedPinToPinDistance,
    /// A declared distance above 4000 km, which NIC's schemas do not accept.
    #[error("distance {0} km is more than the 4000 km NIC accepts")]
    DistanceOutOfRange(u32),
    /// An extension needs the distance still to travel (EWB 389); 0 is "not given".
    #[error("an extension needs the remaining distance (NIC 389)")]
    RemainingDistanceRequired,
}

impl ValidityError {
    /// A stable code for the error (`validity.*`).
    pub fn code(self) -> &'static str {
        match self {
            ValidityError::NeedPinToPinDistance => "validity.need_pin_to_pin_distance",
            ValidityError::DistanceOutOfRange(_) => "validity.distance_out_of_range",
            ValidityError::RemainingDistanceRequired => "validity.remaining_distance_required",
        }
    }

    /// The EWB code NIC answers for the same problem, where there is one.
    pub fn nic_code(self) -> Option<&'static str> {
        match self {
            ValidityError::RemainingDistanceRequired => Some("389"),
            _ => None,
        }
    }
}

/// Predicts `validUpto` for a bill whose validity starts at `input.from`.
pub fn predict(input: &ValidityInput) -> Result<Prediction, ValidityError> {
    if input.distance_km > MAX_DISTANCE_KM {
        return Err(ValidityError::DistanceOutOfRange(input.distance_km));
    }
    let distance_km = match (input.distance_km, input.pin_to_pin_km) {
        (0, Some(km)) => km,
        (0, None) => return Err(ValidityError::NeedPinToPinDistance),
        (km, _) => km,
    };
    Ok(prediction(&input.from, distance_km, input.cargo))
}

/// Predicts the validity a bill gets when it is generated at `generated_at`: none for a
/// Part-A-only slip (`has_part_b` false), whose validity starts with its first Part-B entry.
pub fn predict_on_generation(
    generated_at: Timestamp,
    has_part_b: bool,
    distance_km: u32,
    pin_to_pin_km: Option<u32>,
    cargo: Cargo,
) -> Result<Option<Prediction>, ValidityError> {
    if !has_part_b {
        return Ok(None);
    }
    predict(&ValidityInput {
        from: generated_at,
        distance_km,
        pin_to_pin_km,
        cargo,
    })
    .map(Some)
}

/// Predicts the new `validUpto` of an extension made at `extended_at` with `remaining_km` still
/// to travel (EXTENDVALIDITY's `remainingDistance`). Unlike a declared distance, 0 here is not
/// "compute it": NIC refuses it (389).
pub fn predict_extension(
    extended_at: &Timestamp,
    remaining_km: u32,
    cargo: Cargo,
) -> Result<Prediction, ValidityError> {
    if remaining_km == 0 {
        return Err(ValidityError::RemainingDistanceRequired);
    }
    if remaining_km > MAX_DISTANCE_KM {
        return Err(ValidityError::DistanceOutOfRange(remaining_km));
    }
    Ok(prediction(extended_at, remaining_km, cargo))
}

fn prediction(from: &Timestamp, distance_km: u32, cargo: Cargo) -> Prediction {
    let days = validity_days(distance_km, cargo);
    Prediction {
        distance_km,
        days,
        valid_upto: valid_upto(from, days),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::{format_ewaybill_timestamp, parse_ewaybill_timestamp};

    #[test]
    fn absurd_day_counts_saturate_instead_of_panicking() {
        let start = parse_ewaybill_timestamp("05/10/2022 12:39:00 PM").unwrap();
        assert_eq!(
            valid_upto(&start, u32::MAX).date_naive(),
            chrono::NaiveDate::MAX
        );
    }

    #[test]
    fn days_per_slab() {
        for (km, cargo, days) in [
            (0, Cargo::Normal, 1),
            (1, Cargo::Normal, 1),
            (200, Cargo::Normal, 1),
            (201, Cargo::Normal, 2),
            (3999, Cargo::Normal, 20),
            (4000, Cargo::Normal, 20),
            (20, Cargo::OverDimensional, 1),
            (21, Cargo::OverDimensional, 2),
            (3999, Cargo::ShipLeg, 200),
        ] {
            assert_eq!(validity_days(km, cargo), days, "{km} km {cargo:?}");
        }
    }

    #[test]
    fn validity_ends_on_the_ist_date() {
        // 20:00 UTC is already the next day in IST.
        let start = chrono::DateTime::parse_from_rfc3339("2022-10-05T20:00:00Z").unwrap();
        assert_eq!(
            format_ewaybill_timestamp(&valid_upto(&start, 1)),
            "07/10/2022 11:59:00 PM"
        );
        let start = parse_ewaybill_timestamp("05/10/2022 12:39:00 PM").unwrap();
        assert_eq!(
            valid_upto(&start, 1).to_rfc3339(),
            "2022-10-06T23:59:00+05:30"
        );
    }

    #[test]
    fn cargo_from_vehicle_and_mode() {
        assert_eq!(Cargo::of(None, None), Cargo::Normal);
        assert_eq!(
            Cargo::of(Some(VehicleType::Regular), Some(TransportMode::Ship)),
            Cargo::ShipLeg
        );
        assert_eq!(
            Cargo::of(
                Some(VehicleType::OverDimensionalCargo),
                Some(TransportMode::Road)
            ),
            Cargo::OverDimensional
        );
    }
}
