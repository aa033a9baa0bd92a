//! Tab completion for the REPL, from the shell's own data: command names (builtins,
//! functions, keywords, the programs on `$path`), a builtin's flags (from its declaration,
//! each shown with its doc), variable names, the modules `spawn` runs, the verbs a `ctl` file
//! takes (`echo <TAB> > /task/1/ctl`, read from the file, which shows them) and namespace
//! paths, quoted as rc quotes when a name needs it (`'/tmp/my dir/'`) or the word was begun
//! inside a quote (`'/tmp/my d<TAB>`).
//!
//! Completion reads a snapshot of the shell (taken before each prompt) and the shell's
//! namespace, never the host disk: `/n/x/he<TAB>` lists the service mounted on `/n/x`, not a
//! host directory. A failed lookup (no such directory, a service error) completes nothing;
//! completion must never report an error into the line being edited, nor panic on it.

use std::io::Read;

use rustyline::completion::Pair;

use super::line::{self, Cursor};
use crate::builtins::Builtin;
use crate::eval::Shell;
use crate::lang::lexer::is_word_break;
use crate::ns::{FileKind, HandleReader, OpenFlags, path};

/// The words that begin rc compound commands, offered where a command may start.
pub const KEYWORDS: &[&str] = &["if", "for", "while", "switch", "fn"];

/// The services whose `ctl` file, read, lists the verbs it takes (`start | kill | ...`).
/// Only these are read: reading an arbitrary file called `ctl` (on a host mount, say) could
/// block or cost, and completion must do neither.
const CTL_SERVICES: &[&str] = &["task"];

/// The most of a `ctl` file read for its verbs.
const CTL_READ_LIMIT: u64 = 4096;

/// One thing the word could become.
struct Candidate {
    /// What the list shows.
    display: String,
    /// The whole word, unquoted.
    text: String,
    /// Whether a space follows it when it is the only one and the cursor ends the line (not
    /// after a directory, whose contents come next).
    complete: bool,
}

/// Completes the word that ends at `pos` in `line`: returns where the replaced text starts
/// and the candidates. Unique candidates end with a space when the cursor is at the end of
/// the line, so typing can go straight on.
pub fn complete(shell: &Shell, line: &str, pos: usize) -> (usize, Vec<Pair>) {
    let Some(before) = line.get(..pos) else {
        return (pos, Vec::new());
    };
    let at_end = pos == line.len();
    let cursor = line::read(line, pos);
    let head = &before[..cursor.start.min(before.len())];
    if !cursor.quoted && (head.ends_with('$') || head.ends_with("$#")) {
        // `$"name` is a join: the `"` belongs to the sigil, not to the name.
        let (start, name) = match cursor.value.strip_prefix('"') {
            Some(name) if head.ends_with('$') => (cursor.start + 1, name),
            _ => (cursor.start, cursor.value.as_str()),
        };
        return (start, render(variables(shell, name), false, at_end));
    }
    let candidates = candidates(shell, &cursor, head);
    (cursor.start, render(candidates, cursor.quoted, at_end))
}

/// What the word at the cursor can become, by where it stands.
fn candidates(shell: &Shell, cursor: &Cursor, head: &str) -> Vec<Candidate> {
    let value = cursor.value.as_str();
    if cursor.redirect_target {
        return paths(shell, value);
    }
    if is_command_start(cursor, head) {
        return match value.contains('/') {
            true => paths(shell, value),
            false => commands(shell, value),
        };
    }
    let Some((name, args)) = command(&cursor.words) else {
        return paths(shell, value);
    };
    let Some(builtin) = crate::builtins::lookup(name) else {
        return paths(shell, value);
    };
    let Some(index) = operand_index(builtin, args) else {
        return Vec::new(); // the value of a flag: nothing to offer
    };
    if index == 0 && value.starts_with('-') {
        return flags(builtin, value);
    }
    match operand_name(builtin, index) {
        Some("MODULE") => {
            let mut found = modules(shell, value);
            found.extend(paths(shell, value));
            found
        }
        // The first word `echo` writes into a ctl file is its verb.
        _ if name == "echo" && index == 0 => match ctl_file(cursor) {
            Some(ctl) => ctl_verbs(shell, ctl, value),
            None => paths(shell, value),
        },
        _ => paths(shell, value),
    }
}

