//! The canonical e-invoice ([`EInvoice`]) read straight from the core's tree, without serde, for
//! the common document: the first try of [`crate::einvoice::parse`], ahead of
//! [`Mode::NumbersAsText`].
//!
//! Through serde, most of the cost of reading a 10-line invoice was serde's machinery rather than
//! the values: every amount went through `deserialize_newtype_struct` and a visitor, every key
//! through a field visitor, every struct was assembled from thirty `Option` locals and moved
//! three times on its way into its `Vec`. Here each struct is a loop over its members.
//!
//! Like [`Mode::NumbersAsText`], this read reports nothing: it answers `Some` only where the
//! result is the one serde's read gives, and `None` (the caller then reads through serde, which
//! reports any error exactly) for anything it does not take on itself: a key it does not know
//! or meets twice, a missing required field, a value of another kind than the usual one (an
//! amount written as a string, a struct written as an array), an amount that
//! [`amount_as_text`] or [`plain_decimal`] declines. Values whose reading is cheap through serde
//! or rare in documents (enums, Y/N flags, state codes, PIN codes, dispatch and shipping
//! addresses, export and e-way bill details, batches) are read by serde's own code, on the
//! reader in [`Mode::NumbersAsText`], so that their rules stay in one place.
//!
//! Each struct's wire names are written here once more; the tests hold them to serde's (the same
//! names, in the order of the fields, each the camelCase of its field's name but for renames), and
//! the struct literals name every field, so a field added to the model does not compile here
//! until it is read.

use std::cell::RefCell;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::de::DeserializeOwned;
use serde_json::Error;

use super::{Chain, Mode, Reader};
use crate::calendar::parse_api_date;
use crate::einvoice::model::{
    AdditionalDocument, Buyer, ContractReference, DocumentDetails, DocumentPeriod, EInvoice, Item,
    PaymentDetails, ReferenceDetails, Seller, TransactionDetails, ValueDetails,
};
use crate::json_tree::Node;
use crate::wire;
use crate::wire::amount::{decimal_of, leading_digits, split_sign};

/// `node` as an [`EInvoice`], when it is read here; see the module documentation.
pub(crate) fn einvoice(node: &Node<'_>) -> Option<EInvoice> {
    read_einvoice(node)
}

/// Declares `fn $read(&Node) -> Option<$ty>`, reading an object member by member: each member
/// named `$wire` read by `$value` (a function of the member's node, `None` to decline). A `req`
/// field must be present; an `opt` field that is absent is its type's default, as serde's
/// `#[serde(default)]` makes it. Also `$fields`, the names for the tests.
macro_rules! direct_struct {
    ($read:ident, $fields:ident -> $ty:ident {
        $($field:ident: $wire:literal, $presence:ident, $value:expr;)*
    }) => {
        fn $read(node: &Node<'_>) -> Option<$ty> {
            let Node::Object(members) = node else {
                return None;
            };
            $(let mut $field = None;)*
            for (key, value) in members {
                match key.as_ref() {
                    $($wire => {
                        if $field.is_some() {
                            return None;
                        }
                        $field = Some($value(value)?);
                    })*
                    _ => return None,
                }
            }
            Some($ty {
                $($field: direct_struct!(@absent $presence, $field),)*
            })
        }

        #[cfg(test)]
        pub(super) const $fields: (&str, &[(&str, &str)]) =
            (stringify!($ty), &[$((stringify!($field), $wire)),*]);
    };
    (@absent req, $field:ident) => {
        $field?
    };
    (@absent opt, $field:ident) => {
        $field.unwrap_or_default()
    };
}

