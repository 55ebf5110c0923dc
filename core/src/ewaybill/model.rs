//! The canonical e-way bill: the grouped form of NIC's flat GENEWAYBILL payload, in the style of
//! the canonical e-invoice (`documentDetails`, `from`, `to`, `items`, `valueDetails`,
//! `transport`).
//!
//! Every field of NIC's payload has exactly one place here, so the mapping to NIC and back
//! ([`super::nic`]) is lossless. Required fields are those NIC's v1.03 generate page lists as
//! required (nic-ewb-schema `required_official`); everything else is an `Option`, so that
//! "absent" and "zero" stay different through every round trip. Values are not checked while
//! parsing: a wrong state code or an HSN of letters parses and is then reported by validation with
//! NIC's error code.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::codec;
use crate::transport::{TransportMode, VehicleType};
use crate::wire;

/// An amount of money in rupees. Never a float; written as a JSON number with its scale kept
/// (`100.00` stays `100.00`).
pub type Amount = Decimal;

/// An e-way bill, as the API receives it (NIC action GENEWAYBILL).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EWayBill {
    /// The GSTIN of the user generating the bill (NIC `userGstin`). It must be the consignor's
    /// for outward and the consignee's for inward movements (359/360) and match the `gstin`
    /// header (358); absent, NIC takes the header's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_gstin: Option<String>,
    /// Type, number and date of the document the goods move under (`docType`, `docNo`, `docDate`).
    pub document_details: DocumentDetails,
    /// Outward or inward, seen from the user (`supplyType`).
    pub supply_type: SupplyType,
    /// Why the goods move (`subSupplyType`); valid values depend on the supply type and the
    /// document type (203, 205, 611).
    pub sub_supply_type: SubSupplyType,
    /// What "others" means, up to 20 characters; required with sub-supply type 8 (377)
    /// (`subSupplyDesc`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub_supply_description: Option<String>,
    /// Regular, bill-to/ship-to, bill-from/dispatch-from or both (`transactionType`, 643/644).
    pub transaction_type: TransactionType,
    /// The consignor: bill-from party and dispatch state (`from*`, `actFromStateCode`).
    pub from: Party,
    /// The consignee: bill-to party and ship-to state (`to*`, `actToStateCode`).
    pub to: Party,
    /// The goods, at least one (233), at least one with a goods HSN (724) (`itemList`).
    pub items: Vec<Item>,
    /// Document totals (`totalValue` ... `totInvValue`).
    pub value_details: ValueDetails,
    /// Part-B: who carries the goods, how, and how far (`trans*`, `vehicle*`).
    pub transport: Transport,
    /// The HSN of the main item (`mainHsnCode`).
    #[serde(
        default,
        with = "codec::hsn_text::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub main_hsn_code: Option<String>,
}

/// NIC `docType`: the document the goods move under (nic-rules C.10).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum DocumentType {
    /// `INV`: tax invoice. Not for composition taxpayers (714); for suppliers enabled for
    /// e-invoicing, B2B and export invoices get their EWB through the IRN instead (720).
    #[serde(rename = "INV")]
    TaxInvoice,
    /// `BIL`: bill of supply.
    #[serde(rename = "BIL")]
    BillOfSupply,
    /// `BOE`: bill of entry (imports).
    #[serde(rename = "BOE")]
    BillOfEntry,
    /// `CHL`: delivery challan (job work, own use, line sales, exhibitions...).
    #[serde(rename = "CHL")]
    DeliveryChallan,
    /// `CNT`: credit note.
    #[serde(rename = "CNT")]
    CreditNote,
    /// `OTH`: any other document.
    #[serde(rename = "OTH")]
    Others,
}

impl DocumentType {
    /// NIC's three-letter code.
    pub fn code(self) -> &'static str {
        match self {
            DocumentType::TaxInvoice => "INV",
            DocumentType::BillOfSupply => "BIL",
            DocumentType::BillOfEntry => "BOE",
            DocumentType::DeliveryChallan => "CHL",
            DocumentType::CreditNote => "CNT",
            DocumentType::Others => "OTH",
        }
    }
}

/// NIC `docType`, `docNo`, `docDate`. One document, one EWB: a second bill on the same
/// GSTIN + type + number is refused with 604.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DocumentDetails {
    /// The document type (`docType`).
    #[serde(rename = "type")]
    pub document_type: DocumentType,
    /// The document number, up to 16 characters of letters, digits, `-` and `/` (`docNo`).
    pub number: String,
    /// The document date, `YYYY-MM-DD`; written `dd/mm/yyyy` to NIC (`docDate`). Not before
    /// 01/07/2017 (819), not older than 180 days (820).
    #[serde(with = "wire::api_date")]
    pub date: NaiveDate,
}

/// NIC `supplyType`: the direction of the movement, seen from the user generating the bill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SupplyType {
    /// `O`: outward; the user is the consignor (359).
    #[serde(rename = "O")]
    Outward,
    /// `I`: inward; the user is the consignee (360).
    #[serde(rename = "I")]
    Inward,
}