/// Whether the word being typed is a command name.
fn is_command_start(cursor: &Cursor, head: &str) -> bool {
    // The reader starts a command anew after `name=value` prefixes and `if(...)`.
    is_command_position(head) || cursor.words.is_empty()
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

/// The command the words run and its arguments so far: the first word, past `!`, `@` and
/// `builtin`.
fn command(words: &[String]) -> Option<(&str, &[String])> {
    let mut rest = words;
    while let Some((first, tail)) = rest.split_first() {
        match first.as_str() {
            "!" | "@" | "builtin" => rest = tail,
            name => return Some((name, tail)),
        }
    }
    None
}

/// Which operand the next word is (0 for the first), reading `args` by the builtin's flag
/// declaration as its parser does: flags first, a valued flag's value attached or next, `--`
/// ends them. `None` when the next word is a flag's value.
fn operand_index(builtin: &Builtin, args: &[String]) -> Option<usize> {
    let mut operands = 0;
    let mut wants_value = false;
    let mut flags_over = false;
    for arg in args {
        if wants_value {
            wants_value = false;
        } else if flags_over || operands > 0 || arg == "-" || !arg.starts_with('-') {
            operands += 1;
        } else if arg == "--" {
            flags_over = true;
        } else {
            // A cluster `-vn5` or `-vn`: a valued letter takes the rest, or the next word.
            for (i, letter) in arg.char_indices().skip(1) {
                if builtin
                    .flags
                    .flag(letter)
                    .is_some_and(|f| f.value.is_some())
                {
                    wants_value = i + letter.len_utf8() == arg.len();
                    break;
                }
            }
        }
    }
    (!wants_value).then_some(operands)
}

/// The name the usage line gives operand `index` (`MODULE` in `MODULE [ARG...]`); the last
/// one repeats when it ends in `...`.
fn operand_name(builtin: &Builtin, index: usize) -> Option<&'static str> {
    let names: Vec<&'static str> = builtin
        .operands
        .split_whitespace()
        .map(|n| n.trim_matches(['[', ']']))
        .collect();
    match names.get(index) {
        Some(name) => Some(name.trim_end_matches("...")),
        None => names
            .last()
            .filter(|n| n.ends_with("..."))
            .map(|n| n.trim_end_matches("...")),
    }
}

/// The flags of `builtin` that start with `prefix` (`-` or `-n`), displayed with their docs:
/// `-n N  print the first N lines`.
fn flags(builtin: &Builtin, prefix: &str) -> Vec<Candidate> {
    builtin
        .flags
        .flags
        .iter()
        .filter(|f| format!("-{}", f.letter).starts_with(prefix))
        .map(|f| Candidate {
            display: format!("{}  {}", f.synopsis(), f.doc),
            text: format!("-{}", f.letter),
            complete: true,
        })
        .collect()
}

/// Builtins, functions, keywords and the programs on `$path`, sorted.
fn commands(shell: &Shell, prefix: &str) -> Vec<Candidate> {
    let mut names: Vec<String> = Vec::new();
    names.extend(crate::builtins::all().iter().map(|b| b.name.to_string()));
    names.extend(shell.proc.fns.keys().cloned());
    names.extend(KEYWORDS.iter().map(|k| k.to_string()));
    names.extend(shell.program_names());
    names.retain(|n| n.starts_with(prefix));
    names.sort();
    names.dedup();
    names.into_iter().map(word).collect()
}

/// The modules `spawn NAME` finds on `$path`, as NAME.
fn modules(shell: &Shell, prefix: &str) -> Vec<Candidate> {
    let mut names = shell.program_names();
    names.retain(|n| n.starts_with(prefix));
    names.into_iter().map(word).collect()
}

/// The shell's variable names starting with `prefix`.
fn variables(shell: &Shell, prefix: &str) -> Vec<Candidate> {
    let mut names: Vec<&str> = shell
        .proc
        .vars
        .names()
        .into_iter()
        .filter(|n| n.starts_with(prefix))
        .collect();
    names.sort_unstable();
    names.dedup();
    names.into_iter().map(|n| word(n.to_string())).collect()
}

/// A candidate that is a whole word.
fn word(name: String) -> Candidate {
    Candidate {
        display: name.clone(),
        text: name,
        complete: true,
    }
}

