//! What the checker reads of a JSON value: the core's borrowed [`crate::json_tree::Node`], which
//! every validation reads (serde_json's trees are brought to it with
//! `tree_reader::node_of`), and, in tests, serde_json's `Value` itself.

use std::borrow::Cow;

use serde_json::Value;

use crate::json_tree::Node;

/// A JSON value as the checker sees it.
pub(crate) trait Instance {
    /// The members of an object, in the tree's order.
    type Members<'s>: Iterator<Item = (&'s str, &'s Self)>
    where
        Self: 's;

    /// The JSON type's bit in `TYPE_NAMES` order (null 0, boolean 1, number 3, string 4,
    /// array 5, object 6; integer, 2, is decided from the number's text).
    fn type_index(&self) -> u8;
    /// A boolean's value.
    fn boolean(&self) -> Option<bool>;
    /// The text of a number.
    fn number_text(&self) -> Option<&str>;
    /// A string's value.
    fn string(&self) -> Option<&str>;
    /// An array's elements.
    fn elements(&self) -> Option<&[Self]>
    where
        Self: Sized;
    /// An object's members.
    fn members(&self) -> Option<Self::Members<'_>>;
    /// Whether an object has a member `name`.
    fn has_member(&self, name: &str) -> bool;
    /// The value as serde_json's tree, for a violation's message (so only on failure).
    fn to_json(&self) -> Cow<'_, Value>;
}

/// For tests of single keywords on hand-written values; every validation reads the core's tree.
#[cfg(test)]
impl Instance for Value {
    type Members<'s> = std::iter::Map<
        serde_json::map::Iter<'s>,
        fn((&'s String, &'s Value)) -> (&'s str, &'s Value),
    >;

    fn type_index(&self) -> u8 {
        match self {
            Value::Null => 0,
            Value::Bool(_) => 1,
            Value::Number(_) => 3,
            Value::String(_) => 4,
            Value::Array(_) => 5,
            Value::Object(_) => 6,
        }
    }

    fn boolean(&self) -> Option<bool> {
        self.as_bool()
    }

    fn number_text(&self) -> Option<&str> {
        match self {
            Value::Number(n) => Some(n.as_str()),
            _ => None,
        }
    }

    fn string(&self) -> Option<&str> {
        self.as_str()
    }

    fn elements(&self) -> Option<&[Value]> {
        self.as_array().map(Vec::as_slice)
    }

    fn members(&self) -> Option<Self::Members<'_>> {
        fn entry<'s>((k, v): (&'s String, &'s Value)) -> (&'s str, &'s Value) {
            (k.as_str(), v)
        }
        let entry: for<'s> fn((&'s String, &'s Value)) -> (&'s str, &'s Value) = entry;
        self.as_object().map(|m| m.iter().map(entry))
    }

    fn has_member(&self, name: &str) -> bool {
        self.as_object().is_some_and(|m| m.contains_key(name))
    }

    fn to_json(&self) -> Cow<'_, Value> {
        Cow::Borrowed(self)
    }
}

/// An object member of the core's tree.
type Member<'a> = (Cow<'a, str>, Node<'a>);

/// The members of an object of the core's tree, as [`Instance::members`] gives them (a plain
/// iterator, so that the checker's loop over them inlines).
pub(crate) struct NodeMembers<'s, 'a>(std::slice::Iter<'s, Member<'a>>);

impl<'s, 'a> Iterator for NodeMembers<'s, 'a> {
    type Item = (&'s str, &'s Node<'a>);

    fn next(&mut self) -> Option<Self::Item> {
        self.0.next().map(|(k, v)| (k.as_ref(), v))
    }
}

impl<'a> Instance for Node<'a> {
    type Members<'s>
        = NodeMembers<'s, 'a>
    where
        Self: 's;

    fn type_index(&self) -> u8 {
        match self {
            Node::Null => 0,
            Node::Bool(_) => 1,
            Node::Number(_) => 3,
            Node::String(_) => 4,
            Node::Array(_) => 5,
            Node::Object(_) => 6,
        }
    }

    fn boolean(&self) -> Option<bool> {
        self.as_bool()
    }

    fn number_text(&self) -> Option<&str> {
        self.as_number()
    }

    fn string(&self) -> Option<&str> {
        self.as_str()
    }

    fn elements(&self) -> Option<&[Node<'a>]> {
        self.as_array()
    }

    fn members(&self) -> Option<Self::Members<'_>> {
        self.as_object().map(|m| NodeMembers(m.iter()))
    }

    fn has_member(&self, name: &str) -> bool {
        self.as_object()
            .is_some_and(|m| m.iter().any(|(k, _)| k == name))
    }

    fn to_json(&self) -> Cow<'_, Value> {
        Cow::Owned(self.to_value())
    }
}
