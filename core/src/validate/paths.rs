//! JSON pointers of findings: the canonical-to-NIC mapping for both documents, and the document
//! order findings are sorted in.
//!
//! Rules run on the canonical model and report canonical paths. A user who sent NIC's JSON must be
//! told NIC's field (`/ItemList/0/IgstAmt`, not `/items/0/igstAmount`), so the paths are mapped
//! back with the same key tables the NIC mapping uses (nic-rules A.2 names, `einvoice::nic`,
//! `ewaybill::nic`). The flat dialect has its own mapping in `einvoice::flat`.

use std::cmp::Ordering;

use crate::finding::Finding;

/// Canonical e-invoice key -> NIC key, per block. The block is the nearest enclosing field name
/// (array indices skipped), `""` at the top.
fn einvoice_nic_key(block: &str, key: &str) -> Option<&'static str> {
    let table: &[(&str, &str)] = match block {
        "" => &[
            ("documentDetails", "DocDtls"),
            ("transactionDetails", "TranDtls"),
            ("seller", "SellerDtls"),
            ("buyer", "BuyerDtls"),
            ("dispatchFrom", "DispDtls"),
            ("shipTo", "ShipDtls"),
            ("items", "ItemList"),
            ("valueDetails", "ValDtls"),
            ("paymentDetails", "PayDtls"),
            ("referenceDetails", "RefDtls"),
            ("additionalDocuments", "AddlDocDtls"),
            ("exportDetails", "ExpDtls"),
            ("eWayBillDetails", "EwbDtls"),
        ],
        "documentDetails" => &[("type", "Typ"), ("number", "No"), ("date", "Dt")],
        "transactionDetails" => &[
            ("taxScheme", "TaxSch"),
            ("supplyType", "SupTyp"),
            ("reverseCharge", "RegRev"),
            ("ecomGstin", "EcmGstin"),
            ("igstOnIntra", "IgstOnIntra"),
        ],
        "seller" | "buyer" | "dispatchFrom" | "shipTo" => &[
            ("gstin", "Gstin"),
            ("name", "Nm"),
            ("legalName", "LglNm"),
            ("tradeName", "TrdNm"),
            ("placeOfSupplyStateCode", "Pos"),
            ("address1", "Addr1"),
            ("address2", "Addr2"),
            ("location", "Loc"),
            ("pincode", "Pin"),
            ("stateCode", "Stcd"),
            ("phone", "Ph"),
            ("email", "Em"),
        ],
        "items" => &[
            ("serialNumber", "SlNo"),
            ("productDescription", "PrdDesc"),
            ("isService", "IsServc"),
            ("hsnCode", "HsnCd"),
            ("barcode", "Barcde"),
            ("quantity", "Qty"),
            ("freeQuantity", "FreeQty"),
            ("unit", "Unit"),
            ("unitPrice", "UnitPrice"),
            ("totalAmount", "TotAmt"),
            ("discount", "Discount"),
            ("preTaxValue", "PreTaxVal"),
            ("assessableAmount", "AssAmt"),
            ("gstRate", "GstRt"),
            ("igstAmount", "IgstAmt"),
            ("cgstAmount", "CgstAmt"),
            ("sgstAmount", "SgstAmt"),
            ("cessRate", "CesRt"),
            ("cessAmount", "CesAmt"),
            ("cessNonAdvolAmount", "CesNonAdvlAmt"),
            ("stateCessRate", "StateCesRt"),
            ("stateCessAmount", "StateCesAmt"),
            ("stateCessNonAdvolAmount", "StateCesNonAdvlAmt"),
            ("otherCharges", "OthChrg"),
            ("totalItemValue", "TotItemVal"),
            ("orderLineReference", "OrdLineRef"),
            ("originCountry", "OrgCntry"),
            ("productSerialNumber", "PrdSlNo"),
            ("batch", "BchDtls"),
            ("attributes", "AttribDtls"),
        ],
        "batch" => &[
            ("name", "Nm"),
            ("expiryDate", "ExpDt"),
            ("warrantyDate", "WrDt"),
        ],
        "attributes" => &[("name", "Nm"), ("value", "Val")],
        "valueDetails" => &[
            ("assessableValue", "AssVal"),
            ("cgstValue", "CgstVal"),
            ("sgstValue", "SgstVal"),
            ("igstValue", "IgstVal"),
            ("cessValue", "CesVal"),
            ("stateCessValue", "StCesVal"),
            ("discount", "Discount"),
            ("otherCharges", "OthChrg"),
            ("roundOffAmount", "RndOffAmt"),
            ("totalInvoiceValue", "TotInvVal"),
            ("totalInvoiceValueForeignCurrency", "TotInvValFc"),
        ],
        "paymentDetails" => &[
            ("payeeName", "Nm"),
            ("accountDetails", "AccDet"),
            ("mode", "Mode"),
            ("financialInstitutionBranch", "FinInsBr"),
            ("paymentTerms", "PayTerm"),
            ("paymentInstruction", "PayInstr"),
            ("creditTransfer", "CrTrn"),
            ("directDebit", "DirDr"),
            ("creditDays", "CrDay"),
            ("paidAmount", "PaidAmt"),
            ("paymentDue", "PaymtDue"),
        ],
        "referenceDetails" => &[
            ("invoiceRemarks", "InvRm"),
            ("documentPeriod", "DocPerdDtls"),
            ("precedingDocuments", "PrecDocDtls"),
            ("contracts", "ContrDtls"),
        ],
        "documentPeriod" => &[("startDate", "InvStDt"), ("endDate", "InvEndDt")],
        "precedingDocuments" => &[
            ("number", "InvNo"),
            ("date", "InvDt"),
            ("otherReference", "OthRefNo"),
        ],
        "contracts" => &[
            ("receiptAdviceReference", "RecAdvRefr"),
            ("receiptAdviceDate", "RecAdvDt"),
            ("tenderReference", "TendRefr"),
            ("contractReference", "ContrRefr"),
            ("externalReference", "ExtRefr"),
            ("projectReference", "ProjRefr"),
            ("poReference", "PORefr"),
            ("poReferenceDate", "PORefDt"),
        ],
        "additionalDocuments" => &[("url", "Url"), ("document", "Docs"), ("info", "Info")],
        "exportDetails" => &[
            ("shippingBillNumber", "ShipBNo"),
            ("shippingBillDate", "ShipBDt"),
            ("portCode", "Port"),
            ("refundClaim", "RefClm"),
            ("foreignCurrency", "ForCur"),
            ("countryCode", "CntCode"),
            ("exportDuty", "ExpDuty"),
        ],
        "eWayBillDetails" => &[
            ("transporterId", "TransId"),
            ("transporterName", "TransName"),
            ("transportMode", "TransMode"),
            ("distance", "Distance"),
            ("transportDocumentNumber", "TransDocNo"),
            ("transportDocumentDate", "TransDocDt"),
            ("vehicleNumber", "VehNo"),
            ("vehicleType", "VehType"),
        ],
        _ => return None,
    };
    table.iter().find(|(c, _)| *c == key).map(|(_, n)| *n)
}

