//! Our own checker of the embedded JSON Schemas, the engine of [`super::schema`]. It replaced the
//! `jsonschema` crate there: a fraction of its size in WASM, and faster per document. It compiles
//! each schema's JSON once per process into a tree of [`Node`]s covering only the keywords those
//! schemas use, and reports the same [`Violation`]s jsonschema does, so that both give identical
//! findings; compiling a schema with any other keyword fails loudly rather than skipping it.
//!
//! jsonschema remains the reference (`super::schema_reference`, feature `jsonschema-reference`):
//! the tests compare both on every vector document and on mutated documents.

mod instance;
mod pattern;
mod plan;

use std::borrow::Cow;
use std::cell::Cell;
use std::sync::OnceLock;

use serde_json::{Map, Value};

use super::schema::{
    schema_json, MaxDecimalPlaces, PlainDecimal, SchemaId, Violation, ViolationKind,
    MAX_DECIMAL_PLACES, SCHEMA_COUNT,
};
use crate::finding::escape_pointer_token;
pub(crate) use instance::Instance;
use pattern::Pattern;
use plan::Plan;

/// Keywords that carry no constraint.
const ANNOTATIONS: [&str; 9] = [
    "description",
    "title",
    "$schema",
    "$id",
    "$comment",
    "examples",
    "x-verified",
    "x-action",
    "x-notes",
];

static CHECKERS: [OnceLock<Node>; SCHEMA_COUNT] = [const { OnceLock::new() }; SCHEMA_COUNT];

fn root(id: SchemaId) -> &'static Node {
    CHECKERS[id.index()].get_or_init(|| {
        Node::compile(schema_json(id), String::new())
            .unwrap_or_else(|e| panic!("embedded schema {id:?} is outside the checker: {e}"))
    })
}

/// Every violation of the schema `id` by `doc`, in no particular order (findings are sorted),
/// or `Err(DuplicateKeys)` when an object of `doc` names one member twice where the schema looks
/// at it: JSON's data model keeps the last, a tree that keeps both must be deduplicated first.
pub(crate) fn check<I: Instance>(
    id: SchemaId,
    doc: &I,
) -> Result<Vec<Violation<'_>>, DuplicateKeys> {
    let root = root(id);
    // The valid document, nearly every one, is told by the validity-only pass alone.
    if root.accepts(doc) {
        return Ok(Vec::new());
    }
    report(root, doc)
}

/// [`check`] by the reporting pass alone.
fn report<'a, I: Instance>(
    root: &'a Node,
    doc: &'a I,
) -> Result<Vec<Violation<'a>>, DuplicateKeys> {
    let mut out = Vec::new();
    let duplicate = Cell::new(false);
    root.check(doc, &Path::Root, &mut out, true, &duplicate);
    if duplicate.get() {
        Err(DuplicateKeys)
    } else {
        Ok(out)
    }
}

/// An object of the document names a member twice (see [`check`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct DuplicateKeys;

/// Compiles every embedded schema now; a schema outside the checker panics (a broken build, which
/// the tests catch first through [`try_compile_all`]).
pub(crate) fn compile_all() {
    for id in SchemaId::ALL {
        root(id);
    }
}

/// Compiles every embedded schema, or says which one is outside the checker and why.
#[cfg(test)]
pub(crate) fn try_compile_all() -> Result<(), String> {
    for id in SchemaId::ALL {
        Node::compile(schema_json(id), String::new()).map_err(|e| format!("{id:?}: {e}"))?;
    }
    Ok(())
}

/// Every violation of an ad hoc `schema` by `doc`, for tests of single keywords.
#[cfg(test)]
pub(crate) fn check_schema<'d>(
    schema: &Value,
    doc: &'d Value,
) -> Result<Vec<Violation<'d>>, String> {
    // Leaked so the violations may borrow from it; a test's few bytes.
    let node: &'static Node = Box::leak(Box::new(Node::compile(schema, String::new())?));
    let mut out = Vec::new();
    node.check(doc, &Path::Root, &mut out, true, &Cell::new(false));
    Ok(out)
}

