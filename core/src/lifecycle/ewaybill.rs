//! The e-way bill state machine (nic-rules C.2, C.4-C.8).
//!
//! ```text
//!  part_a_only --Part-B--> active --extend--> extended --extend--> extended ...
//!       |                    |                   |
//!       +---- cancel (generator, < 24 h) --------+--> cancelled   (terminal)
//!                            +---- reject (other party, < 72 h) --> rejected (terminal)
//!                            +---- now > validUpto -------------> expired (derived)
//! ```
//!
//! Who acts is an input ([`Actor`]): the generator, the other party (the recipient of an outward
//! bill, the supplier of an inward one) or the transporter currently assigned. NIC knows the
//! actor from the GSTIN in the request header; offline, the caller says.
//!
//! `expired` is derived, not stored: an active or extended bill is expired at every instant after
//! its `validUpto` ([`EwayBillRecord::status_at`]). `validUpto` itself is the last valid instant:
//! NIC stamps it 23:59:00, and the guards read that stamp literally (23:59:00 still valid,
//! 23:59:01 lapsed) rather than the rule's "midnight", because the stamp is what NIC compares.
//!
//! Decisions where NIC's documents are silent:
//! - a rejected bill is terminal, like a cancelled one: every further action is refused (NIC's
//!   code where one fits, 380 "not in active state" for an extension);
//! - the 24-hour cancel window runs from generation (`ewayBillDate`), also for a Part-A slip
//!   whose Part-B came later (NIC 728 hints at "from Part-B entry"; UNVERIFIED, nic-rules C.7);
//! - the current transporter may hand the bill over to another transporter after entering Part-B
//!   (the handover the EWB system exists for); 338 stops the *generator* from changing the
//!   transporter once that transporter has entered Part-B;
//! - the 360-day limit (821) follows the EWB system's advisory of 17-12-2024 as described by
//!   GSPs: an extension is refused once nothing is left below the limit, and otherwise its new
//!   validity is capped at the limit, 23:59:00 IST on generation date + 360 days (generated
//!   01-01-2025, limit 27-12-2025 23:59:00).

use std::fmt;

use chrono::TimeDelta;
use serde::{Deserialize, Serialize};

use super::validity::{self, valid_upto, Cargo, Prediction, ValidityError};
use super::Refusal;
use crate::calendar::Timestamp;
use crate::ewaybill::{ExtendValidity, PartBUpdate, UpdateTransporter};
use crate::transport::TransportMode;

/// How long after generation the generator may cancel (C.7, NIC 315).
pub const CANCEL_WINDOW: TimeDelta = TimeDelta::hours(24);

/// How long after generation the other party may reject (C.8, NIC 346).
pub const REJECT_WINDOW: TimeDelta = TimeDelta::hours(72);

/// How far before and after `validUpto` an extension may be asked for (C.6, NIC 382).
pub const EXTENSION_MARGIN: TimeDelta = TimeDelta::hours(8);

/// The most days after generation a bill's validity may reach by extensions (C.6, NIC 821).
pub const MAX_LIFETIME_DAYS: u32 = 360;

/// Where an e-way bill stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EwayBillStatus {
    /// Part-A only: a slip with no vehicle yet, and no validity until the first Part-B.
    PartAOnly,
    /// Valid, never extended.
    Active,
    /// Valid, extended at least once.
    Extended,
    /// Cancelled by its generator. Terminal.
    Cancelled,
    /// Rejected by the other party. Terminal.
    Rejected,
    /// Past its `validUpto` without extension.
    Expired,
}

impl EwayBillStatus {
    /// The status as written in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            EwayBillStatus::PartAOnly => "part_a_only",
            EwayBillStatus::Active => "active",
            EwayBillStatus::Extended => "extended",
            EwayBillStatus::Cancelled => "cancelled",
            EwayBillStatus::Rejected => "rejected",
            EwayBillStatus::Expired => "expired",
        }
    }
}

impl fmt::Display for EwayBillStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Who asks for an action on a bill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Actor {
    /// The GSTIN that generated the bill.
    Generator,
    /// The other party to the supply: the recipient of an outward bill, the supplier of an
    /// inward one.
    OtherParty,
    /// The transporter currently assigned to the bill.
    Transporter,
}

