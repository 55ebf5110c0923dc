//! The shape layer: the JSON Schemas in `schemas/`, compiled once per process.
//!
//! [`schema_findings`] checks an e-invoice in the dialect it was sent in against that dialect's
//! schema (`schemas/api/einvoice.schema.json`, `schemas/api/einvoice-flat.schema.json` or
//! `schemas/nic/einvoice-v1.1.schema.json`); [`ewaybill_schema_findings`] checks an e-way bill
//! payload in NIC's form against `schemas/nic/ewaybill-*.schema.json`. The schemas are embedded in
//! the binary and each is compiled the first time it is needed, then reused by every call on every
//! thread (a `OnceLock`); nothing is compiled per call.
//!
//! Every violation is reported, not just the first, as one [`Finding`] per problem, sorted by path
//! (array indices in numeric order). Each finding's `path` is the JSON pointer of the offending
//! value in the document as sent. For a missing property it is the pointer the property would
//! have (`/documentDetails/number`), and for a property the schema does not allow it is that
//! property's pointer, as the parser does. Codes are stable, one per JSON Schema keyword:
//!
//! | code | keyword |
//! |---|---|
//! | `schema.required` | `required` (path = the missing property) |
//! | `schema.additional_property` | `additionalProperties: false` (path = the extra property) |
//! | `schema.type` | `type` |
//! | `schema.pattern` | `pattern` |
//! | `schema.min_length`, `schema.max_length` | `minLength`, `maxLength` (in characters) |
//! | `schema.enum`, `schema.const` | `enum`, `const` |
//! | `schema.minimum`, `schema.maximum` | `minimum`, `maximum` (also on numeric strings, see below) |
//! | `schema.decimal_places` | `x-maxDecimalPlaces` |
//! | `schema.min_items`, `schema.max_items` | `minItems`, `maxItems` |
//! | `schema.format` | `format` (dates: `2026-02-30` is refused) |
//! | `schema.not`, `schema.any_of` | combinators (the e-way bill schemas' cross-field rules) |
//!
//! The engine is our own checker (`validate::schema_checker`) of exactly the keywords the embedded
//! schemas use (those above, plus `properties`, `items`, `allOf` and `if`/`then`/`else`); a
//! schema with any other keyword fails to compile in the tests rather than being half-checked.
//!
//! # NIC codes
//!
//! A finding carries `nicCode` only where it is what NIC would answer. A NIC-dialect e-invoice is
//! exactly the payload the IRP validates against its own schema, and the IRP answers a payload
//! that is "not as per schema" with **2140**, so every NIC-dialect finding carries `"2140"`.
//! Canonical and flat documents are our API's request bodies: their schemas mirror NIC's limits,
//! but also check things NIC never sees (our field names, our encodings of flags and numbers), and
//! the API refuses them before any IRP call, so their findings carry no NIC code (the rule layer
//! adds NIC's specific codes where one exists, e.g. 2173 for the item count). The e-way bill
//! schemas are reconstructions, not NIC's text, and the EWB system has no single "not as per
//! schema" code, so e-way bill findings carry none either.
//!
//! # `x-maxDecimalPlaces`
//!
//! The custom keyword of `schemas/README.md`: a number may have at most `n` decimal places,
//! counted on the number's exact text (serde_json's `arbitrary_precision` keeps it), trailing
//! zeros not counted (`1.500` has one) and an exponent taken into account (`15e-1` has one). Where
//! the field's schema also allows a string (the API schemas' `"type": ["number", "string"]`), a
//! string holding a plain decimal is checked the same way, and against the field's `minimum` and
//! `maximum`, which JSON Schema itself applies to numbers only. All comparisons are on decimal
//! text: no `f64` is involved anywhere.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::sync::OnceLock;

use serde_json::{Map, Value};

use crate::einvoice::parse::Dialect;
use crate::finding::{escape_pointer_token, Finding};

/// NIC's code for "error while validating the invoice: payload not as per schema".
pub const NIC_SCHEMA_CODE: &str = "2140";

/// The name of the custom decimal-places keyword.
pub const MAX_DECIMAL_PLACES: &str = "x-maxDecimalPlaces";

/// The e-way bill actions [`ewaybill_schema_findings`] knows, as it takes them.
pub const EWAYBILL_ACTIONS: [&str; 6] = [
    "generate",
    "part-b",
    "extend",
    "cancel",
    "reject",
    "transporter",
];

/// One embedded schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SchemaId {
    Canonical,
    Flat,
    Nic,
    EwbGenerate,
    EwbPartB,
    EwbExtend,
    EwbCancel,
    EwbReject,
    EwbTransporter,
}

pub(crate) const SCHEMA_COUNT: usize = 9;

impl SchemaId {
    pub(crate) const ALL: [SchemaId; SCHEMA_COUNT] = [
        SchemaId::Canonical,
        SchemaId::Flat,
        SchemaId::Nic,
        SchemaId::EwbGenerate,
        SchemaId::EwbPartB,
        SchemaId::EwbExtend,
        SchemaId::EwbCancel,
        SchemaId::EwbReject,
        SchemaId::EwbTransporter,
    ];

    pub(crate) fn index(self) -> usize {
        self as usize
    }

    fn source(self) -> &'static str {
        match self {
            SchemaId::Canonical => {
                include_str!(concat!(env!("OUT_DIR"), "/api/einvoice.schema.json"))
            }
            SchemaId::Flat => {
                include_str!(concat!(env!("OUT_DIR"), "/api/einvoice-flat.schema.json"))
            }
            SchemaId::Nic => {
                include_str!(concat!(env!("OUT_DIR"), "/nic/einvoice-v1.1.schema.json"))
            }
            SchemaId::EwbGenerate => {
                include_str!(concat!(
                    env!("OUT_DIR"),
                    "/nic/ewaybill-generate.schema.json"
                ))
            }
            SchemaId::EwbPartB => {
                include_str!(concat!(env!("OUT_DIR"), "/nic/ewaybill-part-b.schema.json"))
            }
            SchemaId::EwbExtend => {
                include_str!(concat!(env!("OUT_DIR"), "/nic/ewaybill-extend.schema.json"))
            }
            SchemaId::EwbCancel => {
                include_str!(concat!(env!("OUT_DIR"), "/nic/ewaybill-cancel.schema.json"))
            }
            SchemaId::EwbReject => {
                include_str!(concat!(env!("OUT_DIR"), "/nic/ewaybill-reject.schema.json"))
            }
            SchemaId::EwbTransporter => {
                include_str!(concat!(
                    env!("OUT_DIR"),
                    "/nic/ewaybill-transporter.schema.json"
                ))
            }
        }
    }

    pub(crate) fn nic_code(self) -> Option<&'static str> {
        match self {
            SchemaId::Nic => Some(NIC_SCHEMA_CODE),
            _ => None,
        }
    }

    pub(crate) fn of_dialect(dialect: Dialect) -> SchemaId {
        match dialect {
            Dialect::Canonical => SchemaId::Canonical,
            Dialect::Flat => SchemaId::Flat,
            Dialect::Nic => SchemaId::Nic,
        }
    }

    pub(crate) fn of_action(action: &str) -> Option<SchemaId> {
        Some(match action {
            "generate" => SchemaId::EwbGenerate,
            "part-b" => SchemaId::EwbPartB,
            "extend" => SchemaId::EwbExtend,
            "cancel" => SchemaId::EwbCancel,
            "reject" => SchemaId::EwbReject,
            "transporter" => SchemaId::EwbTransporter,
            _ => return None,
        })
    }
}

static SCHEMA_JSON: [OnceLock<Value>; SCHEMA_COUNT] = [const { OnceLock::new() }; SCHEMA_COUNT];

