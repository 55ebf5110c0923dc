//! The `jsonschema` crate run over the embedded schemas: the reference that
//! [`super::schema_checker`], the engine every validation uses, is held to. Behind the feature
//! `jsonschema-reference`, which this crate's own tests and benchmarks turn on (a dev-dependency
//! of the crate on itself) and no product build does: the tests compare both engines' findings on
//! every vector document and on mutated ones, and the benchmark times both.
//!
//! Why a reference at all: the checker implements only the keywords our schemas use, and a
//! second, independent implementation of JSON Schema is what tells a bug in it from a bug in a
//! schema. Why not the product engine: it is most of the WASM module's size (fancy-regex and the
//! rest of its dependency tree), and the checker is faster per document.

use std::borrow::Cow;
use std::sync::OnceLock;

use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::paths::Location;
use jsonschema::{Keyword, ValidationError, Validator};
use serde_json::{Map, Value};

use super::schema::{
    push_findings, schema_json, sort_findings, MaxDecimalPlaces, SchemaId, Violation,
    ViolationKind, MAX_DECIMAL_PLACES, SCHEMA_COUNT,
};
use crate::finding::Finding;

/// A compiled schema and its JSON (kept to name fields in messages).
struct Compiled {
    schema: &'static Value,
    validator: Validator,
}

static COMPILED: [OnceLock<Compiled>; SCHEMA_COUNT] = [const { OnceLock::new() }; SCHEMA_COUNT];

fn compiled(id: SchemaId) -> &'static Compiled {
    COMPILED[id.index()].get_or_init(|| {
        let schema = schema_json(id);
        let validator = build_validator(schema)
            .unwrap_or_else(|e| panic!("embedded schema {id:?} does not compile: {e}"));
        Compiled { schema, validator }
    })
}

/// Draft 2020-12, formats checked (a date such as 2026-02-30 is refused), and the
/// `x-maxDecimalPlaces` keyword.
pub(crate) fn build_validator(schema: &Value) -> Result<Validator, ValidationError<'static>> {
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .should_validate_formats(true)
        .with_keyword(MAX_DECIMAL_PLACES, max_decimal_places_factory)
        .build(schema)
}

/// Every finding of the schema `id` for `doc`, sorted, as the checker's would be.
pub(crate) fn check(id: SchemaId, doc: &Value) -> Vec<Finding> {
    let compiled = compiled(id);
    findings_of(&compiled.validator, compiled.schema, id.nic_code(), doc)
}

/// Compiles every embedded schema with jsonschema; a schema it refuses panics (a broken build).
#[cfg(test)]
pub(crate) fn compile_all() {
    for id in SchemaId::ALL {
        compiled(id);
    }
}

pub(crate) fn findings_of(
    validator: &Validator,
    schema: &Value,
    nic_code: Option<&str>,
    doc: &Value,
) -> Vec<Finding> {
    // Valid documents are the common case, and `is_valid` stops early and builds no errors.
    if validator.is_valid(doc) {
        return Vec::new();
    }
    let mut findings = Vec::new();
    for error in validator.iter_errors(doc) {
        push_findings(&violation_of(&error), schema, nic_code, &mut findings);
    }
    sort_findings(&mut findings);
    findings
}