/// The actions on a bill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EwayBillActionKind {
    /// VEHEWB.
    UpdatePartB,
    /// UPDATETRANSPORTER.
    UpdateTransporter,
    /// EXTENDVALIDITY.
    Extend,
    /// CANEWB.
    Cancel,
    /// REJEWB.
    Reject,
}

impl EwayBillActionKind {
    /// The action as written in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            EwayBillActionKind::UpdatePartB => "update_part_b",
            EwayBillActionKind::UpdateTransporter => "update_transporter",
            EwayBillActionKind::Extend => "extend",
            EwayBillActionKind::Cancel => "cancel",
            EwayBillActionKind::Reject => "reject",
        }
    }
}

impl fmt::Display for EwayBillActionKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What the lifecycle needs to know about one e-way bill.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EwayBillRecord {
    /// The stored status (`expired` may also be derived, see [`status_at`](Self::status_at)).
    pub status: EwayBillStatus,
    /// When the bill (its Part-A) was generated (`ewayBillDate`).
    pub generated_at: Timestamp,
    /// NIC's `validUpto`; none for a Part-A-only slip.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_upto: Option<Timestamp>,
    /// The distance the bill was generated for, in km: NIC's PIN-to-PIN figure when 0 was
    /// declared. An extension's remaining distance may not exceed it (390).
    pub distance_km: u32,
    /// The cargo class, for the validity of the first Part-B and of extensions.
    #[serde(default)]
    pub cargo: Cargo,
    /// The transporter assigned (GSTIN or TRANSIN), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transporter_id: Option<String>,
    /// Whether that transporter has entered Part-B itself (635, 338, 637).
    #[serde(default)]
    pub transporter_entered_part_b: bool,
}

/// An action on a bill, as JSON (`{"action": "extend", "actor": "transporter", ...}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    tag = "action",
    rename_all = "snake_case",
    rename_all_fields = "camelCase",
    deny_unknown_fields
)]
pub enum EwayBillAction {
    /// Enter or change Part-B (vehicle / transport document).
    UpdatePartB {
        /// Who.
        actor: Actor,
        /// The cargo class of the new vehicle, when it changes.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        cargo: Option<Cargo>,
    },
    /// Assign another transporter.
    UpdateTransporter {
        /// Who.
        actor: Actor,
        /// The new transporter's GSTIN or TRANSIN.
        transporter_id: String,
    },
    /// Extend validity.
    Extend {
        /// Who.
        actor: Actor,
        /// Km still to travel (`remainingDistance`).
        remaining_distance_km: u32,
        /// The cargo class from here on, when it changes (e.g. goods moved to a ship).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        cargo: Option<Cargo>,
    },
    /// Cancel.
    Cancel {
        /// Who.
        actor: Actor,
    },
    /// Reject.
    Reject {
        /// Who.
        actor: Actor,
    },
}

impl EwayBillAction {
    /// Which action this is.
    pub fn kind(&self) -> EwayBillActionKind {
        match self {
            EwayBillAction::UpdatePartB { .. } => EwayBillActionKind::UpdatePartB,
            EwayBillAction::UpdateTransporter { .. } => EwayBillActionKind::UpdateTransporter,
            EwayBillAction::Extend { .. } => EwayBillActionKind::Extend,
            EwayBillAction::Cancel { .. } => EwayBillActionKind::Cancel,
            EwayBillAction::Reject { .. } => EwayBillActionKind::Reject,
        }
    }
}

