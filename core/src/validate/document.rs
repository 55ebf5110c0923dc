//! The document itself: its number (nic-rules A.2, A.3), its date against the clock the caller
//! passes (2163, the e-invoicing start, the 30-day reporting limit 2305; nic-rules B.6), and the
//! preceding invoice a credit or debit note refers to (2191, 2210; nic-rules B.1).

use chrono::NaiveDate;

use super::common::with_severity;
use super::options::ValidationOptions;
use crate::calendar::ist_date;
use crate::einvoice::model::{DocumentType, EInvoice};
use crate::finding::Finding;

/// The first date the IRP accepts (documents before 01-10-2020 are rejected, nic-rules B.6).
fn einvoicing_start() -> NaiveDate {
    NaiveDate::from_ymd_opt(2020, 10, 1).unwrap_or_default()
}

/// What is wrong with a document number's form, if anything: 1 to 16 characters of letters,
/// digits, `/` and `-` and, on an e-invoice, a first character other than `0`, `/` or `-` (NIC's
/// `DocDtls.No` pattern, nic-rules A.2, A.3.3; the e-way bill's `docNo` has no such rule). Lower
/// case is judged separately.
pub(super) fn number_problem(number: &str, first_character_rule: bool) -> Option<String> {
    let len = number.chars().count();
    if len == 0 || len > 16 {
        return Some(format!("has {len} characters; 1 to 16 are allowed"));
    }
    if let Some(bad) = number
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '/' || *c == '-'))
    {
        return Some(format!(
            "contains `{bad}`; only letters, digits, `/` and `-` are allowed"
        ));
    }
    if let (true, Some(first @ ('0' | '/' | '-'))) = (first_character_rule, number.chars().next()) {
        return Some(format!(
            "starts with `{first}`; the first character cannot be 0, / or -"
        ));
    }
    None
}

/// Runs the document rules of an e-invoice.
pub(super) fn check(inv: &EInvoice, options: &ValidationOptions, out: &mut Vec<Finding>) {
    let d = &inv.document_details;
    if let Some(problem) = number_problem(&d.number, true) {
        out.push(Finding::error(
            "/documentDetails/number",
            "document.number_format",
            format!("document number (DocDtls.No) `{}` {problem}", d.number),
        ));
    }
    if d.number.bytes().any(|b| b.is_ascii_lowercase()) {
        out.push(with_severity(
            Finding::error(
                "/documentDetails/number",
                "document.number_lowercase",
                format!(
                    "document number (DocDtls.No) `{}` has lower-case letters; NIC rejects them \
                     although its schema allows them (nic-rules A.3), and the IRN of `{}` would \
                     differ",
                    d.number,
                    d.number.to_ascii_uppercase()
                ),
            ),
            options.lowercase_document_number,
        ));
    }

    if d.date < einvoicing_start() {
        out.push(Finding::error(
            "/documentDetails/date",
            "document.date_before_einvoicing",
            format!(
                "document date (DocDtls.Dt) {} is before 01-10-2020, the start of e-invoicing",
                d.date
            ),
        ));
    }
    if let Some(now) = &options.now {
        let today = ist_date(now);
        if d.date > today {
            out.push(
                Finding::error(
                    "/documentDetails/date",
                    "document.date_future",
                    format!(
                        "document date (DocDtls.Dt) {} is after today ({today}, IST)",
                        d.date
                    ),
                )
                .with_nic_code("2163"),
            );
        } else if let Some(turnover) = options.aggregate_turnover {
            let age = (today - d.date).num_days();
            let window = i64::from(options.reporting_window_days);
            if turnover >= options.reporting_window_turnover && age >= window {
                out.push(
                    Finding::error(
                        "/documentDetails/date",
                        "document.reporting_window",
                        format!(
                            "document date (DocDtls.Dt) {} is {age} days before today ({today}, \
                             IST); with an aggregate turnover of {turnover} (from {} rupees) a \
                             document must be reported within {window} days of its date",
                            d.date, options.reporting_window_turnover
                        ),
                    )
                    .with_nic_code("2305"),
                );
            }
        }
    }

    let preceding = inv
        .reference_details
        .as_ref()
        .and_then(|r| r.preceding_documents.as_ref())
        .is_some_and(|p| !p.is_empty());
    match d.document_type {
        DocumentType::CreditNote | DocumentType::DebitNote if !preceding => out.push(
            Finding::error(
                "/referenceDetails/precedingDocuments",
                "reference.preceding_document_required",
                format!(
                    "preceding documents (RefDtls.PrecDocDtls) are missing; a {} must name the \
                     original invoice",
                    d.document_type.code()
                ),
            )
            .with_nic_code("2191"),
        ),
        DocumentType::Invoice if preceding => out.push(
            Finding::error(
                "/referenceDetails/precedingDocuments",
                "reference.preceding_document_not_allowed",
                "preceding documents (RefDtls.PrecDocDtls) are given on a tax invoice (INV); only \
                 credit and debit notes refer to an original invoice",
            )
            .with_nic_code("2210"),
        ),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn document_numbers() {
        for ok in [
            "INV-2026-00001",
            "ACM/26-27/0001",
            "A",
            "1234567890123456",
            "abc",
        ] {
            assert_eq!(number_problem(ok, true), None, "{ok}");
        }
        for bad in [
            "",
            "0123",
            "/A",
            "-A",
            "INV 1",
            "INV_1",
            "12345678901234567",
            "ÄB",
        ] {
            assert!(number_problem(bad, true).is_some(), "{bad}");
        }
        assert_eq!(number_problem("0123", false), None);
        assert!(number_problem("0 123", false).is_some());
    }
}