/// The embedded schema's JSON, parsed once; the checker (and the jsonschema reference, in tests)
/// compile from it.
pub(crate) fn schema_json(id: SchemaId) -> &'static Value {
    SCHEMA_JSON[id.index()].get_or_init(|| {
        // The schemas are part of this crate's source; the tests compile every one of them, so a
        // failure here is a broken build, not bad input.
        serde_json::from_str(id.source())
            .unwrap_or_else(|e| panic!("embedded schema {id:?} is not JSON: {e}"))
    })
}

/// Compiles every embedded schema now rather than on first use (for a server's start-up or a
/// benchmark's warm-up). Calling it again does nothing.
pub fn compile_all() {
    super::schema_checker::compile_all();
}

/// Checks an e-invoice against the JSON Schema of the dialect it was written in.
///
/// Returns every violation, sorted by path; an empty list when the document has the right shape.
/// Shape only: business rules and arithmetic are the other layers of [`crate::validate`].
pub fn schema_findings(dialect: Dialect, doc: &Value) -> Vec<Finding> {
    check(SchemaId::of_dialect(dialect), doc)
}

/// [`schema_findings`] of the core's own tree (what validation reads a document into).
pub(crate) fn schema_findings_node(
    dialect: Dialect,
    doc: &crate::json_tree::Node<'_>,
) -> Vec<Finding> {
    schema_findings_node_of(SchemaId::of_dialect(dialect), doc)
}

/// The checker's findings for `doc` under the schema `id`.
fn schema_findings_node_of(id: SchemaId, doc: &crate::json_tree::Node<'_>) -> Vec<Finding> {
    match super::schema_checker::check(id, doc) {
        Ok(violations) => findings_of_violations(&violations, schema_json(id), id.nic_code()),
        // A member named twice: JSON's data model keeps the last, which serde_json's tree holds.
        Err(super::schema_checker::DuplicateKeys) => check(id, &doc.to_value()),
    }
}

/// Checks an e-way bill payload in NIC's form against its schema. `action` is one of
/// [`EWAYBILL_ACTIONS`]: `generate` (GENEWAYBILL), `part-b` (VEHEWB), `extend`
/// (EXTENDVALIDITY), `cancel` (CANEWB), `reject` (REJEWB), `transporter` (UPDATETRANSPORTER).
/// An unknown action gives a single `schema.unknown_action` finding.
pub fn ewaybill_schema_findings(action: &str, nic_payload: &Value) -> Vec<Finding> {
    match SchemaId::of_action(action) {
        Some(id) => check(id, nic_payload),
        None => vec![Finding::error(
            "",
            "schema.unknown_action",
            format!(
                "unknown e-way bill action `{action}`; expected one of: {}",
                EWAYBILL_ACTIONS.join(", ")
            ),
        )],
    }
}

/// Which implementation of the shape layer to run. [`SchemaEngine::Checker`] is the one every
/// validation uses; `SchemaEngine::JsonSchema` (feature `jsonschema-reference`, for this
/// crate's tests and benchmarks) is the reference it must agree with, finding for finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchemaEngine {
    /// Our own checker of the keywords the embedded schemas use (`validate::schema_checker`).
    Checker,
    /// The `jsonschema` crate, the reference.
    #[cfg(feature = "jsonschema-reference")]
    JsonSchema,
}

/// [`schema_findings`] with the engine chosen, for comparing the two.
pub fn schema_findings_with(engine: SchemaEngine, dialect: Dialect, doc: &Value) -> Vec<Finding> {
    check_with(engine, SchemaId::of_dialect(dialect), doc)
}

/// [`ewaybill_schema_findings`] with the engine chosen; an unknown action gives no finding here.
pub fn ewaybill_schema_findings_with(
    engine: SchemaEngine,
    action: &str,
    nic_payload: &Value,
) -> Vec<Finding> {
    match SchemaId::of_action(action) {
        Some(id) => check_with(engine, id, nic_payload),
        None => Vec::new(),
    }
}

fn check(id: SchemaId, doc: &Value) -> Vec<Finding> {
    check_with(SchemaEngine::Checker, id, doc)
}

pub(crate) fn check_with(engine: SchemaEngine, id: SchemaId, doc: &Value) -> Vec<Finding> {
    match engine {
        // Through the core's own tree, so that the checker is compiled for one tree type only
        // (serde_json's map has one value per name, so no duplicate can turn up).
        SchemaEngine::Checker => schema_findings_node_of(id, &crate::tree_reader::node_of(doc)),
        #[cfg(feature = "jsonschema-reference")]
        SchemaEngine::JsonSchema => super::schema_reference::check(id, doc),
    }
}

