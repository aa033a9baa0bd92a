//! How envelopes and agents read as files: the JSON of `inbox/ID`, `outbox/ID`,
//! `deadletter/ID` and `status`. One rendering for every door, so `cat` and Rhai's `read`
//! see the same bytes.

use serde_json::{Value, json};

use super::identity::npub;
use super::registry::{Agent, Agents};
use super::store::Stored;
use crate::units::rfc3339_millis;

/// The three mailboxes of an agent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mailbox {
    /// Envelopes received, waiting to be acknowledged.
    Inbox,
    /// Envelopes sent, with their delivery state.
    Outbox,
    /// Envelopes refused, with the reason.
    Deadletter,
}

impl Mailbox {
    /// The directory's name.
    pub fn name(self) -> &'static str {
        match self {
            Mailbox::Inbox => "inbox",
            Mailbox::Outbox => "outbox",
            Mailbox::Deadletter => "deadletter",
        }
    }
}

fn time(ms: i64) -> String {
    let ms = u64::try_from(ms).unwrap_or(0);
    rfc3339_millis(std::time::UNIX_EPOCH + std::time::Duration::from_millis(ms))
}

/// The local name of the agent with the hex key `hex`, if there is one here.
fn name_of(agents: &Agents, hex: &str) -> Value {
    let Some(pk) = super::identity::parse_public_key(hex) else {
        return Value::Null;
    };
    match agents.find_key(&pk).ok().flatten() {
        Some(agent) => Value::String(agent.name.clone()),
        None if agents.is_operator(&pk) => Value::String(super::OPERATOR.into()),
        None => Value::Null,
    }
}

/// The JSON a mailbox entry reads as, with a newline.
pub fn entry_json(agents: &Agents, owner: &Agent, mailbox: Mailbox, entry: &Stored) -> Vec<u8> {
    let event: Value = serde_json::from_slice(&entry.event).unwrap_or(Value::Null);
    let body = event.get("content").cloned().unwrap_or(Value::Null);
    let value = match mailbox {
        Mailbox::Inbox => json!({
            "id": entry.id,
            "from": entry.peer,
            "from_name": name_of(agents, &entry.peer),
            "to": owner.name,
            "type": entry.ty,
            "body": body,
            "received": time(entry.at),
            "event": event,
        }),
        Mailbox::Outbox => json!({
            "id": entry.id,
            "from": owner.name,
            "to": entry.peer,
            "to_name": name_of(agents, &entry.peer),
            "type": entry.ty,
            "body": body,
            "state": entry.note,
            "sent": time(entry.at),
            "event": event,
        }),
        Mailbox::Deadletter => json!({
            "id": entry.id,
            "reason": entry.note,
            "received": time(entry.at),
            "raw": String::from_utf8_lossy(&entry.event),
        }),
    };
    let mut text = serde_json::to_vec_pretty(&value).unwrap_or_default();
    text.push(b'\n');
    text
}

/// The JSON `status` reads as, with a newline.
pub fn status_json(agent: &Agent) -> Result<Vec<u8>, super::AgentError> {
    let store = agent.store();
    let (inbox, deadletter, pending) = store.counts()?;
    let (max, policy) = store.inbox_limits()?;
    drop(store);
    let value = json!({
        "name": agent.name,
        "pubkey": agent.public_key().to_hex(),
        "npub": npub(&agent.public_key()),
        "created": time(agent.created),
        "inbox": inbox,
        "inbox_max": max,
        "inbox_policy": policy.name(),
        "deadletter": deadletter,
        "outbox_pending": pending,
        "state": "idle",
    });
    let mut text = serde_json::to_vec_pretty(&value).unwrap_or_default();
    text.push(b'\n');
    Ok(text)
}