/// Why an action on an e-way bill is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EwayBillRefusal {
    /// The bill is cancelled (312; 379 for an extension; 343 for a rejection).
    #[error("the e-way bill is cancelled; {action} is not possible")]
    Cancelled {
        /// What was asked.
        action: EwayBillActionKind,
    },
    /// The bill was rejected by the other party (380 for an extension).
    #[error("the e-way bill was rejected by the other party; {action} is not possible")]
    Rejected {
        /// What was asked.
        action: EwayBillActionKind,
    },
    /// The bill has no Part-B yet (381 for an extension, 348 for a rejection).
    #[error("the e-way bill has no Part-B yet; enter the vehicle details first")]
    NoPartB {
        /// What was asked.
        action: EwayBillActionKind,
    },
    /// A bill without `validUpto` in a status that must have one: fetch it again.
    #[error("the e-way bill is {status} but its validity is unknown; fetch it first")]
    ValidityUnknown {
        /// The stored status.
        status: EwayBillStatus,
    },
    /// Only the generator may cancel (312).
    #[error("only the generator of an e-way bill may cancel it")]
    NotGenerator,
    /// Part-B by someone not assigned (636).
    #[error("only the assigned transporter, or the generator while no transporter has entered Part-B, may update Part-B")]
    NotAssignedForPartB,
    /// The current transporter has entered Part-B, so the generator may no longer act (635 for
    /// Part-B, 338 for the transporter, 637 for an extension).
    #[error("the current transporter has entered Part-B, so only that transporter may {action}")]
    TransporterEnteredPartB {
        /// What was asked.
        action: EwayBillActionKind,
    },
    /// Transporter update by someone not assigned (339).
    #[error("only the generator or the assigned transporter may change the transporter")]
    NotAssignedForTransporterUpdate,
    /// Extension by someone who is neither the current transporter nor the generator of a bill
    /// without transporter (384).
    #[error("only the current transporter, or the generator of a bill with no transporter, may extend it")]
    NotCurrentTransporter,
    /// Extension by a transporter when none is assigned (700).
    #[error("no transporter is assigned to this e-way bill, so no transporter may extend it")]
    NotAssignedToExtend,
    /// The generator tried to reject its own bill (341).
    #[error("the generator cannot reject its own e-way bill")]
    GeneratorCannotReject,
    /// Rejection by someone other than the other party (342).
    #[error("only the other party to the supply may reject an e-way bill")]
    NotOtherParty,
    /// The bill's validity has lapsed (311 Part-B, 281 transporter, 345 reject).
    #[error("the e-way bill's validity lapsed at {valid_upto}; {action} is no longer possible")]
    ValidityLapsed {
        /// What was asked.
        action: EwayBillActionKind,
        /// The end of validity.
        valid_upto: Timestamp,
    },
    /// The 24 hours after generation are over (315).
    #[error("an e-way bill can be cancelled only within 24 hours of generation ({generated_at}); the window closed at {deadline}")]
    CancelWindowClosed {
        /// Generation.
        generated_at: Timestamp,
        /// Generation + 24 h, the first instant refused.
        deadline: Timestamp,
    },
    /// The 72 hours after generation are over (346).
    #[error("an e-way bill can be rejected only within 72 hours of generation ({generated_at}); the window closed at {deadline}")]
    RejectWindowClosed {
        /// Generation.
        generated_at: Timestamp,
        /// Generation + 72 h, the first instant refused.
        deadline: Timestamp,
    },
    /// Outside validUpto +/- 8 h (382).
    #[error("an e-way bill can be extended only from {opens} to {closes} (8 hours either side of its validity, {valid_upto})")]
    OutsideExtensionWindow {
        /// The current end of validity.
        valid_upto: Timestamp,
        /// validUpto - 8 h, the first instant allowed.
        opens: Timestamp,
        /// validUpto + 8 h, the last instant allowed.
        closes: Timestamp,
    },
    /// No remaining distance given (389).
    #[error("an extension needs the remaining distance")]
    RemainingDistanceRequired,
    /// Remaining distance above the bill's distance (390).
    #[error("the remaining distance {remaining_km} km is more than the bill's distance {distance_km} km")]
    RemainingDistanceTooLong {
        /// Asked.
        remaining_km: u32,
        /// The bill's distance.
        distance_km: u32,
    },
    /// Nothing is left below the 360-day limit (821).
    #[error(
        "an e-way bill's validity cannot be extended beyond 360 days from generation ({limit})"
    )]
    LifetimeLimit {
        /// 23:59:00 IST on generation date + 360 days.
        limit: Timestamp,
    },
    /// The validity could not be predicted (e.g. distance 0 with no PIN-to-PIN figure).
    #[error("{0}")]
    Validity(ValidityError),
}