/// The findings of `violations` of `schema`, sorted by path.
pub(crate) fn findings_of_violations(
    violations: &[Violation<'_>],
    schema: &Value,
    nic_code: Option<&str>,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    for violation in violations {
        push_findings(violation, schema, nic_code, &mut findings);
    }
    sort_findings(&mut findings);
    findings
}

/// Sorts findings by path (segment by segment, array indices as numbers), then code and message,
/// and drops exact duplicates.
pub(crate) fn sort_findings(findings: &mut Vec<Finding>) {
    findings.sort_by(|a, b| {
        compare_pointers(&a.path, &b.path)
            .then_with(|| a.code.cmp(&b.code))
            .then_with(|| a.message.cmp(&b.message))
    });
    findings.dedup();
}

/// Orders two JSON pointers segment by segment; segments that are both numbers compare as numbers.
fn compare_pointers(a: &str, b: &str) -> Ordering {
    let mut left = a.split('/');
    let mut right = b.split('/');
    loop {
        match (left.next(), right.next()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) => {
                let order = match (x.parse::<u64>(), y.parse::<u64>()) {
                    (Ok(m), Ok(n)) => m.cmp(&n).then_with(|| x.cmp(y)),
                    _ => x.cmp(y),
                };
                if order != Ordering::Equal {
                    return order;
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Errors to findings
// ---------------------------------------------------------------------------------------------

/// One schema violation, engine-neutral: what jsonschema reports as a `ValidationError` and what
/// [`super::schema_checker`] reports itself, so both turn into findings through the same code.
#[derive(Debug, Clone)]
pub(crate) struct Violation<'a> {
    /// JSON pointer of the offending value in the document.
    pub instance_path: Cow<'a, str>,
    /// JSON pointer of the failing keyword in the schema (`/properties/items/items/pattern`),
    /// which names the field (`nic_name`) and the cross-field rule (`combinator_note`).
    pub keyword_path: Cow<'a, str>,
    /// The offending value (borrowed from a serde_json tree, or made from the core's own).
    pub instance: Cow<'a, Value>,
    /// What is wrong.
    pub kind: ViolationKind<'a>,
}

/// The keyword a [`Violation`] breaks, with what its message needs.
#[derive(Debug, Clone)]
pub(crate) enum ViolationKind<'a> {
    Required {
        property: Cow<'a, str>,
    },
    AdditionalProperties {
        unexpected: Vec<Cow<'a, str>>,
    },
    /// The allowed types, in jsonschema's order (null, boolean, integer, number, string, array,
    /// object), joined with " or ".
    Type {
        expected: Cow<'a, str>,
    },
    Pattern {
        pattern: Cow<'a, str>,
    },
    MaxLength {
        limit: u64,
    },
    MinLength {
        limit: u64,
    },
    Enum {
        options: &'a Value,
    },
    Constant {
        expected: &'a Value,
    },
    Minimum {
        limit: &'a Value,
    },
    Maximum {
        limit: &'a Value,
    },
    MaxItems {
        limit: u64,
    },
    MinItems {
        limit: u64,
    },
    Format {
        format: Cow<'a, str>,
    },
    /// `x-maxDecimalPlaces`: the finding code and the message after the field label.
    DecimalPlaces {
        code: Cow<'a, str>,
        text: Cow<'a, str>,
    },
    Not {
        schema: &'a Value,
    },
    AnyOf,
    /// Any other keyword: its name and the engine's own message. Only the jsonschema reference
    /// reports one; the checker refuses to compile a schema with a keyword it does not know.
    #[cfg(feature = "jsonschema-reference")]
    Other {
        keyword: Cow<'a, str>,
        message: String,
    },
}

pub(crate) fn push_findings(
    violation: &Violation<'_>,
    schema: &Value,
    nic_code: Option<&str>,
    out: &mut Vec<Finding>,
) {
    let path: &str = &violation.instance_path;
    let keyword_path: &str = &violation.keyword_path;
    let instance: &Value = &violation.instance;
    let field = || field_label(path, schema, keyword_path, None);
    let note = combinator_note(schema, keyword_path);
    let mut push = |path: String, code: &str, message: String| {
        let message = match note {
            Some(note) => format!("{message}: {note}"),
            None => message,
        };
        let finding = Finding::error(path, code, message);
        out.push(match nic_code {
            Some(nic) => finding.with_nic_code(nic),
            None => finding,
        });
    };
    match &violation.kind {
        ViolationKind::Required { property } => {
            let name: &str = property;
            let missing = format!("{path}/{}", escape_pointer_token(name));
            let label = field_label(&missing, schema, keyword_path, Some(name));
            push(
                missing,
                "schema.required",
                format!("{label} is required but missing from {}", quote_path(path)),
            );
        }
        ViolationKind::AdditionalProperties { unexpected } => {
            for name in unexpected {
                let extra = format!("{path}/{}", escape_pointer_token(name));
                push(
                    extra,
                    "schema.additional_property",
                    format!(
                        "unknown field `{name}`: {} has no such field",
                        quote_path(path)
                    ),
                );
            }
        }
        ViolationKind::Type { expected } => {
            push(
                path.to_owned(),
                "schema.type",
                format!(
                    "{} must be of type {expected}, not {}",
                    field(),
                    json_kind(instance)
                ),
            );
        }
        ViolationKind::Pattern { pattern } => push(
            path.to_owned(),
            "schema.pattern",
            format!(
                "{} {} does not match the pattern {pattern}",
                field(),
                show(instance)
            ),
        ),
        ViolationKind::MaxLength { limit } => push(
            path.to_owned(),
            "schema.max_length",
            format!(
                "{} is {} characters long; at most {limit} allowed",
                field(),
                char_count(instance)
            ),
        ),
        ViolationKind::MinLength { limit } => push(
            path.to_owned(),
            "schema.min_length",
            format!(
                "{} is {} characters long; at least {limit} required",
                field(),
                char_count(instance)
            ),
        ),
        ViolationKind::Enum { options } => push(
            path.to_owned(),
            "schema.enum",
            format!(
                "{} is {}; allowed: {}",
                field(),
                show(instance),
                list_options(options)
            ),
        ),
        ViolationKind::Constant { expected } => push(
            path.to_owned(),
            "schema.const",
            format!("{} is {}; it must be {expected}", field(), show(instance)),
        ),
        ViolationKind::Minimum { limit } => push(
            path.to_owned(),
            "schema.minimum",
            format!("{} is {}; the minimum is {limit}", field(), show(instance)),
        ),
        ViolationKind::Maximum { limit } => push(
            path.to_owned(),
            "schema.maximum",
            format!("{} is {}; the maximum is {limit}", field(), show(instance)),
        ),
        ViolationKind::MaxItems { limit } => push(
            path.to_owned(),
            "schema.max_items",
            format!(
                "{} has {} entries; at most {limit} allowed",
                field(),
                item_count(instance)
            ),
        ),
        ViolationKind::MinItems { limit } => push(
            path.to_owned(),
            "schema.min_items",
            format!(
                "{} has {} entries; at least {limit} required",
                field(),
                item_count(instance)
            ),
        ),
        ViolationKind::Format { format } => push(
            path.to_owned(),
            "schema.format",
            format!("{} {} is not a valid {format}", field(), show(instance)),
        ),
        ViolationKind::DecimalPlaces { code, text } => {
            push(path.to_owned(), code, format!("{} {text}", field()));
        }
        ViolationKind::Not { schema: forbidden } => push(
            path.to_owned(),
            "schema.not",
            format!(
                "{} matches a combination the schema forbids: {}",
                whole_or_field(path, &field()),
                truncate(&forbidden.to_string(), 200)
            ),
        ),
        ViolationKind::AnyOf => push(
            path.to_owned(),
            "schema.any_of",
            format!(
                "{} matches none of the allowed alternatives",
                whole_or_field(path, &field())
            ),
        ),
        #[cfg(feature = "jsonschema-reference")]
        ViolationKind::Other { keyword, message } => {
            let code = format!("schema.{}", snake_case(keyword));
            push(
                path.to_owned(),
                &code,
                format!("{} is not valid: {message}", whole_or_field(path, &field())),
            );
        }
    }
}

/// `` `/items/0/hsnCode` (NIC `ItemList.HsnCd`) ``: the pointer, and NIC's name for the field when
/// the schema's description gives it (the API schemas' descriptions start "NIC `X.Y`.").
fn field_label(
    pointer: &str,
    schema: &Value,
    keyword_path: &str,
    required: Option<&str>,
) -> String {
    let mut label = quote_path(pointer);
    if let Some(nic) = nic_name(schema, keyword_path, required) {
        label.push_str(&format!(" (NIC `{nic}`)"));
    }
    label
}

fn quote_path(pointer: &str) -> String {
    if pointer.is_empty() {
        "the document".to_owned()
    } else {
        format!("`{pointer}`")
    }
}

fn whole_or_field(path: &str, label: &str) -> String {
    if path.is_empty() {
        "the document".to_owned()
    } else {
        label.to_owned()
    }
}

/// The description of the cross-field rule an error comes from: the nearest `allOf` / `anyOf` /
/// `oneOf` entry above the failing keyword (the e-way bill schemas describe each such rule, with
/// NIC's codes, e.g. "subSupplyDesc is mandatory when subSupplyType is 8 Others (377).").
fn combinator_note<'s>(schema: &'s Value, keyword_path: &str) -> Option<&'s str> {
    let mut prefix = keyword_path;
    while let Some(cut) = prefix.rfind('/') {
        prefix = &prefix[..cut];
        let Some((parent, last)) = prefix.rsplit_once('/') else {
            break;
        };
        let combinator = parent.ends_with("/allOf")
            || parent.ends_with("/anyOf")
            || parent.ends_with("/oneOf")
            || matches!(parent, "/allOf" | "/anyOf" | "/oneOf");
        if combinator && last.bytes().all(|b| b.is_ascii_digit()) {
            return schema.pointer(prefix)?.get("description")?.as_str();
        }
    }
    None
}

/// NIC's field name from the description of the subschema the error came from.
fn nic_name(schema: &Value, keyword_path: &str, required: Option<&str>) -> Option<String> {
    // The keyword's own location ends in `/<keyword>`; its subschema is the parent.
    let parent = &keyword_path[..keyword_path.rfind('/')?];
    let subschema = schema.pointer(parent)?;
    let subschema = match required {
        Some(name) => subschema.get("properties")?.get(name)?,
        None => subschema,
    };
    let description = subschema.get("description")?.as_str()?;
    let rest = description.strip_prefix("NIC `")?;
    let end = rest.find('`')?;
    Some(rest[..end].to_owned())
}

pub(crate) fn show(v: &Value) -> String {
    truncate(&v.to_string(), 60)
}

fn truncate(text: &str, max_chars: usize) -> String {
    match text.char_indices().nth(max_chars) {
        Some((cut, _)) => format!("{}...", &text[..cut]),
        None => text.to_owned(),
    }
}

fn char_count(v: &Value) -> usize {
    v.as_str().map_or(0, |s| s.chars().count())
}

fn item_count(v: &Value) -> usize {
    v.as_array().map_or(0, Vec::len)
}

fn list_options(options: &Value) -> String {
    match options {
        Value::Array(values) => values
            .iter()
            .map(Value::to_string)
            .collect::<Vec<_>>()
            .join(", "),
        other => other.to_string(),
    }
}

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

#[cfg(feature = "jsonschema-reference")]
fn snake_case(keyword: &str) -> String {
    let mut out = String::with_capacity(keyword.len() + 4);
    for c in keyword.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
            out.push(c.to_ascii_lowercase());
        } else if c.is_ascii_alphanumeric() {
            out.push(c);
        } else {
            out.push('_');
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// x-maxDecimalPlaces
// ---------------------------------------------------------------------------------------------

/// The compiled `x-maxDecimalPlaces` keyword of one field.
#[derive(Debug)]
pub(crate) struct MaxDecimalPlaces {
    places: u64,
    /// The field's schema allows strings, so numeric strings are checked too.
    strings: bool,
    /// The field's `minimum` / `maximum`, applied exactly (see [`MaxDecimalPlaces::problems`]).
    minimum: Option<Limit>,
    maximum: Option<Limit>,
}

/// A `minimum` or `maximum` of the field's schema, as an exact decimal and as written.
#[derive(Debug)]
struct Limit {
    value: PlainDecimal<'static>,
    text: String,
}

impl MaxDecimalPlaces {
    /// The keyword of the subschema `parent`, whose `x-maxDecimalPlaces` is `value`.
    pub(crate) fn compile(parent: &Map<String, Value>, value: &Value) -> Result<Self, String> {
        let places = value.as_u64().ok_or_else(|| {
            format!("{MAX_DECIMAL_PLACES} must be a non-negative integer, not {value}")
        })?;
        let strings = match parent.get("type") {
            Some(Value::String(t)) => t == "string",
            Some(Value::Array(types)) => types.iter().any(|t| t == "string"),
            _ => false,
        };
        let limit = |key: &str| -> Result<Option<Limit>, String> {
            match parent.get(key) {
                None => Ok(None),
                Some(Value::Number(n)) => {
                    let text = n.to_string();
                    match PlainDecimal::parse_number(&text) {
                        Some(d) => Ok(Some(Limit {
                            value: d.into_owned(),
                            text,
                        })),
                        None => Err(format!("{key} {text} is too large to compare")),
                    }
                }
                Some(other) => Err(format!("{key} must be a number, not {other}")),
            }
        };
        Ok(MaxDecimalPlaces {
            places,
            strings,
            minimum: limit("minimum")?,
            maximum: limit("maximum")?,
        })
    }

    /// Each problem of `instance` as its finding code and the message after the field label:
    /// decimal places of numbers and numeric strings, and the range of both. The range of a
    /// number is checked here too, on its exact text: JSON Schema's own `minimum` / `maximum`
    /// compare through `f64` in most engines, which can miss a number within half an ulp above a
    /// limit; where both report, the findings are identical and merged.
    pub(crate) fn problems(&self, instance: &Value) -> Vec<(&'static str, String)> {
        let mut errors = Vec::new();
        let (text, value) = match instance {
            Value::Number(n) => (n.as_str(), PlainDecimal::parse_number(n.as_str())),
            // Only plain decimals are numbers in string form; anything else is the `pattern`
            // keyword's to report.
            Value::String(s) if self.strings => match PlainDecimal::parse_plain(s) {
                Some(d) => (s.as_str(), Some(d)),
                None => return errors,
            },
            _ => return errors,
        };
        if let Some(places) = decimal_places(text) {
            if places > self.places {
                errors.push((
                    "schema.decimal_places",
                    format!(
                        "{} has {places} decimal places; at most {} allowed",
                        show(instance),
                        self.places
                    ),
                ));
            }
        }
        let Some(value) = value else {
            return errors;
        };
        if let Some(min) = &self.minimum {
            if value < min.value {
                errors.push((
                    "schema.minimum",
                    format!("is {}; the minimum is {}", show(instance), min.text),
                ));
            }
        }
        if let Some(max) = &self.maximum {
            if value > max.value {
                errors.push((
                    "schema.maximum",
                    format!("is {}; the maximum is {}", show(instance), max.text),
                ));
            }
        }
        errors
    }

    /// What [`MaxDecimalPlaces::problems`] finds nothing wrong with, for a plain decimal: its
    /// decimal places are those of the normalised fraction (trailing zeros dropped), and its
    /// range is the same exact comparison.
    fn plain_in_range(&self, value: &PlainDecimal<'_>) -> bool {
        value.frac.len() as u64 <= self.places
            && self.minimum.as_ref().is_none_or(|min| *value >= min.value)
            && self.maximum.as_ref().is_none_or(|max| *value <= max.value)
    }

    /// Whether [`MaxDecimalPlaces::problems`] would find nothing, without building messages.
    #[cfg(feature = "jsonschema-reference")]
    pub(crate) fn accepts(&self, instance: &Value) -> bool {
        self.accepts_text(
            instance.as_number().map(serde_json::Number::as_str),
            instance.as_str(),
        )
    }

    /// The common case in one pass over the bytes: a plain non-negative decimal with few enough
    /// places, at or above a minimum of at most zero and with fewer integer digits than the
    /// maximum. `false` means only "not clearly": the exact comparison then decides.
    pub(crate) fn clearly_accepts(&self, text: &str) -> bool {
        let b = text.as_bytes();
        let mut i = 0;
        let mut significant = 0;
        while let Some(&c) = b.get(i) {
            if !c.is_ascii_digit() {
                break;
            }
            if c != b'0' || significant > 0 {
                significant += 1;
            }
            i += 1;
        }
        if i == 0 {
            return false;
        }
        let mut places = 0;
        if b.get(i) == Some(&b'.') {
            let frac = &b[i + 1..];
            if frac.is_empty() {
                return false;
            }
            for (k, &c) in frac.iter().enumerate() {
                if !c.is_ascii_digit() {
                    return false;
                }
                if c != b'0' {
                    places = k as u64 + 1;
                }
            }
        } else if i != b.len() {
            return false;
        }
        places <= self.places
            && self
                .minimum
                .as_ref()
                .is_none_or(|min| min.value.negative || min.value.is_zero())
            && self
                .maximum
                .as_ref()
                .is_none_or(|max| !max.value.negative && significant < max.value.int.len())
    }

    /// [`MaxDecimalPlaces::accepts`] of a number (its text) or a string.
    pub(crate) fn accepts_text(&self, number: Option<&str>, string: Option<&str>) -> bool {
        // Nearly every amount is a plain decimal (`63999.96`): one pass over its text answers,
        // without building the findings' messages or shifting an exponent.
        let text = match (number, string) {
            (Some(n), _) => n,
            (None, Some(s)) if self.strings => s,
            _ => return true,
        };
        if self.clearly_accepts(text) {
            return true;
        }
        match PlainDecimal::parse_plain(text) {
            Some(value) => self.plain_in_range(&value),
            // An exponent form: the whole check, on the number as serde_json holds it.
            None => match number.map(str::parse::<serde_json::Number>) {
                Some(Ok(n)) => self.problems(&Value::Number(n)).is_empty(),
                // A string that is not a plain decimal is the `pattern` keyword's to report.
                _ => true,
            },
        }
    }
}

/// The number of decimal places of a decimal written as JSON writes numbers (`-12.3400`,
/// `1.5e-3`), trailing zeros not counted. `None` when the text is not a number.
pub fn decimal_places(text: &str) -> Option<u64> {
    let (mantissa, exponent) = split_exponent(text)?;
    let mantissa = mantissa.strip_prefix('-').unwrap_or(mantissa);
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if int.is_empty()
        || !all_digits(int)
        || !all_digits(frac)
        || (mantissa.contains('.') && frac.is_empty())
    {
        return None;
    }
    // Decimal places = digits after the point minus the exponent, less trailing zeros.
    let digits = int.bytes().chain(frac.bytes());
    let trailing_zeros = digits.rev().take_while(|&b| b == b'0').count() as i64;
    let total_digits = (int.len() + frac.len()) as i64;
    let scale = frac.len() as i64 - exponent;
    if trailing_zeros == total_digits {
        return Some(0); // zero
    }
    Some((scale - trailing_zeros).max(0) as u64)
}

/// Splits `1.5e-3` into `("1.5", -3)`. Exponents beyond +/- 10^9 are clamped (no real amount has
/// one, and the count must not overflow).
fn split_exponent(text: &str) -> Option<(&str, i64)> {
    match text.find(['e', 'E']) {
        None => Some((text, 0)),
        Some(i) => {
            let (mantissa, exp) = (&text[..i], &text[i + 1..]);
            let (negative, digits) = match exp.as_bytes().first() {
                Some(b'-') => (true, &exp[1..]),
                Some(b'+') => (false, &exp[1..]),
                _ => (false, exp),
            };
            if digits.is_empty() || !all_digits(digits) {
                return None;
            }
            let magnitude = digits
                .trim_start_matches('0')
                .parse::<i64>()
                .unwrap_or(0)
                .min(1_000_000_000);
            let magnitude = if digits.trim_start_matches('0').len() > 10 {
                1_000_000_000
            } else {
                magnitude
            };
            Some((mantissa, if negative { -magnitude } else { magnitude }))
        }
    }
}

fn all_digits(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_digit())
}

/// An exact decimal as text, normalised for comparison: sign, integer digits without leading
/// zeros, fraction digits without trailing zeros. Any length, no rounding; borrowed from the text
/// it was read from where possible. Being normalised, equal fields mean equal numbers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PlainDecimal<'a> {
    negative: bool,
    int: Cow<'a, str>,
    pub(crate) frac: Cow<'a, str>,
}

