//! A backtracking matcher for the regular-expression subset the embedded schemas use: literals,
//! classes (`[...]`, `[^...]`, ranges), `.`, quantifiers (`?`, `*`, `+`, `{n}`, `{n,}`, `{n,m}`),
//! anchors `^` `$`, groups `(...)` and `(?:...)`, alternation, a leading `(?i)` and negative
//! look-ahead `(?!...)`. Matching searches (unanchored, as JSON Schema's `pattern` does) over the
//! string's characters; backtracking is exponential only for patterns these schemas do not have,
//! and the fields are short.

/// A compiled pattern.
#[derive(Debug)]
pub(crate) struct Pattern {
    items: Vec<Item>,
    anchored_start: bool,
    /// The same pattern as a straight run of character tests, where it is one that never needs
    /// to backtrack (see [`straight`]).
    straight: Option<Straight>,
}

/// One character test repeated `min..=max` times, over ASCII.
#[derive(Debug)]
struct Step {
    ascii: u128,
    /// `ascii` as a table, one entry per byte (`false` from 128 up): a load per byte, with
    /// no 128-bit shift and no bounds check.
    table: [bool; 256],
    min: usize,
    max: usize,
}

impl Step {
    fn new(ascii: u128, min: usize, max: usize) -> Step {
        let mut table = [false; 256];
        for (b, slot) in table.iter_mut().enumerate().take(128) {
            *slot = ascii & (1 << b) != 0;
        }
        Step {
            ascii,
            table,
            min,
            max,
        }
    }
}

/// `^...$` over single-character tests with counts, as most of the schemas' patterns are
/// (`^[0-9]{2}[0-9A-Z]{13}$`, `^[A-Za-z0-9/-]{1,15}$`), possibly as alternatives
/// (`(?i)^((INV)|(CRN)|(DBN))$`) and after a leading negative look-ahead that is itself such a
/// run to the end (`^(?!0+$)([0-9]{1,2})$`). When every test with a variable count shares no
/// character with any test after it, taking as many characters as possible is the only way to
/// match, so one forward pass per alternative answers for ASCII text.
fn straight(items: &[Item]) -> Option<Straight> {
    let (Some(Item::Start), Some(Item::End)) = (items.first(), items.last()) else {
        return None;
    };
    let mut inner = &items[1..items.len() - 1];
    let mut forbid = Vec::new();
    if let Some(Item::NotAhead(alternatives)) = inner.first() {
        for alternative in alternatives {
            // Only a look-ahead that runs to the end: then it forbids whole texts.
            let Some((Item::End, run)) = alternative.split_last() else {
                return None;
            };
            forbid.push(steps_of(run)?);
        }
        inner = &inner[1..];
    }
    let alternatives = match inner {
        [Item::Group(alternatives)] if alternatives.len() > 1 => alternatives
            .iter()
            .map(|a| steps_of(a))
            .collect::<Option<Vec<_>>>()?,
        _ => vec![steps_of(inner)?],
    };
    Some(Straight {
        alternatives,
        forbid,
    })
}

/// A pattern as straight runs: the text must be one of `alternatives` and none of `forbid`.
#[derive(Debug)]
struct Straight {
    alternatives: Vec<Vec<Step>>,
    forbid: Vec<Vec<Step>>,
}

impl Straight {
    fn is_match(&self, text: &[u8]) -> bool {
        !self.forbid.iter().any(|steps| run_straight(steps, text))
            && self
                .alternatives
                .iter()
                .any(|steps| run_straight(steps, text))
    }
}

/// `items` as a run of character tests (groups of one alternative unwrapped), if it is one that
/// needs no backtracking.
fn steps_of(mut items: &[Item]) -> Option<Vec<Step>> {
    while let [Item::Group(alternatives)] = items {
        match alternatives.as_slice() {
            [only] => items = only,
            _ => return None,
        }
    }
    let mut steps = Vec::new();
    for item in items {
        steps.push(match item {
            Item::Repeat { item, min, max } => {
                let t = single_atom(item)?;
                Step::new(
                    t.ascii,
                    *min as usize,
                    max.map_or(usize::MAX, |m| m as usize),
                )
            }
            other => Step::new(single_atom(other)?.ascii, 1, 1),
        });
    }
    for (i, step) in steps.iter().enumerate() {
        if step.min != step.max && steps[i + 1..].iter().any(|s| s.ascii & step.ascii != 0) {
            return None;
        }
    }
    Some(steps)
}

