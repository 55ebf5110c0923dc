//! The nature of the supply: which taxes apply (intra-state CGST+SGST, inter-state IGST), what
//! SEZ, export and deemed-export supplies require of the recipient, reverse charge and
//! `IgstOnIntra` (nic-rules B.1).

use rust_decimal::Decimal;

use super::common::same_state;
use super::options::ValidationOptions;
use crate::einvoice::model::{EInvoice, Item, SupplyType};
use crate::finding::Finding;

/// Which GST an e-invoice's items are to carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Regime {
    /// CGST and SGST, equal halves of the rate: supplier state = place of supply, not SEZ or
    /// export, no `IgstOnIntra`.
    IntraState,
    /// IGST only: different states, SEZ, export, or `IgstOnIntra = Y`.
    Igst,
}

/// The tax regime NIC applies: "Supplier Stcd == Buyer Pos means intra-state" unless the supply is
/// to an SEZ or abroad or is flagged `IgstOnIntra` (nic-rules B.1).
pub(super) fn regime(inv: &EInvoice) -> Regime {
    let t = &inv.transaction_details;
    if t.supply_type.is_export() || t.supply_type.is_sez() || t.igst_on_intra == Some(true) {
        return Regime::Igst;
    }
    if same_state(
        &inv.seller.state_code,
        &inv.buyer.place_of_supply_state_code,
    ) {
        Regime::IntraState
    } else {
        Regime::Igst
    }
}

fn nonzero(x: Option<Decimal>) -> bool {
    x.is_some_and(|v| !v.is_zero())
}

/// Runs the supply-type and tax-split rules of an e-invoice.
pub(super) fn check(inv: &EInvoice, _options: &ValidationOptions, out: &mut Vec<Finding>) {
    let t = &inv.transaction_details;
    let sup = t.supply_type;
    let buyer = &inv.buyer;
    let seller_state = &inv.seller.state_code;
    let pos = &buyer.place_of_supply_state_code;
    let urp = buyer.gstin == "URP";

    match sup {
        SupplyType::B2b if urp => out.push(
            Finding::error(
                "/buyer/gstin",
                "supply.recipient_urp",
                "buyer GSTIN (BuyerDtls.Gstin) is `URP`, but a B2B supply needs a registered \
                 recipient",
            )
            .with_nic_code("2212"),
        ),
        SupplyType::SezWithPayment | SupplyType::SezWithoutPayment if urp => out.push(
            Finding::error(
                "/buyer/gstin",
                "supply.sez_recipient_urp",
                format!(
                    "buyer GSTIN (BuyerDtls.Gstin) is `URP`, but the recipient of an {} supply \
                     must be an SEZ unit or developer",
                    sup.code()
                ),
            )
            .with_nic_code("2247"),
        ),
        SupplyType::DeemedExport if urp => out.push(
            Finding::error(
                "/buyer/gstin",
                "supply.deemed_export_urp",
                "buyer GSTIN (BuyerDtls.Gstin) is `URP`, but the recipient of a deemed export \
                 (DEXP) must be registered",
            )
            .with_nic_code("2171"),
        ),
        SupplyType::ExportWithPayment | SupplyType::ExportWithoutPayment => {
            if !urp {
                out.push(
                    Finding::error(
                        "/buyer/gstin",
                        "supply.export_recipient_not_urp",
                        format!(
                            "buyer GSTIN (BuyerDtls.Gstin) is `{}`, but the recipient of an \
                             export ({}) must be `URP`",
                            buyer.gstin,
                            sup.code()
                        ),
                    )
                    .with_nic_code("2248"),
                );
            }
            if !same_state(pos, "96") {
                out.push(
                    Finding::error(
                        "/buyer/placeOfSupplyStateCode",
                        "supply.export_place_of_supply",
                        format!(
                            "place of supply (BuyerDtls.Pos) is `{pos}`, but an export's place of \
                             supply is 96 (other countries)"
                        ),
                    )
                    .with_nic_code("2229"),
                );
            }
            if same_state(pos, seller_state) {
                out.push(
                    Finding::error(
                        "/buyer/placeOfSupplyStateCode",
                        "supply.export_intra_state",
                        format!(
                            "place of supply (BuyerDtls.Pos) `{pos}` is the supplier's state: an \
                             export cannot be an intra-state supply"
                        ),
                    )
                    .with_nic_code("2181"),
                );
            }
            if !same_state(&buyer.state_code, "96") {
                out.push(
                    Finding::error(
                        "/buyer/stateCode",
                        "supply.export_recipient_state",
                        format!(
                            "buyer state code (BuyerDtls.Stcd) is `{}`, but an export's recipient \
                             is in state 96 (other countries)",
                            buyer.state_code
                        ),
                    )
                    .with_nic_code("2261"),
                );
            }
            if inv.export_details.is_none() {
                out.push(
                    Finding::error(
                        "/exportDetails",
                        "supply.export_details_required",
                        format!(
                            "export details (ExpDtls) are missing; an export ({}) needs them",
                            sup.code()
                        ),
                    )
                    .with_nic_code("2208"),
                );
            }
        }
        _ => {}
    }

    // Reverse charge exists for B2B and SEZ supplies only (2162).
    if t.reverse_charge == Some(true) && !(sup == SupplyType::B2b || sup.is_sez()) {
        out.push(
            Finding::error(
                "/transactionDetails/reverseCharge",
                "supply.reverse_charge",
                format!(
                    "reverse charge (TranDtls.RegRev) is `Y` on an {} supply; reverse charge \
                     applies to B2B and SEZ supplies only",
                    sup.code()
                ),
            )
            .with_nic_code("2162"),
        );
    }

    // IgstOnIntra says "same state, IGST anyway"; NIC refuses it across states (2262).
    if t.igst_on_intra == Some(true) && !same_state(seller_state, pos) {
        out.push(
            Finding::error(
                "/transactionDetails/igstOnIntra",
                "supply.igst_on_intra_other_state",
                format!(
                    "IGST on intra-state (TranDtls.IgstOnIntra) is `Y`, but the supplier's state \
                     `{seller_state}` is not the place of supply `{pos}`"
                ),
            )
            .with_nic_code("2262"),
        );
    }

    let regime = regime(inv);
    let igst_on_intra = t.igst_on_intra == Some(true) && same_state(seller_state, pos);
    for (i, item) in inv.items.iter().enumerate() {
        tax_split(i, item, sup, regime, igst_on_intra, out);
    }
}

