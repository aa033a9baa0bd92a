//! The messages `/task/<id>/ctl` takes, parsed from bytes into a [`Command`].
//!
//! A message is one command: words split by the shell's own lexer, so quoting is rc's
//! (`'a b'` is one word, `''` a quote inside one, `#` starts a comment, `^` and adjacency
//! join). Only words may appear: a `$`, `|`, `{` or redirection has no meaning here and is
//! refused rather than taken literally. The flags of `bind` and `mount` are parsed by the
//! shared flag grammar ([`crate::flags`]) over the same declaration the builtins use
//! ([`crate::ns::MOUNT_FLAGS`]) into the same [`MountFlags`], and the usage texts are derived
//! from it. This file only parses (it imports no other door); [`super::files`] carries the
//! command out through the task core and the namespace cores.

use std::sync::{Arc, OnceLock};

use thiserror::Error;

use crate::flags::{FlagError, Spec};
use crate::lang::SourceFile;
use crate::lang::lexer::{Tok, tokenize};
use crate::ns::{MOUNT_FLAGS, MountFlagError, MountFlags, NsError, RforkFlags};

/// One verb as its usage shows it: its flags (declared data) and operands.
struct Verb {
    name: &'static str,
    flags: Spec,
    operands: &'static str,
}

/// Every verb, in the order the usage lists them.
const VERBS: &[Verb] = &[
    Verb {
        name: "start",
        flags: Spec::NONE,
        operands: "",
    },
    Verb {
        name: "kill",
        flags: Spec::NONE,
        operands: "",
    },
    Verb {
        name: "bind",
        flags: MOUNT_FLAGS,
        operands: "NEW OLD",
    },
    Verb {
        name: "mount",
        flags: MOUNT_FLAGS,
        operands: "SERVICE [ARGS...] POINT",
    },
    Verb {
        name: "unmount",
        flags: Spec::NONE,
        operands: "[NEW] OLD",
    },
    Verb {
        name: "rfork",
        flags: Spec::NONE,
        operands: "[Nm]",
    },
];

