//! Tab completion for the REPL: command names, a builtin's flags (from its declaration, each
//! shown with its doc), variable names and namespace paths.
//!
//! Completion reads a snapshot of the shell (taken before each prompt) and the shell's
//! namespace, never the host disk: `/n/x/he<TAB>` lists the service mounted on `/n/x`, not a
//! host directory. A failed lookup (no such directory, a service error) completes nothing;
//! completion must never report an error into the line being edited, nor panic on it.

use rustyline::completion::Pair;

use crate::eval::Shell;
use crate::lang::lexer::is_word_break;
use crate::ns::{FileKind, path};

/// The words that begin rc compound commands, offered where a command may start.
pub const KEYWORDS: &[&str] = &["if", "for", "while", "switch", "fn"];

/// Completes the word that ends at `pos` in `line`: returns where the replaced text starts
/// and the candidates, sorted. Unique file and command candidates end with a space when the
/// cursor is at the end of the line, so typing can go straight on.
pub fn complete(shell: &Shell, line: &str, pos: usize) -> (usize, Vec<Pair>) {
    let Some(before) = line.get(..pos) else {
        return (pos, Vec::new());
    };
    // The word runs back to the last character that ends an unquoted word.
    let mut start = before
        .char_indices()
        .rev()
        .find(|&(_, c)| is_word_break(c))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let head = &before[..start];
    let mut word = &before[start..];
    let at_end = pos == line.len();
    if head.ends_with('$') || head.ends_with("$#") {
        // `$"name` is a join: the `"` belongs to the sigil, not to the name.
        if head.ends_with('$') && word.starts_with('"') {
            word = &word[1..];
            start += 1;
        }
        return (start, variables(shell, word, at_end));
    }
    if is_command_position(head) && !word.contains('/') {
        return (start, commands(shell, word, at_end));
    }
    if word.starts_with('-')
        && let Some(builtin) = command_word(head).and_then(crate::builtins::lookup)
    {
        return (start, flags(builtin, word, at_end));
    }
    (start, paths(shell, word, at_end))
}

/// Whether a command name may start right after `head` (the text before the word).
fn is_command_position(head: &str) -> bool {
    let trimmed = head.trim_end_matches([' ', '\t']);
    let Some(last) = trimmed.chars().last() else {
        return true;
    };
    match last {
        ';' | '&' | '|' | '{' | '\n' | '@' => true,
        // `if(cond) cmd`, `for(i in x) cmd`, `while(cond) cmd`; not a list `echo (a b) ...`.
        ')' => matching_paren_keyword(trimmed).is_some_and(|k| matches!(k, "if" | "for" | "while")),
        _ => {
            let mut words = trimmed.rsplit([' ', '\t']);
            let last_word = words.next().unwrap_or("");
            let previous = words.find(|w| !w.is_empty()).unwrap_or("");
            last_word == "!" || (last_word == "not" && previous == "if")
        }
    }
}

/// The word just before the `(` that matches the final `)` of `text`, if any.
fn matching_paren_keyword(text: &str) -> Option<&str> {
    let mut depth = 0usize;
    for (i, c) in text.char_indices().rev() {
        match c {
            ')' => depth += 1,
            '(' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    let before = text[..i].trim_end_matches([' ', '\t']);
                    let word_start = before.rfind(is_word_break).map_or(0, |j| j + 1);
                    return Some(&before[word_start..]);
                }
            }
            _ => {}
        }
    }
    None
}

/// The command of the simple command `head` ends in (its first word; for `builtin NAME`,
/// NAME), if `head` is inside one.
fn command_word(head: &str) -> Option<&str> {
    let current = head
        .rsplit([';', '&', '|', '{', '}', '\n', '@', '('])
        .next()
        .unwrap_or(head);
    let mut words = current.split([' ', '\t']).filter(|w| !w.is_empty());
    match words.next()? {
        "builtin" => words.next(),
        name => Some(name),
    }
}

/// The flags of `builtin` that start with `prefix` (`-` or `-n`), displayed with their docs:
/// `-n N  print the first N lines`.
fn flags(builtin: &crate::builtins::Builtin, prefix: &str, at_end: bool) -> Vec<Pair> {
    let space = if at_end { " " } else { "" };
    builtin
        .flags
        .flags
        .iter()
        .filter(|f| format!("-{}", f.letter).starts_with(prefix))
        .map(|f| Pair {
            display: format!("{}  {}", f.synopsis(), f.doc),
            replacement: format!("-{}{space}", f.letter),
        })
        .collect()
}

/// Builtins, functions, keywords and the programs in `$path` directories.
fn commands(shell: &Shell, prefix: &str, at_end: bool) -> Vec<Pair> {
    let mut names: Vec<String> = Vec::new();
    names.extend(crate::builtins::all().iter().map(|b| b.name.to_string()));
    names.extend(shell.proc.fns.keys().cloned());
    names.extend(KEYWORDS.iter().map(|k| k.to_string()));
    for dir in shell.proc.vars.get("path").unwrap_or_default() {
        let Ok(dir) = path::resolve(&shell.proc.cwd, dir) else {
            continue;
        };
        if let Ok(entries) = shell.proc.ns.readdir(&dir) {
            names.extend(
                entries
                    .into_iter()
                    .filter(|e| e.kind == FileKind::File)
                    // `NAME.wasm` runs as `NAME`: offer what one types.
                    .map(|e| match e.name.strip_suffix(".wasm") {
                        Some(name) if !name.is_empty() => name.to_string(),
                        _ => e.name,
                    }),
            );
        }
    }
    names.retain(|n| n.starts_with(prefix));
    names.sort();
    names.dedup();
    let space = if at_end { " " } else { "" };
    names
        .into_iter()
        .map(|n| Pair {
            replacement: format!("{n}{space}"),
            display: n,
        })
        .collect()
}

