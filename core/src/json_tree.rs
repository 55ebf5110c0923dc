//! A borrowed JSON document tree and its parser, for the validation path.
//!
//! `serde_json::from_slice::<Value>` allocates a `String` for every string and every number (the
//! workspace's `arbitrary_precision` keeps numbers as text) and a B-tree node for every object:
//! on a 10-line e-invoice that is half of the whole validation. [`parse`] builds a [`Node`] tree
//! that borrows every string without an escape and every number straight from the input, and
//! allocates one exactly-sized `Vec` per array or object.
//!
//! # The contract with serde_json
//!
//! The tree replaces serde_json's, so it must accept exactly what serde_json accepts and say the
//! same thing about it:
//!
//! - `parse(b).is_ok() == serde_json::from_slice::<Value>(b).is_ok()` for every byte string `b`;
//! - when both succeed, `parse(b)?.to_value() == serde_json::from_slice::<Value>(b)?`, number
//!   text included.
//!
//! [`ParseError`] does not try to word errors the way serde_json does: a caller that needs the
//! message for a rejected document asks serde_json for it (the rejection is the same).
//!
//! The accepted language is RFC 8259 as serde_json 1.x reads it: whitespace is only space, tab,
//! LF and CR (no BOM); no comments or trailing commas; strings are UTF-8 without raw control
//! characters, and a `\u` escape of a UTF-16 surrogate must be half of a well-formed pair
//! (serde_json rejects lone surrogates when it builds a `String`); containers nest at most
//! [`MAX_DEPTH`] deep (serde_json's recursion limit of 128 rejects the 128th nested container).
//!
//! # serde_json's private tokens
//!
//! serde_json gives two object keys a meaning of their own when they are an object's *first* key
//! (after unescaping), and the contract follows it:
//!
//! - `"$serde_json::private::Number"` (with `arbitrary_precision`, which this workspace always
//!   enables): `{"$serde_json::private::Number": "<number text>"}` is read as that number, and
//!   anything else in such an object (a value that is not a string of JSON number text, a second
//!   entry) is an error.
//! - `"$serde_json::private::RawValue"`, only when some crate in the build turns on serde_json's
//!   `raw_value` feature (axum does, through the sandbox): its string value is parsed as a JSON
//!   document of its own, which the object then stands for. Features unify per build, so whether
//!   the token is live is found out once at run time, by asking serde_json.
//!
//! The tree keeps such an object as written (an object with one string entry); only
//! [`Node::to_value`] turns it into what serde_json would have made of it. No real document
//! carries these keys; the point is that no document, however crafted, is judged differently by
//! [`parse`] and by serde_json.
//!
//! The document inside a raw-value string counts its depth afresh, as serde_json's separate
//! parse of it does, so documents built of such strings nest deeper than [`MAX_DEPTH`] (at a cost
//! quadratic in their size, since every level escapes the one inside). The recursion then goes
//! deeper too, but takes less stack per level than serde_json's own: on a 256 KB stack this parser
//! got through 350 nested raw values where serde_json overflowed, so it does not run out of stack
//! on a document serde_json gets through.

use std::borrow::Cow;
use std::cell::Cell;
use std::fmt;
use std::str::FromStr;
use std::sync::OnceLock;

use serde_json::{Map, Number, Value};

#[cfg(test)]
mod fast_path_tests;
#[cfg(test)]
mod tests;

/// The deepest nesting of arrays and objects that [`parse`] accepts: serde_json's, found by
/// experiment (127 nested containers parse, 128 fail with "recursion limit exceeded").
pub const MAX_DEPTH: usize = 127;

/// serde_json's key for a number carried as a string (see the module docs).
const NUMBER_TOKEN: &str = "$serde_json::private::Number";
/// serde_json's key for a raw JSON value carried as a string (see the module docs).
const RAW_VALUE_TOKEN: &str = "$serde_json::private::RawValue";

