//! Reads the crate's types out of a JSON tree: the one deserializer behind every typed read of a
//! document ([`crate::einvoice::parse`]), which also says where a read failed. It reads the core's
//! own tree ([`crate::json_tree::Node`], what validation parses documents into); a serde_json
//! `Value` is brought to it by [`node_of`], borrowing every string.
//!
//! Two modes. [`Mode::Exact`] behaves as serde_json's own `&Value` deserializer does, call for
//! call and error for error (with the workspace's `arbitrary_precision`), and records the JSON
//! pointer of the value an error came from, as `serde_path_to_error` would report it: the deepest
//! array element or object member the error passed through (for an object key, the member it
//! names). Its objects are read as serde_json's map holds them: members sorted by name, the last
//! of a name written twice. [`Mode::NumbersAsText`] reads members in the document's order (a
//! name written twice fails a struct, and ends as the last in a map, so the result agrees) and
//! differs in one more respect, for speed: a number written as a plain
//! decimal of magnitude at least 1 (`63999.96`, `-5.0`) reaches `deserialize_any` as serde_json's
//! arbitrary-precision one-entry map holding its text, never as `visit_f64` (see
//! [`Mode::NumbersAsText`] for why the results agree). It tracks nothing: a document it refuses
//! is read again in [`Mode::Exact`], so every failure is reported exactly.
//!
//! Why our own rather than serde_json's deserializer wrapped in `serde_path_to_error`: every
//! deserializer a type is read through is one more copy of that type's deserialization code, and
//! the model's types are most of the WASM module. One deserializer with a mode is one copy.
//! Object keys reach key types as borrowed strings (serde_json's key deserializer would also
//! parse numeric keys; no type read here has non-string keys).

use std::cell::RefCell;

use serde::de::value::BorrowedStrDeserializer;
use serde::de::{
    self, DeserializeOwned, DeserializeSeed, EnumAccess, IntoDeserializer, MapAccess, SeqAccess,
    Unexpected, VariantAccess, Visitor,
};
use std::borrow::Cow;

use serde_json::{Error, Number, Value};

use crate::finding::escape_pointer_token;
use crate::json_tree::Node;
use crate::wire::amount::AMOUNT_TOKEN;

mod direct;

pub(crate) use direct::einvoice as read_einvoice_direct;

/// How numbers reach `deserialize_any`; see the module documentation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// serde_json's behaviour exactly, with the error's location recorded.
    Exact,
    /// Plain decimals from 1 up (`-?[1-9][0-9]{0,14}\.[0-9]+`) as their text; nothing tracked.
    ///
    /// Why the results agree with [`Mode::Exact`] wherever this mode succeeds: serde_json calls
    /// `visit_f64(f)` only when the text is what `f` formats back to (for 1 <= |x| < 10^15 its
    /// formatter writes the same plain digits), and rust_decimal then parses that same text, as
    /// it does from the map. The model's other number visitors refuse a map, and a refusal sends
    /// the document to [`Mode::Exact`]. Past 10^15, or below 1, a number goes as in
    /// [`Mode::Exact`], because there the float's formatting has an exponent and the two paths
    /// would parse different texts.
    ///
    /// An amount read through `wire::amount` asks for its number by name
    /// (`deserialize_newtype_struct` with `AMOUNT_TOKEN`) and is handed the text of those same
    /// plain decimals, and of short integers, to build its `Decimal` from directly (see
    /// `amount_as_text`).
    NumbersAsText,
}

/// Reads `T` from `value`. On failure: the JSON pointer of where the error arose (empty for the
/// document itself, and always empty in [`Mode::NumbersAsText`]) and serde's error.
pub(crate) fn read<T: DeserializeOwned>(value: &Value, mode: Mode) -> Result<T, (String, Error)> {
    read_node(&node_of(value), mode)
}

/// [`read`] of the core's own tree. The tree must hold no object that serde_json would read as
/// something else (an object led by its private tokens: [`crate::json_tree::parse_document`]
/// says).
pub(crate) fn read_node<T: DeserializeOwned>(
    node: &Node<'_>,
    mode: Mode,
) -> Result<T, (String, Error)> {
    read_node_at(node, mode).map_err(|(at, e)| (pointer(&at), e))
}

/// [`read`], with the location as its segments.
pub(crate) fn read_at<T: DeserializeOwned>(
    value: &Value,
    mode: Mode,
) -> Result<T, (Vec<Segment>, Error)> {
    read_node_at(&node_of(value), mode)
}

