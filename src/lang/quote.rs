//! Quoting a word for rc input: the inverse of the lexer's word rules.
//!
//! `whatis`, `ns` and `/task/<id>/ns` print commands that must read back as the same words,
//! so the rule for when a word needs quotes is the lexer's own ([`super::lexer::is_word_break`])
//! plus the glob characters. It never changes a word's meaning: `'` doubles inside quotes.

/// Quotes a word for rc input when it needs it: the empty word, and any word holding a
/// character that breaks a word or globs, becomes `'...'`.
pub fn quote(word: &str) -> String {
    let plain = !word.is_empty()
        && !word
            .chars()
            .any(|c| super::lexer::is_word_break(c) || matches!(c, '*' | '?' | '[' | '\\' | '\r'));
    if plain {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', "''"))
    }
}

#[cfg(test)]
mod tests {
    use super::quote;

    #[test]
    fn plain_words_stay_and_others_are_quoted() {
        assert_eq!(quote("abc/d.e"), "abc/d.e");
        assert_eq!(quote(""), "''");
        assert_eq!(quote("a b"), "'a b'");
        assert_eq!(quote("it's"), "'it''s'");
        assert_eq!(quote("*.rs"), "'*.rs'");
    }
}