/// The jsonschema error as a [`Violation`], borrowing from it.
fn violation_of<'a>(error: &'a ValidationError<'_>) -> Violation<'a> {
    let kind = match error.kind() {
        ValidationErrorKind::Required { property } => ViolationKind::Required {
            property: property
                .as_str()
                .map_or_else(|| Cow::Owned(property.to_string()), Cow::Borrowed),
        },
        ValidationErrorKind::AdditionalProperties { unexpected }
        | ValidationErrorKind::UnevaluatedProperties { unexpected } => {
            ViolationKind::AdditionalProperties {
                unexpected: unexpected
                    .iter()
                    .map(|n| Cow::Borrowed(n.as_str()))
                    .collect(),
            }
        }
        ValidationErrorKind::Type { kind } => ViolationKind::Type {
            expected: match kind {
                TypeKind::Single(t) => Cow::Borrowed(t.as_str()),
                TypeKind::Multiple(set) => {
                    let names: Vec<&str> = set.iter().map(|t| t.as_str()).collect();
                    Cow::Owned(names.join(" or "))
                }
            },
        },
        ValidationErrorKind::Pattern { pattern } => ViolationKind::Pattern {
            pattern: Cow::Borrowed(pattern.as_str()),
        },
        ValidationErrorKind::MaxLength { limit } => ViolationKind::MaxLength { limit: *limit },
        ValidationErrorKind::MinLength { limit } => ViolationKind::MinLength { limit: *limit },
        ValidationErrorKind::Enum { options } => ViolationKind::Enum { options },
        ValidationErrorKind::Constant { expected_value } => ViolationKind::Constant {
            expected: expected_value,
        },
        ValidationErrorKind::Minimum { limit } => ViolationKind::Minimum { limit },
        ValidationErrorKind::Maximum { limit } => ViolationKind::Maximum { limit },
        ValidationErrorKind::MaxItems { limit } => ViolationKind::MaxItems { limit: *limit },
        ValidationErrorKind::MinItems { limit } => ViolationKind::MinItems { limit: *limit },
        ValidationErrorKind::Format { format } => ViolationKind::Format {
            format: Cow::Borrowed(format.as_str()),
        },
        ValidationErrorKind::Custom { keyword, message } if keyword == MAX_DECIMAL_PLACES => {
            let (code, text) = decode_custom(message);
            ViolationKind::DecimalPlaces {
                code: Cow::Borrowed(code),
                text: Cow::Borrowed(text),
            }
        }
        ValidationErrorKind::Not { schema } => ViolationKind::Not { schema },
        ValidationErrorKind::AnyOf { .. } => ViolationKind::AnyOf,
        // Keywords our schemas do not use (the checker refuses to compile them), so nothing the
        // checker could be compared on.
        other => ViolationKind::Other {
            keyword: Cow::Owned(other.keyword().to_owned()),
            message: error.to_string(),
        },
    };
    Violation {
        instance_path: Cow::Borrowed(error.instance_path().as_str()),
        keyword_path: Cow::Borrowed(error.schema_path().as_str()),
        instance: Cow::Borrowed(error.instance()),
        kind,
    }
}

// x-maxDecimalPlaces as a jsonschema keyword

/// Separates the finding code from the message in the custom keyword's errors, which jsonschema
/// carries as a single string.
const TAG_SEPARATOR: char = '\u{1f}';

fn encode_custom(code: &str, message: String) -> ValidationError<'static> {
    ValidationError::custom(format!("{code}{TAG_SEPARATOR}{message}"))
}

fn decode_custom(message: &str) -> (&str, &str) {
    message
        .split_once(TAG_SEPARATOR)
        .unwrap_or(("schema.decimal_places", message))
}

fn max_decimal_places_factory<'a>(
    parent: &'a Map<String, Value>,
    value: &'a Value,
    _path: Location,
) -> Result<Box<dyn for<'i> Keyword<'i>>, ValidationError<'a>> {
    MaxDecimalPlaces::compile(parent, value)
        .map(|k| Box::new(k) as Box<dyn for<'i> Keyword<'i>>)
        .map_err(ValidationError::custom)
}

impl MaxDecimalPlaces {
    /// [`MaxDecimalPlaces::problems`] as jsonschema errors. jsonschema compares numbers with
    /// `minimum` / `maximum` through `f64` (its exact mode costs more than half its validation
    /// time); rounding to `f64` is monotonic, so it can only miss a number within half an ulp
    /// above a limit, never report a number inside, and this exact check closes that gap.
    fn errors(&self, instance: &Value) -> Vec<ValidationError<'static>> {
        self.problems(instance)
            .into_iter()
            .map(|(code, message)| encode_custom(code, message))
            .collect()
    }
}

impl<'i> Keyword<'i> for MaxDecimalPlaces {
    fn validate(&self, instance: &'i Value) -> Result<(), ValidationError<'i>> {
        match self.errors(instance).into_iter().next() {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    fn is_valid(&self, instance: &'i Value) -> bool {
        self.accepts(instance)
    }

    fn iter_errors(
        &self,
        instance: &'i Value,
    ) -> Box<dyn Iterator<Item = ValidationError<'i>> + 'i> {
        Box::new(self.errors(instance).into_iter())
    }
}
