//! `agents`: the agents of the shell's state directory as files, mounted at `/agents`.
//!
//! The file door to the agent core ([`crate::agent`]): the `agent` and `send` builtins,
//! Rhai's `send` and `agent_new`, and these files all make agents and envelopes through the
//! one core. Nothing is opened until a name under the mount is touched.
//!
//! ```text
//! /agents/new                     read: makes an agent with a fresh name; gives the name
//! /agents/NAME/ctl                write: rm | inbox max N | inbox policy deadletter|reject|drop-oldest
//! /agents/NAME/status             read: JSON (name, pubkey, npub, created, inbox, ...)
//! /agents/NAME/inbox/             envelope ids (`ls -tr` lists them in arrival order)
//! /agents/NAME/inbox/ID           read: the envelope as JSON; rm: acknowledge it
//! /agents/NAME/inbox/new          write: a body (sent from the operator) or a signed event
//! /agents/NAME/outbox/ID          read: a sent envelope and its delivery state
//! /agents/NAME/deadletter/ID      read: a refused envelope and why; rm: discard it
//! /agents/NAME/deadletter/ctl     write: replay ID | discard ID
//! /agents/NAME/memory/, goals/    any files and directories, kept in the agent's database
//! /agents/NAME/logs/              a logs service of the agent's
//! /agents/NAME/identity/pubkey    read: the public key (hex); npub: the same as npub1...
//! /agents/NAME/identity/sign      transactions: write the request, then read the answer
//!                   verify, encrypt, decrypt  on the same open file (factotum style)
//! ```
//! `mkdir /agents/NAME` makes an agent too. The secret key is no file here, and no error or
//! listing shows it: the core never hands it out.

mod handles;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, UNIX_EPOCH};

use super::func::MessageHandle;
use super::logs::LogsService;
use super::map::MapHandle;
use crate::agent::{
    Agent, AgentError, AgentRoot, Agents, CTL_USAGE, Mailbox, Stored, TREES, entry_json,
    status_json,
};
use crate::ns::{DirEntry, FileHandle, FileKind, FileService, NsError, OpenFlags, Stat};
use handles::{Transaction, TreeFile, tree_error};

/// The names in an agent's directory.
const AGENT_FILES: &[(&str, FileKind)] = &[
    ("ctl", FileKind::File),
    ("deadletter", FileKind::Dir),
    ("goals", FileKind::Dir),
    ("identity", FileKind::Dir),
    ("inbox", FileKind::Dir),
    ("logs", FileKind::Dir),
    ("memory", FileKind::Dir),
    ("outbox", FileKind::Dir),
    ("status", FileKind::File),
];

/// The files of `identity/`; the last four are transactions.
const IDENTITY_FILES: &[&str] = &["decrypt", "encrypt", "npub", "pubkey", "sign", "verify"];

