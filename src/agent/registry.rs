//! The agents of one state directory: finding, making and removing them, and the one core
//! of sending and receiving envelopes that every door (`send`, Rhai `send`, a write into
//! `inbox/new`) calls.
//!
//! # Delivery, and why it keeps its promises
//! `send` signs the envelope, then commits it to the sender's outbox as `pending` (the
//! sender's durable record), then, for a local recipient, runs the receipt checks and
//! commits it to the recipient's inbox; the outbox entry's new state (`delivered`) rides on
//! the sender's next write (`Agent::settle`), so a send is two commits. It returns only
//! after the inbox commit, so an envelope whose send succeeded is in the inbox (or, by
//! the recipient's overflow policy, its deadletter) whatever happens next. A crash between
//! the outbox commit and the inbox commit leaves a `pending` outbox entry whose send never
//! returned; the next opening of the sender (by any oash on the directory) delivers it
//! ([`Agents::recover`]), before that sender can send anything else, so the order of one
//! sender's envelopes holds. Delivery is idempotent by event id (the inbox remembers every
//! id it took, acknowledged or not), so recovery racing a second process does no harm.
//!
//! Names are the agents' short names (`alice`); the database of `alice` is
//! `agents/alice.db`. The registry caches open databases; it never holds a lock on one
//! store while it waits for another's (a send takes the sender's, lets it go, then the
//! recipient's), so two sends in opposite directions cannot deadlock.

use std::collections::BTreeMap;
use std::os::unix::fs::DirBuilderExt;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use nostr::prelude::PublicKey;
use sha2::{Digest, Sha256};

use super::config::StateDir;
use super::envelope;
use super::error::AgentError;
use super::identity::{Identity, parse_public_key};
use super::store::{Receipt, Store, Stored, now_millis};

/// The name of the shell's own identity, for its errors (it is not an agent of `/agents`).
pub const OPERATOR: &str = "operator";

/// What an outbox entry's state says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OutboxState {
    /// Committed; not yet in a local inbox, or waiting for a relay.
    Pending,
    /// In the recipient's inbox.
    Delivered,
    /// In the recipient's deadletter (its inbox was full).
    Deadlettered(String),
    /// Refused by the recipient; it will not be retried.
    Failed(String),
}

impl OutboxState {
    /// The words the outbox shows and keeps.
    pub fn text(&self) -> String {
        match self {
            OutboxState::Pending => "pending".into(),
            OutboxState::Delivered => "delivered".into(),
            OutboxState::Deadlettered(why) => format!("deadletter: {why}"),
            OutboxState::Failed(why) => format!("failed: {why}"),
        }
    }
}

/// One agent (or the operator): its identity and its open database.
pub struct Agent {
    /// The agent's short name.
    pub name: String,
    identity: Identity,
    /// When it was made, ms since the epoch.
    pub created: i64,
    store: Mutex<Store>,
    /// Outbox states not written yet (see [`Agent::settle`]).
    settling: Mutex<Vec<(String, String)>>,
    /// Its database file (`None` when ephemeral): checked on each use, so a removal by
    /// another process is seen.
    path: Option<PathBuf>,
}

impl Agent {
    /// The agent's identity (its key stays inside).
    pub fn identity(&self) -> &Identity {
        &self.identity
    }

    /// The agent's public key.
    pub fn public_key(&self) -> PublicKey {
        self.identity.public_key()
    }

    /// The agent's database, locked for one operation, with the outbox states of ended
    /// deliveries written first (see `Agent::settle`), so whatever reads it sees them.
    pub fn store(&self) -> MutexGuard<'_, Store> {
        let mut store = self.store.lock().unwrap_or_else(PoisonError::into_inner);
        let settled = self.take_settled();
        if !settled.is_empty() {
            let states: Vec<(&str, String)> = settled
                .iter()
                .map(|(id, s)| (id.as_str(), s.clone()))
                .collect();
            // Should the write fail, they wait for the next one; recovery would find the
            // entries pending and settle them in any case.
            if store.outbox_state(&states).is_err() {
                self.settling().extend(settled);
            }
        }
        store
    }

    /// Records that the delivery of outbox entry `id` ended in `state`, to be written with
    /// the sender's next write (its next send's outbox commit, or before any other use of
    /// its database): a send then commits twice, not three times. Until written, the entry
    /// reads `pending` only to another process, and a crash leaves it `pending`, which the
    /// next opening of the sender settles by delivering it again (a duplicate, kept once).
    fn settle(&self, id: &str, state: &OutboxState) {
        self.settling().push((id.to_string(), state.text()));
    }

    fn settling(&self) -> MutexGuard<'_, Vec<(String, String)>> {
        self.settling.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn take_settled(&self) -> Vec<(String, String)> {
        std::mem::take(&mut *self.settling())
    }
}