/// The instance location, built into a pointer only when a violation is reported.
enum Path<'p> {
    Root,
    Key(&'p str, &'p Path<'p>),
    Index(usize, &'p Path<'p>),
}

impl Path<'_> {
    fn pointer(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }

    fn write(&self, out: &mut String) {
        match self {
            Path::Root => {}
            Path::Key(key, parent) => {
                parent.write(out);
                out.push('/');
                out.push_str(&escape_pointer_token(key));
            }
            Path::Index(i, parent) => {
                parent.write(out);
                out.push('/');
                out.push_str(&i.to_string());
            }
        }
    }
}

/// jsonschema's type bits, in its order (which is the order of "integer or string").
const TYPE_NAMES: [&str; 7] = [
    "null", "boolean", "integer", "number", "string", "array", "object",
];

fn type_bit(name: &str) -> Option<u8> {
    TYPE_NAMES.iter().position(|t| *t == name).map(|i| 1 << i)
}

/// One compiled keyword and the pointer of its location in the schema.
#[derive(Debug)]
struct Keyword {
    path: String,
    check: Check,
}

#[derive(Debug)]
enum Check {
    Type {
        mask: u8,
        expected: String,
    },
    /// `properties`, sorted by name, and the location of `additionalProperties: false` when the
    /// same subschema has it (one pass over the object checks both).
    Properties {
        props: Vec<(String, Node)>,
        /// Where each name of `props` is, by hash.
        index: PropertyIndex,
        closed: Option<String>,
        required: Option<Required>,
    },
    /// `additionalProperties: false` with the names `properties` allows, sorted.
    NoAdditional(Vec<String>),
    Required(Vec<String>),
    Pattern {
        pattern: Pattern,
        source: String,
    },
    MinLength(u64),
    MaxLength(u64),
    Minimum(Limit),
    Maximum(Limit),
    Enum(Value),
    Const(Value),
    FormatDate,
    Items(Box<Node>),
    MinItems(u64),
    MaxItems(u64),
    AllOf(Vec<Node>),
    AnyOf(Vec<Node>),
    Not(Box<Node>, Value),
    If {
        condition: Box<Node>,
        then: Option<Box<Node>>,
        otherwise: Option<Box<Node>>,
    },
    /// `x-maxDecimalPlaces`, which also compares plain decimals with `minimum` and `maximum`.
    DecimalPlaces(MaxDecimalPlaces),
}

/// A `minimum` or `maximum`: the schema's number, and its exact value where it has one.
#[derive(Debug)]
struct Limit {
    value: Value,
    exact: Option<PlainDecimal<'static>>,
    /// The subschema has `x-maxDecimalPlaces`, which already compares every number but those
    /// with an exponent, reporting the same findings.
    covered: bool,
}

impl Limit {
    /// Whether `x-maxDecimalPlaces` compares `v` in this limit's stead: JSON writes every number
    /// as a plain decimal but for an exponent.
    fn skips(&self, v: &str) -> bool {
        // A byte test (`e` and `E` differ in one bit), not a char-set search: twice per amount.
        self.covered && !v.bytes().any(|b| b | 0x20 == b'e')
    }

    /// Whether the `minimum` (`at_least`) or `maximum` keyword of this limit admits `v`: true
    /// for anything but a number.
    fn admits<I: Instance>(&self, v: &I, at_least: bool) -> bool {
        v.number_text().is_none_or(|n| {
            self.skips(n)
                || self
                    .compare(n)
                    .is_none_or(|o| if at_least { o.is_ge() } else { o.is_le() })
        })
    }

