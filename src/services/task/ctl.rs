//! The messages `/task/<id>/ctl` takes, parsed from bytes into a [`Command`].
//!
//! A message is one command: words split by the shell's own lexer, so quoting is rc's
//! (`'a b'` is one word, `''` a quote inside one, `#` starts a comment, `^` and adjacency
//! join). Only words may appear: a `$`, `|`, `{` or redirection has no meaning here and is
//! refused rather than taken literally. The flags of `bind` and `mount` are parsed by the
//! builtins' own flag parser ([`crate::builtins::args::parse_flags`]) into the same
//! [`MountFlags`]. This file only parses; [`super::files`] carries the command out through
//! the task core and the namespace cores.

use std::sync::Arc;

use crate::builtins::args::parse_flags;
use crate::builtins::nsverbs::{MOUNT_FLAGS, NO_FLAGS};
use crate::lang::SourceFile;
use crate::lang::lexer::{Tok, tokenize};
use crate::nsops::{MountFlags, RforkFlags};

/// What each verb looks like, for error messages and for reading `ctl`.
pub const USAGE: &str = "start | kill | bind [-abc] NEW OLD | mount [-abc] SERVICE [ARGS...] POINT | unmount [NEW] OLD | rfork [Nm]";

/// One control message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    /// Load the module and queue the task.
    Start,
    /// Stop the task (or drop it, if it never started).
    Kill,
    /// `bind [-abc] NEW OLD` in the task's namespace.
    Bind {
        flags: MountFlags,
        new: String,
        old: String,
    },
    /// `mount [-abc] SERVICE [ARGS...] POINT` in the task's namespace.
    Mount {
        flags: MountFlags,
        kind: String,
        args: Vec<String>,
        point: String,
    },
    /// `unmount [NEW] OLD` in the task's namespace.
    Unmount { new: Option<String>, old: String },
    /// `rfork [Nm]` on the task's namespace: `m` makes it no-attach before it starts (it
    /// becomes so at start anyway), `N` clean.
    Rfork(RforkFlags),
}

/// Parses one message. The error is a sentence for the writer of the message.
pub fn parse(message: &[u8]) -> Result<Command, String> {
    let text = std::str::from_utf8(message).map_err(|_| "not UTF-8 text".to_string())?;
    let mut commands = words(text)?.into_iter().filter(|line| !line.is_empty());
    let Some(words) = commands.next() else {
        return Err(format!("no command (one of: {USAGE})"));
    };
    if commands.next().is_some() {
        return Err("one command per write".into());
    }
    let (verb, rest) = words.split_first().ok_or("no command")?;
    match verb.as_str() {
        "start" => no_operands("start", rest).map(|()| Command::Start),
        "kill" => no_operands("kill", rest).map(|()| Command::Kill),
        "bind" => bind(rest),
        "mount" => mount(rest),
        "unmount" => unmount(rest),
        "rfork" => rfork(rest),
        other => Err(format!("unknown command '{other}' (one of: {USAGE})")),
    }
}

fn no_operands(verb: &str, rest: &[String]) -> Result<(), String> {
    match rest {
        [] => Ok(()),
        _ => Err(format!(
            "{verb}: takes no arguments, got {}",
            rest.join(" ")
        )),
    }
}

fn mount_flags(verb: &str, words: &[String]) -> Result<(MountFlags, usize), String> {
    let mut flags = MountFlags::default();
    let first = parse_flags(words, &MOUNT_FLAGS, |letter, _| flags.set(letter))
        .map_err(|message| format!("{verb}: {message}"))?;
    Ok((flags, first))
}

fn bind(words: &[String]) -> Result<Command, String> {
    let (flags, first) = mount_flags("bind", words)?;
    match &words[first..] {
        [new, old] => Ok(Command::Bind {
            flags,
            new: new.clone(),
            old: old.clone(),
        }),
        operands => Err(format!(
            "bind: {} (usage: bind [-abc] NEW OLD)",
            match operands.len() {
                0 => "missing NEW and OLD",
                1 => "missing OLD",
                _ => "too many arguments",
            }
        )),
    }
}

fn mount(words: &[String]) -> Result<Command, String> {
    let (flags, first) = mount_flags("mount", words)?;
    match &words[first..] {
        [kind, args @ .., point] => Ok(Command::Mount {
            flags,
            kind: kind.clone(),
            args: args.to_vec(),
            point: point.clone(),
        }),
        operands => Err(format!(
            "mount: {} (usage: mount [-abc] SERVICE [ARGS...] POINT)",
            match operands.len() {
                0 => "missing service",
                _ => "missing mount point",
            }
        )),
    }
}

fn unmount(words: &[String]) -> Result<Command, String> {
    let first = parse_flags(words, &NO_FLAGS, |_, _| Ok(()))
        .map_err(|message| format!("unmount: {message}"))?;
    match &words[first..] {
        [old] => Ok(Command::Unmount {
            new: None,
            old: old.clone(),
        }),
        [new, old] => Ok(Command::Unmount {
            new: Some(new.clone()),
            old: old.clone(),
        }),
        [] => Err("unmount: missing mount point (usage: unmount [NEW] OLD)".into()),
        _ => Err("unmount: too many arguments (usage: unmount [NEW] OLD)".into()),
    }
}

fn rfork(words: &[String]) -> Result<Command, String> {
    match words {
        [letters] => RforkFlags::parse(letters)
            .map(Command::Rfork)
            .map_err(|e| e.to_string()),
        _ => Err("rfork: give the letters as one word (usage: rfork [Nm])".into()),
    }
}