/// The agents of one state directory.
pub struct Agents {
    /// `None` when ephemeral.
    dir: Option<PathBuf>,
    open: Mutex<BTreeMap<String, Arc<Agent>>>,
    operator: Mutex<Option<Arc<Agent>>>,
}

/// A name an agent may have: it is a file name and a path element.
pub fn check_name(name: &str) -> Result<(), AgentError> {
    let bad = |reason| AgentError::BadName {
        name: name.to_string(),
        reason,
    };
    if name.is_empty() || name.len() > 64 {
        return Err(bad("1 to 64 characters"));
    }
    if !name
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
    {
        return Err(bad("letters, digits, - _ and . only"));
    }
    if !name.as_bytes()[0].is_ascii_alphanumeric() {
        return Err(bad("must start with a letter or digit"));
    }
    if name == "new" {
        return Err(bad("`new` is the file that makes agents"));
    }
    Ok(())
}

impl Agents {
    /// The agents of `state`; a directory is made (0700) if missing and must be writable.
    pub fn open(state: &StateDir) -> Result<Agents, AgentError> {
        let dir = match state {
            StateDir::Ephemeral => None,
            StateDir::Unset(why) => {
                return Err(AgentError::State {
                    dir: state.describe(),
                    reason: (*why).into(),
                });
            }
            StateDir::Dir(dir) => {
                let fail = |e: std::io::Error| AgentError::State {
                    dir: dir.display().to_string(),
                    reason: e.to_string(),
                };
                std::fs::DirBuilder::new()
                    .recursive(true)
                    .mode(0o700)
                    .create(dir.join("agents"))
                    .map_err(fail)?;
                // Writable? Creating a file says so where permission bits alone do not
                // (a read-only mount, root's view of a 0500 directory).
                let probe = dir.join(format!(".probe-{}", std::process::id()));
                std::fs::write(&probe, b"").map_err(fail)?;
                let _ = std::fs::remove_file(&probe);
                Some(dir.clone())
            }
        };
        Ok(Agents {
            dir,
            open: Mutex::default(),
            operator: Mutex::default(),
        })
    }

    fn path_of(&self, name: &str) -> Option<PathBuf> {
        self.dir
            .as_ref()
            .map(|d| d.join("agents").join(format!("{name}.db")))
    }

    fn cache(&self) -> MutexGuard<'_, BTreeMap<String, Arc<Agent>>> {
        self.open.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The agents' names, sorted.
    pub fn names(&self) -> Result<Vec<String>, AgentError> {
        let Some(dir) = &self.dir else {
            return Ok(self.cache().keys().cloned().collect());
        };
        let entries = std::fs::read_dir(dir.join("agents")).map_err(|e| AgentError::State {
            dir: dir.display().to_string(),
            reason: e.to_string(),
        })?;
        let mut names: Vec<String> = entries
            .filter_map(|e| e.ok())
            .filter_map(|e| {
                e.file_name()
                    .to_str()?
                    .strip_suffix(".db")
                    .map(str::to_string)
            })
            .filter(|n| check_name(n).is_ok())
            .collect();
        names.sort();
        Ok(names)
    }

    /// Makes the agent `name` with a fresh identity.
    pub fn create(&self, name: &str) -> Result<Arc<Agent>, AgentError> {
        check_name(name)?;
        let mut cache = self.cache();
        let store = match self.path_of(name) {
            Some(path) => Store::open(&path, name, true)?,
            None if cache.contains_key(name) => {
                return Err(AgentError::Exists {
                    name: name.to_string(),
                });
            }
            None => Store::memory(name)?,
        };
        let agent = Arc::new(self.agent_of(store, name)?);
        cache.insert(name.to_string(), Arc::clone(&agent));
        Ok(agent)
    }

    /// Makes an agent with the first free name `agentN`, and answers the name.
    pub fn create_fresh(&self) -> Result<String, AgentError> {
        let taken = self.names()?;
        for n in 1.. {
            let name = format!("agent{n}");
            if taken.contains(&name) {
                continue;
            }
            match self.create(&name) {
                Err(AgentError::Exists { .. }) => continue,
                other => return other.map(|a| a.name.clone()),
            }
        }
        unreachable!("the names agentN are endless")
    }