direct_struct!(read_einvoice, EINVOICE_FIELDS -> EInvoice {
    document_details: "documentDetails", req, read_document_details;
    transaction_details: "transactionDetails", req, read_transaction_details;
    seller: "seller", req, read_seller;
    buyer: "buyer", req, read_buyer;
    dispatch_from: "dispatchFrom", opt, serde;
    ship_to: "shipTo", opt, serde;
    items: "items", req, |n| vec(n, read_item);
    value_details: "valueDetails", req, read_value_details;
    payment_details: "paymentDetails", opt, |n| option(n, read_payment_details);
    reference_details: "referenceDetails", opt, |n| option(n, read_reference_details);
    additional_documents: "additionalDocuments", opt,
        |n| option(n, |n| vec(n, read_additional_document));
    export_details: "exportDetails", opt, serde;
    e_way_bill_details: "eWayBillDetails", opt, serde;
});

direct_struct!(read_document_details, DOCUMENT_DETAILS_FIELDS -> DocumentDetails {
    document_type: "type", req, serde;
    number: "number", req, string;
    date: "date", req, api_date;
});

direct_struct!(read_transaction_details, TRANSACTION_DETAILS_FIELDS -> TransactionDetails {
    tax_scheme: "taxScheme", opt, serde;
    supply_type: "supplyType", req, serde;
    reverse_charge: "reverseCharge", opt, optional_yes_no;
    ecom_gstin: "ecomGstin", opt, optional_string;
    igst_on_intra: "igstOnIntra", opt, optional_yes_no;
});

direct_struct!(read_seller, SELLER_FIELDS -> Seller {
    gstin: "gstin", req, string;
    legal_name: "legalName", req, string;
    trade_name: "tradeName", opt, optional_string;
    address1: "address1", req, string;
    address2: "address2", opt, optional_string;
    location: "location", req, string;
    pincode: "pincode", req, whole;
    state_code: "stateCode", req, state;
    phone: "phone", opt, optional_string;
    email: "email", opt, optional_string;
});

direct_struct!(read_buyer, BUYER_FIELDS -> Buyer {
    gstin: "gstin", req, string;
    legal_name: "legalName", req, string;
    trade_name: "tradeName", opt, optional_string;
    place_of_supply_state_code: "placeOfSupplyStateCode", req,
        state;
    address1: "address1", req, string;
    address2: "address2", opt, optional_string;
    location: "location", req, string;
    pincode: "pincode", opt, optional_whole;
    state_code: "stateCode", req, state;
    phone: "phone", opt, optional_string;
    email: "email", opt, optional_string;
});

direct_struct!(read_item, ITEM_FIELDS -> Item {
    serial_number: "serialNumber", req, string;
    product_description: "productDescription", opt, optional_string;
    is_service: "isService", req, yes_no;
    hsn_code: "hsnCode", req, string;
    barcode: "barcode", opt, optional_string;
    quantity: "quantity", opt, optional_amount;
    free_quantity: "freeQuantity", opt, optional_amount;
    unit: "unit", opt, optional_string;
    unit_price: "unitPrice", req, amount;
    total_amount: "totalAmount", req, amount;
    discount: "discount", opt, optional_amount;
    pre_tax_value: "preTaxValue", opt, optional_amount;
    assessable_amount: "assessableAmount", req, amount;
    gst_rate: "gstRate", req, amount;
    igst_amount: "igstAmount", opt, optional_amount;
    cgst_amount: "cgstAmount", opt, optional_amount;
    sgst_amount: "sgstAmount", opt, optional_amount;
    cess_rate: "cessRate", opt, optional_amount;
    cess_amount: "cessAmount", opt, optional_amount;
    cess_non_advol_amount: "cessNonAdvolAmount", opt, optional_amount;
    state_cess_rate: "stateCessRate", opt, optional_amount;
    state_cess_amount: "stateCessAmount", opt, optional_amount;
    state_cess_non_advol_amount: "stateCessNonAdvolAmount", opt, optional_amount;
    other_charges: "otherCharges", opt, optional_amount;
    total_item_value: "totalItemValue", req, amount;
    order_line_reference: "orderLineReference", opt, optional_string;
    origin_country: "originCountry", opt, optional_string;
    product_serial_number: "productSerialNumber", opt, optional_string;
    batch: "batch", opt, serde;
    attributes: "attributes", opt, serde;
});

