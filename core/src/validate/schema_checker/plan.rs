//! The validity-only pass of the checker: [`Node::accepts`] answers "is this value valid, with no
//! member named twice?" without building a single violation, and the checker runs its full,
//! reporting pass only when the answer is no.
//!
//! Nearly every document a caller validates is valid, and for those the reporting pass is pure
//! overhead: it walks each subschema's keywords one by one, asks the value for its type once per
//! keyword and carries the instance path and a report closure through every step. A [`Plan`]
//! sorts a subschema's keywords by the JSON type they constrain once, at compile time, so a
//! value is matched on its type once and meets only the checks that apply to it, fused where
//! one pass answers several keywords (`x-maxDecimalPlaces` with the `minimum` and `maximum` it
//! covers, `minLength` with `maxLength`).
//!
//! The pass may say no for a valid value (an amount with an exponent, a schema keyword it leaves
//! to the reporting pass): the reporting pass then finds nothing, and the findings are the same.
//! It must never say yes for a value the reporting pass would fault; the tests hold it to that on
//! every vector document and on mutated ones.

use std::cell::Cell;

use serde_json::Value;

use super::{at_least_chars, at_most_chars, equal, is_valid_date, type_matches};
use super::{Check, Instance, Keyword};
use super::{Node, Path};

/// A subschema's keywords by the JSON type they constrain: indices into its keyword list, and
/// the limits that need no keyword of their own.
#[derive(Debug)]
pub(super) struct Plan {
    /// The `type` keyword's mask, if the subschema has one.
    types: Option<u8>,
    /// `minLength` and `maxLength` (0 and `u64::MAX` when absent).
    min_chars: u64,
    max_chars: u64,
    pattern: Option<usize>,
    date: bool,
    /// `x-maxDecimalPlaces`, for numbers and, where the type allows them, numeric strings.
    decimal: Option<usize>,
    properties: Option<usize>,
    items: Option<usize>,
    min_items: u64,
    max_items: u64,
    /// Keywords the plan has no form for, checked as the reporting pass checks them (without
    /// reporting): `enum`, `const`, the combinators, a `minimum` or `maximum` that
    /// `x-maxDecimalPlaces` does not cover, a `required` not folded into `properties`.
    other: Vec<usize>,
}

impl Plan {
    pub(super) fn new(keywords: &[Keyword]) -> Plan {
        let mut plan = Plan {
            types: None,
            min_chars: 0,
            max_chars: u64::MAX,
            pattern: None,
            date: false,
            decimal: None,
            properties: None,
            items: None,
            min_items: 0,
            max_items: u64::MAX,
            other: Vec::new(),
        };
        for (i, keyword) in keywords.iter().enumerate() {
            match &keyword.check {
                Check::Type { mask, .. } => plan.types = Some(*mask),
                Check::MinLength(n) => plan.min_chars = *n,
                Check::MaxLength(n) => plan.max_chars = *n,
                Check::Pattern { .. } if plan.pattern.is_none() => plan.pattern = Some(i),
                Check::FormatDate => plan.date = true,
                Check::DecimalPlaces(_) => plan.decimal = Some(i),
                // Covered: `x-maxDecimalPlaces` compares every number without an exponent with
                // these limits, and the pass below refuses a number with one.
                Check::Minimum(limit) | Check::Maximum(limit) if limit.covered => {}
                Check::Properties { .. } if plan.properties.is_none() => plan.properties = Some(i),
                Check::Items(_) if plan.items.is_none() => plan.items = Some(i),
                Check::MinItems(n) => plan.min_items = *n,
                Check::MaxItems(n) => plan.max_items = *n,
                _ => plan.other.push(i),
            }
        }
        plan
    }
}

impl Node {
    /// Whether `v` is valid against this subschema and names no object member twice where the
    /// subschema looks at it; `false` may also mean "not sure" (see the module documentation).
    pub(super) fn accepts<I: Instance>(&self, v: &I) -> bool {
        let plan = &self.plan;
        if plan.types.is_some_and(|mask| !type_matches(mask, v)) {
            return false;
        }
        let ok = match v.type_index() {
            3 => self.accepts_number(v),
            4 => self.accepts_string(v),
            5 => self.accepts_array(v),
            6 => self.accepts_object(v),
            _ => true,
        };
        ok && plan
            .other
            .iter()
            .all(|&i| Node::accepts_keyword(&self.keywords[i], v))
    }

