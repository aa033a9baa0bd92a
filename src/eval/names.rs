//! The names a command word can take, and the nearest of them to one that is none.
//!
//! A command word runs a function, a builtin or a program on `$path` (see
//! [`Shell::find_program`]); the REPL's completer and highlighter and the "did you mean" of
//! an unknown command all ask here, so what is offered, what is coloured as a command and
//! what is suggested are the same set. Everything here only reads the namespace; a
//! directory of `$path` that cannot be read contributes nothing rather than failing.

use super::shell::Shell;
use crate::ns::{FileKind, path as ns_path};

/// The longest name compared for a suggestion: beyond it, a typo is not the likely story and
/// the comparison would only cost time.
const MAX_SUGGESTED: usize = 64;

impl Shell {
    /// The programs on `$path` as a command word names them (`upper` for `upper.wasm`; a
    /// file without the suffix when it starts with the WebAssembly magic), sorted, each once.
    pub fn program_names(&self) -> Vec<String> {
        let mut names = Vec::new();
        for dir in self.proc.vars.get("path").unwrap_or_default() {
            let Ok(dir) = ns_path::resolve(&self.proc.cwd, dir) else {
                continue;
            };
            let Ok(entries) = self.proc.ns.readdir(&dir) else {
                continue;
            };
            for entry in entries.into_iter().filter(|e| e.kind == FileKind::File) {
                match entry.name.strip_suffix(".wasm") {
                    Some(name) if !name.is_empty() => names.push(name.to_string()),
                    _ if self.starts_with_magic(&ns_path::join(&dir, &entry.name)) => {
                        names.push(entry.name)
                    }
                    _ => {}
                }
            }
        }
        names.sort_unstable();
        names.dedup();
        names
    }

    /// Whether `name` as a command word runs something: a function, a builtin, or a program
    /// (on `$path`, or a path to a file).
    pub fn is_command(&self, name: &str) -> bool {
        if self.proc.fns.contains_key(name) || crate::builtins::lookup(name).is_some() {
            return true;
        }
        match self.find_program(name) {
            // A name with a `/` is taken as a path whether or not it exists.
            Some(path) => self
                .proc
                .ns
                .stat(&path)
                .is_ok_and(|s| s.kind == FileKind::File),
            None => false,
        }
    }

    /// The command name nearest to `name` by edit distance, among the builtins, functions
    /// and programs, when one is near enough to be a likely typo (one edit for a short name,
    /// two for a longer one, and fewer than either has letters; a swap of two neighbours
    /// is one edit).
    pub fn did_you_mean(&self, name: &str) -> Option<String> {
        let length = name.chars().count();
        if length == 0 || length > MAX_SUGGESTED || name.contains('/') {
            return None;
        }
        let allowed = if length <= 4 { 1 } else { 2 };
        let mut candidates: Vec<String> = crate::builtins::all()
            .iter()
            .map(|b| b.name.to_string())
            .collect();
        candidates.extend(self.proc.fns.keys().cloned());
        candidates.extend(self.program_names());
        candidates
            .into_iter()
            .filter(|c| c != name)
            .filter_map(|c| {
                let d = distance(name, &c, allowed)?;
                // Changing every letter is no typo (`f` is not a slip for `.`).
                (d < length && d < c.chars().count()).then_some((d, c))
            })
            // Nearest first; among equals, the alphabetical first, so the answer is stable.
            .min()
            .map(|(_, c)| c)
    }
}

/// The edit distance from `a` to `b` (insertions, deletions, substitutions and swaps of two
/// neighbours, each one edit), or `None` when it is more than `limit`.
pub fn distance(a: &str, b: &str, limit: usize) -> Option<usize> {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > limit {
        return None;
    }
    // rows[i][j]: the distance between the first i chars of a and the first j of b.
    let mut rows = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in rows.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in rows[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (rows[i - 1][j] + 1)
                .min(rows[i][j - 1] + 1)
                .min(rows[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = best;
        }
    }
    let d = rows[a.len()][b.len()];
    (d <= limit).then_some(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distance_counts_edits_and_swaps() {
        assert_eq!(distance("ech", "echo", 2), Some(1));
        assert_eq!(distance("sl", "ls", 2), Some(1));
        assert_eq!(distance("grpe", "grep", 2), Some(1));
        assert_eq!(distance("kitten", "sitting", 3), Some(3));
        assert_eq!(distance("kitten", "sitting", 2), None);
        assert_eq!(distance("", "", 0), Some(0));
        assert_eq!(distance("日本", "日木", 1), Some(1));
    }

    #[test]
    fn a_typo_of_a_builtin_a_function_or_a_program_is_suggested() {
        let mut shell = Shell::new();
        assert_eq!(shell.did_you_mean("ech").as_deref(), Some("echo"));
        assert_eq!(shell.did_you_mean("grpe").as_deref(), Some("grep"));
        // A shipped guest on $path.
        assert_eq!(shell.did_you_mean("uper").as_deref(), Some("upper"));
        let defined = shell.run_script(
            std::sync::Arc::new(crate::lang::SourceFile::new("t", "fn greet { }")),
            &crate::proc::Io::default(),
        );
        assert!(defined.is_ok());
        assert_eq!(shell.did_you_mean("gret").as_deref(), Some("greet"));
        assert_eq!(shell.did_you_mean("xyzzy"), None);
        assert_eq!(shell.did_you_mean(""), None);
        assert_eq!(shell.did_you_mean("f"), None, "not `.`");
        assert_eq!(shell.did_you_mean("sl").as_deref(), Some("ls"));
    }

    #[test]
    fn what_runs_is_a_command() {
        let shell = Shell::new();
        assert!(shell.is_command("echo") && shell.is_command("upper"));
        assert!(shell.is_command("/lib/oash/bin/upper.wasm"));
        assert!(!shell.is_command("nosuch") && !shell.is_command("/nosuch.wasm"));
        assert!(shell.program_names().contains(&"hello".to_string()));
    }
}