/// The shell's variable names starting with `prefix`.
fn variables(shell: &Shell, prefix: &str, at_end: bool) -> Vec<Pair> {
    let mut names: Vec<&str> = shell
        .proc
        .vars
        .names()
        .into_iter()
        .filter(|n| n.starts_with(prefix))
        .collect();
    names.sort_unstable();
    names.dedup();
    let space = if at_end { " " } else { "" };
    names
        .into_iter()
        .map(|n| Pair {
            display: n.to_string(),
            replacement: format!("{n}{space}"),
        })
        .collect()
}

/// Names in the namespace directory that `word` points into. Directories end with `/` so
/// the next TAB goes on into them; names that rc would split are quoted.
fn paths(shell: &Shell, word: &str, at_end: bool) -> Vec<Pair> {
    let (dir_part, base) = match word.rfind('/') {
        Some(i) => (&word[..=i], &word[i + 1..]),
        None => ("", word),
    };
    let dir = if dir_part.is_empty() {
        Ok(shell.proc.cwd.clone())
    } else {
        path::resolve(&shell.proc.cwd, dir_part)
    };
    let Ok(dir) = dir else { return Vec::new() };
    let Ok(mut entries) = shell.proc.ns.readdir(&dir) else {
        return Vec::new();
    };
    entries.sort();
    let space = if at_end { " " } else { "" };
    entries
        .into_iter()
        // Dot files only when asked for, as every shell does.
        .filter(|e| e.name.starts_with(base) && (base.starts_with('.') || !e.name.starts_with('.')))
        .map(|e| {
            let is_dir = e.kind == FileKind::Dir;
            let slash = if is_dir { "/" } else { "" };
            let full = format!("{dir_part}{}{slash}", e.name);
            let replacement = if full.chars().any(is_word_break) {
                quote(&full)
            } else {
                full
            };
            let end = if is_dir { "" } else { space };
            Pair {
                display: format!("{}{slash}", e.name),
                replacement: format!("{replacement}{end}"),
            }
        })
        .collect()
}

/// rc quoting: one pair of `'`, with `''` for a quote inside.
fn quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ns::OpenFlags;

    fn shell() -> Shell {
        let shell = Shell::new();
        let _ = shell.proc.ns.mkdir("/tmp/abcdir");
        if let Ok(mut h) = shell
            .proc
            .ns
            .open("/tmp/abc.txt", OpenFlags::write().create())
        {
            let _ = h.close();
        }
        shell
    }

    fn replacements(line: &str) -> (usize, Vec<String>) {
        let (start, pairs) = complete(&shell(), line, line.len());
        (start, pairs.into_iter().map(|p| p.replacement).collect())
    }

    #[test]
    fn paths_come_from_the_namespace_with_dirs_slashed() {
        assert_eq!(
            replacements("ls /tmp/ab"),
            (3, vec!["/tmp/abc.txt ".into(), "/tmp/abcdir/".into()])
        );
    }

    #[test]
    fn relative_paths_resolve_against_the_cwd() {
        let mut sh = shell();
        sh.proc.cwd = "/tmp".into();
        let (start, pairs) = complete(&sh, "cat abc.", 8);
        assert_eq!((start, pairs[0].replacement.as_str()), (4, "abc.txt "));
    }

    #[test]
    fn first_word_completes_commands_and_keywords() {
        let (_, got) = replacements("whi");
        assert!(got.contains(&"while ".to_string()), "{got:?}");
        let (_, got) = replacements("echo x; ec");
        assert!(got.contains(&"echo ".to_string()), "{got:?}");
        // The shipped guests on $path, as their names run.
        let (_, got) = replacements("upp");
        assert_eq!(got, ["upper "]);
    }

    #[test]
    fn a_dash_after_a_builtin_offers_its_declared_flags_with_docs() {
        let (start, pairs) = complete(&shell(), "seq 3 | head -", 14);
        assert_eq!(start, 13);
        let shown: Vec<&str> = pairs.iter().map(|p| p.display.as_str()).collect();
        assert_eq!(
            shown,
            [
                "-n N  print the first N lines (-N says the same)",
                "-c N  print the first N bytes instead of lines"
            ]
        );
        assert_eq!(pairs[0].replacement, "-n ");
        assert_eq!(replacements("builtin wc -l").1, ["-l "]);
        assert!(replacements("nosuch -").1.is_empty());
        assert!(
            replacements("pwd -").1.is_empty(),
            "a builtin without flags"
        );
    }

    #[test]
    fn after_a_dollar_come_variables() {
        assert_eq!(replacements("echo $hom"), (6, vec!["home ".into()]));
        assert_eq!(replacements("echo $#pa"), (7, vec!["path ".into()]));
    }

    #[test]
    fn command_position_after_a_condition_but_not_a_list() {
        assert!(is_command_position("if(~ $x 1) "));
        assert!(!is_command_position("echo (a b) "));
        assert!(is_command_position("if not "));
    }

    #[test]
    fn missing_directories_and_odd_cursors_complete_nothing() {
        assert!(replacements("cat /nowhere/x").1.is_empty());
        assert!(complete(&shell(), "é", 1).1.is_empty());
    }
}