/// A JSON value that borrows from the document it was parsed from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node<'a> {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// The number's text exactly as written in the document (already checked against JSON's
    /// number grammar). serde_json writes the exponent of the numbers it keeps as `e` followed by
    /// a sign (`1E5` becomes `1e+5`); [`Node::to_value`] does the same, this text does not.
    Number(&'a str),
    /// Borrowed when the string has no escape, owned (unescaped) when it has.
    String(Cow<'a, str>),
    /// The elements in document order.
    Array(Vec<Node<'a>>),
    /// Entries in document order, keys as written (unescaped). Duplicate keys are kept as they
    /// come (no dedupe): [`Node::get`] and [`Node::to_value`] take the last, as serde_json does.
    Object(Vec<(Cow<'a, str>, Node<'a>)>),
}

/// Why [`parse`] rejected a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ParseErrorKind {
    /// The input ended inside a value (or before any value).
    UnexpectedEnd,
    /// A byte that cannot come at that point: a stray character, a trailing comma, a missing
    /// colon, a key that is not a string.
    UnexpectedByte,
    /// A number outside JSON's grammar (a leading zero, no digit after `.` or the exponent).
    InvalidNumber,
    /// A backslash escape JSON does not define, or a `\u` escape without four hex digits.
    InvalidEscape,
    /// A `\u` escape of a UTF-16 surrogate that is not half of a well-formed pair.
    LoneSurrogate,
    /// A raw control character (U+0000..U+001F) inside a string.
    ControlCharacter,
    /// The input is not UTF-8.
    InvalidUtf8,
    /// Something other than whitespace after the value.
    TrailingCharacters,
    /// Arrays and objects nested deeper than [`MAX_DEPTH`].
    DepthLimit,
    /// An object led by one of serde_json's private keys that serde_json refuses (see the module
    /// docs).
    InvalidPrivateToken,
}

/// A document [`parse`] rejected: what was wrong, and the byte offset where it was noticed.
///
/// The wording is not serde_json's; a caller that shows the error asks serde_json for its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParseError {
    kind: ParseErrorKind,
    offset: usize,
}

impl ParseError {
    /// What was wrong.
    pub fn kind(&self) -> ParseErrorKind {
        self.kind
    }

    /// The byte offset in the input where the problem was noticed.
    pub fn offset(&self) -> usize {
        self.offset
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            ParseErrorKind::UnexpectedEnd => "unexpected end of input",
            ParseErrorKind::UnexpectedByte => "unexpected character",
            ParseErrorKind::InvalidNumber => "invalid number",
            ParseErrorKind::InvalidEscape => "invalid escape",
            ParseErrorKind::LoneSurrogate => "lone surrogate in \\u escape",
            ParseErrorKind::ControlCharacter => "control character in string",
            ParseErrorKind::InvalidUtf8 => "invalid UTF-8",
            ParseErrorKind::TrailingCharacters => "trailing characters",
            ParseErrorKind::DepthLimit => "nesting too deep",
            ParseErrorKind::InvalidPrivateToken => "invalid serde_json private token object",
        };
        write!(f, "{what} at byte {}", self.offset)
    }
}

impl std::error::Error for ParseError {}

/// Parses a whole JSON document into a tree that borrows from `bytes`.
///
/// Accepts exactly the documents `serde_json::from_slice::<serde_json::Value>` accepts (see the
/// module docs), never panics, and recurses at most [`MAX_DEPTH`] levels per document.
pub fn parse(bytes: &[u8]) -> Result<Node<'_>, ParseError> {
    parse_document(bytes).map(|(root, _)| root)
}

/// [`parse`], and whether some object of the document is led by one of serde_json's private
/// tokens, which serde_json reads as something other than an object (see the module docs): a
/// caller that reads the tree as serde_json reads its `Value` must take [`Node::to_value`] then.
pub fn parse_document(bytes: &[u8]) -> Result<(Node<'_>, bool), ParseError> {
    // One check of the whole input (85 ns on the 10-line invoice) is much cheaper than one per
    // string (the invoice took 5.8 us to parse that way, 3.3 us this way), and leaves the rest of
    // the parser a `&str` to slice without checking again. It refuses nothing serde_json accepts:
    // outside strings only ASCII is JSON anyway, so invalid UTF-8 anywhere is an error there too.
    let src = std::str::from_utf8(bytes).map_err(|e| ParseError {
        kind: ParseErrorKind::InvalidUtf8,
        offset: e.valid_up_to(),
    })?;
    parse_str(src)
}

fn parse_str(src: &str) -> Result<(Node<'_>, bool), ParseError> {
    let (elems, entries) = SCRATCH.take();
    let mut p = Parser {
        src,
        pos: 0,
        depth: 0,
        // Enough for the widest path through an e-invoice (the top level, the item list, one
        // item), so that the common document never regrows them.
        elems: reuse(elems, 16),
        entries: reuse(entries, 64),
        private_tokens: false,
        error: ParseError {
            kind: ParseErrorKind::UnexpectedEnd,
            offset: 0,
        },
    };
    let mut root = Node::Null;
    let result = if p.value(|_, node| root = node).is_err() {
        Err(p.error)
    } else {
        p.skip_ws();
        if p.pos == p.src.len() {
            Ok(p.private_tokens)
        } else {
            Err(ParseError {
                kind: ParseErrorKind::TrailingCharacters,
                offset: p.pos,
            })
        }
    };
    if p.elems.capacity() <= MAX_KEPT && p.entries.capacity() <= MAX_KEPT {
        SCRATCH.set((reuse(p.elems, 0), reuse(p.entries, 0)));
    }
    result.map(|private_tokens| (root, private_tokens))
}

