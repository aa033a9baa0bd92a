//! The prompts, as rc has them: `$prompt(1)` before a command, `$prompt(2)` before each
//! further line of one that is not finished (an open `{`, quote or here document).
//!
//! The prompt is exactly what the variable holds (rc's default: `; ` and a tab); nothing is
//! glued to it. The working directory is shown another way: dimmed after the cursor while
//! the line is empty (see [`super::helper`]). Who wants it in the prompt does as in Byron
//! Rakitzis' rc: a function named `prompt` runs before the prompt of each new command, so
//! ``fn prompt { prompt=(`{pwd}^'; ') }`` puts it there. That function's output goes to the
//! terminal, its errors are reported like any other, and it never changes `$status`.

use std::sync::Arc;

use crate::eval::{Io, Shell};
use crate::lang::SourceFile;

/// The first prompt when `$prompt` is unset (rc's default).
const DEFAULT_FIRST: &str = "; ";

/// The prompt for the first line of a command, then the one for each further line.
pub fn prompts(shell: &Shell) -> (String, String) {
    let words = shell.proc.vars.get("prompt");
    let first = match &words {
        Some(words) => words.first().unwrap_or(""),
        None => DEFAULT_FIRST,
    };
    let more = words.as_ref().and_then(|w| w.get(1)).unwrap_or("");
    (displayable(first), displayable(more))
}

/// Runs the function `prompt`, if there is one, keeping `$status` as it was.
pub fn run_prompt_fn(shell: &mut Shell, io: &Io) {
    if !shell.proc.fns.contains_key("prompt") {
        return;
    }
    let status = shell.status();
    let file = Arc::new(SourceFile::new("<prompt>", "prompt".to_string()));
    if let Err(e) = shell.run_source(file, io) {
        shell.finish_error(e, io);
    }
    shell.set_status(&status);
}

/// The prompt as the line editor can draw it: tabs become the spaces to the next multiple of
/// eight (the editor counts columns, and a tab has no width of its own), and other control
/// characters are shown escaped rather than sent to the terminal.
fn displayable(prompt: &str) -> String {
    let mut out = String::with_capacity(prompt.len());
    let mut column = 0;
    for c in prompt.chars() {
        match c {
            '\t' => {
                let to = (column / 8 + 1) * 8;
                out.extend(std::iter::repeat_n(' ', to - column));
                column = to;
            }
            '\n' => {
                out.push('\n');
                column = 0;
            }
            c if c.is_control() => {
                let shown = crate::diag::escape::name(&c.to_string());
                column += shown.chars().count();
                out.push_str(&shown);
            }
            c => {
                out.push(c);
                column += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_prompt(words: &[&str]) -> Shell {
        let mut shell = Shell::new();
        shell.proc.vars.set(
            "prompt",
            words.iter().map(|w| w.to_string()).collect::<Vec<_>>(),
        );
        shell
    }

    #[test]
    fn the_prompts_are_the_variable_as_set() {
        assert_eq!(prompts(&Shell::new()), ("; ".into(), "        ".into()));
        assert_eq!(
            prompts(&with_prompt(&["% ", ">> "])),
            ("% ".into(), ">> ".into())
        );
        assert_eq!(prompts(&with_prompt(&["% "])), ("% ".into(), "".into()));
        assert_eq!(prompts(&with_prompt(&[])), ("".into(), "".into()));
    }

    #[test]
    fn tabs_expand_and_control_characters_are_escaped() {
        assert_eq!(displayable("ab\t;"), "ab      ;");
        assert!(!displayable("x\u{1b}[2J; ").contains('\u{1b}'));
    }

    #[test]
    fn the_prompt_function_runs_and_leaves_the_status() {
        let mut shell = Shell::new();
        let io = Io::default();
        let defined = shell.run_script(
            Arc::new(SourceFile::new(
                "t",
                "fn prompt { prompt=(`{pwd}^'; ' '') }; cd /tmp; false".to_string(),
            )),
            &io,
        );
        assert!(!defined.is_ok());
        run_prompt_fn(&mut shell, &io);
        assert_eq!(prompts(&shell).0, "/tmp; ");
        assert!(!shell.status().is_ok(), "$status is still false's");
    }
}