/// Maps a JSON pointer into the canonical e-invoice to the same field of NIC's v1.1 JSON.
/// Tokens it does not know are kept, so the result is always a pointer.
pub fn einvoice_canonical_to_nic(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut block = "";
    for token in path.split('/').skip(1) {
        out.push('/');
        if is_index(token) {
            out.push_str(token);
            continue;
        }
        out.push_str(einvoice_nic_key(block, token).unwrap_or(token));
        block = token;
    }
    out
}

/// Maps a JSON pointer into the canonical e-way bill to the same field of NIC's flat
/// GENEWAYBILL JSON (`/from/pincode` is `/fromPincode`, `/items/0/unit` is
/// `/itemList/0/qtyUnit`).
pub fn ewaybill_canonical_to_nic(path: &str) -> String {
    let tokens: Vec<&str> = path.split('/').skip(1).collect();
    let rest = |from: usize| -> String { tokens[from..].iter().map(|t| format!("/{t}")).collect() };
    match tokens.as_slice() {
        [] => path.to_owned(),
        ["documentDetails", key, ..] => {
            let nic = match *key {
                "type" => "docType",
                "number" => "docNo",
                "date" => "docDate",
                other => other,
            };
            format!("/{nic}{}", rest(2))
        }
        ["documentDetails"] => String::new(),
        ["subSupplyDescription", ..] => format!("/subSupplyDesc{}", rest(1)),
        [side @ ("from" | "to"), key, ..] => {
            let act = if *side == "from" {
                "actFromStateCode"
            } else {
                "actToStateCode"
            };
            let nic = match *key {
                "gstin" => format!("{side}Gstin"),
                "tradeName" => format!("{side}TrdName"),
                "address1" => format!("{side}Addr1"),
                "address2" => format!("{side}Addr2"),
                "place" => format!("{side}Place"),
                "pincode" => format!("{side}Pincode"),
                "stateCode" => format!("{side}StateCode"),
                "actualStateCode" => act.to_owned(),
                other => other.to_owned(),
            };
            format!("/{nic}{}", rest(2))
        }
        ["items", rest_tokens @ ..] => {
            let mut out = String::from("/itemList");
            for (i, t) in rest_tokens.iter().enumerate() {
                let nic = if i == 1 {
                    match *t {
                        "itemNumber" => "itemNo",
                        "productDescription" => "productDesc",
                        "unit" => "qtyUnit",
                        "cessNonAdvol" => "cessNonadvol",
                        other => other,
                    }
                } else {
                    t
                };
                out.push('/');
                out.push_str(nic);
            }
            out
        }
        ["valueDetails", key, ..] => {
            let nic = match *key {
                "totalInvoiceValue" => "totInvValue",
                other => other,
            };
            format!("/{nic}{}", rest(2))
        }
        ["valueDetails"] | ["transport"] => String::new(),
        ["transport", key, ..] => {
            let nic = match *key {
                "mode" => "transMode",
                "distance" => "transDistance",
                "documentNumber" => "transDocNo",
                "documentDate" => "transDocDate",
                "vehicleNumber" => "vehicleNo",
                other => other,
            };
            format!("/{nic}{}", rest(2))
        }
        _ => path.to_owned(),
    }
}

