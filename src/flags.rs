//! The flag grammar every command shares, over flags declared as data.
//!
//! A command declares its flags once, as [`Flag`] values in a [`Spec`]; the parser, the
//! usage line, `help`, the REPL's completion and the ctl doors' usage texts are all read from
//! that one declaration, so a flag cannot be documented and parsed differently.
//!
//! The rules (POSIX, as on Plan 9 and under POSIXLY_CORRECT): flags come first and the first
//! operand ends them (no GNU permutation: `grep pat -n` looks for `-n` in a file). Short flags
//! cluster (`-vn`), a flag's value is attached or the next argument (`-n5`, `-n 5`), `--` ends
//! the flags and a lone `-` is an operand (standard input). A spec may add the count form
//! (`-5` means `-n 5`) and take negative numbers as operands (`seq -2 2`).
//!
//! This module sits below everything else: it depends on std and thiserror only, never on the
//! shell, so every door (builtin, control file, Rhai) can share it. It never panics on any
//! argument list and never guesses at an unknown flag: that is an error.

use std::fmt::Write as _;

use thiserror::Error;

/// One flag a command accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Flag {
    /// The letter after the `-`.
    pub letter: char,
    /// The name of its value in the usage line (`"N"` for `-n N`), or `None` for a switch.
    pub value: Option<&'static str>,
    /// What it does, in one line (shown by `help` and the completer).
    pub doc: &'static str,
    /// Whether it may be given more than once to add up (`grep -e A -e B`).
    pub repeats: bool,
}

impl Flag {
    /// A flag without a value.
    pub const fn switch(letter: char, doc: &'static str) -> Flag {
        Flag {
            letter,
            value: None,
            doc,
            repeats: false,
        }
    }
    /// A flag that takes a value, named `value` in the usage line.
    pub const fn valued(letter: char, value: &'static str, doc: &'static str) -> Flag {
        Flag {
            letter,
            value: Some(value),
            doc,
            repeats: false,
        }
    }
    /// The same flag, marked as one that may be given many times.
    pub const fn repeated(self) -> Flag {
        Flag {
            repeats: true,
            ..self
        }
    }
    /// How the flag is written in a usage line: `-n N` or `-v`.
    pub fn synopsis(&self) -> String {
        match self.value {
            Some(value) => format!("-{} {value}", self.letter),
            None => format!("-{}", self.letter),
        }
    }
}

/// The flags one command accepts and the parser's options for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Spec {
    pub flags: &'static [Flag],
    /// `-5` means `-n 5` for this flag (head and tail).
    pub count: Option<char>,
    /// An argument such as `-2` or `-.5` is an operand, not a flag (seq's negative numbers).
    pub negative_numbers: bool,
}

impl Spec {
    /// A command without flags.
    pub const NONE: Spec = Spec::new(&[]);

    /// The flags, with the default parser options.
    pub const fn new(flags: &'static [Flag]) -> Spec {
        Spec {
            flags,
            count: None,
            negative_numbers: false,
        }
    }
    /// The same spec, where `-5` stands for `-LETTER 5`.
    pub const fn with_count(self, letter: char) -> Spec {
        Spec {
            count: Some(letter),
            ..self
        }
    }
    /// The same spec, taking `-2` and `-.5` as operands.
    pub const fn with_negative_numbers(self) -> Spec {
        Spec {
            negative_numbers: true,
            ..self
        }
    }
    /// The declared flag `letter`, if any.
    pub fn flag(&self, letter: char) -> Option<&'static Flag> {
        self.flags.iter().find(|f| f.letter == letter)
    }

    /// The flags as a usage line shows them: the switches clustered in one bracket, then each
    /// valued flag in its own (`[-rnuf] [-k N[,M]]... [-t SEP]`), the count form beside its
    /// flag (`[-n N | -N]`). `shown` picks the flags (all of them: `|_| true`); `required`
    /// ones are written without brackets, in front.
    pub fn usage(&self, shown: impl Fn(char) -> bool, required: &str) -> String {
        let mut parts: Vec<String> = Vec::new();
        for flag in self.flags.iter().filter(|f| required.contains(f.letter)) {
            parts.push(flag.synopsis());
        }
        let optional = |f: &&Flag| shown(f.letter) && !required.contains(f.letter);
        let switches: String = self
            .flags
            .iter()
            .filter(optional)
            .filter(|f| f.value.is_none())
            .map(|f| f.letter)
            .collect();
        if !switches.is_empty() {
            parts.push(format!("[-{switches}]"));
        }
        for flag in self
            .flags
            .iter()
            .filter(optional)
            .filter(|f| f.value.is_some())
        {
            let mut part = format!("[{}", flag.synopsis());
            if self.count == Some(flag.letter) {
                part.push_str(" | -");
                part.push_str(flag.value.unwrap_or("N"));
            }
            part.push(']');
            if flag.repeats {
                part.push_str("...");
            }
            parts.push(part);
        }
        parts.join(" ")
    }

    /// One line per flag, `  -n N  doc`, aligned, for `help`.
    pub fn describe(&self) -> String {
        let width = self
            .flags
            .iter()
            .map(|f| f.synopsis().chars().count())
            .max()
            .unwrap_or(0);
        let mut text = String::new();
        for flag in self.flags {
            let _ = writeln!(text, "  {:<width$}  {}", flag.synopsis(), flag.doc);
        }
        text
    }
}

