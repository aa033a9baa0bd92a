//! Where a `rhai { CODE }` block ends: the `}` that closes its `{`, read the way Rhai
//! reads the code, so a brace inside a Rhai string, character or comment does not count.
//!
//! The lexer hands the code between the braces to the `rhai` builtin untouched (as
//! `rhai -c CODE`); it needs only the block's end, and this is the one place that knows
//! Rhai's lexical forms for it: `"..."` with `\` escapes, `` `...` `` with `${ }`
//! interpolation (whose braces do count), `'c'` characters, raw strings `#"..."#`,
//! `//` and nested `/* */` comments, and `#{` opening a map. It never judges whether the
//! code is good Rhai: the engine does that when the block runs.

/// The byte offset of the `}` closing the `{` at `open` in `src`, or `None` when the input
/// ends first (then the REPL reads another line).
pub fn block_end(src: &str, open: usize) -> Option<usize> {
    let bytes = src.as_bytes();
    let mut at = open + 1;
    let mut depth = 1usize;
    while at < bytes.len() {
        match bytes[at] {
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(at);
                }
            }
            b'"' => at = quoted_end(bytes, at)?,
            b'\'' => at = char_end(bytes, at)?,
            b'`' => at = backquoted_end(src, at)?,
            b'#' if matches!(bytes.get(at + 1), Some(b'"' | b'#')) => at = raw_end(bytes, at)?,
            b'/' if bytes.get(at + 1) == Some(&b'/') => {
                at = src[at..].find('\n').map_or(bytes.len(), |n| at + n);
                continue;
            }
            b'/' if bytes.get(at + 1) == Some(&b'*') => at = comment_end(bytes, at)?,
            _ => {}
        }
        at += 1;
    }
    None
}

/// The closing `"` of the string opening at `at` (`\` escapes the next byte).
fn quoted_end(bytes: &[u8], at: usize) -> Option<usize> {
    let mut i = at + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 1,
            b'"' => return Some(i),
            _ => {}
        }
        i += 1;
    }
    None
}

/// The closing `'` of the character opening at `at`: `'x'`, `'\''`, `'\u{263A}'`. A `'`
/// that opens nothing well-formed is left to the engine to reject: it ends at itself.
fn char_end(bytes: &[u8], at: usize) -> Option<usize> {
    let mut i = at + 1;
    while i < bytes.len() && bytes[i] != b'\n' {
        match bytes[i] {
            b'\\' => i += 1,
            b'\'' => return Some(i),
            _ => {}
        }
        i += 1;
    }
    Some(at)
}

/// The closing `` ` `` of the literal string opening at `at`; ``` `` ``` is a backquote
/// inside it, and `${ ... }` is code whose braces nest.
fn backquoted_end(src: &str, at: usize) -> Option<usize> {
    let bytes = src.as_bytes();
    let mut i = at + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'`' if bytes.get(i + 1) == Some(&b'`') => i += 1,
            b'`' => return Some(i),
            b'$' if bytes.get(i + 1) == Some(&b'{') => i = block_end(src, i + 1)?,
            _ => {}
        }
        i += 1;
    }
    None
}

/// The last `#` of the raw string opening at `at`: `#"..."#`, `##"..."##`, ...
fn raw_end(bytes: &[u8], at: usize) -> Option<usize> {
    let hashes = bytes[at..].iter().take_while(|b| **b == b'#').count();
    if bytes.get(at + hashes) != Some(&b'"') {
        // `##` not before a quote: not a raw string.
        return Some(at + hashes - 1);
    }
    let mut i = at + hashes + 1;
    while i < bytes.len() {
        if bytes[i] == b'"' && bytes[i + 1..].iter().take(hashes).all(|b| *b == b'#') {
            if bytes.len() - (i + 1) < hashes {
                return None;
            }
            return Some(i + hashes);
        }
        i += 1;
    }
    None
}

/// The `/` ending the block comment opening at `at`; Rhai's block comments nest.
fn comment_end(bytes: &[u8], at: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = at;
    while i + 1 < bytes.len() {
        match (bytes[i], bytes[i + 1]) {
            (b'/', b'*') => {
                depth += 1;
                i += 2;
            }
            (b'*', b'/') => {
                depth -= 1;
                i += 2;
                if depth == 0 {
                    return Some(i - 1);
                }
            }
            _ => i += 1,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The code between the braces of the block opening at the first `{`.
    fn code(src: &str) -> Option<&str> {
        let open = src.find('{')?;
        block_end(src, open).map(|end| &src[open + 1..end])
    }

    #[test]
    fn braces_nest() {
        assert_eq!(code("{ if x { y } }rest"), Some(" if x { y } "));
        assert_eq!(
            code("{ let m = #{a: 1}; m.a } x"),
            Some(" let m = #{a: 1}; m.a ")
        );
    }

    #[test]
    fn strings_characters_and_comments_hide_braces() {
        assert_eq!(code(r#"{ print("}") }"#), Some(r#" print("}") "#));
        assert_eq!(code(r#"{ print("\"}") }"#), Some(r#" print("\"}") "#));
        assert_eq!(code("{ let c = '}'; }"), Some(" let c = '}'; "));
        assert_eq!(code(r"{ let c = '\''; }"), Some(r" let c = '\''; "));
        assert_eq!(code("{ // }\n1 }"), Some(" // }\n1 "));
        assert_eq!(
            code("{ /* } /* } */ } */ 1 }"),
            Some(" /* } /* } */ } */ 1 ")
        );
        assert_eq!(code("{ `}` }"), Some(" `}` "));
        assert_eq!(code("{ `a${ #{b: 1}.b }}` }"), Some(" `a${ #{b: 1}.b }}` "));
        assert_eq!(code("{ `x``}` }"), Some(" `x``}` "));
        assert_eq!(code(r###"{ #"}"# }"###), Some(r###" #"}"# "###));
        assert_eq!(code(r###"{ ##"}"#"## }"###), Some(r###" ##"}"#"## "###));
    }

    #[test]
    fn an_open_block_has_no_end() {
        for src in [
            "{",
            "{ {",
            "{ \"}",
            "{ /* }",
            "{ `}",
            "{ `${ }",
            "{ #\"}\" }",
            "{ // }",
        ] {
            assert_eq!(code(src), None, "{src:?}");
        }
    }

    #[test]
    fn a_lone_quote_is_left_to_the_engine() {
        assert_eq!(code("{ it's }"), Some(" it's "));
    }
}
