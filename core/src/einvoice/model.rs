//! The canonical e-invoice: the grouped, NIC-isomorphic form of the "Generate an IRN" guide.
//!
//! Every field of NIC's e-invoice schema v1.1 has exactly one place here, so the mapping to NIC
//! and back ([`super::nic`]) is lossless. Field names are camelCase words for NIC's short names
//! (`AssAmt` is `assessableAmount`). Amounts are [`Decimal`]s; optional NIC fields are `Option`s so
//! that "absent" and "zero" stay different through every round trip.
//!
//! Required fields are plain fields: a document without them does not parse, and the parse error
//! names the missing field. Rules about values (formats, ranges, sums) are validation, not parsing,
//! so a wrong value still parses and is then reported with NIC's error code.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::transport::{TransportMode, VehicleType};
use crate::wire;

/// An amount of money in rupees (or, for `totalInvoiceValueForeignCurrency`, in the foreign
/// currency). Never a float.
pub type Amount = Decimal;

/// An e-invoice, credit note or debit note, as the API receives it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EInvoice {
    /// Type, number and date of the document (NIC `DocDtls`).
    pub document_details: DocumentDetails,
    /// The nature of the supply (NIC `TranDtls`).
    pub transaction_details: TransactionDetails,
    /// The supplier (NIC `SellerDtls`).
    pub seller: Seller,
    /// The recipient (NIC `BuyerDtls`).
    pub buyer: Buyer,
    /// Where goods are dispatched from, only when it differs from the seller (NIC `DispDtls`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dispatch_from: Option<DispatchFrom>,
    /// Where goods are shipped to, only when it differs from the buyer (NIC `ShipDtls`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ship_to: Option<ShipTo>,
    /// The lines, 1 to 1000 of them (NIC `ItemList`, error 2173).
    pub items: Vec<Item>,
    /// Document totals (NIC `ValDtls`).
    pub value_details: ValueDetails,
    /// Payment terms (NIC `PayDtls`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_details: Option<PaymentDetails>,
    /// References: remarks, period, preceding documents for CRN/DBN, contracts (NIC `RefDtls`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference_details: Option<ReferenceDetails>,
    /// Supporting documents (NIC `AddlDocDtls`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub additional_documents: Option<Vec<AdditionalDocument>>,
    /// Export details, required for EXPWP/EXPWOP (NIC `ExpDtls`, error 2208).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub export_details: Option<ExportDetails>,
    /// Asks the IRP to issue an e-way bill with the IRN (NIC `EwbDtls`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub e_way_bill_details: Option<EWayBillDetails>,
}

/// NIC `DocDtls.Typ`: what kind of document this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum DocumentType {
    /// `INV`: tax invoice.
    #[serde(rename = "INV")]
    Invoice,
    /// `CRN`: credit note. Needs a preceding document (2191).
    #[serde(rename = "CRN")]
    CreditNote,
    /// `DBN`: debit note. Needs a preceding document (2191).
    #[serde(rename = "DBN")]
    DebitNote,
}

impl DocumentType {
    /// NIC's three-letter code, as hashed into the IRN.
    pub fn code(self) -> &'static str {
        match self {
            DocumentType::Invoice => "INV",
            DocumentType::CreditNote => "CRN",
            DocumentType::DebitNote => "DBN",
        }
    }
}

/// NIC `DocDtls`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DocumentDetails {
    /// INV, CRN or DBN (`Typ`).
    #[serde(rename = "type")]
    pub document_type: DocumentType,
    /// The document number, 1 to 16 characters (`No`).
    pub number: String,
    /// The document date, `YYYY-MM-DD` (`Dt`, written `dd/mm/yyyy` to NIC).
    #[serde(with = "wire::api_date")]
    pub date: NaiveDate,
}

/// NIC `TranDtls.TaxSch`. GST is the only scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum TaxScheme {
    /// `GST`.
    #[default]
    #[serde(rename = "GST")]
    Gst,
}