impl SupplyType {
    /// NIC's one-letter code.
    pub fn code(self) -> &'static str {
        match self {
            SupplyType::Outward => "O",
            SupplyType::Inward => "I",
        }
    }
}

numeric_codes!(
    /// NIC `subSupplyType` (nic-rules C.10). Written as the number in the API too.
    SubSupplyType ("sub-supply type") {
        /// 1: a supply.
        Supply = 1, "supply", "Supply";
        /// 2: an import (inward; `fromPincode` 999999, 375/376).
        Import = 2, "import", "Import";
        /// 3: an export (outward; `toPincode` 999999, 373/374).
        Export = 3, "export", "Export";
        /// 4: goods sent for job work (needs an EWB inter-state whatever the value).
        JobWork = 4, "job_work", "Job Work";
        /// 5: for the user's own use.
        ForOwnUse = 5, "for_own_use", "For Own Use";
        /// 6: goods coming back from job work.
        JobWorkReturns = 6, "job_work_returns", "Job work Returns";
        /// 7: a sales return.
        SalesReturn = 7, "sales_return", "Sales Return";
        /// 8: anything else; say what in `subSupplyDescription` (377).
        Others = 8, "others", "Others";
        /// 9: semi- or completely knocked down goods, or lots.
        SkdCkdLots = 9, "skd_ckd_lots", "SKD/CKD/Lots";
        /// 10: line sales.
        LineSales = 10, "line_sales", "Line Sales";
        /// 11: the recipient is not known yet.
        RecipientNotKnown = 11, "recipient_not_known", "Recipient Not Known";
        /// 12: for an exhibition or a fair.
        ExhibitionOrFairs = 12, "exhibition_or_fairs", "Exhibition or Fairs";
    }
);

numeric_codes!(
    /// NIC `transactionType` (nic-rules C.10). Written as the number in the API too.
    TransactionType ("transaction type") {
        /// 1: regular; bill-from state equals dispatch state and bill-to state equals ship-to
        /// state (643/644).
        Regular = 1, "regular", "Regular";
        /// 2: billed to one party, shipped to another.
        BillToShipTo = 2, "bill_to_ship_to", "Bill To - Ship To";
        /// 3: billed from one place, dispatched from another.
        BillFromDispatchFrom = 3, "bill_from_dispatch_from", "Bill From - Dispatch From";
        /// 4: both 2 and 3.
        Combination = 4, "combination", "Combination of 2 and 3";
    }
);

/// One end of the movement: NIC `from*` / `to*` and `actFromStateCode` / `actToStateCode`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Party {
    /// GSTIN, or `URP` for an unregistered person or a party abroad (`fromGstin` / `toGstin`).
    pub gstin: String,
    /// Trade name (`fromTrdName` / `toTrdName`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trade_name: Option<String>,
    /// Address line 1 (`fromAddr1` / `toAddr1`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address1: Option<String>,
    /// Address line 2 (`fromAddr2` / `toAddr2`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address2: Option<String>,
    /// Place (`fromPlace` / `toPlace`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
    /// PIN code of the place goods leave from or arrive at; 999999 for a place abroad
    /// (`fromPincode` / `toPincode`).
    #[serde(with = "wire::unsigned")]
    pub pincode: u32,
    /// State of the bill-from / bill-to party (`fromStateCode` / `toStateCode`). The EWB
    /// system's code for "other country" is unsettled (96 or 99, nic-rules C.10).
    #[serde(with = "wire::state_code")]
    pub state_code: String,
    /// State goods are actually dispatched from / shipped to (`actFromStateCode` /
    /// `actToStateCode`).
    #[serde(with = "wire::state_code")]
    pub actual_state_code: String,
}

/// One line of goods (NIC `itemList[]`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Item {
    /// Line number (`itemNo`).
    #[serde(
        default,
        with = "wire::unsigned::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub item_number: Option<u32>,
    /// Product name (`productName`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product_name: Option<String>,
    /// Product description (`productDesc`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product_description: Option<String>,
    /// HSN code, 4 to 8 digits by turnover (282/283); a number is accepted too (`hsnCode`).
    #[serde(with = "codec::hsn_text")]
    pub hsn_code: String,
    /// Quantity (`quantity`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<Decimal>,
    /// Unit, a UQC code such as `NOS` or `KGS` (`qtyUnit`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Taxable value of the line (`taxableAmount`).
    pub taxable_amount: Amount,
    /// CGST rate in percent (`cgstRate`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cgst_rate: Option<Decimal>,
    /// SGST / UTGST rate in percent (`sgstRate`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sgst_rate: Option<Decimal>,
    /// IGST rate in percent (`igstRate`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub igst_rate: Option<Decimal>,
    /// Cess rate in percent (`cessRate`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cess_rate: Option<Decimal>,
    /// Non ad valorem cess on the line (`cessNonadvol`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cess_non_advol: Option<Amount>,
}

