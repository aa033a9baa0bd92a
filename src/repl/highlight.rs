//! Syntax colouring of the line being edited, from the real lexer's tokens.
//!
//! Colouring uses [`crate::lang::lexer::tokenize`], so what is coloured as a quoted string or
//! a variable is exactly what the interpreter will see. It only adds ANSI colour around the
//! source text and never changes a character (rustyline requires the display width to stay
//! the same); a line the lexer rejects, such as an unclosed quote, is shown uncoloured.

use std::sync::Arc;

use nu_ansi_term::{Color, Style};

use crate::eval::Shell;
use crate::lang::SourceFile;
use crate::lang::lexer::{Tok, tokenize};

/// What a piece of the line is, for choosing its colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Class {
    Plain,
    Keyword,
    Command,
    Variable,
    Quoted,
    Comment,
    Operator,
}

impl Class {
    fn style(self) -> Option<Style> {
        Some(match self {
            Class::Plain => return None,
            Class::Keyword => Color::Purple.bold(),
            Class::Command => Color::Cyan.bold(),
            Class::Variable => Color::Green.normal(),
            Class::Quoted => Color::Yellow.normal(),
            Class::Comment => Color::DarkGray.italic(),
            Class::Operator => Color::LightRed.normal(),
        })
    }
}

/// rc's reserved words; coloured only where rc treats them as reserved.
const KEYWORDS: &[&str] = &["if", "for", "while", "switch", "fn", "case", "not", "in"];

/// The line with ANSI colours added, or `None` when the lexer rejects it.
pub fn highlight(shell: &Shell, line: &str) -> Option<String> {
    let mut out = String::with_capacity(line.len() * 2);
    for (piece, class) in classify(shell, line)? {
        match class.style() {
            Some(style) => out.push_str(&style.paint(piece).to_string()),
            None => out.push_str(piece),
        }
    }
    Some(out)
}

/// Splits `line` into consecutive pieces that together are exactly `line`, each classified.
pub fn classify<'l>(shell: &Shell, line: &'l str) -> Option<Vec<(&'l str, Class)>> {
    let tokens = tokenize(&Arc::new(SourceFile::new("<line>", line))).ok()?;
    let mut pieces = Vec::new();
    let mut cursor = 0;
    let mut command_position = true;
    // For each open `(`: whether a command may follow its `)` (after `if`, `for`, `while`).
    let mut parens: Vec<bool> = Vec::new();
    // Inside the value of `name=value`, opened at this paren depth; a command follows it.
    let mut assigning: Option<usize> = None;
    let mut previous: (Option<&Tok>, Class) = (None, Class::Plain);
    for (i, token) in tokens.iter().enumerate() {
        let (start, end) = (token.span.start, token.span.end);
        if start < cursor || end < start {
            return None;
        }
        gap(line.get(cursor..start)?, &mut pieces);
        let text = line.get(start..end)?;
        cursor = end;
        if let Some(depth) = assigning
            && !token.glued
            && parens.len() <= depth
        {
            assigning = None;
            command_position = true;
        }
        let after_if = previous == (Some(&Tok::Word("if".into())), Class::Keyword);
        let next = tokens.get(i + 1).map(|t| &t.tok);
        let class = match &token.tok {
            Tok::Word(_) if command_position && next == Some(&Tok::Eq) => Class::Variable,
            Tok::Word(w) if w == "not" => {
                if after_if {
                    Class::Keyword
                } else {
                    word_class(shell, w, command_position)
                }
            }
            // `in` is reserved only as the second word inside `for(...)`.
            Tok::Word(w)
                if w == "in"
                    && i >= 3
                    && tokens[i - 2].tok == Tok::LParen
                    && tokens[i - 3].tok == Tok::Word("for".into()) =>
            {
                Class::Keyword
            }
            Tok::Word(w) => word_class(shell, w, command_position),
            Tok::Caret | Tok::Eq | Tok::LParen | Tok::RParen | Tok::LBrace | Tok::RBrace => {
                Class::Plain
            }
            Tok::Semi | Tok::Newline | Tok::Eof => Class::Plain,
            Tok::Quoted(_) => Class::Quoted,
            Tok::Name(_) | Tok::Dollar | Tok::Count | Tok::Join => Class::Variable,
            Tok::Amp | Tok::AndAnd | Tok::OrOr | Tok::Pipe { .. } | Tok::Redir(_) => {
                Class::Operator
            }
            Tok::Backquote | Tok::ProcSub => Class::Operator,
        };
        command_position = match &token.tok {
            Tok::Semi | Tok::Newline | Tok::Amp | Tok::AndAnd | Tok::OrOr | Tok::Pipe { .. } => {
                true
            }
            Tok::LBrace | Tok::ProcSub => true,
            Tok::LParen => {
                let keyword = previous.1 == Class::Keyword
                    && matches!(previous.0, Some(Tok::Word(w)) if matches!(w.as_str(), "if" | "for" | "while"));
                parens.push(keyword);
                false
            }
            Tok::RParen => parens.pop().unwrap_or(false),
            Tok::Eq
                if previous.1 == Class::Variable && matches!(previous.0, Some(Tok::Word(_))) =>
            {
                assigning = Some(parens.len());
                false
            }
            Tok::Word(w) if command_position => matches!(w.as_str(), "!" | "@"),
            Tok::Word(w) if w == "not" => class == Class::Keyword,
            _ => false,
        };
        if !text.is_empty() {
            pieces.push((text, class));
        }
        previous = (Some(&token.tok), class);
    }
    gap(line.get(cursor..)?, &mut pieces);
    Some(pieces)
}