thread_local! {
    /// The scratch vectors of the thread's last parse, emptied, to start the next one with.
    ///
    /// A fresh pair per document cost 5,600 instructions of the invoice's parse: the entries'
    /// 3.5 KB is past glibc's small bins, and a request that size first consolidates every fast
    /// bin chunk the validation freed since the last one. Kept here, the common document
    /// allocates only its containers. (The consolidation then falls on the next large request
    /// after the parse instead, so a whole validation gains 2,000 of the 5,600.)
    static SCRATCH: Cell<Scratch> = const { Cell::new((Vec::new(), Vec::new())) };
}

type Scratch = (Vec<Node<'static>>, Vec<(Cow<'static, str>, Node<'static>)>);

/// The most elements or entries a scratch vector keeps its room for between documents, so that
/// one huge document does not hold its memory for the thread's life.
const MAX_KEPT: usize = 1024;

/// `v` emptied and retyped for a document of another lifetime, keeping its allocation, with room
/// for at least `capacity` items. The allocation is kept by the standard library's in-place
/// `collect` (same size and alignment, which only the lifetime differs in): that is how it
/// behaves, not what it promises, and without it this is a fresh allocation, no worse than
/// before.
fn reuse<T, U>(v: Vec<T>, capacity: usize) -> Vec<U> {
    let mut v: Vec<U> = v.into_iter().filter_map(|_| None).collect();
    if v.capacity() < capacity {
        v.reserve_exact(capacity);
    }
    v
}

/// A failed step of the parser; the error itself waits in [`Parser::error`], so that a
/// `Step<Node>` is no bigger than a `Node` and a `Step<&str>` comes back in two registers.
struct Fail;

type Step<T> = Result<T, Fail>;

struct Parser<'a> {
    /// The input, read through [`Parser::bytes`]: with a second field for the same bytes, the
    /// compiler could not tell that a byte tested through one is a byte `str` slicing tests
    /// through the other, and kept tests it can now fold (1,300 instructions of the invoice's
    /// parse).
    src: &'a str,
    pos: usize,
    depth: usize,
    /// The elements of every array still open, innermost last: a closed array moves its own off
    /// the top into an exactly-sized `Vec`, one allocation per array and no regrowth.
    elems: Vec<Node<'a>>,
    /// The same for the entries of every object still open.
    entries: Vec<(Cow<'a, str>, Node<'a>)>,
    /// Whether an object led by a private token was read.
    private_tokens: bool,
    /// The error of the step that returned [`Fail`].
    error: ParseError,
}

// How values travel matters more than anything else here (measured on the 10-line invoice:
// 6.3 us when `value` returned a `Node` that the caller then pushed, 3.3 us now). A `Node` built
// in one place and moved to another goes through the stack, written field by field and read
// back in 16-byte pieces that straddle those writes, and every such read stalls the CPU (a failed
// store-to-load forward). So `value` is inlined into its callers and hands each kind of value to
// a `put` closure at the very spot where it is built, which lets the compiler store it straight
// into its slot in the scratch vector; `push` keeps the vector's growth path out of line, so that
// the value need not be parked on the stack in case the vector has to grow; and a closed
// container takes its entries with `split_off` (one copy of the block), not element by element.
impl<'a> Parser<'a> {
    #[cold]
    #[inline(never)]
    fn fail<T>(&mut self, kind: ParseErrorKind, offset: usize) -> Step<T> {
        self.error = ParseError { kind, offset };
        Err(Fail)
    }

    /// `UnexpectedEnd` at the end of the input, `UnexpectedByte` anywhere else.
    #[cold]
    fn unexpected<T>(&mut self) -> Step<T> {
        let kind = if self.pos >= self.bytes().len() {
            ParseErrorKind::UnexpectedEnd
        } else {
            ParseErrorKind::UnexpectedByte
        };
        self.fail(kind, self.pos)
    }