/// The one character test `item` is: an atom, or a group of one alternative of one atom (the
/// schemas' text pattern `^([^\\"])*$` repeats such a group).
fn single_atom(item: &Item) -> Option<&Test> {
    match item {
        Item::Atom(t) => Some(t),
        Item::Group(alternatives) => match alternatives.as_slice() {
            [only] => match only.as_slice() {
                [Item::Atom(t)] => Some(t),
                _ => None,
            },
            _ => None,
        },
        _ => None,
    }
}

/// Whether `text` is the run of `steps`. A byte from 128 up matches no step, so a `true` also
/// says that `text` is ASCII.
fn run_straight(steps: &[Step], text: &[u8]) -> bool {
    let mut rest = text;
    for step in steps {
        let limit = step.max.min(rest.len());
        let mut count = 0;
        while count < limit && step.table[usize::from(rest[count])] {
            count += 1;
        }
        if count < step.min {
            return false;
        }
        rest = &rest[count..];
    }
    rest.is_empty()
}

#[derive(Debug)]
enum Item {
    Start,
    End,
    Atom(Test),
    Group(Vec<Vec<Item>>),
    NotAhead(Vec<Vec<Item>>),
    Repeat {
        item: Box<Item>,
        min: u32,
        max: Option<u32>,
    },
}

/// One character's test.
#[derive(Debug)]
enum Atom {
    Char(char),
    Any,
    Class {
        negated: bool,
        ranges: Vec<(char, char)>,
    },
}

/// An [`Atom`] with its answer for every ASCII character worked out when compiled (case folding
/// included): the fields are nearly all ASCII, and one bit test beats walking a class's ranges.
#[derive(Debug)]
struct Test {
    ascii: u128,
    atom: Atom,
    case_insensitive: bool,
}

impl Test {
    fn new(atom: Atom, case_insensitive: bool) -> Test {
        let ascii = (0u8..128)
            .filter(|&b| atom.matches(char::from(b), case_insensitive))
            .fold(0u128, |bits, b| bits | (1 << b));
        Test {
            ascii,
            atom,
            case_insensitive,
        }
    }

    #[inline]
    fn matches(&self, c: char) -> bool {
        let code = c as u32;
        if code < 128 {
            self.ascii & (1 << code) != 0
        } else {
            self.atom.matches(c, self.case_insensitive)
        }
    }
}

impl Atom {
    fn matches(&self, c: char, case_insensitive: bool) -> bool {
        let test = |c: char| match self {
            Atom::Char(x) => *x == c,
            // ECMA `.` leaves out line terminators; regex's leaves out `\n` only. No schema uses
            // `.`, and `\n` is the one both agree on.
            Atom::Any => c != '\n',
            Atom::Class { negated, ranges } => {
                ranges.iter().any(|&(lo, hi)| lo <= c && c <= hi) != *negated
            }
        };
        if case_insensitive {
            test(c) || test(c.to_ascii_lowercase()) || test(c.to_ascii_uppercase())
        } else {
            test(c)
        }
    }
}

impl Pattern {
    /// Compiles `source`, or says which construct is outside the supported subset.
    pub(crate) fn compile(source: &str) -> Result<Pattern, String> {
        let mut rest = source;
        let mut case_insensitive = false;
        if let Some(r) = rest.strip_prefix("(?i)") {
            case_insensitive = true;
            rest = r;
        }
        let chars: Vec<char> = rest.chars().collect();
        let mut parser = Parser {
            chars: &chars,
            pos: 0,
            ci: case_insensitive,
        };
        let alternatives = parser.alternatives()?;
        if parser.pos != chars.len() {
            return Err(format!("unbalanced `)` in pattern {source}"));
        }
        let items = if alternatives.len() == 1 {
            alternatives.into_iter().next().unwrap_or_default()
        } else {
            vec![Item::Group(alternatives)]
        };
        let anchored_start = matches!(items.first(), Some(Item::Start));
        Ok(Pattern {
            straight: straight(&items),
            items,
            anchored_start,
        })
    }

