//! Text from outside the shell (names, messages, source lines, guest output) made safe to
//! print on a terminal inside a diagnostic, and cut to a length a person can read.
//!
//! A terminal obeys the control characters it is sent: an `ESC [ 2 J` inside a file name
//! clears the screen, an `ESC ] 0 ;` sets the window title, a right-to-left override makes a
//! line read differently from what it is. So every C0 control, DEL, every C1 control and the
//! bidirectional formatting characters are shown as escapes (`\e`, `\x07`, `\u{9b}`, ...),
//! never sent. Invalid UTF-8 bytes show as `\xff`. This module must never let one of them
//! through, and never cut inside an escape (a cut escape would be a lie about the byte).

use std::fmt::Write;

/// Longest name or quoted word shown whole, in characters.
pub const NAME_LIMIT: usize = 120;
/// Longest message (a diagnostic's first line) shown whole, in characters.
pub const MESSAGE_LIMIT: usize = 400;
/// What stands for the part that was cut.
pub const ELLIPSIS: char = '…';

/// Which line breaks to keep as they are. Everything else that can steer a terminal is
/// always escaped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keep {
    /// Nothing: a name or a one-line message (`\n` and `\t` are escaped).
    Nothing,
    /// Tabs: a source line, whose tabs the renderer expands to spaces.
    Tabs,
    /// Tabs and newlines: help text, which may have several lines of its own.
    Lines,
}

/// How `c` is shown: `None` when it is shown as it is.
pub fn escape_char(c: char, keep: Keep) -> Option<String> {
    let kept = match c {
        '\t' => keep != Keep::Nothing,
        '\n' => keep == Keep::Lines,
        _ => false,
    };
    if kept {
        return None;
    }
    match c {
        '\u{1b}' => Some("\\e".to_string()),
        '\t' => Some("\\t".to_string()),
        '\n' => Some("\\n".to_string()),
        '\r' => Some("\\r".to_string()),
        '\0'..='\u{1f}' | '\u{7f}' => Some(format!("\\x{:02x}", u32::from(c))),
        // C1 controls (8-bit CSI is U+009B) and the bidirectional formatting characters.
        '\u{80}'..='\u{9f}'
        | '\u{61c}'
        | '\u{200e}'
        | '\u{200f}'
        | '\u{202a}'..='\u{202e}'
        | '\u{2066}'..='\u{2069}' => Some(format!("\\u{{{:x}}}", u32::from(c))),
        _ => None,
    }
}

/// One shown unit: a character, or the escape that stands for a character or an invalid byte.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Piece {
    Char(char),
    Escape(String),
}

impl Piece {
    /// Width in characters.
    pub(crate) fn len(&self) -> usize {
        match self {
            Piece::Char(_) => 1,
            Piece::Escape(e) => e.chars().count(),
        }
    }
    pub(crate) fn push_to(&self, out: &mut String) {
        match self {
            Piece::Char(c) => out.push(*c),
            Piece::Escape(e) => out.push_str(e),
        }
    }
}

/// The shown pieces of `bytes`, each with the byte offset where it starts and its byte length.
pub(crate) fn pieces(bytes: &[u8], keep: Keep) -> impl Iterator<Item = (usize, usize, Piece)> + '_ {
    let mut at = 0;
    bytes.utf8_chunks().flat_map(move |chunk| {
        let start = at;
        let valid = chunk.valid();
        at += valid.len() + chunk.invalid().len();
        let chars = valid.char_indices().map(move |(i, c)| {
            let piece = match escape_char(c, keep) {
                Some(e) => Piece::Escape(e),
                None => Piece::Char(c),
            };
            (start + i, c.len_utf8(), piece)
        });
        let bad_start = start + valid.len();
        let bad = chunk
            .invalid()
            .iter()
            .enumerate()
            .map(move |(i, b)| (bad_start + i, 1, Piece::Escape(format!("\\x{b:02x}"))));
        chars.chain(bad)
    })
}

/// `text` (UTF-8 or not) with every control character and invalid byte escaped; nothing cut.
pub fn escape(text: impl AsRef<[u8]>, keep: Keep) -> String {
    let text = text.as_ref();
    let mut out = String::with_capacity(text.len());
    for (_, _, piece) in pieces(text, keep) {
        piece.push_to(&mut out);
    }
    out
}

/// `bytes` escaped, and cut in the middle to at most `limit` characters: the start and the end
/// of a long name are what tell it apart (`/n/host/very/long/.../file.txt`).
pub fn cut(bytes: &[u8], keep: Keep, limit: usize) -> String {
    let limit = limit.max(3);
    // Short inputs are most inputs: one pass, no cut.
    let mut whole = String::new();
    let mut shown = 0;
    let mut all = pieces(bytes, keep);
    for (_, _, piece) in all.by_ref() {
        shown += piece.len();
        if shown > limit {
            break;
        }
        piece.push_to(&mut whole);
    }
    if shown <= limit {
        return whole;
    }
    // Two thirds from the start, the rest from the end, the ellipsis between.
    let head_budget = (limit - 1) * 2 / 3;
    let tail_budget = limit - 1 - head_budget;
    let mut head = String::new();
    let mut used = 0;
    let mut head_end = 0;
    for (at, len, piece) in pieces(bytes, keep) {
        if used + piece.len() > head_budget {
            break;
        }
        used += piece.len();
        head_end = at + len;
        piece.push_to(&mut head);
    }
    let tail = tail_pieces(&bytes[head_end..], keep, tail_budget);
    let mut out = head;
    out.push(ELLIPSIS);
    for piece in tail.iter().rev() {
        piece.push_to(&mut out);
    }
    out
}