    #[inline(always)]
    fn bytes(&self) -> &'a [u8] {
        self.src.as_bytes()
    }

    #[inline]
    fn peek(&self) -> Option<u8> {
        self.bytes().get(self.pos).copied()
    }

    #[inline]
    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes().get(self.pos) {
            self.pos += 1;
        }
    }

    #[inline]
    fn peek_after_ws(&mut self) -> Option<u8> {
        self.skip_ws();
        self.peek()
    }

    /// The next byte that is not whitespace (`pos` left on it), like [`Parser::peek_after_ws`].
    /// Documents that machines write are mostly compact, with no whitespace between tokens, and
    /// all four whitespace bytes are at most a space: one comparison lets the usual byte through,
    /// where the loop's own test took three before the caller's match could start on it.
    #[inline(always)]
    fn token(&mut self) -> Option<u8> {
        match self.bytes().get(self.pos) {
            Some(&b) if b > b' ' => Some(b),
            _ => self.peek_after_ws(),
        }
    }

    /// Steps over `byte` if it is the next byte that is not whitespace. The byte a compact
    /// document has there is tested before anything else (see [`Parser::token`]).
    #[inline(always)]
    fn eat(&mut self, byte: u8) -> bool {
        if self.bytes().get(self.pos) == Some(&byte) || self.peek_after_ws() == Some(byte) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    /// The input between two offsets the scanner stopped at. They always fall on ASCII bytes,
    /// hence on character boundaries; the checked `get` keeps a bug here from becoming a panic.
    #[inline]
    fn slice(&mut self, start: usize, end: usize) -> Step<&'a str> {
        match self.src.get(start..end) {
            Some(s) => Ok(s),
            None => self.fail(ParseErrorKind::InvalidUtf8, start),
        }
    }

    /// Parses the value at `pos`, after any whitespace, and gives it to `put`.
    #[inline(always)]
    fn value(&mut self, put: impl FnOnce(&mut Self, Node<'a>)) -> Step<()> {
        let byte = self.token();
        // `string`, spelled out so that `put` gets the common case as a known variant, and tested
        // before the `match`, whose range test and jump table came first otherwise (4
        // instructions more for each string value, the most common kind).
        if byte == Some(b'"') {
            let start = self.pos + 1;
            match self.plain_string(start) {
                Ok(s) => put(self, Node::String(Cow::Borrowed(s))),
                Err(stop) => {
                    let s = self.string_rest(start, stop)?;
                    put(self, Node::String(Cow::Owned(s)));
                }
            }
            return Ok(());
        }
        match byte {
            Some(b'0'..=b'9') => {
                let n = self.number(self.pos)?;
                put(self, Node::Number(n));
            }
            Some(b'-') => {
                let n = self.number(self.pos + 1)?;
                put(self, Node::Number(n));
            }
            Some(b'{') => {
                let node = self.object()?;
                put(self, node);
            }
            Some(b'[') => {
                let node = self.array()?;
                put(self, node);
            }
            Some(b't') => {
                self.literal(b"true")?;
                put(self, Node::Bool(true));
            }
            Some(b'f') => {
                self.literal(b"false")?;
                put(self, Node::Bool(false));
            }
            Some(b'n') => {
                self.literal(b"null")?;
                put(self, Node::Null);
            }
            Some(_) => return self.fail(ParseErrorKind::UnexpectedByte, self.pos),
            None => return self.fail(ParseErrorKind::UnexpectedEnd, self.pos),
        }
        Ok(())
    }

    /// A number, `pos` on its first byte and `digits` on its integer part's (after the minus
    /// sign the dispatch has already seen, if there is one).
    #[inline(always)]
    fn number(&mut self, digits: usize) -> Step<&'a str> {
        let start = self.pos;
        let end = match short_number_end(self.bytes(), digits) {
            Some(end) => end,
            None => match number_end(self.bytes(), start) {
                Ok(end) => end,
                Err((kind, offset)) => return self.fail(kind, offset),
            },
        };
        self.pos = end;
        self.slice(start, end)
    }

    fn literal(&mut self, word: &'static [u8]) -> Step<()> {
        let end = self.pos + word.len();
        if self.bytes().get(self.pos..end) == Some(word) {
            self.pos = end;
            Ok(())
        } else {
            self.fail(ParseErrorKind::UnexpectedByte, self.pos)
        }
    }

    /// Counts one more open container, refusing the one serde_json would refuse.
    #[inline]
    fn enter(&mut self) -> Step<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            self.fail(ParseErrorKind::DepthLimit, self.pos)
        } else {
            Ok(())
        }
    }

    /// An array, `pos` on its `[`.
    #[inline(never)]
    fn array(&mut self) -> Step<Node<'a>> {
        self.enter()?;
        self.pos += 1;
        if self.token() == Some(b']') {
            self.pos += 1;
            self.depth -= 1;
            return Ok(Node::Array(Vec::new()));
        }
        let start = self.elems.len();
        loop {
            // A `]` right after a comma falls to `value`, which refuses it: no trailing comma.
            self.value(|p, node| push(&mut p.elems, node))?;
            match self.token() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    break;
                }
                _ => return self.unexpected(),
            }
        }
        self.depth -= 1;
        Ok(Node::Array(self.elems.split_off(start)))
    }

    /// An object, `pos` on its `{`.
    #[inline(never)]
    fn object(&mut self) -> Step<Node<'a>> {
        self.enter()?;
        self.pos += 1;
        match self.token() {
            Some(b'}') => {
                self.pos += 1;
                self.depth -= 1;
                return Ok(Node::Object(Vec::new()));
            }
            Some(b'"') => {}
            _ => return self.unexpected(),
        }
        let start = self.entries.len();
        // `pos` is on the first key's opening quote.
        self.pos += 1;
        let mut key = self.string()?;
        // serde_json reads the first key of every object against its private tokens.
        if key == NUMBER_TOKEN || (key == RAW_VALUE_TOKEN && raw_value_is_live()) {
            self.private_tokens = true;
            return self.private_token_object(key);
        }
        loop {
            if !self.eat(b':') {
                return self.unexpected();
            }
            self.value(|p, node| push(&mut p.entries, (key, node)))?;
            match self.token() {
                Some(b',') => {
                    self.pos += 1;
                    // Only a key may follow the comma, which also refuses a trailing comma.
                    if !self.eat(b'"') {
                        return self.unexpected();
                    }
                    key = self.string()?;
                }
                Some(b'}') => {
                    self.pos += 1;
                    break;
                }
                _ => return self.unexpected(),
            }
        }
        self.depth -= 1;
        Ok(Node::Object(self.entries.split_off(start)))
    }

    /// The rest of an object whose first key, just read, is one of serde_json's private tokens:
    /// serde_json wants a string value (number text for the number token, a whole JSON document
    /// for the raw-value token) and then the end of the object.
    #[cold]
    fn private_token_object(&mut self, key: Cow<'a, str>) -> Step<Node<'a>> {
        if self.peek_after_ws() != Some(b':') {
            return self.unexpected();
        }
        self.pos += 1;
        let at = self.pos;
        if self.peek_after_ws() != Some(b'"') {
            return self.fail(ParseErrorKind::InvalidPrivateToken, self.pos);
        }
        self.pos += 1;
        let text = self.string()?;
        let valid = if key == NUMBER_TOKEN {
            number_end(text.as_bytes(), 0) == Ok(text.len())
        } else {
            // The document inside counts its depth afresh, as serde_json's separate parse does.
            parse_str(&text).is_ok()
        };
        if !valid {
            return self.fail(ParseErrorKind::InvalidPrivateToken, at);
        }
        if self.peek_after_ws() != Some(b'}') {
            return self.unexpected();
        }
        self.pos += 1;
        self.depth -= 1;
        Ok(Node::Object(vec![(key, Node::String(text))]))
    }

    /// A string, `pos` just after its opening quote; leaves `pos` after the closing quote.
    #[inline(always)]
    fn string(&mut self) -> Step<Cow<'a, str>> {
        let start = self.pos;
        match self.plain_string(start) {
            Ok(s) => Ok(Cow::Borrowed(s)),
            Err(stop) => self.string_rest(start, stop).map(Cow::Owned),
        }
    }

    /// The string whose content starts at `start` if it has no escape, with `pos` moved past its
    /// closing quote; otherwise where its plain run stopped, for [`Parser::string_rest`].
    ///
    /// The content is cut before `pos` moves: with no store in between, the compiler sees that
    /// the byte `str` slicing tests for a character boundary at the end is the quote just tested,
    /// and drops that test. (`split_at_checked` and `get(start..)` rather than `get(start..end)`,
    /// which the compiler would not inline here and which then cost 20 instructions a value.)
    #[inline(always)]
    fn plain_string(&mut self, start: usize) -> Result<&'a str, usize> {
        let src = self.src;
        let end = scan_plain(src.as_bytes(), start);
        if src.as_bytes().get(end) == Some(&b'"') {
            if let Some(s) = src.split_at_checked(end).and_then(|(s, _)| s.get(start..)) {
                self.pos = end + 1;
                return Ok(s);
            }
        }
        Err(end)
    }

    /// A string whose plain run from `start` stopped at `stop` on something else than the closing
    /// quote: an escape to decode, or an error.
    #[cold]
    fn string_rest(&mut self, start: usize, stop: usize) -> Step<String> {
        match self.bytes().get(stop) {
            Some(b'\\') => self.escaped_string(start, stop),
            // A closing quote whose content would not slice: never, since the run starts after
            // a quote and stops on one, both ASCII (see `slice`).
            Some(b'"') => self.fail(ParseErrorKind::InvalidUtf8, start),
            Some(_) => self.fail(ParseErrorKind::ControlCharacter, stop),
            None => self.fail(ParseErrorKind::UnexpectedEnd, stop),
        }
    }

    /// The rest of a string from its first backslash at `escape`, unescaped.
    fn escaped_string(&mut self, start: usize, mut escape: usize) -> Step<String> {
        let mut out = String::with_capacity(escape - start + 16);
        out.push_str(self.slice(start, escape)?);
        loop {
            let Some(&letter) = self.bytes().get(escape + 1) else {
                return self.fail(ParseErrorKind::UnexpectedEnd, escape + 1);
            };
            let mut next = escape + 2;
            match letter {
                b'"' => out.push('"'),
                b'\\' => out.push('\\'),
                b'/' => out.push('/'),
                b'b' => out.push('\u{8}'),
                b'f' => out.push('\u{c}'),
                b'n' => out.push('\n'),
                b'r' => out.push('\r'),
                b't' => out.push('\t'),
                b'u' => {
                    let (c, after) = self.unicode_escape(next)?;
                    out.push(c);
                    next = after;
                }
                _ => return self.fail(ParseErrorKind::InvalidEscape, escape + 1),
            }
            let end = scan_plain(self.bytes(), next);
            out.push_str(self.slice(next, end)?);
            match self.bytes().get(end) {
                Some(b'"') => {
                    self.pos = end + 1;
                    return Ok(out);
                }
                Some(b'\\') => escape = end,
                Some(_) => return self.fail(ParseErrorKind::ControlCharacter, end),
                None => return self.fail(ParseErrorKind::UnexpectedEnd, end),
            }
        }
    }

    /// The character of a `\u` escape whose hex digits start at `at` (a surrogate pair takes the
    /// second escape with it), and the offset after it.
    fn unicode_escape(&mut self, at: usize) -> Step<(char, usize)> {
        let first = self.hex4(at)?;
        let (code, after) = match first {
            0xDC00..=0xDFFF => return self.fail(ParseErrorKind::LoneSurrogate, at),
            0xD800..=0xDBFF => {
                if self.bytes().get(at + 4..at + 6) != Some(b"\\u") {
                    return self.fail(ParseErrorKind::LoneSurrogate, at + 4);
                }
                let second = self.hex4(at + 6)?;
                if !(0xDC00..=0xDFFF).contains(&second) {
                    return self.fail(ParseErrorKind::LoneSurrogate, at + 6);
                }
                let high = u32::from(first) - 0xD800;
                let low = u32::from(second) - 0xDC00;
                (0x1_0000 + (high << 10) + low, at + 10)
            }
            other => (u32::from(other), at + 4),
        };
        // Always a scalar value by now (surrogates were paired above); checked all the same.
        match char::from_u32(code) {
            Some(c) => Ok((c, after)),
            None => self.fail(ParseErrorKind::LoneSurrogate, at),
        }
    }

    fn hex4(&mut self, at: usize) -> Step<u16> {
        let mut n = 0u16;
        for i in at..at + 4 {
            let Some(&b) = self.bytes().get(i) else {
                return self.fail(ParseErrorKind::UnexpectedEnd, i);
            };
            let digit = HEX[usize::from(b)];
            if digit == NOT_HEX {
                return self.fail(ParseErrorKind::InvalidEscape, i);
            }
            n = (n << 4) | u16::from(digit);
        }
        Ok(n)
    }
}