impl Refusal for EwayBillRefusal {
    fn code(&self) -> &'static str {
        use EwayBillRefusal::*;
        match self {
            Cancelled { .. } => "ewaybill.cancelled",
            Rejected { .. } => "ewaybill.rejected",
            NoPartB { .. } => "ewaybill.no_part_b",
            ValidityUnknown { .. } => "ewaybill.validity_unknown",
            NotGenerator => "ewaybill.not_generator",
            NotAssignedForPartB => "ewaybill.not_assigned_for_part_b",
            TransporterEnteredPartB { .. } => "ewaybill.transporter_entered_part_b",
            NotAssignedForTransporterUpdate => "ewaybill.not_assigned_for_transporter_update",
            NotCurrentTransporter => "ewaybill.not_current_transporter",
            NotAssignedToExtend => "ewaybill.not_assigned_to_extend",
            GeneratorCannotReject => "ewaybill.generator_cannot_reject",
            NotOtherParty => "ewaybill.not_other_party",
            ValidityLapsed { .. } => "ewaybill.validity_lapsed",
            CancelWindowClosed { .. } => "ewaybill.cancel_window_closed",
            RejectWindowClosed { .. } => "ewaybill.reject_window_closed",
            OutsideExtensionWindow { .. } => "ewaybill.outside_extension_window",
            RemainingDistanceRequired => "ewaybill.remaining_distance_required",
            RemainingDistanceTooLong { .. } => "ewaybill.remaining_distance_too_long",
            LifetimeLimit { .. } => "ewaybill.lifetime_limit",
            Validity(e) => e.code(),
        }
    }

    fn nic_code(&self) -> Option<&'static str> {
        use EwayBillActionKind as A;
        use EwayBillRefusal::*;
        Some(match self {
            Cancelled { action: A::Extend } => "379",
            Cancelled { action: A::Reject } => "343",
            Cancelled { .. } => "312",
            Rejected { action: A::Extend } => "380",
            Rejected { .. } => return None,
            NoPartB { action: A::Extend } => "381",
            NoPartB { action: A::Reject } => "348",
            NoPartB { .. } => return None,
            ValidityUnknown { .. } => return None,
            NotGenerator => "312",
            NotAssignedForPartB => "636",
            TransporterEnteredPartB {
                action: A::UpdateTransporter,
            } => "338",
            TransporterEnteredPartB { action: A::Extend } => "637",
            TransporterEnteredPartB { .. } => "635",
            NotAssignedForTransporterUpdate => "339",
            NotCurrentTransporter => "384",
            NotAssignedToExtend => "700",
            GeneratorCannotReject => "341",
            NotOtherParty => "342",
            ValidityLapsed {
                action: A::UpdateTransporter,
                ..
            } => "281",
            ValidityLapsed {
                action: A::Reject, ..
            } => "345",
            ValidityLapsed { .. } => "311",
            CancelWindowClosed { .. } => "315",
            RejectWindowClosed { .. } => "346",
            OutsideExtensionWindow { .. } => "382",
            RemainingDistanceRequired => "389",
            RemainingDistanceTooLong { .. } => "390",
            LifetimeLimit { .. } => "821",
            Validity(e) => return e.nic_code(),
        })
    }
}

impl From<ValidityError> for EwayBillRefusal {
    fn from(e: ValidityError) -> Self {
        match e {
            ValidityError::RemainingDistanceRequired => EwayBillRefusal::RemainingDistanceRequired,
            other => EwayBillRefusal::Validity(other),
        }
    }
}

/// The result of an allowed extension.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Extension {
    /// The bill, extended.
    pub record: EwayBillRecord,
    /// What the slabs alone give, before the 360-day limit.
    pub prediction: Prediction,
    /// Whether the 360-day limit cut the new validity short.
    pub capped: bool,
}

impl EwayBillRecord {
    /// The status at `now`: an active or extended bill past its `validUpto` is expired.
    pub fn status_at(&self, now: &Timestamp) -> EwayBillStatus {
        match (self.status, self.valid_upto) {
            (EwayBillStatus::Active | EwayBillStatus::Extended, Some(v)) if *now > v => {
                EwayBillStatus::Expired
            }
            (status, _) => status,
        }
    }

