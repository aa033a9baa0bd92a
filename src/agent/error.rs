//! Errors of the agent core: one enum for the registry, the stores, identities and envelopes.
//!
//! Every variant names the agent (and, where there is one, the path or the envelope) so the
//! message stands on its own wherever it surfaces: a builtin's diagnostic, a Rhai error, a
//! control file's failed close. No variant ever carries key material: an error about a key
//! says which check failed, never the bytes it looked at.

use miette::Diagnostic;
use thiserror::Error;

/// What can go wrong in the agent core.
#[derive(Debug, Clone, PartialEq, Eq, Error, Diagnostic)]
pub enum AgentError {
    /// No agent of that name in the state directory.
    #[error("no such agent: {name}")]
    #[diagnostic(
        code(oash::agent::unknown),
        help("`ls /agents` lists the agents; `agent new NAME` makes one")
    )]
    Unknown {
        /// The name asked for.
        name: String,
    },
    /// A name an agent cannot have.
    #[error("bad agent name {name:?}: {reason}")]
    #[diagnostic(code(oash::agent::bad_name))]
    BadName {
        /// The name given.
        name: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// `agent new` of a name that is taken.
    #[error("agent {name} already exists")]
    #[diagnostic(code(oash::agent::exists))]
    Exists {
        /// The name.
        name: String,
    },
    /// A recipient that is neither an agent's name, an npub nor a hex public key.
    #[error("bad recipient {to:?}: not an agent here, an npub or a hex public key")]
    #[diagnostic(code(oash::agent::bad_recipient))]
    BadRecipient {
        /// What was given.
        to: String,
    },
    /// An envelope that fails a check on receipt; it was kept in the recipient's
    /// `deadletter/` under `kept` (when it could be kept).
    #[error("{agent}: envelope rejected: {reason}{}", kept.as_ref().map(|id| format!(" (kept as deadletter/{id})")).unwrap_or_default())]
    #[diagnostic(code(oash::agent::rejected))]
    Rejected {
        /// The recipient.
        agent: String,
        /// The failed check, naming the field (`signature: does not verify`).
        reason: String,
        /// The deadletter entry it was kept as.
        kept: Option<String>,
    },
    /// A full inbox whose policy refuses new envelopes.
    #[error("{agent}: inbox full ({depth} of at most {max}, policy {policy})")]
    #[diagnostic(
        code(oash::agent::inbox_full),
        help(
            "raise it with `echo inbox max N > /agents/{agent}/ctl`, or acknowledge envelopes with `rm`"
        )
    )]
    InboxFull {
        /// The recipient.
        agent: String,
        /// Envelopes waiting.
        depth: u64,
        /// The inbox's maximum depth.
        max: u64,
        /// The overflow policy in force.
        policy: String,
    },
    /// The state directory cannot be made or written.
    #[error("state directory {dir}: {reason}")]
    #[diagnostic(
        code(oash::agent::state),
        help("choose another with --state DIR or OASH_STATE, or run with --ephemeral")
    )]
    State {
        /// The directory.
        dir: String,
        /// What went wrong.
        reason: String,
    },
    /// A database written by a newer oash, whose schema this one does not know.
    #[error("{path}: database schema version {found} is newer than this oash knows ({supported})")]
    #[diagnostic(
        code(oash::agent::newer),
        help("open it with the oash that wrote it, or a newer one")
    )]
    Newer {
        /// The database file.
        path: String,
        /// Its `user_version`.
        found: i64,
        /// The newest version this oash knows.
        supported: i64,
    },
    /// The agent's database failed (a full disk, a damaged file, a lock held too long).
    #[error("{agent}: database: {reason}")]
    #[diagnostic(code(oash::agent::db))]
    Db {
        /// The agent (`operator` for the shell's own identity).
        agent: String,
        /// SQLite's message.
        reason: String,
    },
    /// A request to an identity file, a ctl line or an argument that does not parse.
    #[error("{what}: {reason}")]
    #[diagnostic(code(oash::agent::bad_request))]
    BadRequest {
        /// Which file or verb (`alice/identity/verify`).
        what: String,
        /// What is wrong, naming the field.
        reason: String,
    },
    /// An envelope id that is not in the box asked about.
    #[error("{agent}: no envelope {id} in {mailbox}")]
    #[diagnostic(code(oash::agent::no_envelope))]
    NoEnvelope {
        /// The agent.
        agent: String,
        /// `inbox`, `outbox` or `deadletter`.
        mailbox: &'static str,
        /// The id asked for.
        id: String,
    },
    /// A key operation failed (a NIP-44 payload that does not decrypt, say).
    #[error("{agent}: {what}: {reason}")]
    #[diagnostic(code(oash::agent::crypto))]
    Crypto {
        /// The agent whose identity was used.
        agent: String,
        /// The operation (`decrypt`, `encrypt`, `sign`).
        what: &'static str,
        /// The library's reason, which never holds key material.
        reason: String,
    },
}

impl AgentError {
    /// A database error of `agent`'s store.
    pub(crate) fn db(agent: &str, error: impl std::fmt::Display) -> AgentError {
        AgentError::Db {
            agent: agent.to_string(),
            reason: error.to_string(),
        }
    }

    /// A malformed request to `what`.
    pub(crate) fn bad(what: impl Into<String>, reason: impl Into<String>) -> AgentError {
        AgentError::BadRequest {
            what: what.into(),
            reason: reason.into(),
        }
    }
}
