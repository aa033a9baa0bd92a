//! `$status`, rc-style: a string, empty for true.
//!
//! Programs report numbers ("1"), the shell reports words ("false") and error messages, and a
//! pipeline joins its members' statuses with `|` ("1|" for `false | true`, "|" for `true |
//! true`), as Plan 9 rc does; a status made only of `|` and `0` counts as true.

use std::fmt;

/// An exit status, rc style: a string, true when empty (or made only of `|` and `0`).
/// Programs' numeric codes and builtin failures are both strings here;
/// [`Status::exit_code`] maps back to a number.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Status(String);

impl Status {
    /// True: the empty status.
    pub fn ok() -> Status {
        Status(String::new())
    }
    /// A numeric exit code, as a program would give it; 0 is true.
    pub fn code(n: i64) -> Status {
        if n == 0 {
            Status::ok()
        } else {
            Status(n.to_string())
        }
    }
    /// Any non-empty text is false.
    pub fn failure(text: impl Into<String>) -> Status {
        let s: String = text.into();
        if s.is_empty() {
            Status("1".into())
        } else {
            Status(s)
        }
    }
    /// From a boolean: true is empty, false is "false" (what `!` and `~` give in rc).
    pub fn from_bool(b: bool) -> Status {
        if b {
            Status::ok()
        } else {
            Status("false".into())
        }
    }
    /// Plan 9 rc: a pipeline's status lists its members' statuses joined with `|`, so two
    /// true members give `|` (rc(1)), which is true like every status of `|` and `0` alone.
    pub fn pipeline(parts: &[Status]) -> Status {
        Status(
            parts
                .iter()
                .map(Status::as_str)
                .collect::<Vec<_>>()
                .join("|"),
        )
    }
    /// The status with text `s` (true if `s` is empty).
    pub fn from_string(s: String) -> Status {
        Status(s)
    }
    /// Whether it is true: rc's rule (`truestatus`), empty or made only of `0` and `|`, so
    /// the status of a pipeline of true commands (`|`) is true as well.
    pub fn is_ok(&self) -> bool {
        self.0.bytes().all(|b| b == b'|' || b == b'0')
    }
    /// The status text, as `$status` holds it.
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// The process exit code this status maps to: 0 for true, the number if it is one, else 1.
    pub fn exit_code(&self) -> i32 {
        if self.is_ok() {
            return 0;
        }
        match self.0.parse::<i64>() {
            Ok(n) if (1..=255).contains(&n) => n as i32,
            _ => 1,
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pipeline_status_is_true_only_when_all_are() {
        let both = Status::pipeline(&[Status::ok(), Status::ok()]);
        assert_eq!(both.as_str(), "|");
        assert!(both.is_ok());
        assert!(Status::from_string("0|0".into()).is_ok());
        assert!(!Status::from_string("|1".into()).is_ok());
        assert!(!Status::pipeline(&[Status::ok(), Status::code(2)]).is_ok());
        assert_eq!(
            Status::pipeline(&[Status::code(1), Status::ok()]).as_str(),
            "1|"
        );
    }

    #[test]
    fn exit_codes() {
        assert_eq!(Status::ok().exit_code(), 0);
        assert_eq!(Status::code(3).exit_code(), 3);
        assert_eq!(Status::failure("can't open").exit_code(), 1);
        assert_eq!(Status::code(300).exit_code(), 1);
    }
}
