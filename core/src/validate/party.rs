//! The parties of an e-invoice: GSTINs (format, check character, kind), state codes, the GSTIN's
//! state prefix against the state code, and PIN codes against the state (nic-rules B.1, B.3, B.4).
//!
//! Whether the buyer may be `URP` depends on the supply type and is a rule of [`super::supply`].

use super::common::{gstin_at, pin_in_state, same_state, state_known, StateUse};
use super::options::ValidationOptions;
use crate::einvoice::model::EInvoice;
use crate::finding::Finding;
use crate::gstin::GstinKind;

/// Runs the party rules of an e-invoice.
pub(super) fn check(inv: &EInvoice, options: &ValidationOptions, out: &mut Vec<Finding>) {
    let export = inv.transaction_details.supply_type.is_export();
    let seller = &inv.seller;
    let buyer = &inv.buyer;

    // Supplier: a registered, regular GSTIN (2213, 2300) in a state of India (2259).
    let seller_check = if seller.gstin == "URP" {
        out.push(
            Finding::error(
                "/seller/gstin",
                "gstin.supplier_urp",
                "seller GSTIN (SellerDtls.Gstin) is `URP`: the supplier of an e-invoice must be \
                 registered",
            )
            .with_nic_code("2213"),
        );
        None
    } else {
        let c = gstin_at(
            "/seller/gstin",
            "seller GSTIN (SellerDtls.Gstin)",
            &seller.gstin,
            options,
            out,
        );
        if let Some(kind) = c.kind {
            if kind != GstinKind::Normal {
                out.push(
                    Finding::error(
                        "/seller/gstin",
                        "gstin.supplier_kind",
                        format!(
                            "seller GSTIN (SellerDtls.Gstin) `{}` is the GSTIN of a {}; the \
                             supplier of an e-invoice must be a regular taxpayer",
                            seller.gstin,
                            kind.label()
                        ),
                    )
                    .with_nic_code("2300"),
                );
            }
        }
        Some(c)
    };
    let seller_state_ok = state_known(
        "/seller/stateCode",
        "seller state code (SellerDtls.Stcd)",
        &seller.state_code,
        StateUse::InvoiceInIndia,
        Some("2259"),
        out,
    );
    if seller_state_ok {
        if let Some(prefix) = seller_check
            .as_ref()
            .and_then(|c| prefix_of(c.kind, c.state_code))
        {
            if !same_state(prefix, &seller.state_code) {
                out.push(
                    Finding::error(
                        "/seller/stateCode",
                        "gstin.state_mismatch",
                        format!(
                            "seller state code (SellerDtls.Stcd) `{}` is not the state of the \
                             seller GSTIN `{}`, which starts with `{prefix}`",
                            seller.state_code, seller.gstin
                        ),
                    )
                    .with_nic_code("2258"),
                );
            }
        }
        pin_in_state(
            "/seller/pincode",
            "seller PIN code (SellerDtls.Pin)",
            seller.pincode,
            &seller.state_code,
            Some("2178"),
            options,
            out,
        );
    }

    // Recipient: URP is judged by the supply rules; a GSTIN is checked here.
    let buyer_check = (buyer.gstin != "URP").then(|| {
        gstin_at(
            "/buyer/gstin",
            "buyer GSTIN (BuyerDtls.Gstin)",
            &buyer.gstin,
            options,
            out,
        )
    });
    if buyer.gstin != "URP" && buyer.gstin == seller.gstin {
        out.push(
            Finding::error(
                "/buyer/gstin",
                "gstin.same_supplier_recipient",
                format!(
                    "buyer GSTIN (BuyerDtls.Gstin) `{}` is the seller's GSTIN: supplier and \
                     recipient must differ",
                    buyer.gstin
                ),
            )
            .with_nic_code("2211"),
        );
    }
    state_known(
        "/buyer/placeOfSupplyStateCode",
        "place of supply (BuyerDtls.Pos)",
        &buyer.place_of_supply_state_code,
        StateUse::InvoiceAny,
        None,
        out,
    );
    let buyer_state_ok = state_known(
        "/buyer/stateCode",
        "buyer state code (BuyerDtls.Stcd)",
        &buyer.state_code,
        StateUse::InvoiceAny,
        Some("2260"),
        out,
    );
    if buyer_state_ok {
        // Exports are exempt from the prefix rule (nic-rules B.1): the buyer is abroad.
        if !export {
            if let Some(prefix) = buyer_check
                .as_ref()
                .and_then(|c| prefix_of(c.kind, c.state_code))
            {
                if !same_state(prefix, &buyer.state_code) {
                    out.push(
                        Finding::error(
                            "/buyer/stateCode",
                            "gstin.state_mismatch",
                            format!(
                                "buyer state code (BuyerDtls.Stcd) `{}` is not the state of the \
                                 buyer GSTIN `{}`, which starts with `{prefix}`",
                                buyer.state_code, buyer.gstin
                            ),
                        )
                        .with_nic_code("2265"),
                    );
                }
            }
        }
        if let Some(pin) = buyer.pincode {
            pin_in_state(
                "/buyer/pincode",
                "buyer PIN code (BuyerDtls.Pin)",
                pin,
                &buyer.state_code,
                Some("2178"),
                options,
                out,
            );
        }
    }

    if let Some(d) = &inv.dispatch_from {
        if state_known(
            "/dispatchFrom/stateCode",
            "dispatch-from state code (DispDtls.Stcd)",
            &d.state_code,
            StateUse::InvoiceInIndia,
            None,
            out,
        ) {
            pin_in_state(
                "/dispatchFrom/pincode",
                "dispatch-from PIN code (DispDtls.Pin)",
                d.pincode,
                &d.state_code,
                Some("2178"),
                options,
                out,
            );
        }
    }
    if let Some(s) = &inv.ship_to {
        if let Some(g) = s.gstin.as_deref().filter(|g| *g != "URP") {
            gstin_at(
                "/shipTo/gstin",
                "ship-to GSTIN (ShipDtls.Gstin)",
                g,
                options,
                out,
            );
        }
        if state_known(
            "/shipTo/stateCode",
            "ship-to state code (ShipDtls.Stcd)",
            &s.state_code,
            StateUse::InvoiceAny,
            None,
            out,
        ) {
            pin_in_state(
                "/shipTo/pincode",
                "ship-to PIN code (ShipDtls.Pin)",
                s.pincode,
                &s.state_code,
                Some("2178"),
                options,
                out,
            );
        }
    }

    // An e-commerce operator reports with its TCS registration (2195).
    if let Some(ecom) = &inv.transaction_details.ecom_gstin {
        let c = gstin_at(
            "/transactionDetails/ecomGstin",
            "e-commerce GSTIN (TranDtls.EcmGstin)",
            ecom,
            options,
            out,
        );
        if c.kind.is_some() && c.kind != Some(GstinKind::Tcs) {
            out.push(
                Finding::error(
                    "/transactionDetails/ecomGstin",
                    "gstin.ecom_not_tcs",
                    format!(
                        "e-commerce GSTIN (TranDtls.EcmGstin) `{ecom}` is not a TCS GSTIN (`C` in \
                         the 14th place): an e-commerce operator reports with its TCS registration"
                    ),
                )
                .with_nic_code("2195"),
            );
        }
    }
}

/// The state prefix to compare with a party's state code: every kind but OIDAR (centrally
/// registered under 99) and URP carries its state in its first two digits.
fn prefix_of(kind: Option<GstinKind>, state_code: Option<&str>) -> Option<&str> {
    match kind? {
        GstinKind::Oidar | GstinKind::Unregistered => None,
        _ => state_code,
    }
}