/// NIC `TranDtls.SupTyp`. B2C is not reported to the IRP (nic-rules B.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SupplyType {
    /// `B2B`: to a registered person.
    #[serde(rename = "B2B")]
    B2b,
    /// `SEZWP`: to an SEZ, with payment of tax.
    #[serde(rename = "SEZWP")]
    SezWithPayment,
    /// `SEZWOP`: to an SEZ, without payment of tax.
    #[serde(rename = "SEZWOP")]
    SezWithoutPayment,
    /// `EXPWP`: export with payment of tax.
    #[serde(rename = "EXPWP")]
    ExportWithPayment,
    /// `EXPWOP`: export without payment of tax.
    #[serde(rename = "EXPWOP")]
    ExportWithoutPayment,
    /// `DEXP`: deemed export.
    #[serde(rename = "DEXP")]
    DeemedExport,
}

impl SupplyType {
    /// NIC's code for this supply type.
    pub fn code(self) -> &'static str {
        match self {
            SupplyType::B2b => "B2B",
            SupplyType::SezWithPayment => "SEZWP",
            SupplyType::SezWithoutPayment => "SEZWOP",
            SupplyType::ExportWithPayment => "EXPWP",
            SupplyType::ExportWithoutPayment => "EXPWOP",
            SupplyType::DeemedExport => "DEXP",
        }
    }

    /// EXPWP or EXPWOP.
    pub fn is_export(self) -> bool {
        matches!(
            self,
            SupplyType::ExportWithPayment | SupplyType::ExportWithoutPayment
        )
    }

    /// SEZWP or SEZWOP.
    pub fn is_sez(self) -> bool {
        matches!(
            self,
            SupplyType::SezWithPayment | SupplyType::SezWithoutPayment
        )
    }
}

/// NIC `TranDtls`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TransactionDetails {
    /// Always GST (`TaxSch`); defaults to GST when omitted.
    #[serde(default)]
    pub tax_scheme: TaxScheme,
    /// The supply type (`SupTyp`).
    pub supply_type: SupplyType,
    /// Reverse charge (`RegRev`, Y/N); NIC reads absent as N. Only for B2B and SEZ (2162).
    #[serde(
        default,
        with = "wire::yes_no::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub reverse_charge: Option<bool>,
    /// The e-commerce operator's GSTIN when it reports on the supplier's behalf (`EcmGstin`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ecom_gstin: Option<String>,
    /// IGST charged on an intra-state supply (`IgstOnIntra`, Y/N; 2262).
    #[serde(
        default,
        with = "wire::yes_no::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub igst_on_intra: Option<bool>,
}

/// NIC `SellerDtls`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Seller {
    /// The supplier's GSTIN (`Gstin`).
    pub gstin: String,
    /// Legal name (`LglNm`, 3-100).
    pub legal_name: String,
    /// Trade name (`TrdNm`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trade_name: Option<String>,
    /// Address line 1 (`Addr1`).
    pub address1: String,
    /// Address line 2 (`Addr2`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address2: Option<String>,
    /// Place (`Loc`).
    pub location: String,
    /// PIN code (`Pin`).
    #[serde(with = "wire::unsigned")]
    pub pincode: u32,
    /// State code (`Stcd`), e.g. `"29"`.
    #[serde(with = "wire::state_code")]
    pub state_code: String,
    /// Phone (`Ph`, 6-12 digits).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// E-mail (`Em`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

/// NIC `BuyerDtls`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Buyer {
    /// The recipient's GSTIN, or `URP` for exports (`Gstin`).
    pub gstin: String,
    /// Legal name (`LglNm`).
    pub legal_name: String,
    /// Trade name (`TrdNm`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trade_name: Option<String>,
    /// Place of supply state code, `96` for exports (`Pos`).
    #[serde(with = "wire::state_code")]
    pub place_of_supply_state_code: String,
    /// Address line 1 (`Addr1`).
    pub address1: String,
    /// Address line 2 (`Addr2`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address2: Option<String>,
    /// Place (`Loc`).
    pub location: String,
    /// PIN code (`Pin`); optional in NIC's schema, `999999` for exports.
    #[serde(
        default,
        with = "wire::unsigned::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub pincode: Option<u32>,
    /// State code (`Stcd`), `96` for exports.
    #[serde(with = "wire::state_code")]
    pub state_code: String,
    /// Phone (`Ph`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// E-mail (`Em`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

