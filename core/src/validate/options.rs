//! The knobs of validation, in one struct with documented defaults.
//!
//! Every default is NIC's current rule, cited by its section in nic-rules; the knobs exist because
//! NIC changes these numbers (the reporting limit went from 100 Cr to 10 Cr in 2025, the rate
//! master may gain a 40 % slab) and because some of NIC's limits are unverified.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::calendar::Timestamp;
use crate::finding::Severity;
use crate::gstin::GstinOptions;

/// Options for [`super::validate_invoice`] and [`super::validate_ewaybill`]. Deserializes from
/// camelCase JSON; every field may be left out and takes its default.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct ValidationOptions {
    /// NIC sandbox mode (default `false`). Turns the GSTIN check character off, because NIC's
    /// sandbox test GSTINs fail it (nic-rules B.3, E.4).
    pub sandbox: bool,
    /// The current time (default `None`). The library never reads the clock; the date rules
    /// (future date 2163, reporting limit 2305, e-way bill 180 days 820) run only when it is given.
    pub now: Option<Timestamp>,
    /// The supplier's aggregate annual turnover in rupees (default `None`). The 6-digit HSN rule
    /// and the 30-day reporting limit depend on it and are skipped when it is unknown.
    pub aggregate_turnover: Option<Decimal>,
    /// How far an item's tax may be from `AssAmt x rate / 100`, in rupees (default `1`). NIC's
    /// exact item tolerance is unverified; +/- 1 is peer practice (nic-rules B.2).
    pub item_tax_tolerance: Decimal,
    /// How far `TotInvVal` may be from the sum of its parts, in rupees (default `1`: NIC's
    /// resolution text for 2189, nic-rules B.2).
    pub total_tolerance: Decimal,
    /// The most items a document may have (default `1000`, NIC error 2173; NIC raises it to 5000
    /// on request, nic-rules B.1).
    pub max_items: usize,
    /// The allowed GST rates, replacing the master list `schemas/masters/gst-rates.json`
    /// (default `None`: the master's active rates, without the unverified 40 % slab; 2240,
    /// nic-rules B.2).
    pub gst_rates: Option<Vec<Decimal>>,
    /// Days after the document date within which an IRN may still be generated (default `30`,
    /// error 2305, nic-rules B.6). A document dated 1 April may be reported up to 30 April, as in
    /// the example quoted from GSTN's advisory.
    pub reporting_window_days: u32,
    /// The aggregate turnover from which the reporting limit applies, in rupees (default 10 crore,
    /// i.e. `100000000`: from 01-04-2025, nic-rules B.6).
    pub reporting_window_turnover: Decimal,
    /// The aggregate turnover from which HSN codes need at least 6 digits, in rupees (default 5
    /// crore, i.e. `50000000`: Notification 78/2020-CT, enforced by the IRP from 15-12-2023,
    /// nic-rules B.5).
    pub hsn_six_digit_turnover: Decimal,
    /// How a document number with lower-case letters is reported (default `error`: NIC's IRN page
    /// says such a request is rejected, although the schema pattern allows `a-z`; nic-rules A.3).
    pub lowercase_document_number: Severity,
    /// How a PIN code outside every PIN range of its state is reported (default `error`, NIC
    /// error 2178). The ranges are NIC's first-three-digit master as compiled by a peer; set
    /// `warning` if the IRP's exact PIN lookup accepts a PIN the ranges miss (nic-rules B.4).
    pub pin_state_mismatch: Severity,
    /// The consignment value from which an e-way bill is required, in rupees (default `50000`:
    /// Rule 138(1), nic-rules C.1). A bill below it is valid but unnecessary, so it is a warning;
    /// some states use other thresholds for intra-state movement.
    pub ewaybill_value_threshold: Decimal,
}

impl Default for ValidationOptions {
    fn default() -> Self {
        ValidationOptions {
            sandbox: false,
            now: None,
            aggregate_turnover: None,
            item_tax_tolerance: Decimal::ONE,
            total_tolerance: Decimal::ONE,
            max_items: 1000,
            gst_rates: None,
            reporting_window_days: 30,
            reporting_window_turnover: Decimal::new(100_000_000, 0),
            hsn_six_digit_turnover: Decimal::new(50_000_000, 0),
            lowercase_document_number: Severity::Error,
            pin_state_mismatch: Severity::Error,
            ewaybill_value_threshold: Decimal::new(50_000, 0),
        }
    }
}

impl ValidationOptions {
    /// The GSTIN options these options imply: the check character is off in sandbox mode.
    pub fn gstin_options(&self) -> GstinOptions {
        GstinOptions {
            check_character: !self.sandbox,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_from_empty_json() {
        let o: ValidationOptions = serde_json::from_str("{}").unwrap();
        assert_eq!(o, ValidationOptions::default());
        assert_eq!(o.max_items, 1000);
        assert!(o.gstin_options().check_character);
    }

    #[test]
    fn camel_case_fields() {
        let o: ValidationOptions = serde_json::from_str(
            r#"{"sandbox": true, "now": "2026-11-22T10:00:00+05:30", "aggregateTurnover": 600000000,
                "gstRates": [5, "18"], "lowercaseDocumentNumber": "warning", "maxItems": 5}"#,
        )
        .unwrap();
        assert!(o.sandbox);
        assert!(!o.gstin_options().check_character);
        assert_eq!(o.aggregate_turnover, Some(Decimal::new(600_000_000, 0)));
        assert_eq!(o.gst_rates.as_ref().unwrap().len(), 2);
        assert_eq!(o.lowercase_document_number, Severity::Warning);
        assert_eq!(o.max_items, 5);
        assert!(serde_json::from_str::<ValidationOptions>(r#"{"sandBox": true}"#).is_err());
    }
}