    /// How `v`, a number, compares with the limit: exactly, but for a number whose exponent is
    /// beyond what [`PlainDecimal`] shifts (+/- 400, never in a real document), through `f64`.
    fn compare(&self, v: &str) -> Option<std::cmp::Ordering> {
        match (&self.exact, PlainDecimal::parse_number(v)) {
            (Some(limit), Some(x)) => x.partial_cmp(limit),
            _ => finite_f64(v)?.partial_cmp(&self.value.as_f64()?),
        }
    }
}

/// `required` folded into `properties` when every name it lists is there: the pass over the
/// object counts the required names it meets, and only a short count looks for the missing.
#[derive(Debug)]
struct Required {
    path: String,
    names: Vec<String>,
    /// Parallel to `props`: whether that property is required.
    flags: Vec<bool>,
}

/// A compiled subschema.
#[derive(Debug)]
struct Node {
    keywords: Vec<Keyword>,
    /// The same keywords arranged for [`Node::accepts`].
    plan: Plan,
}

fn as_limit(value: &Value, key: &str) -> Result<u64, String> {
    value
        .as_u64()
        .ok_or_else(|| format!("{key} must be a non-negative integer"))
}

impl Node {
    fn compile(schema: &Value, location: String) -> Result<Node, String> {
        let map = match schema {
            Value::Object(map) => map,
            Value::Bool(true) => return Ok(Node::new(vec![])),
            other => return Err(format!("{location}: unsupported schema {other}")),
        };
        let mut keywords = Vec::new();
        for (key, value) in map {
            if ANNOTATIONS.contains(&key.as_str()) || key == "then" || key == "else" {
                continue;
            }
            let path = format!("{location}/{}", escape_pointer_token(key));
            let check = Self::keyword(map, key, value, &path)?;
            keywords.push(Keyword { path, check });
        }
        let closed = keywords
            .iter()
            .position(|k| matches!(k.check, Check::NoAdditional(_)));
        if let Some(i) = closed {
            if let Some(Check::Properties { closed, .. }) = keywords
                .iter_mut()
                .map(|k| &mut k.check)
                .find(|c| matches!(c, Check::Properties { .. }))
            {
                *closed = Some(format!("{location}/additionalProperties"));
                keywords.remove(i);
            }
        }
        let required = keywords
            .iter()
            .position(|k| matches!(k.check, Check::Required(_)));
        if let Some(i) = required {
            let path = keywords[i].path.clone();
            let Check::Required(names) = &keywords[i].check else {
                unreachable!("found above")
            };
            let names = names.clone();
            if let Some(Check::Properties {
                props, required, ..
            }) = keywords
                .iter_mut()
                .map(|k| &mut k.check)
                .find(|c| matches!(c, Check::Properties { .. }))
            {
                let flags: Vec<bool> = props.iter().map(|(p, _)| names.contains(p)).collect();
                let mut unique = names.clone();
                unique.sort();
                unique.dedup();
                if unique.len() == names.len()
                    && flags.iter().filter(|&&f| f).count() == names.len()
                {
                    *required = Some(Required { path, names, flags });
                    keywords.remove(i);
                }
            }
        }
        Ok(Node::new(keywords))
    }

    fn new(keywords: Vec<Keyword>) -> Node {
        Node {
            plan: Plan::new(&keywords),
            keywords,
        }
    }