/// Why an argument list did not parse; `arg` is the index of the argument at fault (counted
/// from the first argument given to the parser), so a door can point at it.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum FlagError<E = Undeclared> {
    /// A flag the command does not declare (or a `--long` one: there are none).
    #[error("unknown flag {flag}")]
    Unknown { arg: usize, flag: String },
    /// A valued flag at the end of the arguments.
    #[error("flag -{flag} needs a value")]
    MissingValue { arg: usize, flag: char },
    /// The command refused the flag or its value (not a number, two flags that exclude each
    /// other, ...).
    #[error("{reason}")]
    BadValue { arg: usize, reason: E },
}

impl<E> FlagError<E> {
    /// The index of the argument at fault.
    pub fn arg(&self) -> usize {
        match self {
            FlagError::Unknown { arg, .. }
            | FlagError::MissingValue { arg, .. }
            | FlagError::BadValue { arg, .. } => *arg,
        }
    }
}

/// A declared flag that its command's handler does not handle: a bug in the command, never
/// the user's doing, reported rather than ignored (a handler's last match arm).
#[derive(Debug, Error, PartialEq, Eq)]
#[error("flag -{0} is declared but not handled (a bug)")]
pub struct Undeclared(pub char);

/// A value that is not a non-negative count (head's `-n x`).
#[derive(Debug, Error, PartialEq, Eq)]
#[error("-{flag}: not a count: '{value}'")]
pub struct CountError {
    pub flag: char,
    pub value: String,
}

/// A non-negative count such as head's `-n 5`.
pub fn count(flag: char, value: Option<&str>) -> Result<u64, CountError> {
    let value = value.unwrap_or("");
    value.parse::<u64>().map_err(|_| CountError {
        flag,
        value: value.to_string(),
    })
}

/// Parses the flags at the front of `args`, handing each to `on_flag` as `(letter, value)`
/// (`value` is `None` for a switch), and returns the index of the first operand. Only
/// declared letters reach `on_flag`; its error becomes a [`FlagError::BadValue`] at the
/// argument the flag (or its value) came from.
pub fn parse<E>(
    args: &[String],
    spec: &Spec,
    mut on_flag: impl FnMut(char, Option<&str>) -> Result<(), E>,
) -> Result<usize, FlagError<E>> {
    let mut index = 0;
    while let Some(arg) = args.get(index) {
        if arg == "--" {
            return Ok(index + 1);
        }
        let Some(cluster) = arg.strip_prefix('-') else {
            return Ok(index);
        };
        let starts_numeric = cluster.starts_with(|c: char| c.is_ascii_digit() || c == '.');
        if cluster.is_empty() || (spec.negative_numbers && starts_numeric) {
            return Ok(index);
        }
        if cluster.starts_with('-') {
            return Err(FlagError::Unknown {
                arg: index,
                flag: arg.clone(),
            });
        }
        let at = index;
        index += 1;
        let bad = |arg: usize| move |reason: E| FlagError::BadValue { arg, reason };
        let mut rest = cluster;
        if let Some(letter) = spec.count {
            let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
            if digits > 0 {
                on_flag(letter, Some(&rest[..digits])).map_err(bad(at))?;
                rest = &rest[digits..];
            }
        }
        while let Some(letter) = rest.chars().next() {
            rest = &rest[letter.len_utf8()..];
            match spec.flag(letter) {
                Some(Flag { value: None, .. }) => on_flag(letter, None).map_err(bad(at))?,
                Some(Flag { value: Some(_), .. }) => {
                    let (value, value_at) = if !rest.is_empty() {
                        (std::mem::take(&mut rest), at)
                    } else if let Some(next) = args.get(index) {
                        index += 1;
                        (next.as_str(), index - 1)
                    } else {
                        return Err(FlagError::MissingValue {
                            arg: at,
                            flag: letter,
                        });
                    };
                    on_flag(letter, Some(value)).map_err(bad(value_at))?;
                }
                None => {
                    return Err(FlagError::Unknown {
                        arg: at,
                        flag: format!("-{letter}"),
                    });
                }
            }
        }
    }
    Ok(index)
}

