//! Agents: identities, durable signed envelopes and the state each agent keeps, Durable
//! Objects style: one SQLite database per agent, which is the agent (copy the file and you
//! have copied it).
//!
//! This is the core every door calls: the `agent` and `send` builtins, Rhai's `send` and
//! `agent_new`, and the `/agents` files ([`crate::services::agents`]). It knows nothing of
//! the shell or the namespace. [`AgentRoot`] is what a shell holds: the state directory it
//! was given and the [`Agents`] of it, opened on first use, so a shell that never touches
//! an agent never opens SQLite. What it must never do: let the secret key of any identity
//! out of [`identity`] and the agent's own database.

mod config;
pub mod envelope;
mod error;
pub mod identity;
mod registry;
mod schema;
mod store;
mod store_files;
mod view;

use std::sync::{Arc, Mutex, PoisonError};

pub use config::{STATE_VAR, StateDir};
pub use error::AgentError;
pub use identity::Identity;
pub use registry::{Agent, Agents, CTL_USAGE, OPERATOR, OutboxState, Request, check_name};
pub use store::{DEFAULT_INBOX_MAX, InboxPolicy, Receipt, Store, Stored};
pub use store_files::{Node, TREES, TreeError};
pub use view::{Mailbox, entry_json, status_json};

/// A shell's agents: its state directory, and the registry over it once something asks.
#[derive(Clone)]
pub struct AgentRoot {
    inner: Arc<Mutex<RootState>>,
}

struct RootState {
    /// `None` until asked: the environment is read then ([`StateDir::from_env`]), not at
    /// start-up, which a shell that never touches an agent must not pay for.
    state: Option<StateDir>,
    agents: Option<Arc<Agents>>,
}

impl AgentRoot {
    /// Agents in `state`; nothing is opened yet.
    pub fn new(state: StateDir) -> AgentRoot {
        AgentRoot::with(Some(state))
    }

    /// Agents in the state directory the environment names, read when first asked.
    pub fn from_env() -> AgentRoot {
        AgentRoot::with(None)
    }

    fn with(state: Option<StateDir>) -> AgentRoot {
        AgentRoot {
            inner: Arc::new(Mutex::new(RootState {
                state,
                agents: None,
            })),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, RootState> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Uses `state` from now on (what `--state` and `--ephemeral` do before anything runs).
    pub fn set_state(&self, state: StateDir) {
        let mut root = self.lock();
        root.state = Some(state);
        root.agents = None;
    }

    /// The state directory.
    pub fn state(&self) -> StateDir {
        self.lock()
            .state
            .get_or_insert_with(StateDir::from_env)
            .clone()
    }

    /// The registry, opened now if it was not (an error each time it cannot be, so a
    /// directory made writable later works without a restart).
    pub fn agents(&self) -> Result<Arc<Agents>, AgentError> {
        let mut root = self.lock();
        if let Some(agents) = &root.agents {
            return Ok(Arc::clone(agents));
        }
        let state = root.state.get_or_insert_with(StateDir::from_env);
        let agents = Arc::new(Agents::open(state)?);
        root.agents = Some(Arc::clone(&agents));
        Ok(agents)
    }
}
