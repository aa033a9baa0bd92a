//! The interactive REPL: what `oash` runs with no script and no `-c`.
//!
//! Each entered text (one line, or several while a block, quote or here document is open) is
//! run as one source in the same [`Shell`], so variables, functions, mounts and the working
//! directory carry over. Ctrl-C abandons the line being typed, or interrupts the running
//! command, never the shell. History lives in a host file: that file is the only host-disk
//! access here; completion and everything else look only at the namespace. A failing history
//! file is a warning, never a reason to stop.

pub(crate) mod complete;
pub(crate) mod helper;
pub(crate) mod highlight;
pub(crate) mod jobs;
pub(crate) mod line;
pub(crate) mod prompt;

use std::io::{IsTerminal, Read, Write};
use std::path::PathBuf;
use std::sync::Arc;

use rustyline::Editor;
use rustyline::config::{CompletionType, Config};
use rustyline::error::ReadlineError;
use rustyline::history::FileHistory;

use crate::eval::{Io, Shell, ShellError};
use crate::lang::SourceFile;
use helper::ReplHelper;

/// Runs the REPL until Ctrl-D or `exit`; returns the exit code. When standard input is not a
/// terminal (`echo 'echo hi' | oash`) it reads all of it and runs it as one script instead.
pub fn run(shell: &mut Shell) -> i32 {
    // Commands read the terminal so that Ctrl-C ends the read and the next line is ours.
    let io = Io::terminal(shell.engines.terminal_stop());
    if !std::io::stdin().is_terminal() {
        return run_piped(shell, &io);
    }
    let config = Config::builder()
        .max_history_size(10_000)
        .and_then(|b| b.history_ignore_dups(true))
        .map(|b| {
            b.history_ignore_space(true)
                .completion_type(CompletionType::List)
                .auto_add_history(false)
                .build()
        });
    let editor = config.and_then(Editor::<ReplHelper, FileHistory>::with_config);
    let mut editor = match editor {
        Ok(editor) => editor,
        Err(e) => {
            warn(&io, &format!("cannot start the line editor: {e}"));
            return run_piped(shell, &io);
        }
    };
    editor.set_helper(Some(ReplHelper::new(shell)));
    // After the editor: rustyline installs its own SIGINT handler when it is created, and
    // ours must be the one in force while a command runs (the terminal is then not raw, so
    // Ctrl-C is a signal; while a line is edited it is a key, and rustyline reports it).
    let interrupter = shell.engines.front_interrupter();
    if let Err(e) = ctrlc::set_handler(move || interrupter.fire()) {
        warn(&io, &format!("Ctrl-C will end the shell: {e}"));
    }
    let mut job_control = jobs::JobControl::install(&shell.engines, &io);
    let mut history = history_path(&io);
    if let Some(path) = &history {
        match editor.load_history(path) {
            Ok(()) => {}
            Err(ReadlineError::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => warn(&io, &format!("history {}: {e}", path.display())),
        }
    }
    // At the prompt an error is one line; `why` shows the whole diagnostic.
    shell.engines.errors.set_brief(true);
    let code = loop {
        job_control.notices(shell, &io);
        // A Ctrl-C that stopped the last command must not stop the prompt function too.
        shell.proc.control.lower();
        prompt::run_prompt_fn(shell, &io);
        if let Some(helper) = editor.helper_mut() {
            helper.refresh(shell);
        }
        let text = match read_entry(&mut editor, shell) {
            Entry::Text(text) => text,
            Entry::Abandoned => continue,
            Entry::End if !job_control.may_quit(shell, &io) => continue,
            Entry::End => break shell.status().exit_code(),
            Entry::Failed(e) => {
                warn(&io, &format!("reading the line: {e}"));
                break shell.status().exit_code();
            }
        };
        if text.trim().is_empty() {
            continue;
        }
        let _ = editor.add_history_entry(text.as_str());
        save_history(&mut editor, &mut history, &io);
        let entry_io = io.clone();
        let entry = text.clone();
        let ran = job_control.run(shell, &entry, &io, move |shell| {
            run_entry(shell, text, &entry_io)
        });
        if let Some(code) = ran {
            break code;
        }
    };
    save_history(&mut editor, &mut history, &io);
    code
}

/// What the person entered at the prompt.
enum Entry {
    /// A command, one line or several.
    Text(String),
    /// Ctrl-C: the lines typed so far are dropped.
    Abandoned,
    /// Ctrl-D on an empty first line.
    End,
    /// The terminal failed.
    Failed(ReadlineError),
}

/// Reads one command: a line after `$prompt(1)`, then, while it is unfinished (an open
/// block, quote or here document), each further line after `$prompt(2)`. Ctrl-D on a
/// further line gives what there is, whose syntax error then says what is missing.
fn read_entry(editor: &mut Editor<ReplHelper, FileHistory>, shell: &Shell) -> Entry {
    let (first, more) = prompt::prompts(shell);
    let set_pending = |editor: &mut Editor<ReplHelper, FileHistory>, text: Option<&str>| {
        if let Some(helper) = editor.helper_mut() {
            helper.pending = text.map(str::to_string);
        }
    };
    set_pending(editor, None);
    let mut text = match editor.readline(&first) {
        Ok(text) => text,
        Err(ReadlineError::Interrupted) => return Entry::Abandoned,
        Err(ReadlineError::Eof) => return Entry::End,
        Err(e) => return Entry::Failed(e),
    };
    while helper::needs_more_lines(&text) {
        set_pending(editor, Some(&text));
        match editor.readline(&more) {
            Ok(line) => {
                text.push('\n');
                text.push_str(&line);
            }
            Err(ReadlineError::Interrupted) => return Entry::Abandoned,
            Err(ReadlineError::Eof) => break,
            Err(e) => return Entry::Failed(e),
        }
    }
    Entry::Text(text)
}

/// Runs one entered text. Returns the exit code when it was `exit`.
fn run_entry(shell: &mut Shell, text: String, io: &Io) -> Option<i32> {
    shell.proc.control.lower();
    let file = Arc::new(SourceFile::new("<stdin>", text));
    let status = match shell.run_source(file, io) {
        Ok(status) => status,
        Err(e) => match &e.error {
            ShellError::Exit(status) => return Some(status.exit_code()),
            ShellError::Interrupted => e.error.status(),
            _ => shell.finish_error(e, io),
        },
    };
    if shell.proc.control.is_interrupted() {
        // Ctrl-C stopped the command (a builtin, a loop, a guest): the terminal echoed `^C`,
        // and the prompt goes on the next line. That is all there is to say.
        let mut err = io.stderr();
        let _ = writeln!(err);
        let _ = err.flush();
    }
    shell.set_status(&status);
    None
}

/// Standard input is a pipe or a file: run all of it as one script.
fn run_piped(shell: &mut Shell, io: &Io) -> i32 {
    let mut bytes = Vec::new();
    if let Err(e) = std::io::stdin().read_to_end(&mut bytes) {
        warn(io, &format!("reading standard input: {e}"));
        return 1;
    }
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let status = shell.run_script(Arc::new(SourceFile::new("<stdin>", text)), io);
    shell.end_jobs();
    status.exit_code()
}

/// Where history is kept: `$OASH_HISTORY`, else `$XDG_STATE_HOME/oash/history`, else
/// `$HOME/.local/state/oash/history`. Creates the directory; `None` when there is nowhere.
fn history_path(io: &Io) -> Option<PathBuf> {
    let set = |name: &str| {
        std::env::var_os(name)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    let path = match set("OASH_HISTORY") {
        Some(path) => path,
        None => {
            let state = set("XDG_STATE_HOME").filter(|p| p.is_absolute());
            let state =
                state.or_else(|| set("HOME").map(|home| home.join(".local").join("state")))?;
            state.join("oash").join("history")
        }
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
        && let Err(e) = std::fs::create_dir_all(dir)
    {
        warn(io, &format!("history directory {}: {e}", dir.display()));
        return None;
    }
    Some(path)
}

/// Appends the new history entries to the file; after a failure, warns once and stops trying.
fn save_history(
    editor: &mut Editor<ReplHelper, FileHistory>,
    history: &mut Option<PathBuf>,
    io: &Io,
) {
    let Some(path) = history.as_deref() else {
        return;
    };
    if let Err(e) = editor.append_history(path) {
        warn(
            io,
            &format!(
                "history {}: {e} (history is no longer saved)",
                path.display()
            ),
        );
        *history = None;
    }
}

fn warn(io: &Io, message: &str) {
    let mut err = io.stderr();
    let _ = writeln!(err, "oash: warning: {message}");
    let _ = err.flush();
}