/// `Vec::push` with its growth path kept out of line (see the note on [`Parser`]).
#[inline(always)]
fn push<T>(v: &mut Vec<T>, x: T) {
    if v.len() < v.capacity() {
        v.push(x);
    } else {
        push_and_grow(v, x);
    }
}

#[cold]
#[inline(never)]
fn push_and_grow<T>(v: &mut Vec<T>, x: T) {
    v.push(x);
}

/// The end of the number whose integer part starts at `digits` (after its minus sign, if it has
/// one) when it has the shape of nearly every number in a document: an integer part and an
/// optional fraction, each under eight digits, no exponent, and eight bytes to read at each part's
/// start. `None` leaves every other case to [`number_end`], which checks the grammar byte by byte
/// and says what is wrong where. When this says `Some`, [`number_end`] from the number's start
/// says the same `Ok` (the fast path tests hold them together).
///
/// [`number_end`] took 76 instructions per invoice number, out of line (its loops take four a
/// digit, and its answer comes back through memory). This one tests each part's digits as one
/// word and, with [`Parser::number`] inlined into `value`, took 3,100 instructions off the
/// invoice's parse (80 numbers).
#[inline(always)]
fn short_number_end(b: &[u8], digits: usize) -> Option<usize> {
    let mut i = digits;
    let int = digit_run(b, i)?;
    // No digit, or a leading zero followed by more digits (an error): `number_end` says which.
    if int == 0 || (int > 1 && b[i] == b'0') {
        return None;
    }
    i += int;
    if b.get(i) == Some(&b'.') {
        i += 1;
        let fraction = digit_run(b, i)?;
        if fraction == 0 {
            return None;
        }
        i += fraction;
    }
    match b.get(i) {
        Some(b'e' | b'E') => None,
        _ => Some(i),
    }
}