/// Maps a JSON pointer into NIC's GENEWAYBILL JSON back to the canonical e-way bill: the inverse
/// of [`ewaybill_canonical_to_nic`], for shape findings computed on a canonical bill's NIC form.
pub fn ewaybill_nic_to_canonical(path: &str) -> String {
    let tokens: Vec<&str> = path.split('/').skip(1).collect();
    let rest = |from: usize| -> String { tokens[from..].iter().map(|t| format!("/{t}")).collect() };
    let Some(first) = tokens.first() else {
        return path.to_owned();
    };
    let top = match *first {
        "docType" => "/documentDetails/type".to_owned(),
        "docNo" => "/documentDetails/number".to_owned(),
        "docDate" => "/documentDetails/date".to_owned(),
        "subSupplyDesc" => "/subSupplyDescription".to_owned(),
        "actFromStateCode" => "/from/actualStateCode".to_owned(),
        "actToStateCode" => "/to/actualStateCode".to_owned(),
        "totInvValue" => "/valueDetails/totalInvoiceValue".to_owned(),
        "totalValue" | "cgstValue" | "sgstValue" | "igstValue" | "cessValue"
        | "cessNonAdvolValue" | "otherValue" => format!("/valueDetails/{first}"),
        "transporterId" | "transporterName" | "vehicleType" => format!("/transport/{first}"),
        "transMode" => "/transport/mode".to_owned(),
        "transDistance" => "/transport/distance".to_owned(),
        "transDocNo" => "/transport/documentNumber".to_owned(),
        "transDocDate" => "/transport/documentDate".to_owned(),
        "vehicleNo" => "/transport/vehicleNumber".to_owned(),
        "itemList" => {
            let mut out = String::from("/items");
            for (i, t) in tokens[1..].iter().enumerate() {
                let canonical = if i == 1 {
                    match *t {
                        "itemNo" => "itemNumber",
                        "productDesc" => "productDescription",
                        "qtyUnit" => "unit",
                        "cessNonadvol" => "cessNonAdvol",
                        other => other,
                    }
                } else {
                    t
                };
                out.push('/');
                out.push_str(canonical);
            }
            return out;
        }
        other => {
            let party = [("from", "from"), ("to", "to")]
                .iter()
                .find_map(|(prefix, side)| {
                    let field = other.strip_prefix(prefix)?;
                    let canonical = match field {
                        "Gstin" => "gstin",
                        "TrdName" => "tradeName",
                        "Addr1" => "address1",
                        "Addr2" => "address2",
                        "Place" => "place",
                        "Pincode" => "pincode",
                        "StateCode" => "stateCode",
                        _ => return None,
                    };
                    Some(format!("/{side}/{canonical}"))
                });
            party.unwrap_or_else(|| format!("/{other}"))
        }
    };
    format!("{top}{}", rest(1))
}