/// serde_json's tree as the core's, borrowing every string and number text. Objects come out
/// sorted by key and without duplicates, as serde_json's map holds them.
pub(crate) fn node_of(value: &Value) -> Node<'_> {
    match value {
        Value::Null => Node::Null,
        Value::Bool(b) => Node::Bool(*b),
        Value::Number(n) => Node::Number(n.as_str()),
        Value::String(s) => Node::String(Cow::Borrowed(s)),
        Value::Array(a) => Node::Array(a.iter().map(node_of).collect()),
        Value::Object(m) => Node::Object(
            m.iter()
                .map(|(k, v)| (Cow::Borrowed(k.as_str()), node_of(v)))
                .collect(),
        ),
    }
}

fn read_node_at<T: DeserializeOwned>(
    value: &Node<'_>,
    mode: Mode,
) -> Result<T, (Vec<Segment>, Error)> {
    let slot = RefCell::new(None);
    let reader = Reader {
        value,
        mode,
        at: &Chain::Root,
        slot: &slot,
    };
    T::deserialize(reader).map_err(|e| (slot.into_inner().unwrap_or_default(), e))
}

/// One step from a value to one inside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Segment {
    /// An object member.
    Key(String),
    /// An array element.
    Index(usize),
}

/// The JSON pointer of `segments` (RFC 6901).
pub(crate) fn pointer(segments: &[Segment]) -> String {
    let mut out = String::new();
    for segment in segments {
        out.push('/');
        match segment {
            Segment::Key(key) => out.push_str(&escape_pointer_token(key)),
            Segment::Index(i) => out.push_str(&i.to_string()),
        }
    }
    out
}

/// Where a reader is, as a list linked through the stack; made into segments only on error.
enum Chain<'p> {
    Root,
    Key(&'p Chain<'p>, &'p str),
    Index(&'p Chain<'p>, usize),
}

impl Chain<'_> {
    fn segments(&self, out: &mut Vec<Segment>) {
        match self {
            Chain::Root => {}
            Chain::Key(parent, key) => {
                parent.segments(out);
                out.push(Segment::Key((*key).to_owned()));
            }
            Chain::Index(parent, index) => {
                parent.segments(out);
                out.push(Segment::Index(*index));
            }
        }
    }
}

/// The first (so the deepest) place an error passed through.
type Slot = RefCell<Option<Vec<Segment>>>;

fn mark(slot: &Slot, mode: Mode, at: &Chain<'_>) {
    if mode == Mode::Exact && slot.borrow().is_none() {
        let mut segments = Vec::new();
        at.segments(&mut segments);
        *slot.borrow_mut() = Some(segments);
    }
}

#[derive(Clone, Copy)]
struct Reader<'de, 'p> {
    value: &'de Node<'de>,
    mode: Mode,
    at: &'p Chain<'p>,
    slot: &'p Slot,
}

/// serde_json's description of a value in an "invalid type" error (with `arbitrary_precision`,
/// a number is "number").
fn unexpected<'a>(value: &'a Node<'_>) -> Unexpected<'a> {
    match value {
        Node::Null => Unexpected::Unit,
        Node::Bool(b) => Unexpected::Bool(*b),
        Node::Number(_) => Unexpected::Other("number"),
        Node::String(s) => Unexpected::Str(s),
        Node::Array(_) => Unexpected::Seq,
        Node::Object(_) => Unexpected::Map,
    }
}

/// `-?[1-9][0-9]{0,14}\.[0-9]+`: plain, not an integer, 1 <= |x| < 10^15. One pass over the
/// bytes (it runs on every amount).
fn plain_decimal_from_one(text: &str) -> bool {
    let b = text.as_bytes();
    let mut i = usize::from(b.first() == Some(&b'-'));
    if !matches!(b.get(i), Some(b'1'..=b'9')) {
        return false;
    }
    let int_start = i;
    while b.get(i).is_some_and(u8::is_ascii_digit) {
        i += 1;
    }
    if i - int_start > 15 || b.get(i) != Some(&b'.') {
        return false;
    }
    let frac_start = i + 1;
    let rest = &b[frac_start..];
    !rest.is_empty() && rest.iter().all(u8::is_ascii_digit)
}