    /// The limit of the 360-day rule: 23:59:00 IST on generation date + 360 days.
    pub fn lifetime_limit(&self) -> Timestamp {
        valid_upto(&self.generated_at, MAX_LIFETIME_DAYS)
    }

    /// Refuses if the bill is cancelled or rejected: both are terminal for every action.
    fn check_open(&self, action: EwayBillActionKind) -> Result<(), EwayBillRefusal> {
        match self.status {
            EwayBillStatus::Cancelled => Err(EwayBillRefusal::Cancelled { action }),
            EwayBillStatus::Rejected => Err(EwayBillRefusal::Rejected { action }),
            _ => Ok(()),
        }
    }

    /// Refuses if the bill's validity lapsed before `now`. A Part-A slip has no validity to
    /// lapse; any other status without `validUpto` is a record to fetch again.
    fn check_valid(
        &self,
        action: EwayBillActionKind,
        now: &Timestamp,
    ) -> Result<(), EwayBillRefusal> {
        match (self.status, self.valid_upto) {
            (EwayBillStatus::PartAOnly, None) => Ok(()),
            (status, None) => Err(EwayBillRefusal::ValidityUnknown { status }),
            (_, Some(valid_upto)) if *now > valid_upto => {
                Err(EwayBillRefusal::ValidityLapsed { action, valid_upto })
            }
            (EwayBillStatus::Expired, Some(valid_upto)) => {
                // Stored as expired by NIC although the stamp says otherwise: NIC wins.
                Err(EwayBillRefusal::ValidityLapsed { action, valid_upto })
            }
            _ => Ok(()),
        }
    }

    /// Part-B (VEHEWB) at `now` by `actor`, with the new vehicle's cargo class if it changes.
    ///
    /// Order: open (312 cancelled), who (636 not assigned, 635 generator after the transporter's
    /// Part-B), validity (311: `now` after `validUpto`). The first Part-B of a Part-A slip starts
    /// its validity: `validUpto` is predicted from `now` over the bill's distance.
    pub fn update_part_b(
        &self,
        actor: Actor,
        now: &Timestamp,
        cargo: Option<Cargo>,
    ) -> Result<EwayBillRecord, EwayBillRefusal> {
        let action = EwayBillActionKind::UpdatePartB;
        self.check_open(action)?;
        match actor {
            Actor::OtherParty => return Err(EwayBillRefusal::NotAssignedForPartB),
            Actor::Transporter if self.transporter_id.is_none() => {
                return Err(EwayBillRefusal::NotAssignedForPartB)
            }
            Actor::Generator if self.transporter_entered_part_b => {
                return Err(EwayBillRefusal::TransporterEnteredPartB { action })
            }
            _ => {}
        }
        self.check_valid(action, now)?;
        let mut next = self.clone();
        if let Some(c) = cargo {
            next.cargo = c;
        }
        if actor == Actor::Transporter {
            next.transporter_entered_part_b = true;
        }
        if self.status == EwayBillStatus::PartAOnly {
            let p = validity::predict(&validity::ValidityInput {
                from: *now,
                distance_km: next.distance_km,
                pin_to_pin_km: None,
                cargo: next.cargo,
            })?;
            next.status = EwayBillStatus::Active;
            next.valid_upto = Some(p.valid_upto);
        }
        Ok(next)
    }

    /// Transporter update (UPDATETRANSPORTER) at `now` by `actor` to `transporter_id`.
    ///
    /// Order: open (312), who (339 other party or unassigned transporter; 338 generator once the
    /// current transporter entered Part-B), validity (281: expired). The new transporter starts
    /// without Part-B of its own.
    pub fn update_transporter(
        &self,
        actor: Actor,
        now: &Timestamp,
        transporter_id: &str,
    ) -> Result<EwayBillRecord, EwayBillRefusal> {
        let action = EwayBillActionKind::UpdateTransporter;
        self.check_open(action)?;
        match actor {
            Actor::OtherParty => return Err(EwayBillRefusal::NotAssignedForTransporterUpdate),
            Actor::Transporter if self.transporter_id.is_none() => {
                return Err(EwayBillRefusal::NotAssignedForTransporterUpdate)
            }
            Actor::Generator if self.transporter_entered_part_b => {
                return Err(EwayBillRefusal::TransporterEnteredPartB { action })
            }
            _ => {}
        }
        self.check_valid(action, now)?;
        Ok(EwayBillRecord {
            transporter_id: Some(transporter_id.to_owned()),
            transporter_entered_part_b: false,
            ..self.clone()
        })
    }