direct_struct!(read_value_details, VALUE_DETAILS_FIELDS -> ValueDetails {
    assessable_value: "assessableValue", req, amount;
    cgst_value: "cgstValue", opt, optional_amount;
    sgst_value: "sgstValue", opt, optional_amount;
    igst_value: "igstValue", opt, optional_amount;
    cess_value: "cessValue", opt, optional_amount;
    state_cess_value: "stateCessValue", opt, optional_amount;
    discount: "discount", opt, optional_amount;
    other_charges: "otherCharges", opt, optional_amount;
    round_off_amount: "roundOffAmount", opt, optional_amount;
    total_invoice_value: "totalInvoiceValue", req, amount;
    total_invoice_value_foreign_currency: "totalInvoiceValueForeignCurrency", opt,
        optional_amount;
});

direct_struct!(read_payment_details, PAYMENT_DETAILS_FIELDS -> PaymentDetails {
    payee_name: "payeeName", opt, optional_string;
    account_details: "accountDetails", opt, optional_string;
    mode: "mode", opt, optional_string;
    financial_institution_branch: "financialInstitutionBranch", opt, optional_string;
    payment_terms: "paymentTerms", opt, optional_string;
    payment_instruction: "paymentInstruction", opt, optional_string;
    credit_transfer: "creditTransfer", opt, optional_string;
    direct_debit: "directDebit", opt, optional_string;
    credit_days: "creditDays", opt, optional_whole;
    paid_amount: "paidAmount", opt, optional_amount;
    payment_due: "paymentDue", opt, optional_amount;
});

direct_struct!(read_reference_details, REFERENCE_DETAILS_FIELDS -> ReferenceDetails {
    invoice_remarks: "invoiceRemarks", opt, optional_string;
    document_period: "documentPeriod", opt, |n| option(n, read_document_period);
    preceding_documents: "precedingDocuments", opt, serde;
    contracts: "contracts", opt, |n| option(n, |n| vec(n, read_contract_reference));
});

direct_struct!(read_document_period, DOCUMENT_PERIOD_FIELDS -> DocumentPeriod {
    start_date: "startDate", req, api_date;
    end_date: "endDate", req, api_date;
});

direct_struct!(read_contract_reference, CONTRACT_REFERENCE_FIELDS -> ContractReference {
    receipt_advice_reference: "receiptAdviceReference", opt, optional_string;
    receipt_advice_date: "receiptAdviceDate", opt, optional_date;
    tender_reference: "tenderReference", opt, optional_string;
    contract_reference: "contractReference", opt, optional_string;
    external_reference: "externalReference", opt, optional_string;
    project_reference: "projectReference", opt, optional_string;
    po_reference: "poReference", opt, optional_string;
    po_reference_date: "poReferenceDate", opt, optional_date;
});

direct_struct!(read_additional_document, ADDITIONAL_DOCUMENT_FIELDS -> AdditionalDocument {
    url: "url", opt, optional_string;
    document: "document", opt, optional_string;
    info: "info", opt, optional_string;
});

/// A value read by serde's code for it (a `deserialize_with` function, or a type's own
/// `Deserialize`), on the reader in [`Mode::NumbersAsText`], whose successes are exact.
fn with<T>(node: &Node<'_>, read: impl FnOnce(Reader<'_, '_>) -> Result<T, Error>) -> Option<T> {
    let slot = RefCell::new(None);
    read(Reader {
        value: node,
        mode: Mode::NumbersAsText,
        at: &Chain::Root,
        slot: &slot,
    })
    .ok()
}

fn serde<T: DeserializeOwned>(node: &Node<'_>) -> Option<T> {
    with(node, |r| T::deserialize(r))
}

fn yes_no(node: &Node<'_>) -> Option<bool> {
    with(node, |r| wire::yes_no::deserialize(r))
}

fn optional_yes_no(node: &Node<'_>) -> Option<Option<bool>> {
    with(node, |r| wire::yes_no::option::deserialize(r))
}

fn whole(node: &Node<'_>) -> Option<u32> {
    with(node, |r| wire::unsigned::deserialize(r))
}