    /// Whether the pattern matches somewhere in `text`.
    pub(crate) fn is_match(&self, text: &str) -> bool {
        // Nearly every field is ASCII and matches: a straight run that matches has read only
        // ASCII (see `run_straight`), so the text needs no check of its own first.
        if let Some(straight) = &self.straight {
            if straight.is_match(text.as_bytes()) {
                return true;
            }
        }
        // An ASCII text's bytes are its characters, with nothing to allocate.
        if text.is_ascii() {
            match &self.straight {
                Some(_) => false,
                None => self.search(text.as_bytes()),
            }
        } else {
            let chars: Vec<char> = text.chars().collect();
            self.search(&chars)
        }
    }

    fn search<C: Copy + Into<char>>(&self, text: &[C]) -> bool {
        let m = Matcher { text };
        if self.anchored_start {
            return m.seq(&self.items, 0, &mut |_| true);
        }
        (0..=text.len()).any(|start| m.seq(&self.items, start, &mut |_| true))
    }
}

struct Parser<'c> {
    chars: &'c [char],
    pos: usize,
    ci: bool,
}

impl Parser<'_> {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn eat(&mut self, prefix: &str) -> bool {
        let n = prefix.chars().count();
        let matches = self.chars.len() >= self.pos + n
            && self.chars[self.pos..self.pos + n]
                .iter()
                .copied()
                .eq(prefix.chars());
        if matches {
            self.pos += n;
        }
        matches
    }

    fn alternatives(&mut self) -> Result<Vec<Vec<Item>>, String> {
        let mut alternatives = vec![self.sequence()?];
        while self.eat("|") {
            alternatives.push(self.sequence()?);
        }
        Ok(alternatives)
    }

    fn sequence(&mut self) -> Result<Vec<Item>, String> {
        let mut items = Vec::new();
        while let Some(c) = self.peek() {
            let item = match c {
                '|' | ')' => break,
                '^' => {
                    self.pos += 1;
                    Item::Start
                }
                '$' => {
                    self.pos += 1;
                    Item::End
                }
                '(' => self.group()?,
                '[' => {
                    let class = self.class()?;
                    Item::Atom(Test::new(class, self.ci))
                }
                '.' => {
                    self.pos += 1;
                    Item::Atom(Test::new(Atom::Any, self.ci))
                }
                '\\' => {
                    self.pos += 1;
                    let c = self.escape()?;
                    Item::Atom(Test::new(Atom::Char(c), self.ci))
                }
                '?' | '*' | '+' | '{' => return Err(format!("nothing to repeat at {}", self.pos)),
                c => {
                    self.pos += 1;
                    Item::Atom(Test::new(Atom::Char(c), self.ci))
                }
            };
            let item = self.quantified(item)?;
            items.push(item);
        }
        Ok(items)
    }

    fn group(&mut self) -> Result<Item, String> {
        let look_ahead = if self.eat("(?!") {
            true
        } else if self.eat("(?:") {
            false
        } else if self.eat("(?") {
            return Err("unsupported group flag".to_owned());
        } else {
            self.pos += 1;
            false
        };
        let mut alternatives = self.alternatives()?;
        if !self.eat(")") {
            return Err("unclosed group".to_owned());
        }
        if look_ahead {
            return Ok(Item::NotAhead(alternatives));
        }
        // A group of one character test is that test: it makes `([^\\"])*` a plain character
        // loop, without one stack frame per character.
        if alternatives.len() == 1 && alternatives[0].len() == 1 {
            if let Some(Item::Atom(_)) = alternatives[0].first() {
                return Ok(alternatives.remove(0).remove(0));
            }
        }
        Ok(Item::Group(alternatives))
    }

    fn escape(&mut self) -> Result<char, String> {
        let c = self.peek().ok_or("trailing backslash")?;
        self.pos += 1;
        if c.is_ascii_alphanumeric() {
            return Err(format!("unsupported escape \\{c}"));
        }
        Ok(c)
    }

    fn class(&mut self) -> Result<Atom, String> {
        self.pos += 1; // [
        let negated = self.eat("^");
        let mut ranges = Vec::new();
        loop {
            let c = self.peek().ok_or("unclosed class")?;
            if c == ']' && !ranges.is_empty() {
                self.pos += 1;
                break;
            }
            self.pos += 1;
            let lo = if c == '\\' { self.escape()? } else { c };
            // `a-z` is a range; a `-` first, last or right after a range is itself.
            if self.peek() == Some('-') && self.chars.get(self.pos + 1).is_some_and(|&n| n != ']') {
                self.pos += 1;
                let c = self.peek().ok_or("unclosed class")?;
                self.pos += 1;
                let hi = if c == '\\' { self.escape()? } else { c };
                if hi < lo {
                    return Err(format!("bad range {lo}-{hi}"));
                }
                ranges.push((lo, hi));
            } else {
                ranges.push((lo, lo));
            }
        }
        Ok(Atom::Class { negated, ranges })
    }

    fn number(&mut self) -> Option<u32> {
        let start = self.pos;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.pos += 1;
        }
        let digits: String = self.chars[start..self.pos].iter().collect();
        digits.parse().ok()
    }

    fn quantified(&mut self, item: Item) -> Result<Item, String> {
        let (min, max) = match self.peek() {
            Some('?') => (0, Some(1)),
            Some('*') => (0, None),
            Some('+') => (1, None),
            Some('{') => {
                self.pos += 1;
                let min = self.number().ok_or("bad {n,m}")?;
                let max = if self.eat(",") {
                    if self.peek() == Some('}') {
                        None
                    } else {
                        Some(self.number().ok_or("bad {n,m}")?)
                    }
                } else {
                    Some(min)
                };
                if !self.eat("}") {
                    return Err("bad {n,m}".to_owned());
                }
                self.pos -= 1; // the `}`, skipped below like the other quantifiers
                (min, max)
            }
            _ => return Ok(item),
        };
        self.pos += 1;
        if matches!(self.peek(), Some('?' | '+' | '*' | '{')) {
            return Err("lazy, possessive or stacked quantifiers are not supported".to_owned());
        }
        if matches!(item, Item::Start | Item::End | Item::NotAhead(_)) {
            return Err("quantified assertion".to_owned());
        }
        Ok(Item::Repeat {
            item: Box::new(item),
            min,
            max,
        })
    }
}