    fn keyword(
        map: &Map<String, Value>,
        key: &str,
        value: &Value,
        path: &str,
    ) -> Result<Check, String> {
        let list = |value: &Value| -> Result<Vec<Node>, String> {
            value
                .as_array()
                .ok_or_else(|| format!("{path} must be an array"))?
                .iter()
                .enumerate()
                .map(|(i, s)| Node::compile(s, format!("{path}/{i}")))
                .collect()
        };
        Ok(match key {
            "type" => {
                let names: Vec<&str> = match value {
                    Value::String(t) => vec![t.as_str()],
                    Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
                    _ => return Err(format!("{path}: bad type")),
                };
                let mut mask = 0;
                for name in names {
                    mask |= type_bit(name).ok_or_else(|| format!("{path}: unknown type {name}"))?;
                }
                let expected: Vec<&str> = (0..7)
                    .filter(|i| mask & (1 << i) != 0)
                    .map(|i| TYPE_NAMES[i])
                    .collect();
                Check::Type {
                    mask,
                    expected: expected.join(" or "),
                }
            }
            "properties" => {
                let props = value
                    .as_object()
                    .ok_or_else(|| format!("{path}: not an object"))?;
                let mut compiled = props
                    .iter()
                    .map(|(name, s)| {
                        Node::compile(s, format!("{path}/{}", escape_pointer_token(name)))
                            .map(|n| (name.clone(), n))
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                compiled.sort_by(|a, b| a.0.cmp(&b.0));
                // A property's bit in a u128 notes that it was met (see `check`).
                if compiled.len() > 128 {
                    return Err(format!("{path}: more than 128 properties"));
                }
                Check::Properties {
                    index: PropertyIndex::new(&compiled),
                    props: compiled,
                    closed: None,
                    required: None,
                }
            }
            "additionalProperties" => match value {
                Value::Bool(false) => {
                    let mut known: Vec<String> = map
                        .get("properties")
                        .and_then(Value::as_object)
                        .map(|p| p.keys().cloned().collect())
                        .unwrap_or_default();
                    known.sort();
                    Check::NoAdditional(known)
                }
                _ => return Err(format!("{path}: only `false` is supported")),
            },
            "required" => Check::Required(
                value
                    .as_array()
                    .ok_or_else(|| format!("{path}: not an array"))?
                    .iter()
                    .map(|v| {
                        v.as_str()
                            .map(str::to_owned)
                            .ok_or(format!("{path}: not a name"))
                    })
                    .collect::<Result<_, _>>()?,
            ),
            "pattern" => {
                let source = value
                    .as_str()
                    .ok_or_else(|| format!("{path}: not a string"))?;
                Check::Pattern {
                    pattern: Pattern::compile(source).map_err(|e| format!("{path}: {e}"))?,
                    source: source.to_owned(),
                }
            }
            "minLength" => Check::MinLength(as_limit(value, key)?),
            "maxLength" => Check::MaxLength(as_limit(value, key)?),
            "minItems" => Check::MinItems(as_limit(value, key)?),
            "maxItems" => Check::MaxItems(as_limit(value, key)?),
            "minimum" | "maximum" => {
                if !value.is_number() {
                    return Err(format!("{path}: not a number"));
                }
                let limit = Limit {
                    value: value.clone(),
                    exact: value
                        .as_number()
                        .and_then(|n| PlainDecimal::parse_number(n.as_str()))
                        .map(PlainDecimal::into_owned),
                    covered: map.contains_key(MAX_DECIMAL_PLACES),
                };
                if key == "minimum" {
                    Check::Minimum(limit)
                } else {
                    Check::Maximum(limit)
                }
            }
            "enum" => Check::Enum(value.clone()),
            "const" => Check::Const(value.clone()),
            "format" => match value.as_str() {
                Some("date") => Check::FormatDate,
                _ => return Err(format!("{path}: unsupported format {value}")),
            },
            "items" => Check::Items(Box::new(Node::compile(value, path.to_owned())?)),
            "allOf" => Check::AllOf(list(value)?),
            "anyOf" => Check::AnyOf(list(value)?),
            "not" => Check::Not(
                Box::new(Node::compile(value, path.to_owned())?),
                value.clone(),
            ),
            "if" => {
                let location = &path[..path.len() - "/if".len()];
                let branch = |name: &str| -> Result<Option<Box<Node>>, String> {
                    map.get(name)
                        .map(|s| Node::compile(s, format!("{location}/{name}")).map(Box::new))
                        .transpose()
                };
                Check::If {
                    condition: Box::new(Node::compile(value, path.to_owned())?),
                    then: branch("then")?,
                    otherwise: branch("else")?,
                }
            }
            MAX_DECIMAL_PLACES => Check::DecimalPlaces(MaxDecimalPlaces::compile(map, value)?),
            other => return Err(format!("{path}: keyword `{other}` is not supported")),
        })
    }

    /// Checks `v`; with `collect`, pushes every violation, otherwise stops at the first. Returns
    /// whether `v` is valid.
    /// `duplicate` is set when an object names a member twice where this schema looks at it.
    fn check<'a, I: Instance>(
        &'a self,
        v: &'a I,
        at: &Path<'_>,
        out: &mut Vec<Violation<'a>>,
        collect: bool,
        duplicate: &Cell<bool>,
    ) -> bool {
        let mut valid = true;
        for keyword in &self.keywords {
            if !Self::check_keyword(keyword, v, at, out, collect, duplicate) {
                valid = false;
                if !collect {
                    return false;
                }
            }
        }
        valid
    }

    /// [`Node::check`] of one keyword.
    fn check_keyword<'a, I: Instance>(
        keyword: &'a Keyword,
        v: &'a I,
        at: &Path<'_>,
        out: &mut Vec<Violation<'a>>,
        collect: bool,
        duplicate: &Cell<bool>,
    ) -> bool {
        let mut report = |kind: ViolationKind<'a>, instance: &'a I, path: String| {
            if collect {
                out.push(Violation {
                    instance_path: Cow::Owned(path),
                    keyword_path: Cow::Borrowed(&keyword.path),
                    instance: instance.to_json(),
                    kind,
                });
            }
        };
        let ok = match &keyword.check {
            Check::Type { mask, expected } => {
                let ok = type_matches(*mask, v);
                if !ok {
                    report(
                        ViolationKind::Type {
                            expected: Cow::Borrowed(expected),
                        },
                        v,
                        at.pointer(),
                    );
                }
                ok
            }
            Check::Properties {
                props,
                index,
                closed,
                required,
            } => {
                let mut ok = true;
                let mut unexpected: Vec<Cow<'a, str>> = Vec::new();
                if let Some(members) = v.members() {
                    let mut seen = 0;
                    let mut met: u128 = 0;
                    for (name, value) in members {
                        match index.find(props, name) {
                            Some((i, node)) => {
                                if met & (1 << i) != 0 {
                                    duplicate.set(true);
                                }
                                met |= 1 << i;
                                if required.as_ref().is_some_and(|r| r.flags[i]) {
                                    seen += 1;
                                }
                                let here = Path::Key(name, at);
                                ok &= node.check(value, &here, out, collect, duplicate);
                            }
                            None if closed.is_some() => {
                                ok = false;
                                if unexpected.iter().any(|u| u == name) {
                                    duplicate.set(true);
                                }
                                unexpected.push(Cow::Borrowed(name));
                            }
                            None => {}
                        }
                        if !ok && !collect {
                            return false;
                        }
                    }
                    if let Some(r) = required.as_ref().filter(|r| seen < r.names.len()) {
                        if !collect {
                            return false;
                        }
                        ok = false;
                        for name in r.names.iter().filter(|n| !v.has_member(n)) {
                            out.push(Violation {
                                instance_path: Cow::Owned(at.pointer()),
                                keyword_path: Cow::Borrowed(&r.path),
                                instance: v.to_json(),
                                kind: ViolationKind::Required {
                                    property: Cow::Borrowed(name),
                                },
                            });
                        }
                    }
                }
                if let (Some(path), false) = (closed, unexpected.is_empty()) {
                    out.push(Violation {
                        instance_path: Cow::Owned(at.pointer()),
                        keyword_path: Cow::Borrowed(path),
                        instance: v.to_json(),
                        kind: ViolationKind::AdditionalProperties { unexpected },
                    });
                }
                ok
            }
            Check::NoAdditional(known) => {
                let mut unexpected: Vec<Cow<'a, str>> = Vec::new();
                if let Some(members) = v.members() {
                    for (name, _) in members {
                        if known.binary_search_by(|k| k.as_str().cmp(name)).is_err() {
                            if !collect {
                                return false;
                            }
                            if unexpected.iter().any(|u| u == name) {
                                duplicate.set(true);
                            }
                            unexpected.push(Cow::Borrowed(name));
                        }
                    }
                }
                let ok = unexpected.is_empty();
                if !ok {
                    report(
                        ViolationKind::AdditionalProperties { unexpected },
                        v,
                        at.pointer(),
                    );
                }
                ok
            }
            Check::Required(names) => {
                let mut ok = true;
                if v.members().is_some() {
                    for name in names {
                        if !v.has_member(name) {
                            ok = false;
                            if !collect {
                                return false;
                            }
                            report(
                                ViolationKind::Required {
                                    property: Cow::Borrowed(name),
                                },
                                v,
                                at.pointer(),
                            );
                        }
                    }
                }
                ok
            }
            Check::Pattern { pattern, source } => {
                let ok = v.string().is_none_or(|s| pattern.is_match(s));
                if !ok {
                    report(
                        ViolationKind::Pattern {
                            pattern: Cow::Borrowed(source),
                        },
                        v,
                        at.pointer(),
                    );
                }
                ok
            }
            Check::MinLength(limit) => {
                let ok = v.string().is_none_or(|s| at_least_chars(s, *limit));
                if !ok {
                    report(ViolationKind::MinLength { limit: *limit }, v, at.pointer());
                }
                ok
            }
            Check::MaxLength(limit) => {
                let ok = v.string().is_none_or(|s| at_most_chars(s, *limit));
                if !ok {
                    report(ViolationKind::MaxLength { limit: *limit }, v, at.pointer());
                }
                ok
            }
            Check::MinItems(limit) => {
                let ok = v.elements().is_none_or(|a| a.len() as u64 >= *limit);
                if !ok {
                    report(ViolationKind::MinItems { limit: *limit }, v, at.pointer());
                }
                ok
            }
            Check::MaxItems(limit) => {
                let ok = v.elements().is_none_or(|a| a.len() as u64 <= *limit);
                if !ok {
                    report(ViolationKind::MaxItems { limit: *limit }, v, at.pointer());
                }
                ok
            }
            Check::Minimum(limit) => {
                let ok = limit.admits(v, true);
                if !ok {
                    report(
                        ViolationKind::Minimum {
                            limit: &limit.value,
                        },
                        v,
                        at.pointer(),
                    );
                }
                ok
            }
            Check::Maximum(limit) => {
                let ok = limit.admits(v, false);
                if !ok {
                    report(
                        ViolationKind::Maximum {
                            limit: &limit.value,
                        },
                        v,
                        at.pointer(),
                    );
                }
                ok
            }
            Check::Enum(options) => {
                let ok = options
                    .as_array()
                    .is_some_and(|list| list.iter().any(|o| equal(o, v)));
                if !ok {
                    report(ViolationKind::Enum { options }, v, at.pointer());
                }
                ok
            }
            Check::Const(expected) => {
                let ok = equal(expected, v);
                if !ok {
                    report(ViolationKind::Constant { expected }, v, at.pointer());
                }
                ok
            }
            Check::FormatDate => {
                let ok = v.string().is_none_or(is_valid_date);
                if !ok {
                    report(
                        ViolationKind::Format {
                            format: Cow::Borrowed("date"),
                        },
                        v,
                        at.pointer(),
                    );
                }
                ok
            }
            Check::Items(node) => {
                let mut ok = true;
                if let Some(list) = v.elements() {
                    for (i, item) in list.iter().enumerate() {
                        ok &= node.check(item, &Path::Index(i, at), out, collect, duplicate);
                        if !ok && !collect {
                            return false;
                        }
                    }
                }
                ok
            }
            Check::AllOf(nodes) => {
                let mut ok = true;
                for node in nodes {
                    ok &= node.check(v, at, out, collect, duplicate);
                    if !ok && !collect {
                        return false;
                    }
                }
                ok
            }
            Check::AnyOf(nodes) => {
                let ok = nodes.iter().any(|n| n.is_valid(v, at, duplicate));
                if !ok {
                    report(ViolationKind::AnyOf, v, at.pointer());
                }
                ok
            }
            Check::Not(node, schema) => {
                let ok = !node.is_valid(v, at, duplicate);
                if !ok {
                    report(ViolationKind::Not { schema }, v, at.pointer());
                }
                ok
            }
            Check::If {
                condition,
                then,
                otherwise,
            } => {
                let branch = if condition.is_valid(v, at, duplicate) {
                    then
                } else {
                    otherwise
                };
                match branch {
                    Some(node) => node.check(v, at, out, collect, duplicate),
                    None => true,
                }
            }
            Check::DecimalPlaces(places) => {
                if places.accepts_text(v.number_text(), v.string()) {
                    true
                } else {
                    for (code, text) in places.problems(&v.to_json()) {
                        report(
                            ViolationKind::DecimalPlaces {
                                code: Cow::Borrowed(code),
                                text: Cow::Owned(text),
                            },
                            v,
                            at.pointer(),
                        );
                    }
                    false
                }
            }
        };
        ok
    }

