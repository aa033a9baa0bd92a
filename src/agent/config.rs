//! Where agents live: a state directory on the host, or nowhere (`--ephemeral`).
//!
//! Resolution follows the XDG base directory convention: `--state DIR`, else `OASH_STATE`,
//! else `$XDG_DATA_HOME/oash`, else `~/.local/share/oash`. Nothing here touches the disk:
//! the directory is made (mode 0700) by the registry when an agent is first asked for, so a
//! shell that never touches `/agents` never looks at it.

use std::path::PathBuf;

/// The environment variable naming the state directory (the form of `--state` for scripts
/// and children).
pub const STATE_VAR: &str = "OASH_STATE";

/// Where a shell keeps its agents.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StateDir {
    /// Everything in memory, gone when the process ends (`--ephemeral`; `oash test` and the
    /// book).
    Ephemeral,
    /// A host directory: `agents/NAME.db`, one SQLite database per agent, and
    /// `operator.db`, the shell's own identity.
    Dir(PathBuf),
    /// No directory could be named (no `HOME`): an error on first use, naming why.
    Unset(&'static str),
}

impl StateDir {
    /// The state directory the environment names (see the module doc).
    pub fn from_env() -> StateDir {
        if let Some(dir) = std::env::var_os(STATE_VAR).filter(|d| !d.is_empty()) {
            return StateDir::Dir(PathBuf::from(dir));
        }
        if let Some(data) = std::env::var_os("XDG_DATA_HOME").filter(|d| !d.is_empty()) {
            return StateDir::Dir(PathBuf::from(data).join("oash"));
        }
        match std::env::var_os("HOME").filter(|d| !d.is_empty()) {
            Some(home) => StateDir::Dir(PathBuf::from(home).join(".local/share/oash")),
            None => StateDir::Unset("neither OASH_STATE, XDG_DATA_HOME nor HOME is set"),
        }
    }

    /// How `status` and errors name it.
    pub fn describe(&self) -> String {
        match self {
            StateDir::Ephemeral => "(ephemeral)".into(),
            StateDir::Dir(dir) => dir.display().to_string(),
            StateDir::Unset(_) => "(unset)".into(),
        }
    }
}