/// How many ASCII digits lead the eight bytes at `i`: `None` when fewer than eight bytes remain
/// or all eight are digits.
#[inline(always)]
fn digit_run(b: &[u8], i: usize) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let word = b.get(i..)?.first_chunk::<8>()?;
    // A digit XOR 0x30 is 0..=9, any other byte 10 or more. Adding 0x76 sets the high bit of a
    // byte from 10 to 0x7F; a byte of 0x80 or more has it set already (the OR). Only a byte of
    // 0x8A or more carries into the next, and it is flagged itself, so the lowest flag is the
    // first byte that is not a digit.
    let x = u64::from_le_bytes(*word) ^ (ONES * u64::from(b'0'));
    let flags = (x.wrapping_add(ONES * 0x76) | x) & HIGHS;
    if flags == 0 {
        None
    } else {
        Some((flags.trailing_zeros() / 8) as usize)
    }
}

/// The end of the number starting at `start`, checked against
/// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`, or what is wrong and where.
#[inline(never)]
fn number_end(b: &[u8], start: usize) -> Result<usize, (ParseErrorKind, usize)> {
    let mut i = start;
    if b.get(i) == Some(&b'-') {
        i += 1;
    }
    match b.get(i) {
        Some(b'0') => {
            i += 1;
            if let Some(b'0'..=b'9') = b.get(i) {
                return Err((ParseErrorKind::InvalidNumber, i));
            }
        }
        Some(b'1'..=b'9') => i = digits_end(b, i + 1),
        Some(_) => return Err((ParseErrorKind::InvalidNumber, i)),
        None => return Err((ParseErrorKind::UnexpectedEnd, i)),
    }
    if b.get(i) == Some(&b'.') {
        i = at_least_one_digit(b, i + 1)?;
    }
    if let Some(b'e' | b'E') = b.get(i) {
        i += 1;
        if let Some(b'+' | b'-') = b.get(i) {
            i += 1;
        }
        i = at_least_one_digit(b, i)?;
    }
    Ok(i)
}