    fn is_valid<I: Instance>(&self, v: &I, at: &Path<'_>, duplicate: &Cell<bool>) -> bool {
        self.check(v, at, &mut Vec::new(), false, duplicate)
    }
}

/// An open-addressing table from a property's name to its place in `props`: one hash of the name
/// and, nearly always, one comparison (a sorted list took a dozen comparisons a member).
#[derive(Debug)]
struct PropertyIndex {
    /// `props` index + 1 per slot, 0 for an empty slot; a power of two, at least twice as many
    /// slots as names.
    slots: Vec<u8>,
}

impl PropertyIndex {
    fn new(props: &[(String, Node)]) -> PropertyIndex {
        let size = (props.len() * 2).next_power_of_two().max(4);
        let mut slots = vec![0u8; size];
        for (i, (name, _)) in props.iter().enumerate() {
            let mut at = name_hash(name) & (size - 1);
            while slots[at] != 0 {
                at = (at + 1) & (size - 1);
            }
            // At most 128 properties (checked when compiling), so i + 1 fits.
            slots[at] = (i + 1) as u8;
        }
        PropertyIndex { slots }
    }

    /// The subschema of `properties` for `name`, and its index in `props`.
    fn find<'n>(&self, props: &'n [(String, Node)], name: &str) -> Option<(usize, &'n Node)> {
        let mask = self.slots.len() - 1;
        let mut at = name_hash(name) & mask;
        loop {
            let i = usize::from(self.slots[at]).checked_sub(1)?;
            let (key, node) = &props[i];
            if key == name {
                return Some((i, node));
            }
            at = (at + 1) & mask;
        }
    }
}

