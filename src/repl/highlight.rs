//! Syntax colouring of the line being edited, from the real lexer's tokens.
//!
//! Colouring uses [`crate::lang::lexer::tokenize`], so what is coloured as a quoted string or
//! a variable is exactly what the interpreter will see. A command word that runs nothing (no
//! builtin, function or program: [`Shell::is_command`]) is red, so a typo shows before Enter.
//! It only adds ANSI colour around the source text and never changes a character (rustyline
//! requires the display width to stay the same). A line the lexer rejects is coloured as far
//! as it lexes: an unclosed quote (the normal state of a line being typed) colours the text
//! before it as usual and the rest as the string it is.

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
    /// A command word that names nothing that runs.
    Unknown,
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
            Class::Unknown => Color::Red.bold(),
            Class::Variable => Color::Green.normal(),
            Class::Quoted => Color::Yellow.normal(),
            Class::Comment => Color::DarkGray.italic(),
            Class::Operator => Color::LightRed.normal(),
        })
    }
}

/// rc's reserved words; coloured only where rc treats them as reserved.
const KEYWORDS: &[&str] = &["if", "for", "while", "switch", "fn", "case", "not", "in"];

/// How many lexer errors a line is cut at before the rest is left plain.
const MAX_CUTS: usize = 8;

/// The line with ANSI colours added.
pub fn highlight(shell: &Shell, line: &str) -> String {
    let mut out = String::with_capacity(line.len() * 2);
    for (piece, class) in classify(shell, line) {
        paint(&mut out, piece, class);
    }
    out
}

/// `line` with ANSI colours added, read as the next line of `before` (the lines already
/// entered of an unfinished command): a quote opened there colours this line as a string.
pub fn highlight_continued(shell: &Shell, before: &str, line: &str) -> String {
    let full = format!("{before}\n{line}");
    let offset = before.len() + 1;
    let mut out = String::with_capacity(line.len() * 2);
    let mut at = 0;
    for (piece, class) in classify(shell, &full) {
        let (start, end) = (at, at + piece.len());
        at = end;
        if end <= offset {
            continue;
        }
        paint(&mut out, &full[start.max(offset)..end], class);
    }
    out
}

fn paint(out: &mut String, piece: &str, class: Class) {
    match class.style() {
        Some(style) => out.push_str(&style.paint(piece).to_string()),
        None => out.push_str(piece),
    }
}

/// Splits `line` into consecutive pieces that together are exactly `line`, each classified.
/// Where the lexer stops (an unclosed quote), the text before is classified and the rest is
/// one piece: a string if it begins with the quote, else plain.
pub fn classify<'l>(shell: &Shell, line: &'l str) -> Vec<(&'l str, Class)> {
    let mut end = line.len();
    let mut tails: Vec<(&'l str, Class)> = Vec::new();
    for _ in 0..MAX_CUTS {
        let text = &line[..end];
        let error = match tokenize(&Arc::new(SourceFile::new("<line>", text))) {
            Ok(tokens) => match classify_tokens(shell, text, &tokens) {
                Some(mut pieces) => {
                    pieces.extend(tails.into_iter().rev());
                    return pieces;
                }
                None => break,
            },
            Err(e) => e,
        };
        let at = error.span.offset();
        if at >= end || !text.is_char_boundary(at) {
            break;
        }
        let rest = &text[at..];
        let class = if rest.starts_with('\'') {
            Class::Quoted
        } else {
            Class::Plain
        };
        tails.push((rest, class));
        end = at;
    }
    let mut pieces = vec![(&line[..end], Class::Plain)];
    pieces.extend(tails.into_iter().rev());
    pieces.retain(|p| !p.0.is_empty());
    pieces
}

/// The pieces of `line`, which lexed as `tokens`; `None` if the tokens do not fit the line.
fn classify_tokens<'l>(
    shell: &Shell,
    line: &'l str,
    tokens: &[crate::lang::lexer::Token],
) -> Option<Vec<(&'l str, Class)>> {
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
        // Glued to what makes one word with it (`ec'ho'`, `a$b`, `a^b`), not to `;` or `(`.
        let next_glued = tokens.get(i + 1).is_some_and(|t| {
            t.glued
                && matches!(
                    t.tok,
                    Tok::Word(_)
                        | Tok::Quoted(_)
                        | Tok::Caret
                        | Tok::Dollar
                        | Tok::Count
                        | Tok::Join
                )
        });
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
            // Part of a longer word (`ec'ho'`): only the whole word names a command.
            Tok::Word(_) if command_position && next_glued => Class::Plain,
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

/// A bare word: a reserved word, or a command (known or not) where a command may start;
/// else plain.
fn word_class(shell: &Shell, word: &str, command_position: bool) -> Class {
    if !command_position {
        Class::Plain
    } else if KEYWORDS.contains(&word) && !matches!(word, "in" | "not") {
        Class::Keyword
    } else if matches!(word, "!" | "@") {
        Class::Operator
    } else if shell.is_command(word) {
        Class::Command
    } else {
        Class::Unknown
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classes(line: &str) -> Vec<(String, Class)> {
        let pieces = classify(&Shell::new(), line);
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
    fn an_open_quote_keeps_the_colour_before_it_and_is_a_string() {
        assert_eq!(
            classes("echo $x 'open; ls"),
            vec![
                ("echo".into(), Class::Command),
                ("$".into(), Class::Variable),
                ("x".into(), Class::Variable),
                ("'open; ls".into(), Class::Quoted),
            ]
        );
        assert_eq!(classes("'"), vec![("'".into(), Class::Quoted)]);
    }

    #[test]
    fn a_command_word_that_runs_nothing_is_unknown() {
        assert_eq!(
            classes("ech hi; upper; nosuch | wc"),
            vec![
                ("ech".into(), Class::Unknown),
                ("upper".into(), Class::Command),
                ("nosuch".into(), Class::Unknown),
                ("|".into(), Class::Operator),
                ("wc".into(), Class::Command),
            ]
        );
        // Only the whole word names the command; arguments are never unknown.
        assert_eq!(
            classes("ec'ho' nosuch"),
            vec![("'ho'".into(), Class::Quoted)]
        );
        assert_eq!(
            classes("! /lib/oash/bin/hello.wasm"),
            vec![
                ("!".into(), Class::Operator),
                ("/lib/oash/bin/hello.wasm".into(), Class::Command)
            ]
        );
    }

    /// `text` without its ANSI escapes.
    fn plain(text: &str) -> String {
        text.split('\u{1b}')
            .map(|s| s.split_once('m').map_or(s, |(_, t)| t))
            .collect()
    }

    #[test]
    fn a_continued_line_is_coloured_as_the_rest_of_its_command() {
        let shell = Shell::new();
        // Inside the quote opened on the line before: a string, not a red command.
        let got = highlight_continued(&shell, "echo 'a", "b' ech");
        assert_eq!(plain(&got), "b' ech");
        assert!(got.starts_with("\u{1b}[33mb'"), "{got:?}");
        // After an open brace, a command starts the line.
        let got = highlight_continued(&shell, "for(i in a) {", "echo $i");
        assert!(got.starts_with("\u{1b}[1;36mecho"), "{got:?}");
    }

    #[test]
    fn colour_adds_escapes_but_keeps_the_text() {
        let coloured = highlight(&Shell::new(), "echo $home");
        assert!(coloured.contains("\u{1b}["));
        let plain: String = coloured
            .split('\u{1b}')
            .map(|s| s.split_once('m').map_or(s, |(_, t)| t))
            .collect();
        assert_eq!(plain, "echo $home");
    }
}