    /// Extension (EXTENDVALIDITY) at `now` by `actor` with `remaining_km` to go.
    ///
    /// Order: open (379 cancelled, 380 rejected), Part-B (381), who (384; 700 a transporter when
    /// none is assigned; 637 the generator once the transporter entered Part-B), distance (389
    /// zero, 390 more than the bill's distance), window (382: allowed from validUpto - 8 h to
    /// validUpto + 8 h, both ends included), 360 days (821). The new validity is predicted from
    /// `now` over `remaining_km` and capped at the 360-day limit.
    pub fn extend(
        &self,
        actor: Actor,
        now: &Timestamp,
        remaining_km: u32,
        cargo: Option<Cargo>,
    ) -> Result<Extension, EwayBillRefusal> {
        let action = EwayBillActionKind::Extend;
        self.check_open(action)?;
        if self.status == EwayBillStatus::PartAOnly {
            return Err(EwayBillRefusal::NoPartB { action });
        }
        match actor {
            Actor::OtherParty => return Err(EwayBillRefusal::NotCurrentTransporter),
            Actor::Transporter if self.transporter_id.is_none() => {
                return Err(EwayBillRefusal::NotAssignedToExtend)
            }
            Actor::Generator if self.transporter_entered_part_b => {
                return Err(EwayBillRefusal::TransporterEnteredPartB { action })
            }
            Actor::Generator if self.transporter_id.is_some() => {
                return Err(EwayBillRefusal::NotCurrentTransporter)
            }
            _ => {}
        }
        if remaining_km == 0 {
            return Err(EwayBillRefusal::RemainingDistanceRequired);
        }
        if remaining_km > self.distance_km {
            return Err(EwayBillRefusal::RemainingDistanceTooLong {
                remaining_km,
                distance_km: self.distance_km,
            });
        }
        let valid_upto = self.valid_upto.ok_or(EwayBillRefusal::ValidityUnknown {
            status: self.status,
        })?;
        let opens = valid_upto - EXTENSION_MARGIN;
        let closes = valid_upto + EXTENSION_MARGIN;
        if *now < opens || *now > closes {
            return Err(EwayBillRefusal::OutsideExtensionWindow {
                valid_upto,
                opens,
                closes,
            });
        }
        let limit = self.lifetime_limit();
        if valid_upto >= limit || *now > limit {
            return Err(EwayBillRefusal::LifetimeLimit { limit });
        }
        let cargo = cargo.unwrap_or(self.cargo);
        let prediction = validity::predict_extension(now, remaining_km, cargo)?;
        let capped = prediction.valid_upto > limit;
        let record = EwayBillRecord {
            status: EwayBillStatus::Extended,
            valid_upto: Some(if capped { limit } else { prediction.valid_upto }),
            cargo,
            ..self.clone()
        };
        Ok(Extension {
            record,
            prediction,
            capped,
        })
    }

    /// Cancel (CANEWB) at `now` by `actor`.
    ///
    /// Order: open (312 cancelled), who (312: only the generator), window (315: allowed before
    /// generation + 24 h; +23:59:59 allowed, +24:00:00 refused).
    pub fn cancel(&self, actor: Actor, now: &Timestamp) -> Result<EwayBillRecord, EwayBillRefusal> {
        self.check_open(EwayBillActionKind::Cancel)?;
        if actor != Actor::Generator {
            return Err(EwayBillRefusal::NotGenerator);
        }
        let deadline = self.generated_at + CANCEL_WINDOW;
        if *now >= deadline {
            return Err(EwayBillRefusal::CancelWindowClosed {
                generated_at: self.generated_at,
                deadline,
            });
        }
        Ok(EwayBillRecord {
            status: EwayBillStatus::Cancelled,
            ..self.clone()
        })
    }

