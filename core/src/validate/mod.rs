//! Offline validation of e-invoices and e-way bills: what the IRP or the EWB system would refuse,
//! found before any network call, each problem with NIC's own error code where NIC has one.
//!
//! Layers, each reporting every problem it finds (DESIGN.md section 3):
//! 1. shape: the JSON Schemas in `schemas/` ([`schema`]);
//! 2. rules: NIC's business rules (nic-rules B.1, B.3-B.6, C.1-C.4);
//! 3. arithmetic: NIC's sums and tolerances, in exact decimals (nic-rules B.2).
//!
//! [`validate_invoice`] and [`validate_ewaybill`] run layers 2 and 3 on a parsed document and
//! report canonical JSON pointers. [`validate_invoice_json`] and [`validate_ewaybill_json`] take
//! the bytes a caller sent, in any dialect, and report every layer with pointers into that
//! document: parse findings first (as the parser gives them), then shape findings (as the schema
//! layer gives them), then rule and arithmetic findings in document order.
//!
//! The bytes are read once, into the core's borrowed tree ([`crate::json_tree`]: serde_json's
//! language exactly, without allocating a string per string and number); the schema checker and
//! the model's reader (`tree_reader`) both work on that tree. A document serde_json would
//! read differently (an object led by one of its private keys) goes the way of serde_json's own
//! tree instead, so no document is judged differently by the two.
//!
//! # Finding codes of the rule and arithmetic layers
//!
//! | code | NIC | rule |
//! |---|---|---|
//! | `gstin.format` | 3028 | a GSTIN matches none of the seven formats |
//! | `gstin.state_code` | 3028 | a GSTIN's first two digits are not a state |
//! | `gstin.check_character` | 3028 | mod-36 check character (off in sandbox mode) |
//! | `gstin.supplier_urp` | 2213 | the supplier is `URP` |
//! | `gstin.supplier_kind` | 2300 | the supplier is not a regular taxpayer |
//! | `gstin.same_supplier_recipient` | 2211 | supplier GSTIN = recipient GSTIN |
//! | `gstin.state_mismatch` | 2258 / 2265 | GSTIN prefix != the party's state code (exports exempt) |
//! | `gstin.ecom_not_tcs` | 2195 | `EcmGstin` is not a TCS GSTIN |
//! | `state.unknown` | 2259 / 2260 / - | a state code the master does not have |
//! | `pin.format` | - | a PIN outside 100000-999999 |
//! | `pin.state_mismatch` | 2178 | PIN in none of the state's ranges ("may belong") |
//! | `supply.recipient_urp` | 2212 | B2B to `URP` |
//! | `supply.sez_recipient_urp` | 2247 | SEZWP/SEZWOP to `URP` |
//! | `supply.deemed_export_urp` | 2171 | DEXP to `URP` |
//! | `supply.export_recipient_not_urp` | 2248 | an export's buyer is not `URP` |
//! | `supply.export_place_of_supply` | 2229 | an export's place of supply is not 96 |
//! | `supply.export_intra_state` | 2181 | an export's place of supply is the supplier's state |
//! | `supply.export_recipient_state` | 2261 | an export's buyer state is not 96 |
//! | `supply.export_details_required` | 2208 | an export without `ExpDtls` |
//! | `supply.reverse_charge` | 2162 | reverse charge other than B2B / SEZ |
//! | `supply.igst_on_intra_other_state` | 2262 | `IgstOnIntra = Y` across states |
//! | `tax.igst_on_intra_state` | 2172 | IGST on an intra-state item |
//! | `tax.cgst_sgst_unequal` | 2227 | CGST != SGST |
//! | `tax.cgst_sgst_on_inter_state` | 2174 | CGST/SGST on an inter-state item |
//! | `tax.cgst_sgst_on_export` | 2180 | CGST/SGST on an export |
//! | `tax.cgst_sgst_on_sez` | 2237 | CGST/SGST on a supply to an SEZ |
//! | `tax.cgst_sgst_with_igst_on_intra` | - | CGST/SGST with `IgstOnIntra = Y` |
//! | `document.number_format` | - | document number pattern (1-16, first not 0 / -) |
//! | `document.number_lowercase` | - | lower case in the document number (severity configurable) |
//! | `document.date_future` | 2163 | document date after today (IST) |
//! | `document.date_before_einvoicing` | - | e-invoice dated before 01-10-2020 |
//! | `document.reporting_window` | 2305 | reported too late for the supplier's turnover |
//! | `document.date_before_gst` | 819 | e-way bill document before 01-07-2017 |
//! | `document.date_too_old` | 820 | e-way bill document more than 180 days old |
//! | `reference.preceding_document_required` | 2191 | CRN/DBN without the original invoice |
//! | `reference.preceding_document_not_allowed` | 2210 | INV with a preceding document |
//! | `items.empty` | 2228 / 233 | no items |
//! | `items.too_many` | 2173 | more items than the limit |
//! | `item.duplicate_serial` | 2233 | two items with one serial number |
//! | `hsn.format` | 2176 | HSN not 4, 6 or 8 digits |
//! | `hsn.length_for_turnover` | 2176 / 283 | 4-digit HSN at a turnover of 5 crore or more |
//! | `item.service_flag_mismatch` | - | `IsServc` disagrees with the HSN chapter (warning) |
//! | `item.quantity_required` | 2238 | goods without quantity |
//! | `item.unit_required` | 2239 | goods without unit |
//! | `item.unit_unknown` | 2177 | unit not in the UQC master |
//! | `item.gst_rate` | 2240 | GST rate not in the rate list |
//! | `amount.negative` | - | a negative amount |
//! | `item.assessable_amount` | 2193 | AssAmt != TotAmt - Discount |
//! | `item.total_amount` | 2192 | TotAmt != Qty x UnitPrice (warning: withdrawn by NIC) |
//! | `item.total_item_value` | 2194 | TotItemVal != AssAmt + taxes + charges |
//! | `tax.igst_amount` | 2235 | IGST != AssAmt x rate (tolerance) |
//! | `tax.cgst_sgst_amount` | 2234 | CGST or SGST != AssAmt x rate / 2 (tolerance) |
//! | `tax.amount` | 2179 | IGST + CGST + SGST != AssAmt x rate, both kinds charged |
//! | `tax.cess_amount` | 2266 | CesAmt != AssAmt x CesRt |
//! | `tax.state_cess_amount` | 2267 | StateCesAmt != AssAmt x StateCesRt |
//! | `total.assessable_value` | 2182 | AssVal != sum of AssAmt |
//! | `total.cgst_value` | 2184 | CgstVal != sum of CgstAmt |
//! | `total.sgst_value` | 2183 | SgstVal != sum of SgstAmt |
//! | `total.igst_value` | 2185 | IgstVal != sum of IgstAmt |
//! | `total.cess_value` | 2186 | CesVal != sum of CesAmt + CesNonAdvlAmt |
//! | `total.state_cess_value` | 2187 | StCesVal != sum of StateCesAmt + StateCesNonAdvlAmt |
//! | `total.other_charges` | 2264 | item vs document other charges (warning, see arithmetic) |
//! | `total.round_off_range` | - | RndOffAmt outside +/- 99.99 |
//! | `total.invoice_value` | 2189 | TotInvVal off by more than the tolerance |
//! | `total.discount` | 2220 | document discount >= TotInvVal |
//! | `ewb.not_for_notes` | 2252 | `EwbDtls` on a CRN/DBN |
//! | `ewb.goods_required` | 2251 / 724 | no goods item |
//! | `ewb.distance_range` | - / 221 | distance above 4000 km |
//! | `ewb.same_pin_distance` | 4029, 4013 / 721, 702 | same PIN needs 1-100 km |
//! | `ewb.vehicle_required` | 4011 / 303 | road without vehicle number |
//! | `ewb.transport_document_required` | 4012 / 394 | rail/air/ship without transport document |
//! | `ewb.transport_document_date_required` | 2254 / 385 | rail/air/ship without its date |
//! | `ewb.vehicle_number_format` | 4014 / - | vehicle number in none of NIC's formats |
//! | `ewb.odc_not_road` | 4024 / 634 | over-dimensional cargo off the road |
//! | `ewb.ship_regular_vehicle` | 4039 / 726 | ship mode with vehicle type R |
//! | `ewb.transport_document_date_before_document` | 4021 / 362 | transport document before the document |
//! | `ewb.transport_document_date_future` | 4016 / - | transport document after today |
//! | `ewb.transporter_required` | - / 619 | Part-A only without transporter id |
//! | `transporter.format` | - | transporter id not in GSTIN/TRANSIN form (never checksummed) |
//! | `ewb.sub_supply_description_required` | 377 | sub-supply type Others without description |
//! | `ewb.regular_state_mismatch` | 643 / 644 | Regular transaction with bill and actual states differing |
//! | `ewb.below_threshold` | - | value below the e-way bill threshold (warning) |
//!
//! Where a rule merely restates a schema constraint and has no NIC code of its own
//! (`document.number_format`, `pin.format`, `amount.negative`, `total.round_off_range`,
//! `transporter.format`, and `ewb.distance_range` on the IRP side), the JSON entry points leave it
//! out when the schema layer already reported the same field.