/// NIC `DispDtls`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DispatchFrom {
    /// Name of the dispatching party (`Nm`).
    pub name: String,
    /// Address line 1 (`Addr1`).
    pub address1: String,
    /// Address line 2 (`Addr2`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address2: Option<String>,
    /// Place (`Loc`).
    pub location: String,
    /// PIN code (`Pin`).
    #[serde(with = "wire::unsigned")]
    pub pincode: u32,
    /// State code (`Stcd`).
    #[serde(with = "wire::state_code")]
    pub state_code: String,
}

/// NIC `ShipDtls`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ShipTo {
    /// The consignee's GSTIN, or `URP` (`Gstin`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gstin: Option<String>,
    /// Legal name (`LglNm`).
    pub legal_name: String,
    /// Trade name (`TrdNm`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trade_name: Option<String>,
    /// Address line 1 (`Addr1`).
    pub address1: String,
    /// Address line 2 (`Addr2`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address2: Option<String>,
    /// Place (`Loc`).
    pub location: String,
    /// PIN code (`Pin`).
    #[serde(with = "wire::unsigned")]
    pub pincode: u32,
    /// State code (`Stcd`).
    #[serde(with = "wire::state_code")]
    pub state_code: String,
}

/// One line of the document (NIC `ItemList[]`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Item {
    /// Line serial number, 1-6 digits, unique in the document (`SlNo`, 2233).
    pub serial_number: String,
    /// Description (`PrdDesc`, 3-300).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product_description: Option<String>,
    /// A service, not goods (`IsServc`, Y/N).
    #[serde(with = "wire::yes_no")]
    pub is_service: bool,
    /// HSN or SAC code, 4, 6 or 8 digits (`HsnCd`).
    pub hsn_code: String,
    /// Barcode (`Barcde`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub barcode: Option<String>,
    /// Quantity, up to 3 decimals (`Qty`); required for goods (2238).
    #[serde(
        default,
        deserialize_with = "wire::amount::option::deserialize",
        skip_serializing_if = "Option::is_none"
    )]
    pub quantity: Option<Decimal>,
    /// Free quantity (`FreeQty`).
    #[serde(
        default,
        deserialize_with = "wire::amount::option::deserialize",
        skip_serializing_if = "Option::is_none"
    )]
    pub free_quantity: Option<Decimal>,
    /// Unit, a UQC code such as `NOS` (`Unit`); required for goods (2239).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Price per unit, up to 3 decimals (`UnitPrice`).
    #[serde(deserialize_with = "wire::amount::deserialize")]
    pub unit_price: Amount,
    /// Gross amount, quantity x unit price (`TotAmt`).
    #[serde(deserialize_with = "wire::amount::deserialize")]
    pub total_amount: Amount,
    /// Discount (`Discount`).
    #[serde(
        default,
        deserialize_with = "wire::amount::option::deserialize",
        skip_serializing_if = "Option::is_none"
    )]
    pub discount: Option<Amount>,
    /// Pre-tax value (`PreTaxVal`).
    #[serde(
        default,
        deserialize_with = "wire::amount::option::deserialize",
        skip_serializing_if = "Option::is_none"
    )]
    pub pre_tax_value: Option<Amount>,
    /// Taxable value, total amount minus discount (`AssAmt`, 2193).
    #[serde(deserialize_with = "wire::amount::deserialize")]
    pub assessable_amount: Amount,
    /// GST rate in percent (`GstRt`).
    #[serde(deserialize_with = "wire::amount::deserialize")]
    pub gst_rate: Decimal,
    /// IGST (`IgstAmt`).
    #[serde(
        default,
        deserialize_with = "wire::amount::option::deserialize",
        skip_serializing_if = "Option::is_none"
    )]
    pub igst_amount: Option<Amount>,
    /// CGST (`CgstAmt`).
    #[serde(
        default,
        deserialize_with = "wire::amount::option::deserialize",
        skip_serializing_if = "Option::is_none"
    )]
    pub cgst_amount: Option<Amount>,
    /// SGST or UTGST (`SgstAmt`).
    #[serde(
        default,
        deserialize_with = "wire::amount::option::deserialize",
        skip_serializing_if = "Option::is_none"
    )]
    pub sgst_amount: Option<Amount>,
    /// Compensation cess rate in percent (`CesRt`).
    #[serde(
        default,
        deserialize_with = "wire::amount::option::deserialize",
        skip_serializing_if = "Option::is_none"
    )]
    pub cess_rate: Option<Decimal>,
    /// Compensation cess, ad valorem (`CesAmt`).
    #[serde(
        default,
        deserialize_with = "wire::amount::option::deserialize",
        skip_serializing_if = "Option::is_none"
    )]
    pub cess_amount: Option<Amount>,
    /// Compensation cess, non ad valorem (`CesNonAdvlAmt`).
    #[serde(
        default,
        deserialize_with = "wire::amount::option::deserialize",
        skip_serializing_if = "Option::is_none"
    )]
    pub cess_non_advol_amount: Option<Amount>,
    /// State cess rate in percent (`StateCesRt`).
    #[serde(
        default,
        deserialize_with = "wire::amount::option::deserialize",
        skip_serializing_if = "Option::is_none"
    )]
    pub state_cess_rate: Option<Decimal>,
    /// State cess, ad valorem (`StateCesAmt`).
    #[serde(
        default,
        deserialize_with = "wire::amount::option::deserialize",
        skip_serializing_if = "Option::is_none"
    )]
    pub state_cess_amount: Option<Amount>,
    /// State cess, non ad valorem (`StateCesNonAdvlAmt`).
    #[serde(
        default,
        deserialize_with = "wire::amount::option::deserialize",
        skip_serializing_if = "Option::is_none"
    )]
    pub state_cess_non_advol_amount: Option<Amount>,
    /// Other charges on the line (`OthChrg`).
    #[serde(
        default,
        deserialize_with = "wire::amount::option::deserialize",
        skip_serializing_if = "Option::is_none"
    )]
    pub other_charges: Option<Amount>,
    /// Line total: taxable value plus every tax and charge (`TotItemVal`, 2194).
    #[serde(deserialize_with = "wire::amount::deserialize")]
    pub total_item_value: Amount,
    /// The buyer's order line reference (`OrdLineRef`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_line_reference: Option<String>,
    /// Country of origin, two letters (`OrgCntry`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin_country: Option<String>,
    /// The product's serial number (`PrdSlNo`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product_serial_number: Option<String>,
    /// Batch (`BchDtls`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub batch: Option<Batch>,
    /// Free-form attributes (`AttribDtls`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributes: Option<Vec<Attribute>>,
}