    /// [`Node::accepts`] of one keyword the plan has no form for.
    fn accepts_keyword<I: Instance>(keyword: &Keyword, v: &I) -> bool {
        match &keyword.check {
            // The `Y`/`N` flags, supply and document types: one comparison per option.
            Check::Enum(Value::Array(options)) => options.iter().any(|o| equal(o, v)),
            Check::Const(expected) => equal(expected, v),
            // Integer limits (a PIN, a state code) that no `x-maxDecimalPlaces` covers.
            Check::Minimum(limit) => limit.admits(v, true),
            Check::Maximum(limit) => limit.admits(v, false),
            Check::AllOf(nodes) => nodes.iter().all(|n| n.accepts(v)),
            // A branch accepted is a branch valid; none accepted may only mean "not sure".
            Check::AnyOf(nodes) => nodes.iter().any(|n| n.accepts(v)),
            // The condition must be decided exactly: which branch applies depends on it.
            Check::If {
                condition,
                then,
                otherwise,
            } => {
                let duplicate = Cell::new(false);
                let branch = if condition.is_valid(v, &Path::Root, &duplicate) {
                    then
                } else {
                    otherwise
                };
                !duplicate.get() && branch.as_ref().is_none_or(|n| n.accepts(v))
            }
            // `not` (whose operand's "no" is not a "valid") and the rest: the reporting pass's
            // own answer, without its report.
            _ => {
                let duplicate = Cell::new(false);
                let ok = Node::check_keyword(
                    keyword,
                    v,
                    &Path::Root,
                    &mut Vec::new(),
                    false,
                    &duplicate,
                );
                ok && !duplicate.get()
            }
        }
    }

    fn accepts_number<I: Instance>(&self, v: &I) -> bool {
        let Some(i) = self.plan.decimal else {
            return true;
        };
        match (&self.keywords[i].check, v.number_text()) {
            // The answer also stands for the covered `minimum` and `maximum`, which it compares
            // exactly for every number without an exponent; one with an exponent is left to
            // the reporting pass, where those keywords compare it themselves.
            (Check::DecimalPlaces(places), Some(text)) => {
                places.clearly_accepts(text)
                    || (!text.bytes().any(|b| b | 0x20 == b'e')
                        && places.accepts_text(Some(text), None))
            }
            _ => false,
        }
    }

    fn accepts_string<I: Instance>(&self, v: &I) -> bool {
        let plan = &self.plan;
        let Some(s) = v.string() else {
            return false;
        };
        if !at_least_chars(s, plan.min_chars) || !at_most_chars(s, plan.max_chars) {
            return false;
        }
        if let Some(i) = plan.pattern {
            match &self.keywords[i].check {
                Check::Pattern { pattern, .. } if pattern.is_match(s) => {}
                _ => return false,
            }
        }
        if plan.date && !is_valid_date(s) {
            return false;
        }
        match plan.decimal.map(|i| &self.keywords[i].check) {
            None => true,
            Some(Check::DecimalPlaces(places)) => places.accepts_text(None, Some(s)),
            Some(_) => false,
        }
    }

    fn accepts_array<I: Instance>(&self, v: &I) -> bool {
        let plan = &self.plan;
        let Some(elements) = v.elements() else {
            return false;
        };
        let count = elements.len() as u64;
        if count < plan.min_items || count > plan.max_items {
            return false;
        }
        match plan.items.map(|i| &self.keywords[i].check) {
            None => true,
            Some(Check::Items(node)) => elements.iter().all(|e| node.accepts(e)),
            Some(_) => false,
        }
    }

    fn accepts_object<I: Instance>(&self, v: &I) -> bool {
        let Some(i) = self.plan.properties else {
            return true;
        };
        let Check::Properties {
            props,
            index,
            closed,
            required,
        } = &self.keywords[i].check
        else {
            return false;
        };
        let Some(members) = v.members() else {
            return false;
        };
        let mut met: u128 = 0;
        let mut seen = 0;
        for (name, value) in members {
            match index.find(props, name) {
                Some((i, node)) => {
                    let bit = 1u128 << i;
                    if met & bit != 0 || !node.accepts(value) {
                        return false;
                    }
                    met |= bit;
                    if required.as_ref().is_some_and(|r| r.flags[i]) {
                        seen += 1;
                    }
                }
                None if closed.is_some() => return false,
                None => {}
            }
        }
        required.as_ref().is_none_or(|r| seen == r.names.len())
    }
}