/// The message's lines (or `;`-separated commands), each as its words.
fn words(text: &str) -> Result<Vec<Vec<String>>, String> {
    let file = Arc::new(SourceFile::new("ctl", text));
    let tokens = tokenize(&file).map_err(|e| e.message)?;
    let mut lines: Vec<Vec<String>> = vec![Vec::new()];
    // Whether the next word piece joins the last word (after `^`, or glued to it).
    let mut join_next = false;
    for token in tokens {
        let piece = match token.tok {
            Tok::Word(text) | Tok::Quoted(text) => text,
            // rc takes a free `=` as text in an argument (`echo a=b`).
            Tok::Eq => "=".to_string(),
            Tok::Caret => {
                join_next = true;
                continue;
            }
            Tok::Newline | Tok::Semi => {
                lines.push(Vec::new());
                join_next = false;
                continue;
            }
            Tok::Eof => break,
            _ => {
                let at = token.span.start;
                let shown = text.get(at..).and_then(|rest| rest.chars().next());
                return Err(format!(
                    "'{}' is not allowed here: only words and 'quoted words'",
                    shown.unwrap_or('?')
                ));
            }
        };
        let line = lines.last_mut().ok_or("no command")?;
        match line.last_mut() {
            Some(last) if join_next || token.glued => last.push_str(&piece),
            _ => line.push(piece),
        }
        join_next = false;
    }
    Ok(lines)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ns::MountFlag;

    fn ok(text: &str) -> Command {
        match parse(text.as_bytes()) {
            Ok(command) => command,
            Err(message) => panic!("{text:?}: {message}"),
        }
    }

    fn err(text: &str) -> String {
        match parse(text.as_bytes()) {
            Ok(command) => panic!("{text:?} parsed as {command:?}"),
            Err(message) => message,
        }
    }

    #[test]
    fn verbs_without_operands() {
        assert_eq!(ok("start\n"), Command::Start);
        assert_eq!(ok("  kill  # now\n\n"), Command::Kill);
        assert_eq!(err("start now"), "start: takes no arguments, got now");
        assert_eq!(err(""), format!("no command (one of: {USAGE})"));
        assert_eq!(
            err("# only a comment\n"),
            format!("no command (one of: {USAGE})")
        );
        assert_eq!(
            err("stop"),
            format!("unknown command 'stop' (one of: {USAGE})")
        );
        assert_eq!(err("start\nkill\n"), "one command per write");
        assert_eq!(err("start; kill"), "one command per write");
    }

    #[test]
    fn bind_and_mount_take_the_builtins_flags_and_quotes() {
        assert_eq!(
            ok("bind -bc '/tmp/a b' /n\n"),
            Command::Bind {
                flags: MountFlags {
                    flag: MountFlag::Before,
                    create: true
                },
                new: "/tmp/a b".into(),
                old: "/n".into(),
            }
        );
        assert_eq!(
            ok("mount -a map 'motd=hi there' x=1 /n/m"),
            Command::Mount {
                flags: MountFlags {
                    flag: MountFlag::After,
                    create: false
                },
                kind: "map".into(),
                args: vec!["motd=hi there".into(), "x=1".into()],
                point: "/n/m".into(),
            }
        );
        assert_eq!(
            ok("bind /tmp/it''s^/x /n"),
            Command::Bind {
                flags: MountFlags::default(),
                new: "/tmp/its/x".into(),
                old: "/n".into(),
            },
            "'' is an empty quoted word glued on, and ^ joins"
        );
        assert_eq!(err("bind -ab /x /y"), "bind: -a and -b exclude each other");
        assert_eq!(err("bind -z /x /y"), "bind: unknown flag -z");
        assert_eq!(
            err("bind /x"),
            "bind: missing OLD (usage: bind [-abc] NEW OLD)"
        );
        assert_eq!(
            err("mount mem"),
            "mount: missing mount point (usage: mount [-abc] SERVICE [ARGS...] POINT)"
        );
        assert_eq!(
            err("mount"),
            "mount: missing service (usage: mount [-abc] SERVICE [ARGS...] POINT)"
        );
    }

    #[test]
    fn unmount_takes_one_or_two_paths() {
        assert_eq!(
            ok("unmount /n"),
            Command::Unmount {
                new: None,
                old: "/n".into()
            }
        );
        assert_eq!(
            ok("unmount /tmp /n"),
            Command::Unmount {
                new: Some("/tmp".into()),
                old: "/n".into()
            }
        );
        assert_eq!(
            err("unmount"),
            "unmount: missing mount point (usage: unmount [NEW] OLD)"
        );
        assert_eq!(err("unmount -b /n"), "unmount: unknown flag -b");
    }

    #[test]
    fn shell_syntax_beyond_words_is_refused() {
        assert_eq!(
            err("bind $x /n"),
            "'$' is not allowed here: only words and 'quoted words'"
        );
        assert_eq!(
            err("start | kill"),
            "'|' is not allowed here: only words and 'quoted words'"
        );
        assert_eq!(err("bind 'open /n"), "unterminated quote");
        assert_eq!(
            err("st\u{0}art"),
            format!("unknown command 'st\u{0}art' (one of: {USAGE})")
        );
        assert_eq!(parse(&[0xff, 0xfe]), Err("not UTF-8 text".into()));
    }

    proptest::proptest! {
        #[test]
        fn any_bytes_parse_or_fail_without_panicking(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..64)) {
            let _ = parse(&bytes);
        }

        #[test]
        fn shell_like_text_parses_or_fails_with_a_message(
            text in "(start|kill|bind|mount|unmount|-[abcz]{1,2}|'[a-z /]{0,4}'|[a-z/=^$|{}()<>;#]{1,4}|[ \n])*"
        ) {
            if let Err(message) = parse(text.as_bytes()) {
                proptest::prop_assert!(!message.is_empty());
            }
        }
    }
}