impl<'a> PlainDecimal<'a> {
    /// `-?[0-9]+(\.[0-9]+)?`, the numeric-string form of the API schemas.
    pub(crate) fn parse_plain(text: &'a str) -> Option<PlainDecimal<'a>> {
        // One pass over the bytes: this runs on every amount of every document.
        let bytes = text.as_bytes();
        let negative = bytes.first() == Some(&b'-');
        let start = usize::from(negative);
        let int_end = start
            + bytes[start..]
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .count();
        if int_end == start {
            return None;
        }
        let frac = match bytes.get(int_end) {
            None => "",
            Some(b'.') => {
                let frac = &text[int_end + 1..];
                if frac.is_empty() || !all_digits(frac) {
                    return None;
                }
                frac
            }
            Some(_) => return None,
        };
        let int = text[start..int_end].trim_start_matches('0');
        let frac = frac.trim_end_matches('0');
        let zero = int.is_empty() && frac.is_empty();
        Some(PlainDecimal {
            negative: negative && !zero,
            int: Cow::Borrowed(int),
            frac: Cow::Borrowed(frac),
        })
    }

    /// A JSON number's text, possibly with an exponent (up to +/- 400; beyond that `None`).
    pub(crate) fn parse_number(text: &'a str) -> Option<PlainDecimal<'a>> {
        let (mantissa, exponent) = split_exponent(text)?;
        let plain = PlainDecimal::parse_plain(mantissa)?;
        if exponent == 0 {
            return Some(plain);
        }
        if exponent.unsigned_abs() > 400 {
            return None;
        }
        // Shift the decimal point.
        let mut digits = format!("{}{}", plain.int, plain.frac);
        let mut point = plain.int.len() as i64 + exponent;
        if point < 0 {
            digits = format!("{}{digits}", "0".repeat(point.unsigned_abs() as usize));
            point = 0;
        }
        let point = point as usize;
        if point > digits.len() {
            digits.push_str(&"0".repeat(point - digits.len()));
        }
        let (int, frac) = digits.split_at(point);
        let int = int.trim_start_matches('0').to_owned();
        let frac = frac.trim_end_matches('0').to_owned();
        let zero = int.is_empty() && frac.is_empty();
        Some(PlainDecimal {
            negative: plain.negative && !zero,
            int: Cow::Owned(int),
            frac: Cow::Owned(frac),
        })
    }

    /// Whether this is zero (`0`, `-0.00`).
    fn is_zero(&self) -> bool {
        self.int.is_empty() && self.frac.is_empty()
    }

    pub(crate) fn into_owned(self) -> PlainDecimal<'static> {
        PlainDecimal {
            negative: self.negative,
            int: Cow::Owned(self.int.into_owned()),
            frac: Cow::Owned(self.frac.into_owned()),
        }
    }

    fn cmp_magnitude(&self, other: &PlainDecimal<'_>) -> Ordering {
        self.int
            .len()
            .cmp(&other.int.len())
            .then_with(|| self.int.cmp(&other.int))
            .then_with(|| self.frac.cmp(&other.frac))
    }

    fn compare(&self, other: &PlainDecimal<'_>) -> Ordering {
        match (self.negative, other.negative) {
            (false, true) => Ordering::Greater,
            (true, false) => Ordering::Less,
            (false, false) => self.cmp_magnitude(other),
            (true, true) => other.cmp_magnitude(self),
        }
    }
}

impl PartialOrd for PlainDecimal<'_> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.compare(other))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn vector(name: &str) -> Value {
        let path = format!(
            "{}/../tests/vectors/einvoice/{name}.json",
            env!("CARGO_MANIFEST_DIR")
        );
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
    }

    const VECTORS: [&str; 9] = [
        "b2b-inter",
        "b2b-intra",
        "crn",
        "dexp",
        "dispatch-ship",
        "expwp",
        "flat-quickstart",
        "sezwp",
        "with-ewb",
    ];

    fn num(text: &str) -> Value {
        serde_json::from_str(text).unwrap()
    }

    fn err(path: &str, code: &str, message: &str) -> Finding {
        Finding::error(path, code, message)
    }

    fn nic(path: &str, code: &str, message: &str) -> Finding {
        err(path, code, message).with_nic_code("2140")
    }

    fn canonical_doc() -> Value {
        vector("b2b-inter")["input"].clone()
    }

    fn flat_doc() -> Value {
        vector("flat-quickstart")["input"].clone()
    }

    fn nic_doc() -> Value {
        vector("b2b-inter")["nic"].clone()
    }

    #[test]
    fn every_schema_compiles() {
        // The checker says which schema uses a keyword outside it; jsonschema must take them too.
        assert_eq!(super::super::schema_checker::try_compile_all(), Ok(()));
        compile_all();
        #[cfg(feature = "jsonschema-reference")]
        super::super::schema_reference::compile_all();
    }

    #[test]
    fn the_model_vectors_have_the_right_shape_in_every_dialect() {
        for name in VECTORS {
            let v = vector(name);
            let dialect: Dialect = serde_json::from_value(v["dialect"].clone()).unwrap();
            let forms = [
                (dialect, &v["input"]),
                (Dialect::Canonical, &v["canonical"]),
                (Dialect::Nic, &v["nic"]),
            ];
            for (dialect, doc) in forms {
                assert_eq!(schema_findings(dialect, doc), vec![], "{name} {dialect:?}");
            }
        }
    }

    #[test]
    fn dates_keep_nic_s_2010_to_2029_pattern() {
        // NIC's date pattern, kept as published (schemas/README.md), admits the years 2010-2029
        // only; `format: date` also refuses a day that does not exist.
        let mut doc = canonical_doc();
        doc["referenceDetails"]["documentPeriod"]["endDate"] = json!("2030-11-30");
        doc["referenceDetails"]["documentPeriod"]["startDate"] = json!("2026-02-30");
        assert_eq!(
            schema_findings(Dialect::Canonical, &doc),
            vec![
                err(
                    "/referenceDetails/documentPeriod/endDate",
                    "schema.pattern",
                    "`/referenceDetails/documentPeriod/endDate` (NIC `RefDtls.DocPerdDtls.InvEndDt`) \"2030-11-30\" does not match the pattern ^[2][0][1-2][0-9]-[0-1][0-9]-[0-3][0-9]$",
                ),
                err(
                    "/referenceDetails/documentPeriod/startDate",
                    "schema.format",
                    "`/referenceDetails/documentPeriod/startDate` (NIC `RefDtls.DocPerdDtls.InvStDt`) \"2026-02-30\" is not a valid date",
                ),
            ]
        );
        let mut doc = nic_doc();
        doc["RefDtls"]["DocPerdDtls"]["InvEndDt"] = json!("30/11/2030");
        assert_eq!(
            schema_findings(Dialect::Nic, &doc),
            vec![nic(
                "/RefDtls/DocPerdDtls/InvEndDt",
                "schema.pattern",
                "`/RefDtls/DocPerdDtls/InvEndDt` \"30/11/2030\" does not match the pattern ^[0-3][0-9]/[0-1][0-9]/[2][0][1-2][0-9]$",
            )]
        );
    }

    #[test]
    fn a_five_digit_hsn_code_is_reported_in_each_dialect() {
        let hsn = "^(?!0+$)([0-9]{4}|[0-9]{6}|[0-9]{8})$";
        let mut doc = canonical_doc();
        doc["items"][1]["hsnCode"] = json!("99871");
        assert_eq!(
            schema_findings(Dialect::Canonical, &doc),
            vec![err(
                "/items/1/hsnCode",
                "schema.pattern",
                &format!("`/items/1/hsnCode` (NIC `ItemList[].HsnCd`) \"99871\" does not match the pattern {hsn}"),
            )]
        );

        let mut doc = flat_doc();
        doc["lines"][0]["hsnCode"] = json!("99831");
        let findings = schema_findings(Dialect::Flat, &doc);
        assert_eq!(findings.len(), 1, "{findings:?}");
        assert_eq!(findings[0].path, "/lines/0/hsnCode");
        assert_eq!(findings[0].code, "schema.pattern");
        assert_eq!(findings[0].nic_code, None);

        let mut doc = nic_doc();
        doc["ItemList"][0]["HsnCd"] = json!("84818");
        assert_eq!(
            schema_findings(Dialect::Nic, &doc),
            vec![nic(
                "/ItemList/0/HsnCd",
                "schema.pattern",
                &format!("`/ItemList/0/HsnCd` \"84818\" does not match the pattern {hsn}"),
            )]
        );
    }

    #[test]
    fn a_17_character_document_number_breaks_length_and_pattern() {
        let mut doc = canonical_doc();
        doc["documentDetails"]["number"] = json!("ACM/26-27/0000002");
        assert_eq!(
            schema_findings(Dialect::Canonical, &doc),
            vec![
                err(
                    "/documentDetails/number",
                    "schema.max_length",
                    "`/documentDetails/number` (NIC `DocDtls.No`) is 17 characters long; at most 16 allowed",
                ),
                err(
                    "/documentDetails/number",
                    "schema.pattern",
                    "`/documentDetails/number` (NIC `DocDtls.No`) \"ACM/26-27/0000002\" does not match the pattern ^([a-zA-Z1-9]{1}[a-zA-Z0-9/-]{0,15})$",
                ),
            ]
        );
        let mut doc = flat_doc();
        doc["invoiceNumber"] = json!("INV-2026-0000001X");
        let codes: Vec<(String, String)> = schema_findings(Dialect::Flat, &doc)
            .into_iter()
            .map(|f| (f.path, f.code))
            .collect();
        assert_eq!(
            codes,
            [
                ("/invoiceNumber".to_owned(), "schema.max_length".to_owned()),
                ("/invoiceNumber".to_owned(), "schema.pattern".to_owned()),
            ]
        );
    }

    #[test]
    fn three_decimals_in_an_amount_are_reported_as_number_and_as_string() {
        let mut doc = canonical_doc();
        doc["items"][0]["assessableAmount"] = num("63999.961");
        doc["items"][1]["igstAmount"] = json!("900.005");
        // Trailing zeros do not count, and 3 decimals are fine where 3 are allowed.
        doc["items"][0]["totalAmount"] = num("63999.9600");
        doc["items"][0]["unitPrice"] = json!("15999.990");
        assert_eq!(
            schema_findings(Dialect::Canonical, &doc),
            vec![
                err(
                    "/items/0/assessableAmount",
                    "schema.decimal_places",
                    "`/items/0/assessableAmount` (NIC `ItemList[].AssAmt`) 63999.961 has 3 decimal places; at most 2 allowed",
                ),
                err(
                    "/items/1/igstAmount",
                    "schema.decimal_places",
                    "`/items/1/igstAmount` (NIC `ItemList[].IgstAmt`) \"900.005\" has 3 decimal places; at most 2 allowed",
                ),
            ]
        );
        let mut doc = nic_doc();
        doc["ValDtls"]["TotInvVal"] = num("82184.585");
        assert_eq!(
            schema_findings(Dialect::Nic, &doc),
            vec![nic(
                "/ValDtls/TotInvVal",
                "schema.decimal_places",
                "`/ValDtls/TotInvVal` 82184.585 has 3 decimal places; at most 2 allowed",
            )]
        );
    }

    #[test]
    fn round_off_is_limited_to_99_99_either_way() {
        let mut doc = canonical_doc();
        doc["valueDetails"]["roundOffAmount"] = json!(100);
        assert_eq!(
            schema_findings(Dialect::Canonical, &doc),
            vec![err(
                "/valueDetails/roundOffAmount",
                "schema.maximum",
                "`/valueDetails/roundOffAmount` (NIC `ValDtls.RndOffAmt`) is 100; the maximum is 99.99",
            )]
        );
        // As a string, the limit is checked on the exact decimal by x-maxDecimalPlaces.
        doc["valueDetails"]["roundOffAmount"] = json!("-99.991");
        assert_eq!(
            schema_findings(Dialect::Canonical, &doc),
            vec![
                err(
                    "/valueDetails/roundOffAmount",
                    "schema.decimal_places",
                    "`/valueDetails/roundOffAmount` (NIC `ValDtls.RndOffAmt`) \"-99.991\" has 3 decimal places; at most 2 allowed",
                ),
                err(
                    "/valueDetails/roundOffAmount",
                    "schema.minimum",
                    "`/valueDetails/roundOffAmount` (NIC `ValDtls.RndOffAmt`) is \"-99.991\"; the minimum is -99.99",
                ),
            ]
        );
        for ok in [json!("-99.99"), num("99.99"), json!("0.5"), num("-0.01")] {
            doc["valueDetails"]["roundOffAmount"] = ok.clone();
            assert_eq!(schema_findings(Dialect::Canonical, &doc), vec![], "{ok}");
        }
        let mut doc = nic_doc();
        doc["ValDtls"]["RndOffAmt"] = json!(100);
        assert_eq!(
            schema_findings(Dialect::Nic, &doc),
            vec![nic(
                "/ValDtls/RndOffAmt",
                "schema.maximum",
                "`/ValDtls/RndOffAmt` is 100; the maximum is 99.99",
            )]
        );
    }

    #[test]
    fn an_unknown_property_is_reported_at_its_own_path() {
        let mut doc = canonical_doc();
        doc["seller"]["gstNumber"] = json!("29AAFCC9980M1ZR");
        doc["note"] = json!("hello");
        assert_eq!(
            schema_findings(Dialect::Canonical, &doc),
            vec![
                err(
                    "/note",
                    "schema.additional_property",
                    "unknown field `note`: the document has no such field",
                ),
                err(
                    "/seller/gstNumber",
                    "schema.additional_property",
                    "unknown field `gstNumber`: `/seller` has no such field",
                ),
            ]
        );
        let mut doc = nic_doc();
        doc["Irn"] = json!("x");
        doc["ItemList"][0]["Foo"] = json!(1);
        let findings = schema_findings(Dialect::Nic, &doc);
        let paths: Vec<&str> = findings.iter().map(|f| f.path.as_str()).collect();
        assert!(paths.contains(&"/ItemList/0/Foo"), "{findings:?}");
    }

    #[test]
    fn a_missing_required_property_is_reported_at_the_path_it_would_have() {
        let mut doc = canonical_doc();
        doc["documentDetails"]
            .as_object_mut()
            .unwrap()
            .remove("number");
        doc["items"][1].as_object_mut().unwrap().remove("isService");
        doc.as_object_mut().unwrap().remove("valueDetails");
        assert_eq!(
            schema_findings(Dialect::Canonical, &doc),
            vec![
                err(
                    "/documentDetails/number",
                    "schema.required",
                    "`/documentDetails/number` (NIC `DocDtls.No`) is required but missing from `/documentDetails`",
                ),
                err(
                    "/items/1/isService",
                    "schema.required",
                    "`/items/1/isService` (NIC `ItemList[].IsServc`) is required but missing from `/items/1`",
                ),
                err(
                    "/valueDetails",
                    "schema.required",
                    "`/valueDetails` (NIC `ValDtls`) is required but missing from the document",
                ),
            ]
        );
        let mut doc = nic_doc();
        doc["SellerDtls"].as_object_mut().unwrap().remove("Gstin");
        assert_eq!(
            schema_findings(Dialect::Nic, &doc),
            vec![nic(
                "/SellerDtls/Gstin",
                "schema.required",
                "`/SellerDtls/Gstin` is required but missing from `/SellerDtls`",
            )]
        );
    }

    #[test]
    fn an_unregistered_buyer_passes_the_schema() {
        // Whether URP is allowed for the supply type is the rule layer's (2248, 2212).
        let mut doc = canonical_doc();
        doc["buyer"]["gstin"] = json!("URP");
        assert_eq!(schema_findings(Dialect::Canonical, &doc), vec![]);
        let mut doc = nic_doc();
        doc["BuyerDtls"]["Gstin"] = json!("URP");
        assert_eq!(schema_findings(Dialect::Nic, &doc), vec![]);
        let mut doc = flat_doc();
        doc["buyer"]["gstin"] = json!("URP");
        assert_eq!(schema_findings(Dialect::Flat, &doc), vec![]);
        // But a 3-character GSTIN that is not URP does not.
        let mut doc = canonical_doc();
        doc["buyer"]["gstin"] = json!("URD");
        let codes: Vec<String> = schema_findings(Dialect::Canonical, &doc)
            .into_iter()
            .map(|f| f.code)
            .collect();
        assert_eq!(codes, ["schema.pattern"]);
    }

    #[test]
    fn more_than_1000_items_is_one_finding() {
        let mut doc = canonical_doc();
        let line = doc["items"][1].clone();
        let items: Vec<Value> = (1..=1001)
            .map(|i| {
                let mut l = line.clone();
                l["serialNumber"] = json!(i.to_string());
                l
            })
            .collect();
        doc["items"] = Value::Array(items);
        assert_eq!(
            schema_findings(Dialect::Canonical, &doc),
            vec![err(
                "/items",
                "schema.max_items",
                "`/items` (NIC `ItemList`) has 1001 entries; at most 1000 allowed",
            )]
        );
        doc["items"] = json!([]);
        assert_eq!(
            schema_findings(Dialect::Canonical, &doc),
            vec![err(
                "/items",
                "schema.min_items",
                "`/items` (NIC `ItemList`) has 0 entries; at least 1 required",
            )]
        );
    }

    #[test]
    fn types_enums_formats_and_sorting() {
        let mut doc = canonical_doc();
        doc["transactionDetails"]["supplyType"] = json!("B2C");
        doc["documentDetails"]["date"] = json!("2026-02-30");
        doc["buyer"]["stateCode"] = json!(true);
        doc["items"][1]["isService"] = json!("yes");
        doc["items"][0]["quantity"] = num("-1");
        let findings = schema_findings(Dialect::Canonical, &doc);
        let got: Vec<(&str, &str)> = findings
            .iter()
            .map(|f| (f.path.as_str(), f.code.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("/buyer/stateCode", "schema.type"),
                ("/documentDetails/date", "schema.format"),
                ("/items/0/quantity", "schema.minimum"),
                ("/items/1/isService", "schema.enum"),
                ("/transactionDetails/supplyType", "schema.enum"),
                ("/transactionDetails/supplyType", "schema.pattern"),
            ]
        );
        assert_eq!(
            findings[0].message,
            "`/buyer/stateCode` (NIC `BuyerDtls.Stcd`) must be of type integer or string, not boolean"
        );
        assert_eq!(
            findings[1].message,
            "`/documentDetails/date` (NIC `DocDtls.Dt`) \"2026-02-30\" is not a valid date"
        );
        assert_eq!(
            findings[3].message,
            "`/items/1/isService` (NIC `ItemList[].IsServc`) is \"yes\"; allowed: \"Y\", \"N\", true, false"
        );
        // Array indices sort as numbers: /items/2 before /items/10.
        let mut doc = canonical_doc();
        let line = doc["items"][0].clone();
        doc["items"] = Value::Array(vec![line; 11]);
        doc["items"][10]["hsnCode"] = json!("1");
        doc["items"][2]["hsnCode"] = json!("1");
        let paths: Vec<String> = schema_findings(Dialect::Canonical, &doc)
            .into_iter()
            .map(|f| f.path)
            .collect();
        assert_eq!(
            paths,
            [
                "/items/2/hsnCode",
                "/items/2/hsnCode",
                "/items/10/hsnCode",
                "/items/10/hsnCode"
            ]
        );
    }

    #[test]
    fn not_an_object_is_one_type_finding() {
        assert_eq!(
            schema_findings(Dialect::Canonical, &json!([1, 2])),
            vec![err(
                "",
                "schema.type",
                "the document must be of type object, not array"
            )]
        );
    }

    fn generate_payload() -> Value {
        json!({
            "supplyType": "O", "subSupplyType": "1", "docType": "INV", "docNo": "ACM/26-27/0006",
            "docDate": "22/11/2026", "transactionType": 1,
            "fromGstin": "29AAFCC9980M1ZR", "fromTrdName": "Acme Components", "fromAddr1": "12 Industrial Area",
            "fromPlace": "Bengaluru", "fromPincode": 560058, "fromStateCode": 29, "actFromStateCode": 29,
            "toGstin": "27AAPFU0939F1ZV", "toTrdName": "Globex Trading LLP", "toAddr1": "8 MG Road",
            "toPlace": "Mumbai", "toPincode": 400001, "toStateCode": 27, "actToStateCode": 27,
            "totalValue": 154000, "igstValue": 43120, "totInvValue": 197120,
            "transMode": "1", "transDistance": "982", "vehicleNo": "KA01AB1234", "vehicleType": "R",
            "itemList": [{"itemNo": 1, "productName": "Cement", "hsnCode": 25232930, "quantity": 400,
                          "qtyUnit": "BAG", "igstRate": 28, "taxableAmount": 154000}]
        })
    }

    #[test]
    fn e_way_bill_payloads() {
        assert_eq!(
            ewaybill_schema_findings("generate", &generate_payload()),
            vec![]
        );

        let mut p = generate_payload();
        p["transMode"] = json!(3);
        p["dispatchFromGSTIN"] = json!("33AAFCC9980M1ZR");
        p["transDistance"] = json!(4001);
        let got: Vec<(String, String, Option<String>)> = ewaybill_schema_findings("generate", &p)
            .into_iter()
            .map(|f| (f.path, f.code, f.nic_code))
            .collect();
        let not = &ewaybill_schema_findings("generate", &p)[0];
        assert!(
            not.message.ends_with(
                ": For a Regular transaction (1) the dispatch-from and ship-to GSTINs must not be \
                 sent (615/616)."
            ),
            "{}",
            not.message
        );
        assert_eq!(
            got,
            [
                ("".into(), "schema.not".into(), None),
                ("/transDistance".into(), "schema.maximum".into(), None),
                ("/transDocDate".into(), "schema.required".into(), None),
                ("/transDocNo".into(), "schema.required".into(), None),
            ]
        );

        assert_eq!(
            ewaybill_schema_findings(
                "cancel",
                &json!({"ewbNo": 321009876543_u64, "cancelRsnCode": 2})
            ),
            vec![]
        );
        assert_eq!(
            ewaybill_schema_findings("cancel", &json!({"ewbNo": 0, "cancelRsnCode": 5})),
            vec![
                err(
                    "/cancelRsnCode",
                    "schema.enum",
                    "`/cancelRsnCode` is 5; allowed: 1, 2, 3, 4"
                ),
                err(
                    "/ewbNo",
                    "schema.minimum",
                    "`/ewbNo` is 0; the minimum is 1"
                ),
            ]
        );
        assert_eq!(
            ewaybill_schema_findings("reject", &json!({"ewbNo": 1})),
            vec![]
        );
        assert_eq!(
            ewaybill_schema_findings(
                "transporter",
                &json!({"ewbNo": 1, "transporterId": "29AAFCA7488L1Z0"})
            ),
            vec![]
        );
        assert_eq!(
            ewaybill_schema_findings(
                "part-b",
                &json!({"ewbNo": 1, "fromPlace": "Hosur", "fromState": 33, "reasonCode": "1",
                        "transMode": "1"})
            ),
            vec![err(
                "/vehicleNo",
                "schema.required",
                "`/vehicleNo` is required but missing from the document: Road (1) needs vehicleNo (303)."
            )]
        );
        let unknown = ewaybill_schema_findings("delete", &json!({}));
        assert_eq!(unknown.len(), 1);
        assert_eq!(unknown[0].code, "schema.unknown_action");
        assert_eq!(unknown[0].path, "");
    }

    #[test]
    fn number_limits_are_exact_where_f64_would_round() {
        let schema = json!({
            "type": ["number", "string"],
            "minimum": -0.1,
            "maximum": 0.1,
            "x-maxDecimalPlaces": 30
        });
        let check = |v: Value| {
            let violations = super::super::schema_checker::check_schema(&schema, &v).unwrap();
            findings_of_violations(&violations, &schema, None)
        };
        // 0.1000000000000000000001 is 0.1 as an f64: only the exact comparison sees it.
        assert_eq!(
            check(num("0.1000000000000000000001")),
            vec![err(
                "",
                "schema.maximum",
                "the document is 0.1000000000000000000001; the maximum is 0.1"
            )]
        );
        // Where the keyword's own check and the exact one both report, one finding remains.
        assert_eq!(
            check(num("-0.2")),
            vec![err(
                "",
                "schema.minimum",
                "the document is -0.2; the minimum is -0.1"
            )]
        );
        assert_eq!(
            check(json!("0.2")),
            vec![err(
                "",
                "schema.maximum",
                "the document is \"0.2\"; the maximum is 0.1"
            )]
        );
        assert_eq!(check(num("0.1")), vec![]);
        assert_eq!(check(num("1e-1")), vec![]);
        assert_eq!(check(json!("-0.100")), vec![]);
        assert_eq!(check(num("-1e400")).len(), 1);
    }

    #[test]
    fn decimal_places_are_counted_on_the_exact_text() {
        for (text, places) in [
            ("0", 0),
            ("100", 0),
            ("1.5", 1),
            ("1.500", 1),
            ("0.07", 2),
            ("-12.345", 3),
            ("15e-1", 1),
            ("1.5E-3", 4),
            ("1.25e2", 0),
            ("150e-2", 1),
            ("0.000", 0),
            ("0e-5", 0),
            ("1e-1000000000000000000000", 1_000_000_000),
        ] {
            assert_eq!(decimal_places(text), Some(places), "{text}");
        }
        for bad in ["", "-", "1.", ".5", "abc", "1e", "1e+", "1.2.3", "--1"] {
            assert_eq!(decimal_places(bad), None, "{bad}");
        }
    }

    proptest::proptest! {
        /// The one-pass acceptance never accepts what the exact comparison refuses.
        #[test]
        fn the_quick_acceptance_is_never_wrong(text in "-?[0-9]{0,18}(\\.[0-9]{0,5})?") {
            let limits = [
                json!({"type": "number", "minimum": 0, "maximum": 99999999999999.99_f64}),
                json!({"type": "number", "minimum": -0.5, "maximum": 0.5}),
                json!({"type": "number", "minimum": 1, "maximum": 100}),
                json!({"type": ["number", "string"], "minimum": 0, "maximum": 999}),
                json!({"type": "number"}),
            ];
            for parent in &limits {
                for places in [0u64, 2, 3] {
                    let keyword = MaxDecimalPlaces::compile(
                        parent.as_object().unwrap(),
                        &json!(places),
                    )
                    .unwrap();
                    if keyword.clearly_accepts(&text) {
                        let exact = PlainDecimal::parse_plain(&text)
                            .is_some_and(|v| keyword.plain_in_range(&v));
                        proptest::prop_assert!(exact, "{} under {} with {} places", text, parent, places);
                    }
                }
            }
        }
    }

    #[test]
    fn quick_acceptance_of_common_amounts() {
        let parent = json!({"type": "number", "minimum": 0, "maximum": 99999999999999.99_f64});
        let keyword = MaxDecimalPlaces::compile(parent.as_object().unwrap(), &json!(2)).unwrap();
        for yes in ["0", "63999.96", "5000.00", "0012.5", "99999999999.9"] {
            assert!(keyword.clearly_accepts(yes), "{yes}");
        }
        for unsure in [
            "-1",
            "1.234",
            "99999999999999.99",
            "1e5",
            "1.",
            ".5",
            "",
            "12a",
        ] {
            assert!(!keyword.clearly_accepts(unsure), "{unsure}");
        }
    }

    #[test]
    fn plain_decimals_compare_exactly() {
        fn d(s: &str) -> PlainDecimal<'_> {
            PlainDecimal::parse_number(s).unwrap()
        }
        assert!(d("99.99") < d("100"));
        assert!(d("99.991") > d("99.99"));
        assert!(d("-99.991") < d("-99.99"));
        assert!(d("-0") == d("0.000"));
        assert!(d("0.5") > d("0.49"));
        assert!(d("000123.4500") == d("123.45"));
        assert!(d("1e2") == d("100"));
        assert!(d("1.5e-2") == d("0.015"));
        assert!(d("99999999999999999999999999999999.01") > d("99999999999999.99"));
        assert_eq!(PlainDecimal::parse_plain("1e2"), None);
        assert_eq!(PlainDecimal::parse_plain("+1"), None);
    }
}