/// A hash of a property name from its length and three of its bytes (first, middle, last): a
/// handful of instructions, against a byte loop for a full hash on every member of every object.
/// Names of one object's properties rarely share all four; those that do are told apart by the
/// probe's comparison.
fn name_hash(name: &str) -> usize {
    let b = name.as_bytes();
    let (Some(&first), Some(&last)) = (b.first(), b.last()) else {
        return 0;
    };
    let middle = b[b.len() / 2];
    (b.len()
        .wrapping_mul(0x9e37)
        .wrapping_add(usize::from(first).wrapping_mul(0x45d9))
        .wrapping_add(usize::from(middle).wrapping_mul(0x1b87))
        .wrapping_add(usize::from(last).wrapping_mul(0x2c1b)))
        ^ (b.len() >> 3)
}

fn type_matches<I: Instance>(mask: u8, v: &I) -> bool {
    // The bits of TYPE_NAMES.
    let bit = |i: u8| mask & (1 << i) != 0;
    match v.number_text() {
        Some(n) => bit(3) || (bit(2) && is_integer(n)),
        None => bit(v.type_index()),
    }
}

/// An integer as jsonschema counts one, which is what the findings must match: a whole `f64`
/// (`1.0` and `1e2` included), and nothing beyond `f64`'s range (`1e400` is not one). `n` is a
/// JSON number's text (serde_json's `is_i64` / `is_u64` / `as_f64` are these parses).
fn is_integer(n: &str) -> bool {
    n.parse::<i64>().is_ok()
        || n.parse::<u64>().is_ok()
        || finite_f64(n).is_some_and(|f| f.fract() == 0.0)
}