/// The file an output redirection of the command writes, when it is a `ctl` file.
fn ctl_file(cursor: &Cursor) -> Option<&str> {
    cursor
        .outputs
        .iter()
        .map(String::as_str)
        .find(|target| path::base_name(target) == "ctl")
}

/// The verbs the ctl file `target` takes that start with `prefix`, each shown with its usage:
/// read from the file itself, which lists them as `start | kill | bind [-abc] NEW OLD | ...`.
fn ctl_verbs(shell: &Shell, target: &str, prefix: &str) -> Vec<Candidate> {
    let Ok(at) = path::resolve(&shell.proc.cwd, target) else {
        return Vec::new();
    };
    let served = shell.proc.ns.resolve(&at).is_ok_and(|r| {
        r.targets
            .first()
            .is_some_and(|t| CTL_SERVICES.contains(&t.service.kind()))
    });
    let Some(handle) = served
        .then(|| shell.proc.ns.open(&at, OpenFlags::read()).ok())
        .flatten()
    else {
        return Vec::new();
    };
    let mut text = String::new();
    if HandleReader::new(handle)
        .take(CTL_READ_LIMIT)
        .read_to_string(&mut text)
        .is_err()
    {
        return Vec::new();
    }
    text.split('|')
        .map(str::trim)
        .filter_map(|usage| {
            let verb = usage.split_whitespace().next()?;
            verb.starts_with(prefix).then(|| Candidate {
                display: usage.to_string(),
                text: verb.to_string(),
                complete: true,
            })
        })
        .collect()
}

/// Names in the namespace directory that `word` (unquoted) points into. Directories end
/// with `/` so the next TAB goes on into them.
fn paths(shell: &Shell, word: &str) -> Vec<Candidate> {
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
    entries
        .into_iter()
        // Dot files only when asked for, as every shell does.
        .filter(|e| e.name.starts_with(base) && (base.starts_with('.') || !e.name.starts_with('.')))
        .map(|e| {
            let is_dir = e.kind == FileKind::Dir;
            let slash = if is_dir { "/" } else { "" };
            Candidate {
                display: format!("{}{slash}", e.name),
                text: format!("{dir_part}{}{slash}", e.name),
                complete: !is_dir,
            }
        })
        .collect()
}