/// Text between tokens: blanks, line continuations and comments (`#` to the end of the line).
fn gap<'l>(mut text: &'l str, pieces: &mut Vec<(&'l str, Class)>) {
    while let Some(hash) = text.find('#') {
        if hash > 0 {
            pieces.push((&text[..hash], Class::Plain));
        }
        let end = text[hash..].find('\n').map_or(text.len(), |n| hash + n);
        pieces.push((&text[hash..end], Class::Comment));
        text = &text[end..];
    }
    if !text.is_empty() {
        pieces.push((text, Class::Plain));
    }
}

/// A bare word: a reserved word or a known command where a command may start, else plain.
fn word_class(shell: &Shell, word: &str, command_position: bool) -> Class {
    if !command_position {
        Class::Plain
    } else if KEYWORDS.contains(&word) && !matches!(word, "in" | "not") {
        Class::Keyword
    } else if crate::builtins::lookup(word).is_some() || shell.proc.fns.contains_key(word) {
        Class::Command
    } else {
        Class::Plain
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classes(line: &str) -> Vec<(String, Class)> {
        let pieces = classify(&Shell::new(), line).unwrap_or_default();
        assert_eq!(
            pieces.iter().map(|p| p.0).collect::<String>(),
            line,
            "pieces must cover the line exactly"
        );
        pieces
            .into_iter()
            .filter(|p| p.1 != Class::Plain)
            .map(|(t, c)| (t.to_string(), c))
            .collect()
    }

    #[test]
    fn words_variables_strings_and_operators() {
        assert_eq!(
            classes("echo 'a b' $x | wc >[2] f # note"),
            vec![
                ("echo".into(), Class::Command),
                ("'a b'".into(), Class::Quoted),
                ("$".into(), Class::Variable),
                ("x".into(), Class::Variable),
                ("|".into(), Class::Operator),
                ("wc".into(), Class::Command),
                (">[2]".into(), Class::Operator),
                ("# note".into(), Class::Comment),
            ]
        );
    }

    #[test]
    fn keywords_only_where_reserved() {
        let got = classes("for(i in a b) if not echo in");
        let keywords: Vec<&str> = got
            .iter()
            .filter(|p| p.1 == Class::Keyword)
            .map(|p| p.0.as_str())
            .collect();
        assert_eq!(keywords, ["for", "in", "if", "not"]);
        assert!(got.contains(&("echo".into(), Class::Command)));
    }

    #[test]
    fn an_assignment_prefix_is_a_variable_and_a_command_follows() {
        let got = classes("x=(a b) echo $x");
        assert_eq!(got[0], ("x".into(), Class::Variable));
        assert!(got.contains(&("echo".into(), Class::Command)), "{got:?}");
    }

    #[test]
    fn lexer_errors_leave_the_line_alone() {
        assert_eq!(highlight(&Shell::new(), "echo 'open"), None);
    }

    #[test]
    fn colour_adds_escapes_but_keeps_the_text() {
        let coloured = highlight(&Shell::new(), "echo $home").unwrap_or_default();
        assert!(coloured.contains("\u{1b}["));
        let plain: String = coloured
            .split('\u{1b}')
            .map(|s| s.split_once('m').map_or(s, |(_, t)| t))
            .collect();
        assert_eq!(plain, "echo $home");
    }
}