use serde::{Deserialize, Serialize};
use serde_json::Value;

pub mod options;
pub mod paths;
pub mod schema;
mod schema_checker;
#[cfg(feature = "jsonschema-reference")]
mod schema_reference;

mod arithmetic;
mod common;
mod document;
mod ewaybill;
mod ewb_details;
mod items;
mod party;
mod supply;
mod transport;

pub use options::ValidationOptions;
pub use transport::vehicle_number_ok;

use crate::einvoice::model::EInvoice;
use crate::einvoice::parse::{
    deserialize, document_tree, parse_invoice_node, parse_invoice_value, Dialect, Document,
    ParsedInvoice,
};
use crate::ewaybill::model::EWayBill;
use crate::ewaybill::nic::{from_nic, to_nic, NicEWayBill};
use crate::finding::{Finding, Severity};
use crate::json_tree::Node;
use paths::{sort_in_document_order, DocumentKind};

/// The outcome of validating a document sent as JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    /// No finding has error severity: NIC is not expected to refuse the document for a reason
    /// that can be known offline. Warnings do not make a document invalid.
    pub valid: bool,
    /// Every finding of every layer.
    pub findings: Vec<Finding>,
}

impl Report {
    /// A report on these findings.
    pub fn new(findings: Vec<Finding>) -> Self {
        Report {
            valid: findings.iter().all(|f| f.severity != Severity::Error),
            findings,
        }
    }
}