/// NIC `BchDtls`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Batch {
    /// Batch name or number (`Nm`).
    pub name: String,
    /// Expiry date (`ExpDt`).
    #[serde(
        default,
        with = "wire::api_date::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub expiry_date: Option<NaiveDate>,
    /// Warranty date (`WrDt`).
    #[serde(
        default,
        with = "wire::api_date::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub warranty_date: Option<NaiveDate>,
}

/// NIC `AttribDtls[]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Attribute {
    /// Attribute name (`Nm`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Attribute value (`Val`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

/// NIC `ValDtls`: the document totals.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ValueDetails {
    /// Sum of line taxable values (`AssVal`, 2182).
    #[serde(deserialize_with = "wire::amount::deserialize")]
    pub assessable_value: Amount,
    /// Sum of line CGST (`CgstVal`, 2184).
    #[serde(
        default,
        deserialize_with = "wire::amount::option::deserialize",
        skip_serializing_if = "Option::is_none"
    )]
    pub cgst_value: Option<Amount>,
    /// Sum of line SGST (`SgstVal`, 2183).
    #[serde(
        default,
        deserialize_with = "wire::amount::option::deserialize",
        skip_serializing_if = "Option::is_none"
    )]
    pub sgst_value: Option<Amount>,
    /// Sum of line IGST (`IgstVal`, 2185).
    #[serde(
        default,
        deserialize_with = "wire::amount::option::deserialize",
        skip_serializing_if = "Option::is_none"
    )]
    pub igst_value: Option<Amount>,
    /// Sum of line cess, ad valorem and not (`CesVal`, 2186/2188).
    #[serde(
        default,
        deserialize_with = "wire::amount::option::deserialize",
        skip_serializing_if = "Option::is_none"
    )]
    pub cess_value: Option<Amount>,
    /// Sum of line state cess (`StCesVal`, 2187).
    #[serde(
        default,
        deserialize_with = "wire::amount::option::deserialize",
        skip_serializing_if = "Option::is_none"
    )]
    pub state_cess_value: Option<Amount>,
    /// Document-level discount (`Discount`).
    #[serde(
        default,
        deserialize_with = "wire::amount::option::deserialize",
        skip_serializing_if = "Option::is_none"
    )]
    pub discount: Option<Amount>,
    /// Document-level other charges (`OthChrg`).
    #[serde(
        default,
        deserialize_with = "wire::amount::option::deserialize",
        skip_serializing_if = "Option::is_none"
    )]
    pub other_charges: Option<Amount>,
    /// Rounding, -99.99 to +99.99 (`RndOffAmt`).
    #[serde(
        default,
        deserialize_with = "wire::amount::option::deserialize",
        skip_serializing_if = "Option::is_none"
    )]
    pub round_off_amount: Option<Amount>,
    /// The document total (`TotInvVal`, 2189, +/- 1).
    #[serde(deserialize_with = "wire::amount::deserialize")]
    pub total_invoice_value: Amount,
    /// The document total in the foreign currency of an export (`TotInvValFc`).
    #[serde(
        default,
        deserialize_with = "wire::amount::option::deserialize",
        skip_serializing_if = "Option::is_none"
    )]
    pub total_invoice_value_foreign_currency: Option<Amount>,
}