    /// Reject (REJEWB) at `now` by `actor`.
    ///
    /// Order: open (343 cancelled), who (341 the generator, 342 the transporter), Part-B (348),
    /// window (346: allowed before generation + 72 h), validity (345: lapsed).
    pub fn reject(&self, actor: Actor, now: &Timestamp) -> Result<EwayBillRecord, EwayBillRefusal> {
        let action = EwayBillActionKind::Reject;
        self.check_open(action)?;
        match actor {
            Actor::Generator => return Err(EwayBillRefusal::GeneratorCannotReject),
            Actor::Transporter => return Err(EwayBillRefusal::NotOtherParty),
            Actor::OtherParty => {}
        }
        if self.status == EwayBillStatus::PartAOnly {
            return Err(EwayBillRefusal::NoPartB { action });
        }
        let deadline = self.generated_at + REJECT_WINDOW;
        if *now >= deadline {
            return Err(EwayBillRefusal::RejectWindowClosed {
                generated_at: self.generated_at,
                deadline,
            });
        }
        self.check_valid(action, now)?;
        Ok(EwayBillRecord {
            status: EwayBillStatus::Rejected,
            ..self.clone()
        })
    }

    /// Runs `action` at `now`: the one entry point the vectors and adapters use.
    pub fn apply(
        &self,
        action: &EwayBillAction,
        now: &Timestamp,
    ) -> Result<EwayBillRecord, EwayBillRefusal> {
        match action {
            EwayBillAction::UpdatePartB { actor, cargo } => self.update_part_b(*actor, now, *cargo),
            EwayBillAction::UpdateTransporter {
                actor,
                transporter_id,
            } => self.update_transporter(*actor, now, transporter_id),
            EwayBillAction::Extend {
                actor,
                remaining_distance_km,
                cargo,
            } => self
                .extend(*actor, now, *remaining_distance_km, *cargo)
                .map(|e| e.record),
            EwayBillAction::Cancel { actor } => self.cancel(*actor, now),
            EwayBillAction::Reject { actor } => self.reject(*actor, now),
        }
    }
}

/// The guards for the API's own request types ([`crate::ewaybill`]), so a caller holding a
/// request does not restate what is in it. The reasons those requests carry (`PartBReason`,
/// `ExtensionReason`, `EwayBillCancelReason`) never decide whether an action is allowed, so
/// cancel and reject, whose requests hold nothing else, need no adapter.
impl EwayBillRecord {
    /// [`update_part_b`](Self::update_part_b) for a VEHEWB request: the cargo class follows the
    /// request's vehicle type and mode (ODC, or ship).
    pub fn apply_part_b(
        &self,
        request: &PartBUpdate,
        actor: Actor,
        now: &Timestamp,
    ) -> Result<EwayBillRecord, EwayBillRefusal> {
        let cargo = Cargo::of(request.vehicle_type, Some(request.transport_mode));
        self.update_part_b(actor, now, Some(cargo))
    }

    /// [`extend`](Self::extend) for an EXTENDVALIDITY request. Goods now moving by ship count 20 km
    /// a day; otherwise the bill keeps its class (the request has no vehicle type, and a movement
    /// that had a ship leg keeps counting as one).
    pub fn apply_extension(
        &self,
        request: &ExtendValidity,
        actor: Actor,
        now: &Timestamp,
    ) -> Result<Extension, EwayBillRefusal> {
        let cargo = match request.transport_mode.transport_mode() {
            Some(TransportMode::Ship) => Some(Cargo::ShipLeg),
            _ => None,
        };
        self.extend(actor, now, request.remaining_distance, cargo)
    }

    /// [`update_transporter`](Self::update_transporter) for an UPDATETRANSPORTER request.
    pub fn apply_transporter_update(
        &self,
        request: &UpdateTransporter,
        actor: Actor,
        now: &Timestamp,
    ) -> Result<EwayBillRecord, EwayBillRefusal> {
        self.update_transporter(actor, now, &request.transporter_id)
    }
}
