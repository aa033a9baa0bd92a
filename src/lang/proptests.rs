//! Property tests of the lexer and parser on bytes that are not clean text, decoded as the
//! binary decodes a script (lossy UTF-8). They check what the parser promises the layers
//! above: a syntax error points inside the text at character boundaries (the renderer slices
//! the source there), and hostile bytes inside a quote or a bare word stay one literal word
//! holding exactly the decoded text. These tests must never depend on the evaluator.

use std::sync::Arc;

use proptest::prelude::*;

use super::ast::{Cmd, Word};
use super::{SourceFile, parse};

/// Invalid UTF-8 (never-valid and lone continuation bytes, overlong and surrogate forms,
/// truncated sequences), NUL, ESC and other control bytes, and unusual valid text. No piece
/// holds a word break, a quote, `$`, `\`, a glob character or a newline.
const PIECES: &[&[u8]] = &[
    b"\xff",
    b"\x80",
    b"\xbf",
    b"\xc0\x80",
    b"\xe0\x80\xaf",
    b"\xed\xa0\x80",
    b"\xf4\x90\x80\x80",
    b"\xe2\x82",
    b"\x00",
    b"\x1b",
    b"\x07",
    b"\x7f",
    b"\x9b",
    "\u{fffd}".as_bytes(),
    "\u{202e}".as_bytes(),
    "é".as_bytes(),
    b"a",
];

fn hostile() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(prop::sample::select(PIECES), 1..10).prop_map(|v| v.concat())
}

fn decode(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The words of the one simple command `text` must parse to.
fn simple_words(text: String) -> Result<Vec<Word>, TestCaseError> {
    let program = parse(Arc::new(SourceFile::new("t", text.clone())))
        .map_err(|e| TestCaseError::fail(format!("{text:?} does not parse: {e}")))?;
    match program.body.cmds.as_slice() {
        [Cmd::Simple { words, .. }] => Ok(words.clone()),
        other => Err(TestCaseError::fail(format!("{text:?} gave {other:?}"))),
    }
}

proptest! {
    #[test]
    fn errors_point_inside_the_text_at_char_boundaries(
        bytes in prop::collection::vec(any::<u8>(), 0..300)
    ) {
        let text = decode(&bytes);
        if let Err(e) = parse(Arc::new(SourceFile::new("t", text.clone()))) {
            let (start, end) = (e.span.offset(), e.span.offset() + e.span.len());
            prop_assert!(end <= text.len(), "span {start}..{end} past {} bytes", text.len());
            prop_assert!(text.is_char_boundary(start) && text.is_char_boundary(end));
        }
    }

    #[test]
    fn a_quoted_word_keeps_hostile_bytes(bytes in hostile()) {
        let words = simple_words(decode(&[&b"echo '"[..], &bytes, b"'"].concat()))?;
        let want = decode(&bytes);
        prop_assert!(
            matches!(&words[..], [_, Word::Lit { text, quoted: true, .. }] if *text == want),
            "{words:?}"
        );
    }

    #[test]
    fn a_bare_word_keeps_hostile_bytes(bytes in hostile()) {
        let words = simple_words(decode(&[&b"echo w"[..], &bytes].concat()))?;
        let want = format!("w{}", decode(&bytes));
        prop_assert!(
            matches!(&words[..], [_, Word::Lit { text, quoted: false, .. }] if *text == want),
            "{words:?}"
        );
    }
}