#[cfg(test)]
mod tests {
    use super::*;

    const FLAGS: &[Flag] = &[
        Flag::switch('v', "invert"),
        Flag::switch('n', "number"),
        Flag::valued('e', "PAT", "a pattern").repeated(),
    ];
    const SPEC: Spec = Spec::new(FLAGS).with_count('n');

    fn run(spec: &Spec, args: &[&str]) -> Result<(Vec<String>, usize), FlagError> {
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        let mut seen = Vec::new();
        let first = parse(&args, spec, |f, v| {
            seen.push(format!(
                "{f}{}",
                v.map(|v| format!("={v}")).unwrap_or_default()
            ));
            Ok(())
        })?;
        Ok((seen, first))
    }

    #[test]
    fn clusters_values_and_operands() {
        let (seen, first) = run(&SPEC, &["-vn", "-efoo", "-e", "bar", "-12", "x", "-v"]).unwrap();
        assert_eq!(seen, ["v", "n", "e=foo", "e=bar", "n=12"]);
        assert_eq!(first, 5);
    }

    #[test]
    fn double_dash_and_lone_dash_end_flags() {
        assert_eq!(run(&SPEC, &["-v", "--", "-n"]).unwrap().1, 2);
        assert_eq!(run(&SPEC, &["-", "-v"]).unwrap().1, 0);
    }

    #[test]
    fn negative_numbers_are_operands_when_asked() {
        const SEQ: Spec = Spec::new(&[Flag::switch('w', ""), Flag::valued('s', "SEP", "")])
            .with_negative_numbers();
        assert_eq!(
            run(&SEQ, &["-w", "-2", "1"]).unwrap(),
            (vec!["w".to_string()], 1)
        );
        assert!(run(&SPEC, &["-.5"]).is_err());
    }

    #[test]
    fn errors_carry_the_argument_at_fault() {
        let unknown = run(&SPEC, &["-v", "-x"]).unwrap_err();
        assert_eq!(unknown.to_string(), "unknown flag -x");
        assert_eq!(unknown.arg(), 1);
        let long = run(&SPEC, &["--long"]).unwrap_err();
        assert_eq!(long.to_string(), "unknown flag --long");
        let missing = run(&SPEC, &["-v", "-e"]).unwrap_err();
        assert_eq!(missing, FlagError::MissingValue { arg: 1, flag: 'e' });
        assert_eq!(missing.to_string(), "flag -e needs a value");
    }

    #[test]
    fn a_refused_value_points_at_the_value() {
        let args: Vec<String> = ["-v", "-e", "x", "-ey"].map(String::from).to_vec();
        let refuse = |letter: char, value: Option<&str>| match value {
            Some(v) => Err(count(letter, Some(v)).unwrap_err()),
            None => Ok(()),
        };
        let e = parse(&args, &SPEC, refuse).unwrap_err();
        assert_eq!(e.arg(), 2, "the separate value");
        assert_eq!(e.to_string(), "-e: not a count: 'x'");
        let e = parse(&args[3..], &SPEC, refuse).unwrap_err();
        assert_eq!(e.arg(), 0, "the attached value");
        assert_eq!(count('n', Some("7")), Ok(7));
    }

    #[test]
    fn usage_lines_are_derived() {
        assert_eq!(SPEC.usage(|_| true, ""), "[-vn] [-e PAT]...");
        const HEAD: Spec =
            Spec::new(&[Flag::valued('n', "N", ""), Flag::valued('c', "N", "")]).with_count('n');
        assert_eq!(HEAD.usage(|_| true, ""), "[-n N | -N] [-c N]");
        assert_eq!(HEAD.usage(|c| c == 'c', "n"), "-n N [-c N]");
        assert_eq!(Spec::NONE.usage(|_| true, ""), "");
        assert_eq!(
            SPEC.describe(),
            "  -v      invert\n  -n      number\n  -e PAT  a pattern\n"
        );
    }
}