/// Whether an amount's text goes to its visitor as text ([`Mode::NumbersAsText`]; the visitor is
/// `wire::amount`'s, which reads text as `Decimal::from_str` does). Only where that is what the
/// amount would otherwise be: a plain decimal from 1 up, which `number` hands to rust_decimal
/// as text anyway, and an integer of at most 18 digits but for `-0`, which `number` hands over
/// as a `u64` or `i64`, whose `Decimal` is `from_str`'s (scale 0, the same sign; `-0` would
/// keep its sign as text and lose it as an `i64`). One pass over the bytes.
fn amount_as_text(text: &str) -> bool {
    let b = text.as_bytes();
    let (negative, digits) = match b {
        [b'-', rest @ ..] => (true, rest),
        _ => (false, b),
    };
    let whole = digits.iter().take_while(|d| d.is_ascii_digit()).count();
    match digits.get(whole) {
        None => whole > 0 && whole <= 18 && !(negative && digits == b"0"),
        Some(b'.') => {
            let fraction = &digits[whole + 1..];
            matches!(digits[0], b'1'..=b'9')
                && whole <= 15
                && !fraction.is_empty()
                && fraction.iter().all(u8::is_ascii_digit)
        }
        Some(_) => false,
    }
}

impl<'de, 'p> Reader<'de, 'p> {
    fn invalid_type<V: Visitor<'de>>(self, visitor: &V) -> Error {
        de::Error::invalid_type(unexpected(self.value), visitor)
    }

    fn seq<V: Visitor<'de>>(self, array: &'de [Node<'de>], visitor: V) -> Result<V::Value, Error> {
        let mut access = Elements {
            iter: array.iter(),
            index: 0,
            reader: self,
        };
        let out = visitor.visit_seq(&mut access)?;
        if access.iter.len() == 0 {
            Ok(out)
        } else {
            Err(de::Error::invalid_length(
                array.len(),
                &"fewer elements in array",
            ))
        }
    }

    fn map<V: Visitor<'de>>(
        self,
        object: &'de [(Cow<'de, str>, Node<'de>)],
        visitor: V,
    ) -> Result<V::Value, Error> {
        let members = match self.mode {
            // Document order: a duplicate name fails the read (serde's "duplicate field") or, in
            // a map, ends as the last one, as in serde_json's map; either way the result agrees.
            Mode::NumbersAsText => Members::InOrder(object.iter()),
            // serde_json's map: sorted by name, the last of duplicates kept, so that the first
            // error met is the one serde_json would meet.
            Mode::Exact => Members::Sorted(sorted_unique(object).into_iter()),
        };
        let len = members.len();
        let mut access = Entries {
            members,
            value: None,
            reader: self,
        };
        let out = visitor.visit_map(&mut access)?;
        if access.members.len() == 0 {
            Ok(out)
        } else {
            Err(de::Error::invalid_length(len, &"fewer elements in map"))
        }
    }

    /// The same reader one level down.
    fn child(self, value: &'de Node<'de>, at: &'p Chain<'p>) -> Reader<'de, 'p> {
        Reader { value, at, ..self }
    }

    /// serde_json's `Number` for this number's text, for the cases it decides itself.
    fn number(text: &str) -> Result<Number, Error> {
        text.parse::<Number>()
    }
}

/// A number method of serde_json's `&Value`: a number goes to serde_json's `&Number`, anything
/// else to `deserialize_any`.
macro_rules! number_methods {
    ($($method:ident)*) => {
        $(
            fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
                match self.value {
                    Node::Number(text) => de::Deserializer::$method(&Self::number(text)?, visitor),
                    _ => self.deserialize_any(visitor),
                }
            }
        )*
    };
}

impl<'de> de::Deserializer<'de> for Reader<'de, '_> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Node::Null => visitor.visit_unit(),
            Node::Bool(b) => visitor.visit_bool(*b),
            Node::Number(text) => number(text, self.mode, visitor),
            Node::String(s) => visitor.visit_borrowed_str(s),
            Node::Array(a) => self.seq(a, visitor),
            Node::Object(m) => self.map(m, visitor),
        }
    }

    number_methods! {
        deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64 deserialize_i128
        deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64 deserialize_u128
        deserialize_f32 deserialize_f64
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Node::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self.value {
            Node::String(variant) => visitor.visit_enum(Variant {
                name: variant,
                content: None,
            }),
            Node::Object(object) => {
                let unique = sorted_unique(object);
                let mut entries = unique.into_iter();
                match (entries.next(), entries.next()) {
                    (Some((name, value)), None) => visitor.visit_enum(Variant {
                        name,
                        content: Some(self.child(value, self.at)),
                    }),
                    _ => Err(de::Error::invalid_value(
                        Unexpected::Map,
                        &"map with a single key",
                    )),
                }
            }
            other => Err(de::Error::invalid_type(unexpected(other), &"string or map")),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        if self.mode == Mode::NumbersAsText && name == AMOUNT_TOKEN {
            if let Node::Number(text) = self.value {
                if amount_as_text(text) {
                    return visitor.visit_borrowed_str(text);
                }
            }
        }
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Node::Bool(b) => visitor.visit_bool(*b),
            _ => Err(self.invalid_type(&visitor)),
        }
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Node::String(s) => visitor.visit_borrowed_str(s),
            _ => Err(self.invalid_type(&visitor)),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Node::String(s) => visitor.visit_borrowed_str(s),
            Node::Array(a) => self.seq(a, visitor),
            _ => Err(self.invalid_type(&visitor)),
        }
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_bytes(visitor)
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Node::Null => visitor.visit_unit(),
            _ => Err(self.invalid_type(&visitor)),
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Node::Array(a) => self.seq(a, visitor),
            _ => Err(self.invalid_type(&visitor)),
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Node::Object(m) => self.map(m, visitor),
            _ => Err(self.invalid_type(&visitor)),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self.value {
            Node::Array(a) => self.seq(a, visitor),
            Node::Object(m) => self.map(m, visitor),
            _ => Err(self.invalid_type(&visitor)),
        }
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }
}