    fn agent_of(&self, mut store: Store, name: &str) -> Result<Agent, AgentError> {
        let (identity, created) = store.identity(Identity::generate)?;
        Ok(Agent {
            name: name.to_string(),
            identity,
            created,
            store: Mutex::new(store),
            settling: Mutex::default(),
            path: self.path_of(name),
        })
    }

    /// Removes the agent `name` and its database.
    pub fn remove(&self, name: &str) -> Result<(), AgentError> {
        check_name(name)?;
        let mut cache = self.cache();
        let cached = cache.remove(name);
        match self.path_of(name) {
            None if cached.is_none() => Err(AgentError::Unknown { name: name.into() }),
            None => Ok(()),
            Some(path) => {
                std::fs::remove_file(&path).map_err(|e| match e.kind() {
                    std::io::ErrorKind::NotFound => AgentError::Unknown { name: name.into() },
                    _ => AgentError::db(name, format!("{}: {e}", path.display())),
                })?;
                for suffix in ["-wal", "-shm"] {
                    let mut side = path.clone().into_os_string();
                    side.push(suffix);
                    let _ = std::fs::remove_file(side);
                }
                Ok(())
            }
        }
    }

    /// The agent `name`, opened on first use (its outbox recovered then).
    pub fn get(&self, name: &str) -> Result<Arc<Agent>, AgentError> {
        let unknown = || AgentError::Unknown {
            name: name.to_string(),
        };
        let agent = {
            let mut cache = self.cache();
            match cache.get(name) {
                Some(agent) if agent.path.as_ref().is_none_or(|p| p.exists()) => {
                    return Ok(Arc::clone(agent));
                }
                Some(_) => {
                    cache.remove(name);
                    return Err(unknown());
                }
                None => {}
            }
            check_name(name).map_err(|_| unknown())?;
            let path = self.path_of(name).ok_or_else(unknown)?;
            if !path.exists() {
                return Err(unknown());
            }
            let agent = Arc::new(self.agent_of(Store::open(&path, name, false)?, name)?);
            cache.insert(name.to_string(), Arc::clone(&agent));
            agent
        };
        self.recover(&agent)?;
        Ok(agent)
    }

    /// The shell's own identity (`operator.db`, made on first use): the sender of what is
    /// sent with no agent named.
    pub fn operator(&self) -> Result<Arc<Agent>, AgentError> {
        let mut slot = self.operator.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(op) = slot.as_ref() {
            return Ok(Arc::clone(op));
        }
        let store = match &self.dir {
            Some(dir) => {
                // Two processes may make it at once: the one that loses the race opens
                // what the other made.
                let path = dir.join("operator.db");
                let create = !path.exists();
                match Store::open(&path, OPERATOR, create) {
                    Err(AgentError::Exists { .. }) => Store::open(&path, OPERATOR, false)?,
                    other => other?,
                }
            }
            None => Store::memory(OPERATOR)?,
        };
        let mut store = store;
        let (identity, created) = store.identity(Identity::generate)?;
        let op = Arc::new(Agent {
            name: OPERATOR.into(),
            identity,
            created,
            store: Mutex::new(store),
            settling: Mutex::default(),
            path: None,
        });
        *slot = Some(Arc::clone(&op));
        drop(slot);
        self.recover(&op)?;
        Ok(op)
    }

    /// Whether `pk` is the operator's key, without making the operator to find out: one
    /// that was never made has no key to match (reading an envelope must not make it).
    pub fn is_operator(&self, pk: &PublicKey) -> bool {
        let made = self
            .operator
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .is_some()
            || self
                .dir
                .as_ref()
                .is_some_and(|d| d.join("operator.db").exists());
        made && self.operator().is_ok_and(|op| op.public_key() == *pk)
    }

    /// The local agent whose public key is `pk`, if any.
    pub fn find_key(&self, pk: &PublicKey) -> Result<Option<Arc<Agent>>, AgentError> {
        if let Some(agent) = self.cache().values().find(|a| a.public_key() == *pk) {
            return Ok(Some(Arc::clone(agent)));
        }
        for name in self.names()? {
            if self.cache().contains_key(&name) {
                continue;
            }
            let agent = self.get(&name)?;
            if agent.public_key() == *pk {
                return Ok(Some(agent));
            }
        }
        Ok(None)
    }