struct Matcher<'t, C> {
    text: &'t [C],
}

impl<C: Copy + Into<char>> Matcher<'_, C> {
    /// Whether `items` match from `pos` with `k` accepting where they end.
    fn seq(&self, items: &[Item], pos: usize, k: &mut dyn FnMut(usize) -> bool) -> bool {
        let Some((first, rest)) = items.split_first() else {
            return k(pos);
        };
        match first {
            Item::Start => pos == 0 && self.seq(rest, pos, k),
            Item::End => pos == self.text.len() && self.seq(rest, pos, k),
            Item::Atom(atom) => {
                self.text.get(pos).is_some_and(|&c| atom.matches(c.into()))
                    && self.seq(rest, pos + 1, k)
            }
            Item::Group(alternatives) => {
                for alternative in alternatives {
                    if self.seq(alternative, pos, &mut |p| self.seq(rest, p, k)) {
                        return true;
                    }
                }
                false
            }
            Item::NotAhead(alternatives) => {
                let ahead = alternatives
                    .iter()
                    .any(|alternative| self.seq(alternative, pos, &mut |_| true));
                !ahead && self.seq(rest, pos, k)
            }
            Item::Repeat { item, min, max } => match &**item {
                Item::Atom(atom) => {
                    // Greedy: take as many as allowed, then give back one at a time.
                    let limit = max.map_or(usize::MAX, |m| m as usize);
                    let mut count = 0;
                    while count < limit
                        && self
                            .text
                            .get(pos + count)
                            .is_some_and(|&c| atom.matches(c.into()))
                    {
                        count += 1;
                    }
                    let min = *min as usize;
                    if count < min {
                        return false;
                    }
                    (min..=count).rev().any(|n| self.seq(rest, pos + n, k))
                }
                other => self.repeat(other, *min, *max, 0, rest, pos, k),
            },
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn repeat(
        &self,
        item: &Item,
        min: u32,
        max: Option<u32>,
        count: u32,
        rest: &[Item],
        pos: usize,
        k: &mut dyn FnMut(usize) -> bool,
    ) -> bool {
        if max.is_none_or(|m| count < m) {
            let more = self.seq(std::slice::from_ref(item), pos, &mut |p| {
                // An empty iteration past the minimum would loop forever and adds nothing.
                (p != pos || count < min) && self.repeat(item, min, max, count + 1, rest, p, k)
            });
            if more {
                return true;
            }
        }
        count >= min && self.seq(rest, pos, k)
    }
}

#[cfg(test)]
mod tests {
    use super::Pattern;
    use crate::validate::schema::{schema_json, SchemaId};
    use proptest::prelude::*;
    use serde_json::Value;

    /// Every `pattern` of the embedded schemas.
    fn schema_patterns() -> Vec<String> {
        fn walk(v: &Value, out: &mut Vec<String>) {
            match v {
                Value::Object(map) => {
                    for (k, child) in map {
                        match (k.as_str(), child) {
                            ("pattern", Value::String(p)) => out.push(p.clone()),
                            _ => walk(child, out),
                        }
                    }
                }
                Value::Array(list) => list.iter().for_each(|c| walk(c, out)),
                _ => {}
            }
        }
        let mut out = Vec::new();
        for id in SchemaId::ALL {
            walk(schema_json(id), &mut out);
        }
        out.sort();
        out.dedup();
        out
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            cases: 2000,
            failure_persistence: None,
            ..ProptestConfig::default()
        })]

        /// The one-pass form answers as the backtracking matcher does, wherever it is used.
        #[test]
        fn straight_runs_agree_with_backtracking(text in "[0-9A-Za-z/|.@+_ \"\\\\-]{0,20}") {
            for source in schema_patterns() {
                let pattern = Pattern::compile(&source).unwrap();
                if let Some(straight) = &pattern.straight {
                    prop_assert_eq!(
                        straight.is_match(text.as_bytes()),
                        pattern.search(text.as_bytes()),
                        "{} on {}", source, text
                    );
                }
            }
        }
    }

    #[test]
    fn most_schema_patterns_run_straight() {
        let patterns = schema_patterns();
        assert_eq!(patterns.len(), 41);
        let straight = patterns
            .iter()
            .filter(|p| Pattern::compile(p).unwrap().straight.is_some())
            .count();
        // All but the few with a look-ahead in the middle or an ambiguous count.
        assert_eq!(straight, 36);
        // The text fields' pattern, on nearly every string, is one of them.
        assert!(Pattern::compile("^([^\\\\\"])*$")
            .unwrap()
            .straight
            .is_some());
    }

    fn m(pattern: &str, text: &str) -> bool {
        Pattern::compile(pattern).unwrap().is_match(text)
    }

    #[test]
    fn the_schema_constructs_match_as_regexes_do() {
        assert!(m("^(?!0+$)([0-9]{1,2})$", "07"));
        assert!(!m("^(?!0+$)([0-9]{1,2})$", "00"));
        assert!(!m("^(?!0+$)([0-9]{1,2})$", "123"));
        assert!(m("(?i)^((INV)|(CRN)|(DBN))$", "crn"));
        assert!(!m("(?i)^((INV)|(CRN)|(DBN))$", "crnx"));
        assert!(m("([0-9]{2}[0-9A-Z]{13})", "xx29AAFCC9980M1ZRyy"));
        assert!(m("^[A-Z|a-z]{3,16}$", "a|b"));
        assert!(m("^[a-zA-Z0-9]{1}[a-zA-Z0-9-/]*$", "A-/9"));
        assert!(m("^([^\\\\\"])*$", "plain text ü"));
        assert!(!m("^([^\\\\\"])*$", "a\"b"));
        assert!(!m("^([^\\\\\"])*$", "a\\b"));
        assert!(m("^-?[0-9]+(\\.[0-9]+)?$", "-12.5"));
        assert!(!m("^-?[0-9]+(\\.[0-9]+)?$", "12."));
        assert!(m("^(?:[0-9]{1,3}|[0-3][0-9]{3}|4000)$", "4000"));
        assert!(!m("^(?:[0-9]{1,3}|[0-3][0-9]{3}|4000)$", "4001"));
        assert!(m("^([1-4]{1})?$", ""));
        assert!(m("^[a-zA-Z0-9+_.-]+@[a-zA-Z0-9.-]+$", "a.b+c@x-y.in"));
    }
}
