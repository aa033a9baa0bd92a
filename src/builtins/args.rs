//! A small POSIX-style flag parser shared by the builtins.
//!
//! Flags come first and the first operand ends them (no GNU permutation: `grep pat -n` looks
//! for `-n` in a file, as on Plan 9 and under POSIXLY_CORRECT). Short flags cluster (`-vn`), a
//! flag's value is attached or the next argument (`-n5`, `-n 5`), `--` ends the flags and a
//! lone `-` is an operand (standard input). Each tool declares its flags in a [`Spec`] and
//! receives them through a callback, so the parsing rules live here once. It never panics on
//! any argument list and never guesses at an unknown flag: that is a usage error.

use crate::builtins::Ctx;
use crate::eval::ShellError;

/// The flags one tool accepts.
pub struct Spec {
    /// Flags without a value, e.g. `"vicn"`.
    pub switches: &'static str,
    /// Flags that take a value, e.g. `"e"` for `-e PAT`.
    pub valued: &'static str,
    /// `-5` means `-n 5` for this flag (head and tail).
    pub count: Option<char>,
    /// An argument such as `-2` or `-.5` is an operand, not a flag (seq's negative numbers).
    pub negative_numbers: bool,
}

/// Parses the flags at the front of `args`, handing each to `on_flag` as `(flag, value)`, and
/// returns the index of the first operand. `on_flag` rejects a bad value with a message, which
/// becomes a usage error.
pub fn parse(
    ctx: &Ctx<'_>,
    args: &[String],
    spec: &Spec,
    on_flag: impl FnMut(char, Option<&str>) -> Result<(), String>,
) -> Result<usize, ShellError> {
    parse_flags(args, spec, on_flag).map_err(|message| ctx.usage(message))
}

/// The core of [`parse`] for doors without a builtin's context (a control file's verbs):
/// the same rules, with a usage error as its bare message.
pub fn parse_flags(
    args: &[String],
    spec: &Spec,
    mut on_flag: impl FnMut(char, Option<&str>) -> Result<(), String>,
) -> Result<usize, String> {
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
        if cluster.starts_with("-") {
            return Err(format!("unknown flag {arg}"));
        }
        index += 1;
        let mut rest = cluster;
        if let Some(flag) = spec.count {
            let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
            if digits > 0 {
                on_flag(flag, Some(&rest[..digits]))?;
                rest = &rest[digits..];
            }
        }
        while let Some(flag) = rest.chars().next() {
            rest = &rest[flag.len_utf8()..];
            if spec.switches.contains(flag) {
                on_flag(flag, None)?;
            } else if spec.valued.contains(flag) {
                let value = if !rest.is_empty() {
                    std::mem::take(&mut rest)
                } else if let Some(next) = args.get(index) {
                    index += 1;
                    next.as_str()
                } else {
                    return Err(format!("flag -{flag} needs a value"));
                };
                on_flag(flag, Some(value))?;
            } else {
                return Err(format!("unknown flag -{flag}"));
            }
        }
    }
    Ok(index)
}

/// A non-negative count such as head's `-n 5`.
pub fn count(flag: char, value: Option<&str>) -> Result<u64, String> {
    let value = value.unwrap_or("");
    value
        .parse::<u64>()
        .map_err(|_| format!("-{flag}: not a count: '{value}'"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::{Buffer, Io, Shell};

    fn run(spec: &Spec, args: &[&str]) -> Result<(Vec<String>, usize), String> {
        let mut shell = Shell::new();
        let ctx = Ctx {
            shell: &mut shell,
            io: Io::buffers(Buffer::new(), Buffer::new()),
            name: "t",
        };
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        let mut seen = Vec::new();
        let first = parse(&ctx, &args, spec, |f, v| {
            seen.push(format!(
                "{f}{}",
                v.map(|v| format!("={v}")).unwrap_or_default()
            ));
            Ok(())
        })
        .map_err(|e| e.to_string())?;
        Ok((seen, first))
    }

    const SPEC: Spec = Spec {
        switches: "vn",
        valued: "e",
        count: Some('n'),
        negative_numbers: false,
    };

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
        let spec = Spec {
            switches: "w",
            valued: "s",
            count: None,
            negative_numbers: true,
        };
        assert_eq!(
            run(&spec, &["-w", "-2", "1"]).unwrap(),
            (vec!["w".to_string()], 1)
        );
        assert!(run(&SPEC, &["-.5"]).is_err());
    }

    #[test]
    fn unknown_and_valueless_flags_are_usage_errors() {
        assert!(run(&SPEC, &["-x"]).unwrap_err().contains("unknown flag -x"));
        assert!(
            run(&SPEC, &["--long"])
                .unwrap_err()
                .contains("unknown flag --long")
        );
        assert!(run(&SPEC, &["-e"]).unwrap_err().contains("needs a value"));
        assert!(count('n', Some("x")).is_err());
        assert_eq!(count('n', Some("7")), Ok(7));
    }
}