fn is_index(token: &str) -> bool {
    !token.is_empty() && token.bytes().all(|b| b.is_ascii_digit())
}

/// The position of a field in its block, in the order of the canonical models (which follow
/// NIC's schema). Unknown names go last, in name order.
fn field_rank(doc: DocumentKind, block: &str, key: &str) -> usize {
    const EINVOICE_TOP: &[&str] = &[
        "documentDetails",
        "transactionDetails",
        "seller",
        "buyer",
        "dispatchFrom",
        "shipTo",
        "items",
        "valueDetails",
        "paymentDetails",
        "referenceDetails",
        "additionalDocuments",
        "exportDetails",
        "eWayBillDetails",
    ];
    const EWAYBILL_TOP: &[&str] = &[
        "userGstin",
        "documentDetails",
        "supplyType",
        "subSupplyType",
        "subSupplyDescription",
        "transactionType",
        "from",
        "to",
        "items",
        "valueDetails",
        "transport",
        "mainHsnCode",
    ];
    let table: &[&str] = match block {
        "" => match doc {
            DocumentKind::EInvoice => EINVOICE_TOP,
            DocumentKind::EWayBill => EWAYBILL_TOP,
        },
        "documentDetails" => &["type", "number", "date"],
        "transactionDetails" => &[
            "taxScheme",
            "supplyType",
            "reverseCharge",
            "ecomGstin",
            "igstOnIntra",
        ],
        "seller" | "buyer" | "dispatchFrom" | "shipTo" | "from" | "to" => &[
            "gstin",
            "name",
            "legalName",
            "tradeName",
            "placeOfSupplyStateCode",
            "address1",
            "address2",
            "location",
            "place",
            "pincode",
            "stateCode",
            "actualStateCode",
            "phone",
            "email",
        ],
        "items" => &[
            "serialNumber",
            "itemNumber",
            "productName",
            "productDescription",
            "isService",
            "hsnCode",
            "barcode",
            "quantity",
            "freeQuantity",
            "unit",
            "unitPrice",
            "totalAmount",
            "discount",
            "preTaxValue",
            "assessableAmount",
            "taxableAmount",
            "gstRate",
            "cgstRate",
            "sgstRate",
            "igstRate",
            "igstAmount",
            "cgstAmount",
            "sgstAmount",
            "cessRate",
            "cessAmount",
            "cessNonAdvol",
            "cessNonAdvolAmount",
            "stateCessRate",
            "stateCessAmount",
            "stateCessNonAdvolAmount",
            "otherCharges",
            "totalItemValue",
        ],
        "valueDetails" => &[
            "assessableValue",
            "totalValue",
            "cgstValue",
            "sgstValue",
            "igstValue",
            "cessValue",
            "cessNonAdvolValue",
            "stateCessValue",
            "discount",
            "otherCharges",
            "otherValue",
            "roundOffAmount",
            "totalInvoiceValue",
            "totalInvoiceValueForeignCurrency",
        ],
        "referenceDetails" => &[
            "invoiceRemarks",
            "documentPeriod",
            "precedingDocuments",
            "contracts",
        ],
        "eWayBillDetails" | "transport" => &[
            "transporterId",
            "transporterName",
            "transportMode",
            "mode",
            "distance",
            "transportDocumentNumber",
            "documentNumber",
            "transportDocumentDate",
            "documentDate",
            "vehicleNumber",
            "vehicleType",
        ],
        _ => &[],
    };
    table.iter().position(|k| *k == key).unwrap_or(usize::MAX)
}

/// Compares two canonical paths in document order: block by block in model order, array
/// elements by index, a field before the fields inside it.
pub(crate) fn compare_paths(doc: DocumentKind, a: &str, b: &str) -> Ordering {
    let mut ta = a.split('/').skip(1);
    let mut tb = b.split('/').skip(1);
    let (mut block_a, mut block_b) = ("", "");
    loop {
        match (ta.next(), tb.next()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) => {
                let ord = match (is_index(x), is_index(y)) {
                    (true, true) => {
                        let nx: u128 = x.parse().unwrap_or(u128::MAX);
                        let ny: u128 = y.parse().unwrap_or(u128::MAX);
                        nx.cmp(&ny).then_with(|| x.cmp(y))
                    }
                    (true, false) => Ordering::Less,
                    (false, true) => Ordering::Greater,
                    (false, false) => field_rank(doc, block_a, x)
                        .cmp(&field_rank(doc, block_b, y))
                        .then_with(|| x.cmp(y)),
                };
                if ord != Ordering::Equal {
                    return ord;
                }
                if !is_index(x) {
                    block_a = x;
                }
                if !is_index(y) {
                    block_b = y;
                }
            }
        }
    }
}