/// A number to `deserialize_any`, as serde_json's `Number` gives it (an integer that fits
/// `u64` or `i64` as one, which is what `Number` tries first), but for the plain decimals of
/// [`Mode::NumbersAsText`].
fn number<'de, V: Visitor<'de>>(text: &'de str, mode: Mode, visitor: V) -> Result<V::Value, Error> {
    if is_integer_text(text) {
        if let Ok(u) = text.parse::<u64>() {
            return visitor.visit_u64(u);
        }
        if let Ok(i) = text.parse::<i64>() {
            return visitor.visit_i64(i);
        }
    }
    if mode == Mode::NumbersAsText && plain_decimal_from_one(text) {
        visitor.visit_map(NumberText(Some(text)))
    } else {
        de::Deserializer::deserialize_any(&Reader::number(text)?, visitor)
    }
}

/// `-?[0-9]+`: JSON number text that serde_json keeps as written.
fn is_integer_text(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

/// An object's members as serde_json's map holds them: sorted by name (byte order, as `String`
/// compares), one per name, the last one written.
fn sorted_unique<'de>(
    object: &'de [(Cow<'de, str>, Node<'de>)],
) -> Vec<(&'de str, &'de Node<'de>)> {
    let mut members: Vec<(&str, &Node)> = object.iter().map(|(k, v)| (k.as_ref(), v)).collect();
    if !members.windows(2).all(|w| w[0].0 < w[1].0) {
        // Stable, so equal names keep their order and the last of each run is the last written.
        members.sort_by(|a, b| a.0.cmp(b.0));
        let mut unique: Vec<(&str, &Node)> = Vec::with_capacity(members.len());
        for member in members {
            match unique.last_mut() {
                Some(last) if last.0 == member.0 => *last = member,
                _ => unique.push(member),
            }
        }
        members = unique;
    }
    members
}

struct Elements<'de, 'p> {
    iter: std::slice::Iter<'de, Node<'de>>,
    index: usize,
    reader: Reader<'de, 'p>,
}

impl<'de> SeqAccess<'de> for Elements<'de, '_> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        let Some(value) = self.iter.next() else {
            return Ok(None);
        };
        let at = Chain::Index(self.reader.at, self.index);
        self.index += 1;
        let reader = Reader {
            value,
            mode: self.reader.mode,
            at: &at,
            slot: self.reader.slot,
        };
        match seed.deserialize(reader) {
            Ok(v) => Ok(Some(v)),
            Err(e) => {
                mark(self.reader.slot, self.reader.mode, &at);
                Err(e)
            }
        }
    }

    fn size_hint(&self) -> Option<usize> {
        match self.iter.size_hint() {
            (lower, Some(upper)) if lower == upper => Some(upper),
            _ => None,
        }
    }
}