/// Runs the rule and arithmetic layers on a parsed e-invoice (nic-rules B.1-B.6, C.12 for its
/// `EwbDtls`). Findings carry canonical JSON pointers and are in document order, then by code.
pub fn validate_invoice(invoice: &EInvoice, options: &ValidationOptions) -> Vec<Finding> {
    let mut out = Vec::new();
    document::check(invoice, options, &mut out);
    supply::check(invoice, options, &mut out);
    party::check(invoice, options, &mut out);
    items::check(invoice, options, &mut out);
    arithmetic::check(invoice, options, &mut out);
    ewb_details::check(invoice, options, &mut out);
    sort_in_document_order(DocumentKind::EInvoice, &mut out);
    out
}

/// Validates an e-invoice sent as JSON in any dialect (canonical, flat or NIC v1.1): parse, shape,
/// rules and arithmetic. Every finding points into the document as sent.
pub fn validate_invoice_json(json: &[u8], options: &ValidationOptions) -> Report {
    validate_and_read_invoice_json(json, options).0
}

/// [`validate_invoice_json`], and the document in canonical form when it could be read (even
/// with rule findings), so that a caller about to use the document (the client, before it sends
/// it) does not parse it a second time.
pub fn validate_and_read_invoice_json(
    json: &[u8],
    options: &ValidationOptions,
) -> (Report, Option<EInvoice>) {
    let node = match document_tree(json) {
        Ok(Document::Tree(node)) => node,
        Ok(Document::Value(value)) => return validate_and_read_invoice_value(value, options),
        Err(findings) => return (Report::new(findings), None),
    };
    let dialect = match &node {
        Node::Object(_) => Dialect::detect_node(&node),
        _ => Dialect::Canonical,
    };
    let shape = schema::schema_findings_node(dialect, &node);
    let parsed = parse_invoice_node(&node);
    finish(dialect, shape, parsed, options)
}

/// [`validate_and_read_invoice_json`] of a document serde_json has read.
fn validate_and_read_invoice_value(
    value: Value,
    options: &ValidationOptions,
) -> (Report, Option<EInvoice>) {
    let dialect = match &value {
        Value::Object(doc) => Dialect::detect(doc),
        _ => Dialect::Canonical,
    };
    let shape = schema::schema_findings(dialect, &value);
    let parsed = parse_invoice_value(value);
    finish(dialect, shape, parsed, options)
}

/// The rule layer over a document read, and the report of all three layers.
fn finish(
    dialect: Dialect,
    shape: Vec<Finding>,
    parsed: Result<ParsedInvoice, Vec<Finding>>,
    options: &ValidationOptions,
) -> (Report, Option<EInvoice>) {
    let (mut findings, invoice) = match parsed {
        Ok(parsed) => (Vec::new(), Some(parsed.invoice)),
        Err(f) => (f, None),
    };
    let rules = invoice
        .as_ref()
        .map(|inv| validate_invoice(inv, options))
        .unwrap_or_default();
    let rules = rules.into_iter().map(|mut f| {
        f.path = dialect.path_from_canonical(&f.path);
        f
    });
    combine(&mut findings, shape, rules);
    (Report::new(findings), invoice)
}