/// The last pieces of `bytes` that fit in `budget` characters, last first. Reads backwards
/// from the end, so a megabyte name costs no more than a short one.
fn tail_pieces(bytes: &[u8], keep: Keep, budget: usize) -> Vec<Piece> {
    // A piece is at most 4 bytes (a char) and the cut only needs `budget` pieces, so this
    // window is always enough; starting it inside a character only turns that character's
    // leading bytes into escapes that are then not used.
    let from = bytes.len().saturating_sub(budget * 4 + 4);
    let window: Vec<(usize, usize, Piece)> = pieces(&bytes[from..], keep).collect();
    let mut out = Vec::new();
    let mut used = 0;
    for (at, _, piece) in window.into_iter().rev() {
        // A piece that starts in the first few bytes of the window may be the tail of a
        // character cut by the window: leave it out.
        if from > 0 && at < 4 {
            break;
        }
        if used + piece.len() > budget {
            break;
        }
        used += piece.len();
        out.push(piece);
    }
    out
}

/// A name, a path, a quoted word: escaped (tabs and newlines too) and cut to [`NAME_LIMIT`].
pub fn name(text: &str) -> String {
    cut(text.as_bytes(), Keep::Nothing, NAME_LIMIT)
}

/// A one-line message: every space-separated word cut like a [`name`], then the whole cut to
/// [`MESSAGE_LIMIT`]. Cutting words first keeps the end of `NAME: command not found` visible
/// even when `NAME` is a megabyte long.
pub fn message(text: &str) -> String {
    let mut out = String::new();
    for (i, word) in text.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(&name(word));
        // Beyond this the middle is cut anyway; stop building it.
        if out.len() > MESSAGE_LIMIT * 8 {
            let last = text.rsplit(' ').next().unwrap_or_default();
            let _ = write!(out, "{ELLIPSIS} {}", name(last));
            break;
        }
    }
    // `out` is already escaped: cutting it again escapes nothing more (a backslash is shown
    // as itself), only shortens.
    cut(out.as_bytes(), Keep::Lines, MESSAGE_LIMIT)
}

/// Help text: escaped but for its own newlines, cut to [`MESSAGE_LIMIT`].
pub fn help(text: &str) -> String {
    cut(text.as_bytes(), Keep::Lines, MESSAGE_LIMIT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_text_is_unchanged() {
        for text in [
            "cat: /tmp/missing: file does not exist",
            "é ü 日本",
            "a\\b",
            "",
        ] {
            assert_eq!(name(text), text);
            assert_eq!(message(text), text);
        }
    }

    #[test]
    fn terminal_controls_are_escaped() {
        assert_eq!(
            name("\u{1b}[2J\u{1b}]0;PWNED\u{7}"),
            "\\e[2J\\e]0;PWNED\\x07"
        );
        assert_eq!(name("a\tb\r\nc\u{7f}"), "a\\tb\\r\\nc\\x7f");
        assert_eq!(name("\u{9b}31m \u{202e}abc"), "\\u{9b}31m \\u{202e}abc");
        assert_eq!(escape("a\tb\n", Keep::Tabs), "a\tb\\n");
        assert_eq!(help("line 1\nline\u{1b}2"), "line 1\nline\\e2");
    }

    #[test]
    fn invalid_bytes_are_escaped() {
        assert_eq!(cut(b"a\xffb\xc3", Keep::Nothing, 100), "a\\xffb\\xc3");
    }

    #[test]
    fn long_names_are_cut_in_the_middle() {
        let long = format!("/start/{}/end.txt", "x".repeat(10_000));
        let shown = name(&long);
        assert_eq!(shown.chars().count(), NAME_LIMIT);
        assert!(shown.starts_with("/start/xxx"), "{shown}");
        assert!(shown.ends_with("xxx/end.txt"), "{shown}");
        assert!(shown.contains(ELLIPSIS));
        // Exactly at the limit: whole.
        let fits = "y".repeat(NAME_LIMIT);
        assert_eq!(name(&fits), fits);
    }

    #[test]
    fn a_cut_never_splits_an_escape_or_a_character() {
        let long = "\u{1b}é".repeat(500);
        let shown = name(&long);
        assert!(shown.chars().count() <= NAME_LIMIT);
        let (head, tail) = shown.split_once(ELLIPSIS).unwrap_or_default();
        assert!(
            head.trim_end_matches('é').ends_with("\\e") || head.ends_with('é'),
            "{head}"
        );
        assert!(tail.starts_with("\\e") || tail.starts_with('é'), "{tail}");
        assert!(!shown.contains('\u{1b}'));
    }

    #[test]
    fn long_messages_keep_their_end() {
        let text = format!("{}: command not found", "a".repeat(1_000_000));
        let shown = message(&text);
        assert!(shown.chars().count() <= MESSAGE_LIMIT);
        assert!(shown.ends_with(": command not found"), "{shown}");
        let many = "w ".repeat(1_000_000);
        assert!(message(&many).chars().count() <= MESSAGE_LIMIT);
    }
}