#[inline]
fn digits_end(b: &[u8], mut i: usize) -> usize {
    while let Some(b'0'..=b'9') = b.get(i) {
        i += 1;
    }
    i
}

fn at_least_one_digit(b: &[u8], i: usize) -> Result<usize, (ParseErrorKind, usize)> {
    match b.get(i) {
        Some(b'0'..=b'9') => Ok(digits_end(b, i + 1)),
        Some(_) => Err((ParseErrorKind::InvalidNumber, i)),
        None => Err((ParseErrorKind::UnexpectedEnd, i)),
    }
}

/// Bytes that end a run of plain string content: the closing quote, a backslash, and the
/// control characters JSON forbids raw.
const STOP: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 0x20 {
        t[i] = true;
        i += 1;
    }
    t[b'"' as usize] = true;
    t[b'\\' as usize] = true;
    t
};

const NOT_HEX: u8 = 0xFF;
const HEX: [u8; 256] = {
    let mut t = [NOT_HEX; 256];
    let mut i = 0;
    while i < 10 {
        t[b'0' as usize + i] = i as u8;
        i += 1;
    }
    let mut i = 0;
    while i < 6 {
        t[b'a' as usize + i] = 10 + i as u8;
        t[b'A' as usize + i] = 10 + i as u8;
        i += 1;
    }
    t
};