/// A number's text as a finite `f64`, as serde_json's `Number::as_f64` gives it.
fn finite_f64(n: &str) -> Option<f64> {
    n.parse::<f64>().ok().filter(|f| f.is_finite())
}

/// JSON equality as `enum` and `const` use it: numbers by value (`1` equals `1.0`), exactly but
/// past +/- 400 in the exponent, where `f64` decides.
/// `a` is the schema's, `b` the document's.
fn equal<I: Instance>(a: &Value, b: &I) -> bool {
    match a {
        Value::Number(x) => b.number_text().is_some_and(|y| {
            x.as_str() == y
                || match (
                    PlainDecimal::parse_number(x.as_str()),
                    PlainDecimal::parse_number(y),
                ) {
                    (Some(p), Some(q)) => p == q,
                    _ => {
                        finite_f64(x.as_str()).is_some() && finite_f64(x.as_str()) == finite_f64(y)
                    }
                }
        }),
        Value::Array(x) => b
            .elements()
            .is_some_and(|y| x.len() == y.len() && x.iter().zip(y).all(|(p, q)| equal(p, q))),
        Value::Object(x) => b.members().is_some_and(|members| {
            let members: Vec<(&str, &I)> = members.collect();
            // JSON's data model: one value per name, the last one.
            x.len() == members.len()
                && x.iter().all(|(k, p)| {
                    members
                        .iter()
                        .rev()
                        .find(|(name, _)| *name == k.as_str())
                        .is_some_and(|(_, q)| equal(p, *q))
                })
        }),
        Value::String(x) => b.string() == Some(x.as_str()),
        Value::Bool(x) => b.boolean() == Some(*x),
        Value::Null => b.type_index() == 0,
    }
}

/// Whether `s` has at least `limit` characters (JSON Schema counts characters, not bytes). A
/// character is 1 to 4 bytes, so the byte length mostly answers without counting.
fn at_least_chars(s: &str, limit: u64) -> bool {
    let bytes = s.len() as u64;
    if bytes < limit {
        false
    } else if bytes >= limit.saturating_mul(4) {
        true
    } else {
        s.chars().count() as u64 >= limit
    }
}

/// Whether `s` has at most `limit` characters (see [`at_least_chars`]).
fn at_most_chars(s: &str, limit: u64) -> bool {
    let bytes = s.len() as u64;
    if bytes <= limit {
        true
    } else if bytes.div_ceil(4) > limit {
        false
    } else {
        s.chars().count() as u64 <= limit
    }
}

/// RFC 3339 `full-date`: `YYYY-MM-DD` with a day that exists.
fn is_valid_date(text: &str) -> bool {
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        b[r].iter().try_fold(0u32, |acc, &c| {
            c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
        })
    };
    let (Some(year), Some(month), Some(day)) = (digits(0..4), digits(5..7), digits(8..10)) else {
        return false;
    };
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

#[cfg(all(test, feature = "jsonschema-reference"))]
mod tests;