/// The candidates as the editor takes them. If the word was quoted, or any candidate needs
/// quoting, every one is quoted whole, so they share the prefix the editor fills in and a
/// second TAB reads the same word again (`'/tmp/my dir/'`, then `'/tmp/my dir/file'`).
fn render(candidates: Vec<Candidate>, quoted: bool, at_end: bool) -> Vec<Pair> {
    let quote_all = quoted
        || candidates
            .iter()
            .any(|c| crate::lang::quote(&c.text) != c.text);
    let mut seen = std::collections::HashSet::new();
    candidates
        .into_iter()
        .filter(|c| seen.insert(c.text.clone()))
        .map(|c| {
            let text = match quote_all {
                true => format!("'{}'", c.text.replace('\'', "''")),
                false => c.text,
            };
            let space = if c.complete && at_end { " " } else { "" };
            Pair {
                display: c.display,
                replacement: format!("{text}{space}"),
            }
        })
        .collect()
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

    fn spaced() -> Shell {
        let shell = shell();
        let _ = shell.proc.ns.mkdir("/tmp/my dir");
        for file in ["/tmp/my dir/file one", "/tmp/my dir/fig"] {
            if let Ok(mut h) = shell.proc.ns.open(file, OpenFlags::write().create()) {
                let _ = h.close();
            }
        }
        shell
    }

    fn spaced_replacements(line: &str) -> (usize, Vec<String>) {
        let (start, pairs) = complete(&spaced(), line, line.len());
        (start, pairs.into_iter().map(|p| p.replacement).collect())
    }

    #[test]
    fn a_name_with_a_space_is_quoted_once_and_the_next_tab_goes_on_inside() {
        assert_eq!(
            spaced_replacements("cat /tmp/my"),
            (4, vec!["'/tmp/my dir/'".into()])
        );
        // The line after that TAB: the quoted word is read as one, and replaced whole.
        assert_eq!(
            spaced_replacements("cat '/tmp/my dir/'"),
            (
                4,
                vec![
                    "'/tmp/my dir/fig' ".into(),
                    "'/tmp/my dir/file one' ".into()
                ]
            )
        );
        assert_eq!(
            spaced_replacements("cat '/tmp/my dir/f"),
            (
                4,
                vec![
                    "'/tmp/my dir/fig' ".into(),
                    "'/tmp/my dir/file one' ".into()
                ]
            )
        );
        // Inside an open quote, and with the quote glued to plain text.
        assert_eq!(
            spaced_replacements("cat '/tmp/my d"),
            (4, vec!["'/tmp/my dir/'".into()])
        );
        assert_eq!(
            spaced_replacements("cat /tmp/'my dir'/fi"),
            (
                4,
                vec![
                    "'/tmp/my dir/fig' ".into(),
                    "'/tmp/my dir/file one' ".into()
                ]
            )
        );
    }

    #[test]
    fn a_quote_in_a_name_is_doubled() {
        let shell = shell();
        if let Ok(mut h) = shell.proc.ns.open("/tmp/it's", OpenFlags::write().create()) {
            let _ = h.close();
        }
        let (_, pairs) = complete(&shell, "cat /tmp/it", 11);
        let got: Vec<&str> = pairs.iter().map(|p| p.replacement.as_str()).collect();
        assert_eq!(got, ["'/tmp/it''s' "]);
    }

    #[test]
    fn spawn_offers_the_modules_on_path_then_paths() {
        let (start, got) = replacements("spawn up");
        assert_eq!((start, got), (6, vec!["upper ".to_string()]));
        // Past its flags, a valued one's value included; not in the value itself.
        assert_eq!(replacements("spawn -s -t 2s hel").1, ["hello "]);
        assert_eq!(replacements("spawn -t2s hel").1, ["hello "]);
        assert!(replacements("spawn -t hel").1.is_empty());
        // Only the first operand is the module; the next are its arguments (paths).
        assert_eq!(replacements("spawn upper /tmp/abc.").1, ["/tmp/abc.txt "]);
        assert_eq!(
            replacements("spawn /lib/oash/bin/upp").1,
            ["/lib/oash/bin/upper.wasm "]
        );
    }

    #[test]
    fn the_first_word_echoed_into_a_task_ctl_file_is_a_verb() {
        let mut sh = shell();
        let made = sh.run_script(
            std::sync::Arc::new(crate::lang::SourceFile::new(
                "t",
                "id=`{cat /task/new/wasi}".to_string(),
            )),
            &crate::eval::Io::default(),
        );
        assert!(made.is_ok());
        let id = sh
            .proc
            .vars
            .get("id")
            .and_then(|w| w.first().map(str::to_string));
        let ctl = format!("/task/{}/ctl", id.unwrap_or_default());
        let line = format!("echo  > {ctl}");
        let (start, pairs) = complete(&sh, &line, 5);
        let verbs: Vec<&str> = pairs.iter().map(|p| p.replacement.as_str()).collect();
        assert_eq!(start, 5);
        assert_eq!(
            verbs,
            ["start", "kill", "bind", "mount", "unmount", "rfork"]
        );
        assert!(
            pairs.iter().any(|p| p.display == "bind [-abc] NEW OLD"),
            "{:?}",
            pairs.iter().map(|p| &p.display).collect::<Vec<_>>()
        );
        let line = format!("echo k >> {ctl}");
        assert_eq!(complete(&sh, &line, 6).1.len(), 1);
        // The second word is no verb; and a file that is not a task's ctl has none.
        let line = format!("echo kill /tmp/ab > {ctl}");
        assert_eq!(complete(&sh, &line, 17).1.len(), 2);
        assert!(complete(&sh, "echo st > /tmp/ctl", 7).1.is_empty());
    }

    #[test]
    fn the_target_of_a_redirection_is_a_path() {
        assert_eq!(replacements("echo > /tmp/abc.").1, ["/tmp/abc.txt "]);
        assert_eq!(replacements("x=1 ec").1, ["echo "]);
        assert_eq!(replacements("x=(a b) ec").1, ["echo "]);
    }

    #[test]
    fn missing_directories_and_odd_cursors_complete_nothing() {
        assert!(replacements("cat /nowhere/x").1.is_empty());
        assert!(complete(&shell(), "é", 1).1.is_empty());
    }
}