/// The offset of the first [`STOP`] byte at or after `i`, or the input's length.
///
/// Eight bytes at a time while eight remain: string content is most of a document's bytes.
/// Measured against a table lookup per byte: twice as fast on long strings (11.7 KB of 228-byte
/// strings, 3.1 us against 6.1 us), and a few percent on the invoice's short ones. The words come
/// from `chunks_exact`, whose loop steps an offset towards a precomputed end (4 instructions a
/// word, where a `get(i..).first_chunk()` loop spent 11 on bounds).
#[inline]
fn scan_plain(b: &[u8], i: usize) -> usize {
    let Some(rest) = b.get(i..) else {
        return b.len();
    };
    let mut words = rest.chunks_exact(8);
    let mut at = i;
    for word in &mut words {
        let flags = stop_flags(word);
        if flags != 0 {
            return at + (flags.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    for &c in words.remainder() {
        if STOP[usize::from(c)] {
            return at;
        }
        at += 1;
    }
    b.len()
}

/// The high bit of each byte of `word` (eight bytes, read little-endian) that may be a [`STOP`]
/// byte: the lowest one set always is, and is the first.
#[inline(always)]
fn stop_flags(word: &[u8]) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    // Not `copy_from_slice`: at the WASM build's opt-level "s" that stays a call to a copy loop
    // and a `memory.copy`, a third of the parse's time in V8. The conversion is a plain load once
    // inlined (`chunks_exact` words are always eight bytes long).
    let Ok(bytes) = <[u8; 8]>::try_from(word) else {
        return 0;
    };
    let w = u64::from_le_bytes(bytes);
    // `(x - n * ONES) & !x & HIGHS` flags the bytes of x below n (for n up to 0x80). A borrow
    // between bytes starts only at a flagged byte and can only set a false flag above it, so the
    // lowest flag, the one taken, is a real stop byte (and the first one). XOR with 0x02 turns a
    // quote into 0x20 and keeps the control characters below 0x20 with nothing else below 0x21,
    // so one test finds both; a second finds the backslash as a zero byte. Neither XOR touches a
    // byte's high bit, so `!w` stands for `!x` in both. (A test each for the quote, the backslash
    // and the control characters took two operations more, on every eight bytes of string.)
    let quote_or_control = w ^ (ONES * 0x02);
    let backslash = w ^ (ONES * u64::from(b'\\'));
    let flags = (quote_or_control.wrapping_sub(ONES * 0x21) | backslash.wrapping_sub(ONES)) & !w;
    flags & HIGHS
}

/// Whether serde_json, as built into this program, reads [`RAW_VALUE_TOKEN`] as a raw value: its
/// `raw_value` feature is on when any crate of the build asks for it, which this crate cannot see
/// at compile time. Asked only when a document actually has the token as a first key.
fn raw_value_is_live() -> bool {
    static LIVE: OnceLock<bool> = OnceLock::new();
    *LIVE.get_or_init(|| {
        let probe = format!(r#"{{"{RAW_VALUE_TOKEN}":"0"}}"#);
        matches!(serde_json::from_str::<Value>(&probe), Ok(Value::Number(_)))
    })
}

impl<'a> Node<'a> {
    /// The `serde_json::Value` serde_json would have parsed from the same document: numbers keep
    /// serde_json's text (read back through `Number::from_str`, so `1E5` becomes `1e+5` as it
    /// does there), the last of duplicate keys wins, and objects led by serde_json's private
    /// tokens become what serde_json makes of them (see the module docs).
    ///
    /// A `Number` whose text is not JSON number text (only a hand-built tree can hold one)
    /// becomes `Null`.
    pub fn to_value(&self) -> Value {
        match self {
            Node::Null => Value::Null,
            Node::Bool(b) => Value::Bool(*b),
            Node::Number(text) => number_value(text),
            Node::String(s) => Value::String(String::from(&**s)),
            Node::Array(items) => Value::Array(items.iter().map(Node::to_value).collect()),
            Node::Object(entries) => {
                if let Some(value) = private_token_value(entries) {
                    return value;
                }
                let mut map = Map::new();
                for (key, node) in entries {
                    map.insert(String::from(&**key), node.to_value());
                }
                Value::Object(map)
            }
        }
    }

    /// The value of `key` in an object: the last entry with that key, as serde_json keeps the
    /// last duplicate. `None` for a missing key or a node that is not an object.
    pub fn get(&self, key: &str) -> Option<&Node<'a>> {
        self.as_object()?
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, node)| node)
    }

    /// Whether some object anywhere in the tree has the same key twice. A full walk with a sort
    /// per large object: for the callers that must refuse duplicates, not for every document.
    pub fn has_duplicate_keys(&self) -> bool {
        match self {
            Node::Array(items) => items.iter().any(Node::has_duplicate_keys),
            Node::Object(entries) => {
                // Pairwise is cheaper than sorting for the small objects documents are made of.
                let duplicated = if entries.len() <= 16 {
                    entries
                        .iter()
                        .enumerate()
                        .any(|(i, (k, _))| entries[i + 1..].iter().any(|(other, _)| other == k))
                } else {
                    let mut keys: Vec<&str> = entries.iter().map(|(k, _)| &**k).collect();
                    keys.sort_unstable();
                    keys.windows(2).any(|w| w[0] == w[1])
                };
                duplicated || entries.iter().any(|(_, node)| node.has_duplicate_keys())
            }
            _ => false,
        }
    }

    /// The JSON Schema name of the node's type: `"null"`, `"boolean"`, `"number"`, `"string"`,
    /// `"array"` or `"object"`.
    pub fn kind(&self) -> &'static str {
        match self {
            Node::Null => "null",
            Node::Bool(_) => "boolean",
            Node::Number(_) => "number",
            Node::String(_) => "string",
            Node::Array(_) => "array",
            Node::Object(_) => "object",
        }
    }

    /// Whether the node is `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Node::Null)
    }

    /// The boolean, if the node is one.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Node::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The number's text as written in the document, if the node is a number.
    pub fn as_number(&self) -> Option<&'a str> {
        match self {
            Node::Number(text) => Some(text),
            _ => None,
        }
    }

    /// The (unescaped) string, if the node is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Node::String(s) => Some(s),
            _ => None,
        }
    }

    /// The elements, if the node is an array.
    pub fn as_array(&self) -> Option<&[Node<'a>]> {
        match self {
            Node::Array(items) => Some(items),
            _ => None,
        }
    }

    /// The entries in document order, duplicates included, if the node is an object.
    pub fn as_object(&self) -> Option<&[(Cow<'a, str>, Node<'a>)]> {
        match self {
            Node::Object(entries) => Some(entries),
            _ => None,
        }
    }
}

fn number_value(text: &str) -> Value {
    Number::from_str(text).map_or(Value::Null, Value::Number)
}

/// What serde_json makes of an object led by one of its private tokens, or `None` for an
/// ordinary object.
fn private_token_value(entries: &[(Cow<'_, str>, Node<'_>)]) -> Option<Value> {
    let [(key, Node::String(text))] = entries else {
        return None;
    };
    if key == NUMBER_TOKEN {
        Some(number_value(text))
    } else if key == RAW_VALUE_TOKEN && raw_value_is_live() {
        Some(parse_str(text).map_or(Value::Null, |(node, _)| node.to_value()))
    } else {
        None
    }
}