/// NIC `PayDtls`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PaymentDetails {
    /// Payee name (`Nm`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payee_name: Option<String>,
    /// Payee bank account (`AccDet`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_details: Option<String>,
    /// Mode of payment (`Mode`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<String>,
    /// Branch or IFSC (`FinInsBr`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub financial_institution_branch: Option<String>,
    /// Terms of payment (`PayTerm`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_terms: Option<String>,
    /// Payment instruction (`PayInstr`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_instruction: Option<String>,
    /// Credit transfer (`CrTrn`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credit_transfer: Option<String>,
    /// Direct debit (`DirDr`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub direct_debit: Option<String>,
    /// Credit days (`CrDay`).
    #[serde(
        default,
        with = "wire::unsigned::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub credit_days: Option<u32>,
    /// Advance paid (`PaidAmt`).
    #[serde(
        default,
        deserialize_with = "wire::amount::option::deserialize",
        skip_serializing_if = "Option::is_none"
    )]
    pub paid_amount: Option<Amount>,
    /// Outstanding amount (`PaymtDue`).
    #[serde(
        default,
        deserialize_with = "wire::amount::option::deserialize",
        skip_serializing_if = "Option::is_none"
    )]
    pub payment_due: Option<Amount>,
}

/// NIC `RefDtls`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ReferenceDetails {
    /// Remarks (`InvRm`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invoice_remarks: Option<String>,
    /// The period the document covers (`DocPerdDtls`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_period: Option<DocumentPeriod>,
    /// Documents this one refers to: the original invoice of a CRN/DBN (`PrecDocDtls`, 2191).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preceding_documents: Option<Vec<PrecedingDocument>>,
    /// Contract references (`ContrDtls`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contracts: Option<Vec<ContractReference>>,
}