/// Sorts findings with canonical paths into document order, then by code. The sort is stable,
/// so two findings with the same path and code keep the order the rules produced them in.
pub(crate) fn sort_in_document_order(doc: DocumentKind, findings: &mut [Finding]) {
    findings.sort_by(|a, b| compare_paths(doc, &a.path, &b.path).then_with(|| a.code.cmp(&b.code)));
}

/// Which document a path points into, for the order of its top-level blocks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DocumentKind {
    /// An e-invoice.
    EInvoice,
    /// An e-way bill.
    EWayBill,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn einvoice_paths_to_nic() {
        for (canonical, nic) in [
            ("", ""),
            ("/documentDetails/number", "/DocDtls/No"),
            ("/transactionDetails/igstOnIntra", "/TranDtls/IgstOnIntra"),
            ("/buyer/placeOfSupplyStateCode", "/BuyerDtls/Pos"),
            ("/dispatchFrom/pincode", "/DispDtls/Pin"),
            ("/items/3/igstAmount", "/ItemList/3/IgstAmt"),
            ("/items/0/batch/name", "/ItemList/0/BchDtls/Nm"),
            ("/items", "/ItemList"),
            ("/valueDetails/discount", "/ValDtls/Discount"),
            (
                "/referenceDetails/precedingDocuments",
                "/RefDtls/PrecDocDtls",
            ),
            (
                "/referenceDetails/precedingDocuments/0/number",
                "/RefDtls/PrecDocDtls/0/InvNo",
            ),
            ("/exportDetails", "/ExpDtls"),
            ("/eWayBillDetails/vehicleNumber", "/EwbDtls/VehNo"),
        ] {
            assert_eq!(einvoice_canonical_to_nic(canonical), nic, "{canonical}");
        }
    }

    #[test]
    fn ewaybill_paths_to_nic() {
        for (canonical, nic) in [
            ("/documentDetails/date", "/docDate"),
            ("/from/pincode", "/fromPincode"),
            ("/to/actualStateCode", "/actToStateCode"),
            ("/items/1/unit", "/itemList/1/qtyUnit"),
            ("/items", "/itemList"),
            ("/valueDetails/totalInvoiceValue", "/totInvValue"),
            ("/transport/distance", "/transDistance"),
            ("/transport/vehicleType", "/vehicleType"),
            ("/subSupplyDescription", "/subSupplyDesc"),
            ("/userGstin", "/userGstin"),
        ] {
            assert_eq!(ewaybill_canonical_to_nic(canonical), nic, "{canonical}");
            assert_eq!(ewaybill_nic_to_canonical(nic), canonical, "{nic}");
        }
    }

    #[test]
    fn ewaybill_order() {
        let mut paths = vec![
            "/transport/distance",
            "/items/0/hsnCode",
            "/to/pincode",
            "/from/gstin",
            "/userGstin",
            "/documentDetails/date",
        ];
        paths.sort_by(|a, b| compare_paths(DocumentKind::EWayBill, a, b));
        assert_eq!(
            paths,
            [
                "/userGstin",
                "/documentDetails/date",
                "/from/gstin",
                "/to/pincode",
                "/items/0/hsnCode",
                "/transport/distance"
            ]
        );
    }

    #[test]
    fn document_order() {
        let mut paths = vec![
            "/valueDetails/totalInvoiceValue",
            "/items/10/igstAmount",
            "/items/2/cgstAmount",
            "/items/2/assessableAmount",
            "/seller/stateCode",
            "/seller/gstin",
            "/items",
            "",
            "/documentDetails/date",
            "/buyer/gstin",
        ];
        paths.sort_by(|a, b| compare_paths(DocumentKind::EInvoice, a, b));
        assert_eq!(
            paths,
            [
                "",
                "/documentDetails/date",
                "/seller/gstin",
                "/seller/stateCode",
                "/buyer/gstin",
                "/items",
                "/items/2/assessableAmount",
                "/items/2/cgstAmount",
                "/items/10/igstAmount",
                "/valueDetails/totalInvoiceValue",
            ]
        );
    }
}