/// Document totals (NIC `totalValue`, `cgstValue`, ..., `totInvValue`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ValueDetails {
    /// Sum of the lines' taxable values (`totalValue`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_value: Option<Amount>,
    /// CGST (`cgstValue`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cgst_value: Option<Amount>,
    /// SGST / UTGST (`sgstValue`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sgst_value: Option<Amount>,
    /// IGST (`igstValue`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub igst_value: Option<Amount>,
    /// Cess, ad valorem (`cessValue`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cess_value: Option<Amount>,
    /// Cess, non ad valorem (`cessNonAdvolValue`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cess_non_advol_value: Option<Amount>,
    /// Other charges less discounts, rounding included; may be negative (`otherValue`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub other_value: Option<Amount>,
    /// The document total; not less than total value plus taxes (620) (`totInvValue`).
    pub total_invoice_value: Amount,
}

/// Part-B of the bill: the transporter, the mode and the vehicle or transport document.
///
/// With only `transporterId` the bill is a Part-A slip (619), valid from its first Part-B entry
/// ([`super::PartBUpdate`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Transport {
    /// Transporter GSTIN or TRANSIN; never checksummed, TRANSINs may fail it (nic-rules C.13)
    /// (`transporterId`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transporter_id: Option<String>,
    /// Transporter name (`transporterName`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transporter_name: Option<String>,
    /// Road, rail, air or ship (`transMode`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<TransportMode>,
    /// Distance in km, 0 to 4000; 0 asks NIC for its PIN-to-PIN distance, which a given distance
    /// may exceed by at most 10 % (702) (`transDistance`).
    #[serde(with = "wire::unsigned")]
    pub distance: u32,
    /// RR, airway bill or bill of lading number; required for rail, air and ship (394)
    /// (`transDocNo`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_number: Option<String>,
    /// Its date; not before the document date (362) nor in the future (4016) (`transDocDate`).
    #[serde(
        default,
        with = "wire::api_date::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub document_date: Option<NaiveDate>,
    /// Vehicle number, required for road (303) (`vehicleNo`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vehicle_number: Option<String>,
    /// Regular or over-dimensional cargo (`vehicleType`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vehicle_type: Option<VehicleType>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sub_supply_type_by_number_string_or_name() {
        for text in ["2", "\"2\"", "\"2  \"", "\"import\""] {
            let t: SubSupplyType = serde_json::from_str(text).unwrap();
            assert_eq!(t, SubSupplyType::Import, "{text}");
        }
        assert_eq!(
            serde_json::to_string(&SubSupplyType::ExhibitionOrFairs).unwrap(),
            "12"
        );
        let err = serde_json::from_str::<SubSupplyType>("13").unwrap_err();
        assert!(err.to_string().contains("unknown sub-supply type"), "{err}");
        assert!(serde_json::from_str::<SubSupplyType>("\"Import\"").is_err());
        assert_eq!(SubSupplyType::ALL.len(), 12);
        assert_eq!(SubSupplyType::SkdCkdLots.label(), "SKD/CKD/Lots");
    }

    #[test]
    fn transaction_type_codes() {
        let t: TransactionType = serde_json::from_str("\"bill_to_ship_to\"").unwrap();
        assert_eq!(t, TransactionType::BillToShipTo);
        assert_eq!(serde_json::to_string(&t).unwrap(), "2");
        assert!(serde_json::from_str::<TransactionType>("5").is_err());
        assert!(serde_json::from_str::<TransactionType>("0").is_err());
    }

    #[test]
    fn supply_and_document_type_codes() {
        let s: SupplyType = serde_json::from_str("\"I\"").unwrap();
        assert_eq!(s, SupplyType::Inward);
        assert!(serde_json::from_str::<SupplyType>("\"X\"").is_err());
        for (code, t) in [
            ("INV", DocumentType::TaxInvoice),
            ("BIL", DocumentType::BillOfSupply),
            ("BOE", DocumentType::BillOfEntry),
            ("CHL", DocumentType::DeliveryChallan),
            ("CNT", DocumentType::CreditNote),
            ("OTH", DocumentType::Others),
        ] {
            assert_eq!(serde_json::to_string(&t).unwrap(), format!("\"{code}\""));
            assert_eq!(t.code(), code);
        }
    }

    #[test]
    fn hsn_accepts_a_number_and_keeps_text() {
        let item: Item = serde_json::from_str(
            r#"{"hsnCode": 61149090, "taxableAmount": 100.00, "quantity": 1.000}"#,
        )
        .unwrap();
        assert_eq!(item.hsn_code, "61149090");
        let back = serde_json::to_value(&item).unwrap();
        assert_eq!(back["hsnCode"], "61149090");
        assert_eq!(back["taxableAmount"].to_string(), "100.00");
        assert_eq!(back["quantity"].to_string(), "1.000");
    }
}