/// NIC `DocPerdDtls`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DocumentPeriod {
    /// First day (`InvStDt`).
    #[serde(with = "wire::api_date")]
    pub start_date: NaiveDate,
    /// Last day (`InvEndDt`).
    #[serde(with = "wire::api_date")]
    pub end_date: NaiveDate,
}

/// NIC `PrecDocDtls[]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PrecedingDocument {
    /// The preceding document's number (`InvNo`).
    pub number: String,
    /// Its date (`InvDt`).
    #[serde(with = "wire::api_date")]
    pub date: NaiveDate,
    /// Any other reference (`OthRefNo`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub other_reference: Option<String>,
}

/// NIC `ContrDtls[]`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ContractReference {
    /// Receipt advice number (`RecAdvRefr`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receipt_advice_reference: Option<String>,
    /// Receipt advice date (`RecAdvDt`).
    #[serde(
        default,
        with = "wire::api_date::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub receipt_advice_date: Option<NaiveDate>,
    /// Tender or lot reference (`TendRefr`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tender_reference: Option<String>,
    /// Contract reference (`ContrRefr`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contract_reference: Option<String>,
    /// Any other reference (`ExtRefr`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_reference: Option<String>,
    /// Project reference (`ProjRefr`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project_reference: Option<String>,
    /// Purchase order reference (`PORefr`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub po_reference: Option<String>,
    /// Purchase order date (`PORefDt`).
    #[serde(
        default,
        with = "wire::api_date::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub po_reference_date: Option<NaiveDate>,
}

/// NIC `AddlDocDtls[]`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AdditionalDocument {
    /// Where the document is (`Url`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The document, e.g. base64 (`Docs`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document: Option<String>,
    /// Information about it (`Info`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub info: Option<String>,
}

/// NIC `ExpDtls`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ExportDetails {
    /// Shipping bill number (`ShipBNo`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shipping_bill_number: Option<String>,
    /// Shipping bill date (`ShipBDt`).
    #[serde(
        default,
        with = "wire::api_date::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub shipping_bill_date: Option<NaiveDate>,
    /// Port code (`Port`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port_code: Option<String>,
    /// Refund claimed (`RefClm`, Y/N).
    #[serde(
        default,
        with = "wire::yes_no::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub refund_claim: Option<bool>,
    /// Foreign currency code (`ForCur`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub foreign_currency: Option<String>,
    /// Destination country, two letters (`CntCode`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country_code: Option<String>,
    /// Export duty (`ExpDuty`).
    #[serde(
        default,
        deserialize_with = "wire::amount::option::deserialize",
        skip_serializing_if = "Option::is_none"
    )]
    pub export_duty: Option<Amount>,
}

/// NIC `EwbDtls`: asks the IRP to generate an e-way bill together with the IRN.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EWayBillDetails {
    /// Transporter GSTIN or TRANSIN (`TransId`); never checksummed (nic-rules C.13).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transporter_id: Option<String>,
    /// Transporter name (`TransName`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transporter_name: Option<String>,
    /// Mode of transport (`TransMode`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transport_mode: Option<TransportMode>,
    /// Distance in km, 0 to 4000; 0 asks NIC to compute the PIN-to-PIN distance (`Distance`).
    #[serde(with = "wire::unsigned")]
    pub distance: u32,
    /// Transport document number: RR, airway bill, bill of lading (`TransDocNo`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transport_document_number: Option<String>,
    /// Transport document date (`TransDocDt`).
    #[serde(
        default,
        with = "wire::api_date::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub transport_document_date: Option<NaiveDate>,
    /// Vehicle number (`VehNo`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vehicle_number: Option<String>,
    /// Regular or over-dimensional cargo (`VehType`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vehicle_type: Option<VehicleType>,
}
