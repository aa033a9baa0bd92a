//! The flags of the namespace verbs as every door spells them: `mount`/`bind`'s `-a -b -c`
//! (declared once as [`MOUNT_FLAGS`], parsed into [`MountFlags`]) and `rfork`'s letters
//! ([`RforkFlags`]).
//!
//! The `mount` and `bind` builtins, the task ctl door (`/task/<id>/ctl`) and the Rhai
//! functions all read these, so the three cannot spell a flag differently, and their usage
//! texts come from the same declaration. This file only parses: it never touches a namespace.

use thiserror::Error;

use super::{MountFlag, NsError};
use crate::flags::{self, Flag, FlagError, Spec};

/// The flags of `mount` and `bind`, in every door.
pub const MOUNT_FLAGS: Spec = Spec::new(&[
    Flag::switch('a', "union: searched after what is there"),
    Flag::switch('b', "union: searched before what is there"),
    Flag::switch('c', "new files made in the union go here"),
]);

/// How a mount or bind combines with what is at its point, as every door spells it: `-b`
/// (union, searched first), `-a` (union, searched last), `-c` (receives new files in the
/// union).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MountFlags {
    /// Replace (the default), `-b` before or `-a` after what is there.
    pub flag: MountFlag,
    /// `-c`: this member takes the union's creates.
    pub create: bool,
}

/// A mount flag refused.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum MountFlagError {
    /// `-a` and `-b` both given: a member is searched before or after, not both.
    #[error("-a and -b exclude each other")]
    Exclusive,
    /// A letter that is not a mount flag.
    #[error("unknown flag -{0} (flags are -b, -a, -c)")]
    Unknown(char),
}

impl MountFlags {
    /// Applies one flag letter.
    pub fn set(&mut self, letter: char) -> Result<(), MountFlagError> {
        match (letter, self.flag) {
            ('b', MountFlag::After) | ('a', MountFlag::Before) => {
                return Err(MountFlagError::Exclusive);
            }
            ('b', _) => self.flag = MountFlag::Before,
            ('a', _) => self.flag = MountFlag::After,
            ('c', _) => self.create = true,
            (other, _) => return Err(MountFlagError::Unknown(other)),
        }
        Ok(())
    }

    /// Flags written as one string, as a door without argument parsing takes them (Rhai's
    /// `mount(.., "-bc")`): letters, with any `-` and spaces ignored.
    pub fn parse(text: &str) -> Result<MountFlags, MountFlagError> {
        let mut flags = MountFlags::default();
        for letter in text.chars().filter(|c| !matches!(c, '-' | ' ')) {
            flags.set(letter)?;
        }
        Ok(flags)
    }

    /// The flags at the front of a verb's words (`-bc NEW OLD`) by the shared grammar, and
    /// the index of the first operand.
    pub fn parse_args(words: &[String]) -> Result<(MountFlags, usize), FlagError<MountFlagError>> {
        let mut flags = MountFlags::default();
        let first = flags::parse(words, &MOUNT_FLAGS, |letter, _| flags.set(letter))?;
        Ok((flags, first))
    }
}

/// What rc's `rfork [nNeEsfFm]` asks of a shell's namespace. oash honours the two letters
/// that change anything here: `N` (Plan 9's `RFCNAMEG`, a clean namespace: [`crate::nsops::newns`]) and
/// `m` (`RFNOMNT`: no-attach, see [`super::Namespace::no_attach`]). `n`, `e`, `s` and `f` ask for
/// what every oash shell process already has (its own copy of the namespace, of `/env`, of
/// its notes and descriptors) and are accepted as such; `E` and `F` (a clean environment, a
/// clean descriptor table) are refused rather than half done. No letters means rc's default,
/// `ensm`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RforkFlags {
    /// `N`: a clean namespace (Plan 9's `RFCNAMEG`), as `newns` makes it.
    pub clean_ns: bool,
    /// `m`: no-attach: nothing may be mounted from now on.
    pub no_attach: bool,
}

impl RforkFlags {
    /// `rfork m`: what `--sandbox` and every guest get.
    pub const NO_ATTACH: RforkFlags = RforkFlags {
        clean_ns: false,
        no_attach: true,
    };

    /// The letters as every door spells them (`rfork m`, Rhai `rfork("m")`, a ctl line),
    /// any `-` and spaces ignored.
    pub fn parse(letters: &str) -> Result<RforkFlags, NsError> {
        let letters: Vec<char> = letters
            .chars()
            .filter(|c| !matches!(c, '-' | ' '))
            .collect();
        if letters.is_empty() {
            return RforkFlags::parse("ensm");
        }
        let mut flags = RforkFlags::default();
        for letter in letters {
            match letter {
                'N' => flags.clean_ns = true,
                'm' => flags.no_attach = true,
                'n' | 'e' | 's' | 'f' => {}
                'E' | 'F' => {
                    return Err(rfork_error(format!(
                        "-{letter} is not supported (a clean {} is not available in oash)",
                        if letter == 'E' {
                            "environment"
                        } else {
                            "descriptor table"
                        }
                    )));
                }
                other => {
                    return Err(rfork_error(format!(
                        "unknown flag '{}' (flags are n N e s f m)",
                        other.escape_debug()
                    )));
                }
            }
        }
        Ok(flags)
    }
}

fn rfork_error(message: String) -> NsError {
    NsError::BadArgs {
        kind: "rfork".into(),
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mount_flags_parse_in_every_spelling() {
        let words: Vec<String> = ["-bc", "/x", "/y"].map(String::from).to_vec();
        let (flags, first) = MountFlags::parse_args(&words).unwrap();
        assert_eq!(first, 1);
        assert_eq!(flags, MountFlags::parse("b c").unwrap());
        assert_eq!(MountFlags::parse("-ab"), Err(MountFlagError::Exclusive));
        assert_eq!(MountFlags::parse("z"), Err(MountFlagError::Unknown('z')));
        let words: Vec<String> = ["-a", "-b"].map(String::from).to_vec();
        let e = MountFlags::parse_args(&words).unwrap_err();
        assert_eq!(
            (e.arg(), e.to_string()),
            (1, "-a and -b exclude each other".into())
        );
        assert_eq!(MOUNT_FLAGS.usage(|_| true, ""), "[-abc]");
    }

    #[test]
    fn rfork_letters() {
        assert_eq!(RforkFlags::parse(""), RforkFlags::parse("ensm"));
        assert_eq!(RforkFlags::parse("-m"), Ok(RforkFlags::NO_ATTACH));
        assert!(RforkFlags::parse("E").is_err());
        assert!(RforkFlags::parse("q").is_err());
    }
}