    /// The public key `to` names (an agent's name, an npub or hex) and the local agent
    /// that has it, if one does.
    pub fn resolve(&self, to: &str) -> Result<(PublicKey, Option<Arc<Agent>>), AgentError> {
        if let Some(pk) = parse_public_key(to) {
            return Ok((pk, self.find_key(&pk)?));
        }
        match self.get(to) {
            Ok(agent) => Ok((agent.public_key(), Some(agent))),
            Err(AgentError::Unknown { .. }) => Err(AgentError::BadRecipient { to: to.into() }),
            Err(e) => Err(e),
        }
    }

    /// The one core of sending: signs an envelope of type `ty` from `from` (an agent's
    /// name, or the operator) to `to`, commits it to the sender's outbox and delivers it to
    /// a local recipient (see the module doc). Answers the envelope's id.
    pub fn send(
        &self,
        from: Option<&str>,
        to: &str,
        ty: &str,
        body: &str,
    ) -> Result<String, AgentError> {
        let mut ids = self.send_all(&[Request { from, to, ty, body }])?;
        Ok(ids.pop().unwrap_or_default())
    }

    /// [`Agents::send`] of many envelopes, committed together: every request is checked
    /// (names, types, bodies) before anything is signed, so a bad one sends nothing; then
    /// the envelopes are signed (on all cores), committed to each sender's outbox in one
    /// transaction, and delivered to each local recipient in one transaction, in order.
    /// A refusal by a recipient (its `reject` policy) is recorded in the outbox, the others
    /// are delivered, and the first refusal is the error.
    pub fn send_all(&self, requests: &[Request<'_>]) -> Result<Vec<String>, AgentError> {
        let mut senders: BTreeMap<Option<&str>, Arc<Agent>> = BTreeMap::new();
        let mut recipients: BTreeMap<&str, (PublicKey, Option<Arc<Agent>>)> = BTreeMap::new();
        for r in requests {
            envelope::check_type(r.ty)?;
            envelope::check_body(r.body)?;
            if let std::collections::btree_map::Entry::Vacant(slot) = senders.entry(r.from) {
                slot.insert(match r.from {
                    Some(name) => self.get(name)?,
                    None => self.operator()?,
                });
            }
            if let std::collections::btree_map::Entry::Vacant(slot) = recipients.entry(r.to) {
                slot.insert(self.resolve(r.to)?);
            }
        }
        let events = parallel_map(requests, |r| {
            envelope::make(
                senders[&r.from].identity(),
                &recipients[r.to].0,
                r.ty,
                r.body,
            )
        });
        let now = now_millis();
        let mut outgoing = Vec::with_capacity(requests.len());
        for (r, event) in requests.iter().zip(events) {
            let event = event?;
            outgoing.push(Stored {
                id: event.id.to_hex(),
                peer: recipients[r.to].0.to_hex(),
                ty: r.ty.to_string(),
                event: envelope::json(&event).into_bytes(),
                note: OutboxState::Pending.text(),
                at: now,
                seq: 0,
            });
        }
        for (from, sender) in &senders {
            let mine: Vec<Stored> = requests
                .iter()
                .zip(&outgoing)
                .filter(|(r, _)| r.from == *from)
                .map(|(_, s)| s.clone())
                .collect();
            // The outbox commit carries the states of the sender's earlier deliveries.
            let mut store = sender.store.lock().unwrap_or_else(PoisonError::into_inner);
            let settled = sender.take_settled();
            if let Err(e) = store.outbox_put_settling(&mine, &settled) {
                sender.settling().extend(settled);
                return Err(e);
            }
        }
        // Deliver, recipient by recipient, then record each outcome in its sender's outbox.
        let mut states: Vec<Option<(OutboxState, Option<AgentError>)>> = vec![None; requests.len()];
        for (to, (_, local)) in &recipients {
            let Some(recipient) = local else { continue };
            let mine: Vec<usize> = (0..requests.len())
                .filter(|&i| requests[i].to == *to)
                .collect();
            let raws: Vec<&[u8]> = mine.iter().map(|&i| outgoing[i].event.as_slice()).collect();
            for (i, outcome) in mine.into_iter().zip(self.receive_all(recipient, &raws)?) {
                states[i] = Some(delivery_state(recipient, outcome));
            }
        }
        let mut first_error = None;
        for (i, r) in requests.iter().enumerate() {
            let Some((state, error)) = states[i].take() else {
                continue;
            };
            if first_error.is_none() {
                first_error = error;
            }
            senders[&r.from].settle(&outgoing[i].id, &state);
        }
        match first_error {
            Some(e) => Err(e),
            None => Ok(outgoing.into_iter().map(|s| s.id).collect()),
        }
    }

    /// Receipt: checks `raw` as an envelope for `recipient` and takes it into its inbox;
    /// one that fails a check is kept in its deadletter with the reason, and is an error.
    pub fn receive(&self, recipient: &Agent, raw: &[u8]) -> Result<Receipt, AgentError> {
        self.receive_all(recipient, &[raw])?
            .pop()
            .unwrap_or(Ok(Receipt::Duplicate))
    }

    /// [`Agents::receive`] of many, the checks on all cores and the inbox's writes in one
    /// transaction; the outcome of each, in order. Only the database failing is an error
    /// of the whole.
    pub fn receive_all(
        &self,
        recipient: &Agent,
        raws: &[&[u8]],
    ) -> Result<Vec<Result<Receipt, AgentError>>, AgentError> {
        let pk = recipient.public_key();
        let checked = parallel_map(raws, |raw| envelope::check(raw, &pk));
        let now = now_millis();
        let mut outcomes: Vec<Option<Result<Receipt, AgentError>>> = Vec::with_capacity(raws.len());
        let mut good = Vec::new();
        let mut good_at = Vec::new();
        for (i, (raw, check)) in raws.iter().zip(checked).enumerate() {
            match check {
                Ok(event) => {
                    good.push(Stored {
                        id: event.id.to_hex(),
                        peer: event.pubkey.to_hex(),
                        ty: envelope::type_of(&event),
                        event: envelope::json(&event).into_bytes(),
                        note: String::new(),
                        at: now,
                        seq: 0,
                    });
                    good_at.push(i);
                    outcomes.push(None);
                }
                Err(reason) => {
                    let id = hex(&Sha256::digest(raw));
                    recipient.store().deadletter_put(&id, raw, &reason)?;
                    outcomes.push(Some(Err(AgentError::Rejected {
                        agent: recipient.name.clone(),
                        reason,
                        kept: Some(id),
                    })));
                }
            }
        }
        if !good.is_empty() {
            let taken = recipient.store().receive_all(&good)?;
            for (i, outcome) in good_at.into_iter().zip(taken) {
                outcomes[i] = Some(outcome);
            }
        }
        Ok(outcomes
            .into_iter()
            .map(|o| o.unwrap_or(Ok(Receipt::Duplicate)))
            .collect())
    }

    /// Delivers the still-pending outbox entries of `sender` whose recipients are local:
    /// what a send that was cut short left (see the module doc). Ones for other machines
    /// stay pending for the relays.
    pub fn recover(&self, sender: &Agent) -> Result<(), AgentError> {
        let pending = sender.store().outbox_pending()?;
        for stored in pending {
            let Some(pk) = parse_public_key(&stored.peer) else {
                continue;
            };
            if let Some(recipient) = self.find_key(&pk)? {
                // A refusal is recorded in the outbox; it must not stop the others.
                let outcome = self.receive(&recipient, &stored.event);
                let (state, _) = delivery_state(&recipient, outcome);
                sender
                    .store()
                    .outbox_state(&[(stored.id.as_str(), state.text())])?;
            }
        }
        Ok(())
    }

    /// Puts a deadletter entry of `agent` through receipt again: taken (or already there),
    /// it leaves the deadletter; refused again, it stays with the new reason.
    pub fn replay(&self, agent: &Agent, id: &str) -> Result<(), AgentError> {
        let entry = agent
            .store()
            .deadletter_get(id)?
            .ok_or_else(|| AgentError::NoEnvelope {
                agent: agent.name.clone(),
                mailbox: "deadletter",
                id: id.to_string(),
            })?;
        match self.receive(agent, &entry.event) {
            Ok(Receipt::Taken | Receipt::Duplicate) => {
                agent.store().deadletter_remove(id)?;
                self.delivered_late(&entry.event)
            }
            Ok(Receipt::Overflowed) => Err(AgentError::bad(
                format!("{}/deadletter/ctl", agent.name),
                format!("replay {id}: the inbox is still full"),
            )),
            Err(e) => Err(e),
        }
    }
}

impl Agents {
    /// After a replay took `raw` into an inbox: a local sender's outbox, which said
    /// `deadletter: ...`, now says `delivered`.
    fn delivered_late(&self, raw: &[u8]) -> Result<(), AgentError> {
        let Ok(event) = nostr::prelude::Event::from_json(raw) else {
            return Ok(());
        };
        let sender = match self.find_key(&event.pubkey)? {
            Some(agent) => agent,
            None if self.is_operator(&event.pubkey) => self.operator()?,
            None => return Ok(()),
        };
        let id = event.id.to_hex();
        let mut store = sender.store();
        if store.outbox_get(&id)?.is_some() {
            store.outbox_state(&[(id.as_str(), OutboxState::Delivered.text())])?;
        }
        Ok(())
    }
}

/// One envelope to send (see [`Agents::send_all`]).
#[derive(Clone, Copy, Debug)]
pub struct Request<'a> {
    /// The sending agent's name; `None` for the operator.
    pub from: Option<&'a str>,
    /// An agent's name, an npub or a hex public key.
    pub to: &'a str,
    /// The envelope's type.
    pub ty: &'a str,
    /// The body.
    pub body: &'a str,
}