/// The taxes one item carries must be those of the regime.
fn tax_split(
    i: usize,
    item: &Item,
    sup: SupplyType,
    regime: Regime,
    igst_on_intra: bool,
    out: &mut Vec<Finding>,
) {
    let sl = &item.serial_number;
    let has_cgst_sgst = nonzero(item.cgst_amount) || nonzero(item.sgst_amount);
    match regime {
        Regime::IntraState => {
            if nonzero(item.igst_amount) {
                out.push(
                    Finding::error(
                        format!("/items/{i}/igstAmount"),
                        "tax.igst_on_intra_state",
                        format!(
                            "item {sl}: IGST (IgstAmt) is {} on an intra-state supply (supplier \
                             state = place of supply); only CGST and SGST apply",
                            item.igst_amount.unwrap_or_default()
                        ),
                    )
                    .with_nic_code("2172"),
                );
            }
            let (c, s) = (
                item.cgst_amount.unwrap_or_default(),
                item.sgst_amount.unwrap_or_default(),
            );
            if c != s {
                out.push(
                    Finding::error(
                        format!("/items/{i}/sgstAmount"),
                        "tax.cgst_sgst_unequal",
                        format!("item {sl}: SGST (SgstAmt) {s} is not equal to CGST (CgstAmt) {c}"),
                    )
                    .with_nic_code("2227"),
                );
            }
        }
        Regime::Igst if has_cgst_sgst => {
            let (code, nic, why) = if sup.is_export() {
                ("tax.cgst_sgst_on_export", Some("2180"), "an export")
            } else if sup.is_sez() {
                ("tax.cgst_sgst_on_sez", Some("2237"), "a supply to an SEZ")
            } else if igst_on_intra {
                (
                    "tax.cgst_sgst_with_igst_on_intra",
                    None,
                    "a supply flagged IGST on intra-state (IgstOnIntra = Y)",
                )
            } else {
                (
                    "tax.cgst_sgst_on_inter_state",
                    Some("2174"),
                    "an inter-state supply (supplier state is not the place of supply)",
                )
            };
            // Point at whichever of the two is charged.
            let key = if nonzero(item.cgst_amount) {
                "cgstAmount"
            } else {
                "sgstAmount"
            };
            let mut f = Finding::error(
                format!("/items/{i}/{key}"),
                code,
                format!("item {sl}: CGST/SGST (CgstAmt, SgstAmt) are charged on {why}; only IGST applies"),
            );
            if let Some(n) = nic {
                f = f.with_nic_code(n);
            }
            out.push(f);
        }
        Regime::Igst => {}
    }
}