/// Runs the rule layer on a parsed e-way bill (nic-rules C.1-C.4, C.10). Findings carry
/// canonical JSON pointers and are in document order, then by code.
pub fn validate_ewaybill(ewaybill: &EWayBill, options: &ValidationOptions) -> Vec<Finding> {
    let mut out = Vec::new();
    ewaybill::check(ewaybill, options, &mut out);
    sort_in_document_order(DocumentKind::EWayBill, &mut out);
    out
}

/// The two forms an e-way bill is accepted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EWayBillDialect {
    /// The API's grouped form (`documentDetails`, `from`, `to`, `items`, `transport`).
    Canonical,
    /// NIC's flat GENEWAYBILL JSON (`docNo`, `fromGstin`, `itemList`, `transDistance`).
    Nic,
}

impl EWayBillDialect {
    /// Tells the dialect from the top-level keys: NIC's payload is flat, with `docNo`,
    /// `fromGstin`, `itemList` where the canonical form has blocks.
    pub fn detect(doc: &serde_json::Map<String, Value>) -> Self {
        const NIC_KEYS: [&str; 5] = ["docNo", "docType", "fromGstin", "toGstin", "itemList"];
        if NIC_KEYS.iter().any(|k| doc.contains_key(*k)) {
            EWayBillDialect::Nic
        } else {
            EWayBillDialect::Canonical
        }
    }
}

/// Validates an e-way bill (GENEWAYBILL) sent as JSON, canonical or NIC: parse, shape and rules.
/// Shape is NIC's e-way bill schema; a canonical bill is checked in its NIC form and the findings
/// are pointed back at the canonical fields.
pub fn validate_ewaybill_json(json: &[u8], options: &ValidationOptions) -> Report {
    let value: Value = match serde_json::from_slice(json) {
        Ok(v) => v,
        Err(e) => return Report::new(vec![crate::einvoice::parse::json_syntax_finding(&e)]),
    };
    let Value::Object(doc) = &value else {
        return Report::new(vec![Finding::error(
            "",
            "parse.not_an_object",
            "an e-way bill is a JSON object",
        )]);
    };
    let dialect = EWayBillDialect::detect(doc);
    let (parsed, shape) = match dialect {
        EWayBillDialect::Nic => {
            let shape = schema::ewaybill_schema_findings("generate", &value);
            (deserialize::<NicEWayBill>(value).map(from_nic), shape)
        }
        EWayBillDialect::Canonical => match deserialize::<EWayBill>(value) {
            Ok(ewb) => {
                let shape = match serde_json::to_value(to_nic(&ewb)) {
                    Ok(nic) => schema::ewaybill_schema_findings("generate", &nic)
                        .into_iter()
                        .map(|mut f| {
                            f.path = paths::ewaybill_nic_to_canonical(&f.path);
                            f
                        })
                        .collect(),
                    Err(_) => Vec::new(),
                };
                (Ok(ewb), shape)
            }
            Err(f) => (Err(f), Vec::new()),
        },
    };
    let (mut findings, ewb) = match parsed {
        Ok(ewb) => (Vec::new(), Some(ewb)),
        Err(f) => (vec![f], None),
    };
    let rules = ewb
        .map(|e| validate_ewaybill(&e, options))
        .unwrap_or_default();
    let rules = rules.into_iter().map(|mut f| {
        if dialect == EWayBillDialect::Nic {
            f.path = paths::ewaybill_canonical_to_nic(&f.path);
        }
        f
    });
    combine(&mut findings, shape, rules);
    Report::new(findings)
}

/// Rule codes that restate a schema constraint. Where such a finding carries no NIC code of its
/// own, the shape finding on the same field says all there is to say.
const SHAPE_RESTATEMENTS: [&str; 6] = [
    "document.number_format",
    "pin.format",
    "amount.negative",
    "total.round_off_range",
    "transporter.format",
    "ewb.distance_range",
];

/// Appends shape findings, then rule findings, leaving out a rule finding that restates a shape
/// finding on the same field.
fn combine(out: &mut Vec<Finding>, shape: Vec<Finding>, rules: impl Iterator<Item = Finding>) {
    let start = out.len();
    out.extend(shape);
    let end = out.len();
    for f in rules {
        let restated = f.nic_code.is_none()
            && SHAPE_RESTATEMENTS.contains(&f.code.as_str())
            && out[start..end].iter().any(|s| s.path == f.path);
        if !restated {
            out.push(f);
        }
    }
}