impl Verb {
    fn usage(&self) -> String {
        let flags = self.flags.usage(|_| true, "");
        [self.name, flags.as_str(), self.operands]
            .iter()
            .filter(|part| !part.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// The usage of verb `name` (one of [`VERBS`]).
fn verb_usage(name: &str) -> String {
    VERBS
        .iter()
        .find(|v| v.name == name)
        .map(Verb::usage)
        .unwrap_or_default()
}

/// What each verb looks like, for error messages and for reading `ctl`:
/// `start | kill | bind [-abc] NEW OLD | ...`.
pub fn usage() -> &'static str {
    static USAGE: OnceLock<String> = OnceLock::new();
    USAGE.get_or_init(|| {
        VERBS
            .iter()
            .map(Verb::usage)
            .collect::<Vec<_>>()
            .join(" | ")
    })
}

/// Why a control message was refused; the message is a sentence for its writer.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum CtlError {
    #[error("not UTF-8 text")]
    NotUtf8,
    #[error("no command (one of: {})", usage())]
    NoCommand,
    #[error("one command per write")]
    OneCommandPerWrite,
    #[error("unknown command '{0}' (one of: {usage})", usage = usage())]
    UnknownVerb(String),
    #[error("{verb}: takes no arguments, got {got}")]
    NoOperands { verb: &'static str, got: String },
    #[error("{verb}: {source}")]
    Flags {
        verb: &'static str,
        source: FlagError<MountFlagError>,
    },
    /// Operands missing or too many: what is wrong, and the verb's usage.
    #[error("{verb}: {problem} (usage: {})", verb_usage(verb))]
    Operands {
        verb: &'static str,
        problem: &'static str,
    },
    #[error("{0}")]
    Rfork(NsError),
    /// The lexer's own message (an unterminated quote, ...).
    #[error("{0}")]
    Syntax(String),
    #[error("'{0}' is not allowed here: only words and 'quoted words'")]
    NotAWord(char),
}

/// One control message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    /// Load the module and queue the task.
    Start,
    /// Stop the task (or drop it, if it never started).
    Kill,
    /// `bind [-abc] NEW OLD` in the task's namespace.
    Bind {
        /// `-a`, `-b`, `-c`.
        flags: MountFlags,
        /// What is bound, as written (relative to the task's working directory).
        new: String,
        /// Where it is bound, as written.
        old: String,
    },
    /// `mount [-abc] SERVICE [ARGS...] POINT` in the task's namespace.
    Mount {
        /// `-a`, `-b`, `-c`.
        flags: MountFlags,
        /// The service's name (`mem`, `host`, ...).
        kind: String,
        /// The service's own arguments.
        args: Vec<String>,
        /// The mount point, as written.
        point: String,
    },
    /// `unmount [NEW] OLD` in the task's namespace.
    Unmount {
        /// The bound path to take off `old`, or `None` for all of it.
        new: Option<String>,
        /// The mount point, as written.
        old: String,
    },
    /// `rfork [Nm]` on the task's namespace: `m` makes it no-attach before it starts (it
    /// becomes so at start anyway), `N` clean.
    Rfork(RforkFlags),
}

/// Parses one message.
pub fn parse(message: &[u8]) -> Result<Command, CtlError> {
    let text = std::str::from_utf8(message).map_err(|_| CtlError::NotUtf8)?;
    let mut commands = words(text)?.into_iter().filter(|line| !line.is_empty());
    let Some(words) = commands.next() else {
        return Err(CtlError::NoCommand);
    };
    if commands.next().is_some() {
        return Err(CtlError::OneCommandPerWrite);
    }
    let (verb, rest) = words.split_first().ok_or(CtlError::NoCommand)?;
    match verb.as_str() {
        "start" => no_operands("start", rest).map(|()| Command::Start),
        "kill" => no_operands("kill", rest).map(|()| Command::Kill),
        "bind" => bind(rest),
        "mount" => mount(rest),
        "unmount" => unmount(rest),
        "rfork" => rfork(rest),
        other => Err(CtlError::UnknownVerb(other.to_string())),
    }
}

fn no_operands(verb: &'static str, rest: &[String]) -> Result<(), CtlError> {
    match rest {
        [] => Ok(()),
        _ => Err(CtlError::NoOperands {
            verb,
            got: rest.join(" "),
        }),
    }
}

fn mount_flags(verb: &'static str, words: &[String]) -> Result<(MountFlags, usize), CtlError> {
    MountFlags::parse_args(words).map_err(|source| CtlError::Flags { verb, source })
}

fn operands(verb: &'static str, problem: &'static str) -> CtlError {
    CtlError::Operands { verb, problem }
}

fn bind(words: &[String]) -> Result<Command, CtlError> {
    let (flags, first) = mount_flags("bind", words)?;
    match &words[first..] {
        [new, old] => Ok(Command::Bind {
            flags,
            new: new.clone(),
            old: old.clone(),
        }),
        operands_given => Err(operands(
            "bind",
            match operands_given.len() {
                0 => "missing NEW and OLD",
                1 => "missing OLD",
                _ => "too many arguments",
            },
        )),
    }
}

fn mount(words: &[String]) -> Result<Command, CtlError> {
    let (flags, first) = mount_flags("mount", words)?;
    match &words[first..] {
        [kind, args @ .., point] => Ok(Command::Mount {
            flags,
            kind: kind.clone(),
            args: args.to_vec(),
            point: point.clone(),
        }),
        operands_given => Err(operands(
            "mount",
            match operands_given.len() {
                0 => "missing service",
                _ => "missing mount point",
            },
        )),
    }
}

fn unmount(words: &[String]) -> Result<Command, CtlError> {
    let first = crate::flags::parse(words, &Spec::NONE, |letter, _| {
        Err(MountFlagError::Unknown(letter))
    })
    .map_err(|source| CtlError::Flags {
        verb: "unmount",
        source,
    })?;
    match &words[first..] {
        [old] => Ok(Command::Unmount {
            new: None,
            old: old.clone(),
        }),
        [new, old] => Ok(Command::Unmount {
            new: Some(new.clone()),
            old: old.clone(),
        }),
        [] => Err(operands("unmount", "missing mount point")),
        _ => Err(operands("unmount", "too many arguments")),
    }
}

fn rfork(words: &[String]) -> Result<Command, CtlError> {
    match words {
        [letters] => RforkFlags::parse(letters)
            .map(Command::Rfork)
            .map_err(CtlError::Rfork),
        _ => Err(operands("rfork", "give the letters as one word")),
    }
}

/// The message's lines (or `;`-separated commands), each as its words.
fn words(text: &str) -> Result<Vec<Vec<String>>, CtlError> {
    let file = Arc::new(SourceFile::new("ctl", text));
    let tokens = tokenize(&file).map_err(|e| CtlError::Syntax(e.message))?;
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
                return Err(CtlError::NotAWord(shown.unwrap_or('?')));
            }
        };
        let line = lines.last_mut().ok_or(CtlError::NoCommand)?;
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
            Err(error) => panic!("{text:?}: {error}"),
        }
    }

    fn err(text: &str) -> String {
        match parse(text.as_bytes()) {
            Ok(command) => panic!("{text:?} parsed as {command:?}"),
            Err(error) => error.to_string(),
        }
    }

    const USAGE: &str = "start | kill | bind [-abc] NEW OLD | mount [-abc] SERVICE [ARGS...] POINT | unmount [NEW] OLD | rfork [Nm]";

    #[test]
    fn the_usage_is_derived_as_it_always_read() {
        assert_eq!(usage(), USAGE);
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
        assert_eq!(parse(&[0xff, 0xfe]), Err(CtlError::NotUtf8));
        assert_eq!(CtlError::NotUtf8.to_string(), "not UTF-8 text");
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
            if let Err(error) = parse(text.as_bytes()) {
                proptest::prop_assert!(!error.to_string().is_empty());
            }
        }
    }
}
