//! The Rhai door to agents: thin calls into [`crate::agent`], the core the `agent` and
//! `send` builtins and the `/agents` files call too.
//!
//! | Rhai | does |
//! |------|------|
//! | `send(to, body)`, `send(to, body, #{from: "alice", type: "note"})` | sign and deliver one envelope; answers its id |
//! | `send_all([#{to, body, from, type}, ...])` | many at once, committed together; answers their ids |
//! | `agent_new(name)`, `agent_new()` | make an agent (a fresh name without one); answers its name |
//! | `agent_rm(name)` | remove an agent and its database |
//! | `agents() -> array` | the agents' names |
//!
//! Errors are the core's (`send: no such agent: carol`), raised with its code, as every
//! door of this API raises them.

use std::sync::Arc;

use rhai::{Array, Dynamic, EvalAltResult, Map};

use super::api::RunContext;
use crate::agent::envelope::DEFAULT_TYPE;
use crate::agent::{Agents, Request};
use crate::eval::ShellError;

type RhaiResult<T> = Result<T, Box<EvalAltResult>>;

/// Registers the agent functions on `engine`, bound to `context`.
pub fn register(engine: &mut rhai::Engine, context: &Arc<RunContext>) {
    let c = Arc::clone(context);
    engine.register_fn("send", move |to: &str, body: &str| {
        send(&c, &[Owned::new(to, body, None, None)]).map(|mut ids| ids.remove(0))
    });
    let c = Arc::clone(context);
    engine.register_fn("send", move |to: &str, body: &str, options: Map| {
        let one = Owned::from_options(to, body, &options).map_err(|e| c.raise(e))?;
        send(&c, &[one]).map(|mut ids| ids.remove(0))
    });
    let c = Arc::clone(context);
    engine.register_fn("send_all", move |items: Array| -> RhaiResult<Array> {
        let mut batch = Vec::with_capacity(items.len());
        for (i, item) in items.into_iter().enumerate() {
            let map = item
                .try_cast::<Map>()
                .ok_or_else(|| c.raise(bad(format!("item {i} is not a map #{{to, body, ...}}"))))?;
            let field = |name: &str| map.get(name).map(|v| v.to_string());
            let (Some(to), Some(body)) = (field("to"), field("body")) else {
                return Err(c.raise(bad(format!("item {i} needs `to` and `body`"))));
            };
            batch.push(Owned::from_options(&to, &body, &map).map_err(|e| c.raise(e))?);
        }
        Ok(send(&c, &batch)?.into_iter().map(Dynamic::from).collect())
    });
    let c = Arc::clone(context);
    engine.register_fn("agent_new", move |name: &str| -> RhaiResult<String> {
        with_agents(&c, "agent_new", |agents| {
            agents.create(name).map(|a| a.name.clone())
        })
    });
    let c = Arc::clone(context);
    engine.register_fn("agent_new", move || -> RhaiResult<String> {
        with_agents(&c, "agent_new", Agents::create_fresh)
    });
    let c = Arc::clone(context);
    engine.register_fn("agent_rm", move |name: &str| -> RhaiResult<()> {
        with_agents(&c, "agent_rm", |agents| agents.remove(name))
    });
    let c = Arc::clone(context);
    engine.register_fn("agents", move || -> RhaiResult<Array> {
        let names = with_agents(&c, "agents", Agents::names)?;
        Ok(names.into_iter().map(Dynamic::from).collect())
    });
}

fn bad(message: String) -> ShellError {
    ShellError::failed("send_all", message)
}

/// One request with its strings owned (Rhai hands out temporaries).
struct Owned {
    to: String,
    body: String,
    from: Option<String>,
    ty: Option<String>,
}

impl Owned {
    fn new(to: &str, body: &str, from: Option<String>, ty: Option<String>) -> Owned {
        Owned {
            to: to.into(),
            body: body.into(),
            from,
            ty,
        }
    }

    /// A request from `send`'s options map; a key it does not know is an error, so a typo
    /// (`#{frm: "a"}`) is not silently ignored.
    fn from_options(to: &str, body: &str, options: &Map) -> Result<Owned, ShellError> {
        for key in options.keys() {
            if !["from", "type", "to", "body"].contains(&key.as_str()) {
                return Err(ShellError::failed(
                    "send",
                    format!("unknown option `{key}` (say from, type)"),
                ));
            }
        }
        let text = |name: &str| options.get(name).map(|v| v.to_string());
        Ok(Owned::new(to, body, text("from"), text("type")))
    }
}

fn with_agents<T>(
    c: &RunContext,
    cmd: &str,
    f: impl FnOnce(&Agents) -> Result<T, crate::agent::AgentError>,
) -> RhaiResult<T> {
    c.call(|shell| {
        let agents = shell
            .engines
            .agents
            .agents()
            .map_err(|e| ShellError::agent(cmd, e))?;
        f(&agents).map_err(|e| ShellError::agent(cmd, e))
    })
}

fn send(c: &RunContext, batch: &[Owned]) -> RhaiResult<Vec<String>> {
    let requests: Vec<Request<'_>> = batch
        .iter()
        .map(|o| Request {
            from: o.from.as_deref(),
            to: &o.to,
            ty: o.ty.as_deref().unwrap_or(DEFAULT_TYPE),
            body: &o.body,
        })
        .collect();
    with_agents(c, "send", |agents| agents.send_all(&requests))
}