/// What the outbox says of a delivery's outcome, and the error the sender gets, if any.
fn delivery_state(
    recipient: &Agent,
    outcome: Result<Receipt, AgentError>,
) -> (OutboxState, Option<AgentError>) {
    match outcome {
        Ok(Receipt::Overflowed) => (
            OutboxState::Deadlettered(format!("{}'s inbox is full", recipient.name)),
            None,
        ),
        Ok(_) => (OutboxState::Delivered, None),
        Err(e) => (OutboxState::Failed(e.to_string()), Some(e)),
    }
}

/// `f` of each item, in order, spread over the machine's cores when there are enough items
/// to be worth a thread (signing and verifying are the cost of a batch).
fn parallel_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    const WORTH_A_THREAD: usize = 64;
    // Asked only for a batch: the answer reads cgroup files, a cost a single send must
    // not pay.
    if items.len() < WORTH_A_THREAD * 2 {
        return items.iter().map(&f).collect();
    }
    let cores = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8);
    if cores < 2 {
        return items.iter().map(&f).collect();
    }
    let chunk = items.len().div_ceil(cores);
    std::thread::scope(|scope| {
        let workers: Vec<_> = items
            .chunks(chunk)
            .map(|part| scope.spawn(|| part.iter().map(&f).collect::<Vec<R>>()))
            .collect();
        workers
            .into_iter()
            .flat_map(|w| {
                w.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    })
}

/// Lower-case hex of `bytes`.
pub(crate) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

impl Agents {
    /// The one core of an agent's `ctl`: each line of `message` is a command (`rm`,
    /// `inbox max N`, `inbox policy P`); blank lines and `#` comments are skipped.
    pub fn control(&self, name: &str, message: &str) -> Result<(), AgentError> {
        let what = format!("{name}/ctl");
        for line in message.lines() {
            let line = line.split('#').next().unwrap_or("");
            let words: Vec<&str> = line.split_whitespace().collect();
            match words.as_slice() {
                [] => {}
                ["rm"] => self.remove(name)?,
                ["inbox", "max", n] => {
                    let max: u64 = n.parse().ok().filter(|&m| m > 0).ok_or_else(|| {
                        AgentError::bad(&what, format!("inbox max {n}: not a positive count"))
                    })?;
                    self.get(name)?
                        .store()
                        .set_setting("inbox_max", &max.to_string())?;
                }
                ["inbox", "policy", p] => {
                    let policy = super::store::InboxPolicy::parse(p).ok_or_else(|| {
                        AgentError::bad(
                            &what,
                            format!("inbox policy {p}: say deadletter, reject or drop-oldest"),
                        )
                    })?;
                    self.get(name)?
                        .store()
                        .set_setting("inbox_policy", policy.name())?;
                }
                _ => {
                    return Err(AgentError::bad(
                        &what,
                        format!("unknown command {:?}; {CTL_USAGE}", line.trim()),
                    ));
                }
            }
        }
        Ok(())
    }
}

/// What an agent's `ctl` takes, as reading it shows.
pub const CTL_USAGE: &str =
    "commands: rm | inbox max N | inbox policy deadletter|reject|drop-oldest";
