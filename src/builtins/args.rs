//! The builtins' door to the flag grammar ([`crate::flags`]): a builtin's flags are parsed
//! against its own declaration, and a [`FlagError`] becomes a usage error located at the
//! argument at fault (`head -n x` points at `x`).
//!
//! The grammar itself lives in `flags`, which any door may use; nothing here may add a rule
//! of its own, or the builtins and the control files would parse differently.

use super::{Ctx, lookup};
use crate::eval::ShellError;
use crate::flags::{self, FlagError, Spec};

/// What a builtin's flag handler refuses a flag or its value with: any typed error (a
/// [`flags::CountError`], a size or duration error, [`flags::Undeclared`], ...), converted by
/// `?`. It is deliberately not an error type itself, so a bare `String` cannot become one.
#[derive(Debug)]
pub struct Refusal(Box<dyn std::error::Error + Send + Sync>);

impl<E: std::error::Error + Send + Sync + 'static> From<E> for Refusal {
    fn from(e: E) -> Refusal {
        Refusal(Box::new(e))
    }
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(&self.0, f)
    }
}

/// Parses the flags at the front of `args` against the declaration of the running builtin
/// (`ctx.name`), handing each to `on_flag` as `(letter, value)`, and returns the index of the
/// first operand. Only declared letters reach `on_flag`; its error becomes a usage error at
/// the argument it is about.
pub fn parse(
    ctx: &Ctx<'_>,
    args: &[String],
    on_flag: impl FnMut(char, Option<&str>) -> Result<(), Refusal>,
) -> Result<usize, ShellError> {
    let spec = lookup(ctx.name).map_or(Spec::NONE, |b| b.flags);
    parse_with(ctx, args, &spec, on_flag)
}

/// [`parse`] against an explicit spec.
pub fn parse_with(
    ctx: &Ctx<'_>,
    args: &[String],
    spec: &Spec,
    on_flag: impl FnMut(char, Option<&str>) -> Result<(), Refusal>,
) -> Result<usize, ShellError> {
    flags::parse(args, spec, on_flag).map_err(|e| usage_error(ctx, e))
}

/// Parses the flags of a builtin that has none: `--` is taken, any flag is refused.
pub fn none(ctx: &Ctx<'_>, args: &[String]) -> Result<usize, ShellError> {
    parse_with(ctx, args, &Spec::NONE, |letter, _| {
        Err(flags::Undeclared(letter).into())
    })
}

/// A flag error as this builtin's usage error, located at its argument.
pub fn usage_error<E: std::fmt::Display>(ctx: &Ctx<'_>, e: FlagError<E>) -> ShellError {
    let arg = e.arg();
    ctx.usage(e.to_string()).at_arg(arg)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::{Buffer, Io, Shell};
    use crate::flags::Flag;

    #[test]
    fn a_flag_error_is_a_usage_error_at_its_argument() {
        let mut shell = Shell::new();
        let ctx = Ctx {
            shell: &mut shell,
            io: Io::buffers(Buffer::new(), Buffer::new()),
            name: "head",
        };
        let args: Vec<String> = ["-n", "x"].map(String::from).to_vec();
        let e = parse(&ctx, &args, |letter, value| {
            flags::count(letter, value)?;
            Ok(())
        })
        .unwrap_err();
        assert_eq!(e.to_string(), "head: -n: not a count: 'x'");
        match e {
            ShellError::AtArg(at) => {
                assert_eq!(at.arg, 1);
                assert!(matches!(at.error, ShellError::Usage { .. }));
            }
            other => panic!("not located: {other:?}"),
        }
        const ONE: Spec = Spec::new(&[Flag::switch('v', "")]);
        let args: Vec<String> = ["-v", "--", "-x"].map(String::from).to_vec();
        assert_eq!(parse_with(&ctx, &args, &ONE, |_, _| Ok(())).unwrap(), 2);
        assert!(none(&ctx, &args).is_err());
        assert_eq!(none(&ctx, &args[1..]).unwrap(), 1);
    }
}