/// An object's members in the order a [`Mode`] reads them.
enum Members<'de> {
    InOrder(std::slice::Iter<'de, (Cow<'de, str>, Node<'de>)>),
    Sorted(std::vec::IntoIter<(&'de str, &'de Node<'de>)>),
}

impl<'de> Members<'de> {
    fn next(&mut self) -> Option<(&'de str, &'de Node<'de>)> {
        match self {
            Members::InOrder(iter) => iter.next().map(|(k, v)| (k.as_ref(), v)),
            Members::Sorted(iter) => iter.next(),
        }
    }

    fn len(&self) -> usize {
        match self {
            Members::InOrder(iter) => iter.len(),
            Members::Sorted(iter) => iter.len(),
        }
    }
}

struct Entries<'de, 'p> {
    members: Members<'de>,
    value: Option<(&'de str, &'de Node<'de>)>,
    reader: Reader<'de, 'p>,
}

impl<'de> MapAccess<'de> for Entries<'de, '_> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        let Some((key, value)) = self.members.next() else {
            return Ok(None);
        };
        self.value = Some((key, value));
        match seed.deserialize(BorrowedStrDeserializer::new(key)) {
            Ok(k) => Ok(Some(k)),
            Err(e) => {
                mark(
                    self.reader.slot,
                    self.reader.mode,
                    &Chain::Key(self.reader.at, key),
                );
                Err(e)
            }
        }
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, Error> {
        let Some((key, value)) = self.value.take() else {
            return Err(de::Error::custom("value is missing"));
        };
        let at = Chain::Key(self.reader.at, key);
        let reader = Reader {
            value,
            mode: self.reader.mode,
            at: &at,
            slot: self.reader.slot,
        };
        seed.deserialize(reader).inspect_err(|_| {
            mark(self.reader.slot, self.reader.mode, &at);
        })
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.members.len())
    }
}

/// An enum as serde_json reads one: a string names a unit variant; a one-entry object names the
/// variant and holds its content (read at the enum's own location, as `serde_path_to_error`'s
/// pointers count no segment for a variant).
struct Variant<'de, 'p> {
    name: &'de str,
    content: Option<Reader<'de, 'p>>,
}

impl<'de, 'p> EnumAccess<'de> for Variant<'de, 'p> {
    type Error = Error;
    type Variant = VariantContent<'de, 'p>;

    fn variant_seed<V: DeserializeSeed<'de>>(
        self,
        seed: V,
    ) -> Result<(V::Value, Self::Variant), Error> {
        let name: de::value::StrDeserializer<'_, Error> = self.name.into_deserializer();
        seed.deserialize(name)
            .map(|v| (v, VariantContent(self.content)))
    }
}

struct VariantContent<'de, 'p>(Option<Reader<'de, 'p>>);

impl<'de> VariantAccess<'de> for VariantContent<'de, '_> {
    type Error = Error;

    fn unit_variant(self) -> Result<(), Error> {
        match self.0 {
            Some(reader) => de::Deserialize::deserialize(reader),
            None => Ok(()),
        }
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, Error> {
        match self.0 {
            Some(reader) => seed.deserialize(reader),
            None => Err(de::Error::invalid_type(
                Unexpected::UnitVariant,
                &"newtype variant",
            )),
        }
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Some(reader) => match reader.value {
                Node::Array(a) if a.is_empty() => visitor.visit_unit(),
                Node::Array(a) => reader.seq(a, visitor),
                other => Err(de::Error::invalid_type(unexpected(other), &"tuple variant")),
            },
            None => Err(de::Error::invalid_type(
                Unexpected::UnitVariant,
                &"tuple variant",
            )),
        }
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self.0 {
            Some(reader) => match reader.value {
                Node::Object(m) => reader.map(m, visitor),
                other => Err(de::Error::invalid_type(
                    unexpected(other),
                    &"struct variant",
                )),
            },
            None => Err(de::Error::invalid_type(
                Unexpected::UnitVariant,
                &"struct variant",
            )),
        }
    }
}

/// serde_json's key for a number carried as text (`arbitrary_precision`).
const NUMBER_TOKEN: &str = "$serde_json::private::Number";

/// A number as serde_json's arbitrary-precision map: one entry, its text under
/// [`NUMBER_TOKEN`].
struct NumberText<'a>(Option<&'a str>);

impl<'de> MapAccess<'de> for NumberText<'de> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        if self.0.is_none() {
            return Ok(None);
        }
        seed.deserialize(BorrowedStrDeserializer::new(NUMBER_TOKEN))
            .map(Some)
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, Error> {
        match self.0.take() {
            Some(text) => seed.deserialize(BorrowedStrDeserializer::new(text)),
            None => Err(de::Error::custom("value is missing")),
        }
    }
}

#[cfg(test)]
/// `v` as JSON text with every object's members out of serde_json's (sorted) order: the odd
/// ones first, then the even ones (`b d a c`), so that a reader meets both runs of rising names
/// and drops, as in a real document.
pub(crate) fn scrambled(v: &Value) -> String {
    match v {
        Value::Object(m) => {
            let all: Vec<(&String, &Value)> = m.iter().collect();
            let order = all.iter().skip(1).step_by(2).chain(all.iter().step_by(2));
            let members: Vec<String> = order
                .map(|(k, v)| format!("{}:{}", Value::from(k.as_str()), scrambled(v)))
                .collect();
            format!("{{{}}}", members.join(","))
        }
        Value::Array(a) => format!(
            "[{}]",
            a.iter().map(scrambled).collect::<Vec<_>>().join(",")
        ),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests;