fn optional_whole(node: &Node<'_>) -> Option<Option<u32>> {
    with(node, |r| wire::unsigned::option::deserialize(r))
}

fn state(node: &Node<'_>) -> Option<String> {
    with(node, |r| wire::state_code::deserialize(r))
}

/// `Option<T>` as serde reads one: `null` is `None`.
fn option<T>(node: &Node<'_>, read: impl FnOnce(&Node<'_>) -> Option<T>) -> Option<Option<T>> {
    match node {
        Node::Null => Some(None),
        _ => read(node).map(Some),
    }
}

/// Sized as serde's `Vec` visitor sizes it (the array's length, for any array a document holds).
fn vec<T>(node: &Node<'_>, read: impl Fn(&Node<'_>) -> Option<T>) -> Option<Vec<T>> {
    let Node::Array(elements) = node else {
        return None;
    };
    let mut out = Vec::with_capacity(elements.len());
    for element in elements {
        out.push(read(element)?);
    }
    Some(out)
}

fn string(node: &Node<'_>) -> Option<String> {
    match node {
        Node::String(s) => Some(s.as_ref().to_owned()),
        _ => None,
    }
}

fn optional_string(node: &Node<'_>) -> Option<Option<String>> {
    option(node, string)
}

/// What `wire::amount` makes of a number the reader hands it as text (see
/// `Reader::deserialize_newtype_struct`), where that is built from the digits; anything else
/// (a string, an amount rust_decimal must parse) is serde's to read.
fn amount(node: &Node<'_>) -> Option<Decimal> {
    match node {
        Node::Number(text) => number_amount(text),
        _ => None,
    }
}

/// `amount_as_text(text)`, then `plain_decimal(text)`, in one pass over the bytes rather than
/// two (the tests hold it to the pair on any text). The conditions of both, together: an integer
/// of 1 to 18 digits, or a decimal whose whole part has 1 to 15 digits and no leading zero, with
/// a fraction of at least one digit and at most 19 digits in all; never a negative zero.
pub(super) fn number_amount(text: &str) -> Option<Decimal> {
    let (negative, digits) = split_sign(text.as_bytes());
    let (mantissa, whole) = leading_digits(digits, 0);
    let (mantissa, scale) = match digits.get(whole) {
        None if (1..=18).contains(&whole) && !(negative && mantissa == 0) => (mantissa, 0),
        Some(b'.') if (1..=15).contains(&whole) && digits[0] != b'0' => {
            let (mantissa, scale) = leading_digits(&digits[whole + 1..], mantissa);
            if scale == 0 || whole + 1 + scale != digits.len() || whole + scale > 19 {
                return None;
            }
            (mantissa, scale)
        }
        _ => return None,
    };
    Some(decimal_of(negative, mantissa, scale))
}

fn optional_amount(node: &Node<'_>) -> Option<Option<Decimal>> {
    option(node, amount)
}

/// `wire::api_date`: a string, parsed.
fn api_date(node: &Node<'_>) -> Option<NaiveDate> {
    match node {
        Node::String(s) => parse_api_date(s).ok(),
        _ => None,
    }
}

fn optional_date(node: &Node<'_>) -> Option<Option<NaiveDate>> {
    option(node, api_date)
}

/// Every struct read here, with its names, for the tests.
#[cfg(test)]
pub(super) const STRUCTS: &[(&str, &[(&str, &str)])] = &[
    EINVOICE_FIELDS,
    DOCUMENT_DETAILS_FIELDS,
    TRANSACTION_DETAILS_FIELDS,
    SELLER_FIELDS,
    BUYER_FIELDS,
    ITEM_FIELDS,
    VALUE_DETAILS_FIELDS,
    PAYMENT_DETAILS_FIELDS,
    REFERENCE_DETAILS_FIELDS,
    DOCUMENT_PERIOD_FIELDS,
    CONTRACT_REFERENCE_FIELDS,
    ADDITIONAL_DOCUMENT_FIELDS,
];