/// One name under the mount, as the path says it.
#[derive(Debug, PartialEq, Eq)]
enum Node<'a> {
    Root,
    New,
    Agent(&'a str),
    Ctl(&'a str),
    Status(&'a str),
    Mailbox(&'a str, Mailbox),
    InboxNew(&'a str),
    DeadCtl(&'a str),
    Entry(&'a str, Mailbox, &'a str),
    /// `memory` or `goals`, and the path within it (`/` for its root).
    Tree(&'a str, &'static str, String),
    /// The path within the agent's logs.
    Logs(&'a str, String),
    IdentityDir(&'a str),
    Identity(&'a str, &'static str),
}

fn mailbox(word: &str) -> Option<Mailbox> {
    [Mailbox::Inbox, Mailbox::Outbox, Mailbox::Deadletter]
        .into_iter()
        .find(|m| m.name() == word)
}

impl<'a> Node<'a> {
    /// Parses a clean service path; `None` for a name that cannot exist.
    fn parse(at: &'a str) -> Option<Node<'a>> {
        let parts: Vec<&str> = at.split('/').filter(|p| !p.is_empty()).collect();
        let rest = |n: usize| format!("/{}", parts[n..].join("/"));
        Some(match parts.as_slice() {
            [] => Node::Root,
            ["new"] => Node::New,
            [name] => Node::Agent(name),
            [name, "ctl"] => Node::Ctl(name),
            [name, "status"] => Node::Status(name),
            [name, "identity"] => Node::IdentityDir(name),
            [name, "identity", file] => {
                Node::Identity(name, IDENTITY_FILES.iter().find(|f| **f == *file)?)
            }
            [name, "inbox", "new"] => Node::InboxNew(name),
            [name, "deadletter", "ctl"] => Node::DeadCtl(name),
            [name, "logs", ..] => Node::Logs(name, rest(2)),
            [name, tree, ..] if TREES.contains(tree) => {
                let tree = TREES.iter().find(|t| **t == *tree)?;
                Node::Tree(name, tree, rest(2))
            }
            [name, boxname] => Node::Mailbox(name, mailbox(boxname)?),
            [name, boxname, id] => Node::Entry(name, mailbox(boxname)?, id),
            _ => return None,
        })
    }

    fn agent(&self) -> Option<&'a str> {
        match *self {
            Node::Root | Node::New => None,
            Node::Agent(n)
            | Node::Ctl(n)
            | Node::Status(n)
            | Node::Mailbox(n, _)
            | Node::InboxNew(n)
            | Node::DeadCtl(n)
            | Node::Entry(n, _, _)
            | Node::Tree(n, _, _)
            | Node::Logs(n, _)
            | Node::IdentityDir(n)
            | Node::Identity(n, _) => Some(n),
        }
    }
}

/// The agent core's error as the namespace's, for `path`.
fn ns_error(e: AgentError, path: &str) -> NsError {
    let path = path.to_string();
    match e {
        AgentError::Unknown { .. } => NsError::NotFound { path },
        AgentError::Exists { .. } => NsError::Exists { path },
        // `NoEnvelope` comes from the deadletter's ctl (`replay ID`): the ctl exists and
        // the envelope does not, so "file does not exist" would name the wrong thing.
        other => NsError::Refused {
            path,
            message: other.to_string(),
        },
    }
}

/// The `/agents` service over a shell's [`AgentRoot`].
pub struct AgentsService {
    root: AgentRoot,
    /// Each agent's logs, made when first used. In memory: they last as long as this mount.
    logs: Mutex<HashMap<String, Arc<LogsService>>>,
}

impl AgentsService {
    /// The files of `root`'s agents.
    pub fn new(root: AgentRoot) -> AgentsService {
        AgentsService {
            root,
            logs: Mutex::default(),
        }
    }

    fn agents(&self, path: &str) -> Result<Arc<Agents>, NsError> {
        self.root.agents().map_err(|e| ns_error(e, path))
    }

    fn agent(&self, name: &str, path: &str) -> Result<(Arc<Agents>, Arc<Agent>), NsError> {
        let agents = self.agents(path)?;
        let agent = agents.get(name).map_err(|e| ns_error(e, path))?;
        Ok((agents, agent))
    }

    fn logs_of(&self, name: &str) -> Arc<LogsService> {
        let mut logs = self.logs.lock().unwrap_or_else(PoisonError::into_inner);
        Arc::clone(logs.entry(name.to_string()).or_default())
    }

    /// A read-only snapshot handle of `bytes`.
    fn snapshot(bytes: Vec<u8>, path: &str) -> Box<dyn FileHandle> {
        Box::new(MapHandle {
            bytes: bytes.into(),
            offset: 0,
            path: path.to_string(),
        })
    }

    /// A control-message handle: what is written goes to `write` on close; reading gives
    /// `usage`.
    fn message(
        usage: &str,
        path: &str,
        write: impl Fn(&[u8]) -> Result<(), NsError> + Send + Sync + 'static,
    ) -> Box<dyn FileHandle> {
        let reader = MapHandle {
            bytes: format!("{usage}\n").into_bytes().into(),
            offset: 0,
            path: path.to_string(),
        };
        Box::new(MessageHandle::new(reader, true, Arc::new(write), false))
    }

    fn entry(
        &self,
        name: &str,
        mailbox: Mailbox,
        id: &str,
        path: &str,
    ) -> Result<(Vec<u8>, Stored), NsError> {
        let (agents, agent) = self.agent(name, path)?;
        let store = agent.store();
        let found = match mailbox {
            Mailbox::Inbox => store.inbox_get(id),
            Mailbox::Outbox => store.outbox_get(id),
            Mailbox::Deadletter => store.deadletter_get(id),
        }
        .map_err(|e| ns_error(e, path))?;
        drop(store);
        let entry = found.ok_or_else(|| NsError::NotFound {
            path: path.to_string(),
        })?;
        Ok((entry_json(&agents, &agent, mailbox, &entry), entry))
    }

    fn open_tree(
        &self,
        name: &str,
        tree: &'static str,
        at: &str,
        flags: OpenFlags,
        path: &str,
    ) -> Result<Box<dyn FileHandle>, NsError> {
        let (_, agent) = self.agent(name, path)?;
        let existing = {
            let store = agent.store();
            match store.node(tree, at).map_err(|e| ns_error(e, path))? {
                Some(node) if node.dir => return Err(NsError::IsDir { path: path.into() }),
                Some(_) if flags.create && flags.exclusive => {
                    return Err(NsError::Exists { path: path.into() });
                }
                Some(_) => Some(store.read_file(tree, at).map_err(|e| tree_error(e, path))?),
                None => None,
            }
        };
        let writing = flags.write || flags.append;
        let (data, dirty) = match existing {
            None if !(flags.create && writing) => {
                return Err(NsError::NotFound { path: path.into() });
            }
            // A new file exists from its open on, as on any file system.
            None => (Vec::new(), true),
            Some(_) if flags.truncate && writing => (Vec::new(), true),
            Some(data) => (data, false),
        };
        let mut file = TreeFile {
            agent,
            tree,
            at: at.to_string(),
            data,
            offset: 0,
            append: flags.append,
            writable: writing,
            readable: flags.read || !writing,
            dirty,
            path: path.to_string(),
        };
        if file.dirty {
            file.close()?;
            file.dirty = false;
        }
        Ok(Box::new(file))
    }
}

/// What an inbox's `new` file does with one message: an event's JSON is received as it is
/// (checked); anything else is a body sent from the operator.
///
/// An object with a `sig`, or with both an `id` and a `pubkey`, is taken for an event: so
/// an event missing its signature (or its id) is refused naming the missing field, not
/// sent on as a text body from someone else.
fn inbox_write(agents: &Agents, name: &str, message: &[u8]) -> Result<(), AgentError> {
    let looks_like_event = serde_json::from_slice::<serde_json::Value>(message)
        .ok()
        .is_some_and(|v| {
            let has = |field: &str| v.get(field).is_some();
            has("sig") || (has("id") && has("pubkey"))
        });
    if looks_like_event {
        let agent = agents.get(name)?;
        return agents.receive(&agent, message).map(drop);
    }
    let body = std::str::from_utf8(message)
        .map_err(|_| AgentError::bad(format!("{name}/inbox/new"), "the body is not UTF-8 text"))?;
    let body = body.strip_suffix('\n').unwrap_or(body);
    agents
        .send(None, name, crate::agent::envelope::DEFAULT_TYPE, body)
        .map(drop)
}

/// What the deadletter's `ctl` does: `replay ID` or `discard ID`, one a line.
fn deadletter_ctl(agents: &Agents, name: &str, message: &str) -> Result<(), AgentError> {
    let agent = agents.get(name)?;
    for line in message.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            [] => {}
            ["replay", id] => agents.replay(&agent, id)?,
            ["discard", id] => {
                if !agent.store().deadletter_remove(id)? {
                    return Err(AgentError::NoEnvelope {
                        agent: name.into(),
                        mailbox: "deadletter",
                        id: (*id).into(),
                    });
                }
            }
            _ => {
                return Err(AgentError::bad(
                    format!("{name}/deadletter/ctl"),
                    format!(
                        "unknown command {:?}; commands: replay ID | discard ID",
                        line.trim()
                    ),
                ));
            }
        }
    }
    Ok(())
}

fn dir_stat(name: &str) -> Stat {
    Stat {
        name: name.to_string(),
        kind: FileKind::Dir,
        size: 0,
        modified: None,
        read_only: false,
    }
}

fn file_stat(name: &str, size: u64, read_only: bool) -> Stat {
    Stat {
        name: name.to_string(),
        kind: FileKind::File,
        size,
        modified: None,
        read_only,
    }
}

fn last(path: &str) -> &str {
    path.rsplit('/').find(|p| !p.is_empty()).unwrap_or("/")
}

impl FileService for AgentsService {
    fn kind(&self) -> &str {
        "agents"
    }

    fn open(&self, path: &str, flags: OpenFlags) -> Result<Box<dyn FileHandle>, NsError> {
        let node = Node::parse(path).ok_or_else(|| NsError::NotFound { path: path.into() })?;
        let writing = flags.write || flags.append;
        let read_only = |what: &str| NsError::Denied {
            path: path.to_string(),
            reason: format!("{what} is read-only"),
        };
        match node {
            Node::Root | Node::Agent(_) | Node::Mailbox(..) | Node::IdentityDir(_) => {
                if let Some(name) = node.agent() {
                    self.agent(name, path)?;
                }
                Err(NsError::IsDir { path: path.into() })
            }
            Node::New => {
                if writing {
                    return Err(read_only("new"));
                }
                let name = self
                    .agents(path)?
                    .create_fresh()
                    .map_err(|e| ns_error(e, path))?;
                Ok(Self::snapshot(format!("{name}\n").into_bytes(), path))
            }
            Node::Status(name) => {
                let (_, agent) = self.agent(name, path)?;
                if writing {
                    return Err(read_only("status"));
                }
                let json = status_json(&agent).map_err(|e| ns_error(e, path))?;
                Ok(Self::snapshot(json, path))
            }
            Node::Ctl(name) => {
                let (agents, _) = self.agent(name, path)?;
                let (owner, at) = (name.to_string(), path.to_string());
                Ok(Self::message(CTL_USAGE, path, move |message| {
                    let text = String::from_utf8_lossy(message);
                    agents.control(&owner, &text).map_err(|e| ns_error(e, &at))
                }))
            }
            Node::InboxNew(name) => {
                let (agents, _) = self.agent(name, path)?;
                let (owner, at) = (name.to_string(), path.to_string());
                Ok(Self::message(
                    "write a body, or a signed event's JSON",
                    path,
                    move |m| inbox_write(&agents, &owner, m).map_err(|e| ns_error(e, &at)),
                ))
            }
            Node::DeadCtl(name) => {
                let (agents, _) = self.agent(name, path)?;
                let (owner, at) = (name.to_string(), path.to_string());
                Ok(Self::message(
                    "commands: replay ID | discard ID",
                    path,
                    move |m| {
                        let text = String::from_utf8_lossy(m);
                        deadletter_ctl(&agents, &owner, &text).map_err(|e| ns_error(e, &at))
                    },
                ))
            }
            Node::Entry(name, mailbox, id) => {
                if writing {
                    return Err(read_only("an envelope"));
                }
                Ok(Self::snapshot(self.entry(name, mailbox, id, path)?.0, path))
            }
            Node::Tree(name, tree, at) => {
                if at == "/" {
                    self.agent(name, path)?;
                    return Err(NsError::IsDir { path: path.into() });
                }
                self.open_tree(name, tree, &at, flags, path)
            }
            Node::Logs(name, at) => {
                self.agent(name, path)?;
                self.logs_of(name).open(&at, flags)
            }
            Node::Identity(name, file) => {
                let (_, agent) = self.agent(name, path)?;
                match file {
                    "pubkey" | "npub" if writing => Err(read_only(file)),
                    "pubkey" => Ok(Self::snapshot(
                        format!("{}\n", agent.public_key().to_hex()).into_bytes(),
                        path,
                    )),
                    "npub" => Ok(Self::snapshot(
                        format!("{}\n", agent.identity().npub()).into_bytes(),
                        path,
                    )),
                    _ => {
                        let at = path.to_string();
                        Ok(Box::new(Transaction::new(
                            path,
                            Box::new(move |request| {
                                agent
                                    .identity()
                                    .answer(&agent.name, file, request)
                                    .map_err(|e| ns_error(e, &at))
                            }),
                        )))
                    }
                }
            }
        }
    }

    fn stat(&self, path: &str) -> Result<Stat, NsError> {
        let node = Node::parse(path).ok_or_else(|| NsError::NotFound { path: path.into() })?;
        if let Some(name) = node.agent() {
            self.agent(name, path)?;
        }
        let name = last(path);
        Ok(match node {
            Node::Root | Node::Agent(_) | Node::Mailbox(..) | Node::IdentityDir(_) => {
                dir_stat(name)
            }
            Node::New | Node::Status(_) => file_stat(name, 0, true),
            Node::Ctl(_) | Node::InboxNew(_) | Node::DeadCtl(_) => file_stat(name, 0, false),
            Node::Identity(_, file) => file_stat(name, 0, matches!(file, "pubkey" | "npub")),
            Node::Entry(agent, mailbox, id) => {
                let (json, entry) = self.entry(agent, mailbox, id, path)?;
                let size = json.len() as u64;
                // The arrival time orders `ls -t`; within one millisecond the sequence
                // of arrival breaks the tie (as microseconds), so `ls -tr` is arrival order.
                let ms = u64::try_from(entry.at).unwrap_or(0);
                let tie = Duration::from_micros(u64::try_from(entry.seq % 1000).unwrap_or(0));
                Stat {
                    modified: Some(UNIX_EPOCH + Duration::from_millis(ms) + tie),
                    ..file_stat(name, size, true)
                }
            }
            Node::Tree(agent, tree, at) => {
                let (_, owner) = self.agent(agent, path)?;
                let node = owner
                    .store()
                    .node(tree, &at)
                    .map_err(|e| ns_error(e, path))?;
                let node = node.ok_or_else(|| NsError::NotFound { path: path.into() })?;
                let ms = u64::try_from(node.modified).unwrap_or(0);
                Stat {
                    name: name.to_string(),
                    kind: if node.dir {
                        FileKind::Dir
                    } else {
                        FileKind::File
                    },
                    size: node.size,
                    modified: (ms > 0).then(|| UNIX_EPOCH + Duration::from_millis(ms)),
                    read_only: false,
                }
            }
            Node::Logs(agent, at) => self.logs_of(agent).stat(&at)?,
        })
    }

    fn readdir(&self, path: &str) -> Result<Vec<DirEntry>, NsError> {
        let node = Node::parse(path).ok_or_else(|| NsError::NotFound { path: path.into() })?;
        let file = |name: &str| DirEntry {
            name: name.to_string(),
            kind: FileKind::File,
        };
        let mut entries = match node {
            Node::Root => {
                let names = self.agents(path)?.names().map_err(|e| ns_error(e, path))?;
                let mut entries: Vec<DirEntry> = names
                    .into_iter()
                    .map(|name| DirEntry {
                        name,
                        kind: FileKind::Dir,
                    })
                    .collect();
                entries.push(file("new"));
                entries
            }
            Node::Agent(name) => {
                self.agent(name, path)?;
                AGENT_FILES
                    .iter()
                    .map(|(name, kind)| DirEntry {
                        name: name.to_string(),
                        kind: *kind,
                    })
                    .collect()
            }
            Node::IdentityDir(name) => {
                self.agent(name, path)?;
                IDENTITY_FILES.iter().map(|f| file(f)).collect()
            }
            Node::Mailbox(name, mailbox) => {
                let (_, agent) = self.agent(name, path)?;
                let store = agent.store();
                let ids = match mailbox {
                    Mailbox::Inbox => store.inbox_ids(),
                    Mailbox::Outbox => store.outbox_ids(),
                    Mailbox::Deadletter => store.deadletter_ids(),
                }
                .map_err(|e| ns_error(e, path))?;
                let mut entries: Vec<DirEntry> = ids.iter().map(|id| file(id)).collect();
                match mailbox {
                    Mailbox::Inbox => entries.push(file("new")),
                    Mailbox::Deadletter => entries.push(file("ctl")),
                    Mailbox::Outbox => {}
                }
                entries
            }
            Node::Tree(name, tree, at) => {
                let (_, agent) = self.agent(name, path)?;
                let listed = agent
                    .store()
                    .list(tree, &at)
                    .map_err(|e| tree_error(e, path))?;
                listed
                    .into_iter()
                    .map(|(name, dir)| DirEntry {
                        name,
                        kind: if dir { FileKind::Dir } else { FileKind::File },
                    })
                    .collect()
            }
            Node::Logs(name, at) => {
                self.agent(name, path)?;
                self.logs_of(name).readdir(&at)?
            }
            _ => return Err(NsError::NotDir { path: path.into() }),
        };
        entries.sort();
        Ok(entries)
    }

    fn mkdir(&self, path: &str) -> Result<(), NsError> {
        match Node::parse(path) {
            Some(Node::Agent(name)) => self
                .agents(path)?
                .create(name)
                .map(drop)
                .map_err(|e| ns_error(e, path)),
            Some(Node::Tree(name, tree, at)) if at != "/" => {
                let (_, agent) = self.agent(name, path)?;
                let made = agent.store().make_dir(tree, &at);
                made.map_err(|e| tree_error(e, path))
            }
            Some(Node::Logs(name, at)) => {
                self.agent(name, path)?;
                self.logs_of(name).mkdir(&at)
            }
            Some(_) => Err(NsError::Exists { path: path.into() }),
            None => Err(NsError::Denied {
                path: path.into(),
                reason: "only an agent, or a directory in its memory or goals, can be made here"
                    .into(),
            }),
        }
    }

    fn remove(&self, path: &str) -> Result<(), NsError> {
        let node = Node::parse(path).ok_or_else(|| NsError::NotFound { path: path.into() })?;
        match node {
            Node::Entry(name, Mailbox::Inbox, id) => {
                let (_, agent) = self.agent(name, path)?;
                let acked = agent.store().ack(id).map_err(|e| ns_error(e, path))?;
                acked
                    .then_some(())
                    .ok_or_else(|| NsError::NotFound { path: path.into() })
            }
            Node::Entry(name, Mailbox::Deadletter, id) => {
                let (_, agent) = self.agent(name, path)?;
                let gone = agent
                    .store()
                    .deadletter_remove(id)
                    .map_err(|e| ns_error(e, path))?;
                gone.then_some(())
                    .ok_or_else(|| NsError::NotFound { path: path.into() })
            }
            Node::Tree(name, tree, at) if at != "/" => {
                let (_, agent) = self.agent(name, path)?;
                let removed = agent.store().remove_node(tree, &at);
                removed.map_err(|e| tree_error(e, path))
            }
            Node::Logs(name, at) => self.logs_of(name).remove(&at),
            Node::Agent(_) => Err(NsError::Denied {
                path: path.into(),
                reason: "remove an agent with `agent rm NAME` or `echo rm > ctl`".into(),
            }),
            _ => Err(NsError::Denied {
                path: path.into(),
                reason: "not removable".into(),
            }),
        }
    }

    fn rename(&self, from: &str, to: &str) -> Result<(), NsError> {
        match (Node::parse(from), Node::parse(to)) {
            (Some(Node::Tree(a, ta, at_from)), Some(Node::Tree(b, tb, at_to)))
                if a == b && ta == tb && at_from != "/" && at_to != "/" =>
            {
                let (_, agent) = self.agent(a, from)?;
                let renamed = agent.store().rename_node(ta, &at_from, &at_to);
                renamed.map_err(|e| tree_error(e, from))
            }
            _ => Err(NsError::Denied {
                path: from.into(),
                reason: "only files of one agent's memory or goals can be renamed, within it"
                    .into(),
            }),
        }
    }
}

#[cfg(test)]
mod tests;
