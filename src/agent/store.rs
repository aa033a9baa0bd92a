//! One agent's database as the core uses it: its identity, settings and three mailboxes.
//!
//! Every write is one transaction, begun IMMEDIATE so that a second oash process on the
//! same file waits for it (the busy timeout) instead of failing midway; a method either
//! commits all it does or nothing. The inbox keeps a row for every envelope it ever took,
//! acknowledged or not, so a second delivery of the same id is recognised however late it
//! comes (idempotence); only rows not yet acknowledged are listed and counted as its depth.
//! The memory and goals trees are in `store_files`.

use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

use super::error::AgentError;
use super::identity::Identity;
use super::schema;

/// The depth an inbox has unless its `ctl` sets another.
pub const DEFAULT_INBOX_MAX: u64 = 10_000;

/// What a full inbox does with one more envelope.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InboxPolicy {
    /// The new envelope goes to `deadletter/`, with the reason (the default).
    Deadletter,
    /// The send fails: the sender is told, the recipient keeps nothing.
    Reject,
    /// The oldest waiting envelope is dropped to make room.
    DropOldest,
}

impl InboxPolicy {
    /// The policy a word names (`deadletter`, `reject`, `drop-oldest`).
    pub fn parse(word: &str) -> Option<InboxPolicy> {
        match word {
            "deadletter" => Some(InboxPolicy::Deadletter),
            "reject" => Some(InboxPolicy::Reject),
            "drop-oldest" => Some(InboxPolicy::DropOldest),
            _ => None,
        }
    }

    /// The word for it.
    pub fn name(self) -> &'static str {
        match self {
            InboxPolicy::Deadletter => "deadletter",
            InboxPolicy::Reject => "reject",
            InboxPolicy::DropOldest => "drop-oldest",
        }
    }
}

/// Milliseconds since the Unix epoch, as the tables keep times.
pub(crate) fn now_millis() -> i64 {
    let since = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    i64::try_from(since.as_millis()).unwrap_or(i64::MAX)
}

/// One envelope in a mailbox, as the tables keep it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stored {
    /// The event id (or, in the deadletter, the id it claimed or a digest of its bytes).
    pub id: String,
    /// The sender's (inbox) or recipient's (outbox) hex public key; empty in the deadletter.
    pub peer: String,
    /// The envelope's type.
    pub ty: String,
    /// The event JSON (the raw bytes, in the deadletter).
    pub event: Vec<u8>,
    /// Outbox: the delivery state; deadletter: the reason; inbox: empty.
    pub note: String,
    /// When it arrived (inbox, deadletter) or was sent (outbox), in ms.
    pub at: i64,
    /// Its place in its mailbox (arrival or sending order); 0 before it is stored.
    pub seq: i64,
}

/// What an inbox did with an envelope.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Receipt {
    /// Taken: it is in the inbox.
    Taken,
    /// The inbox had it already (acknowledged or not): nothing changed.
    Duplicate,
    /// The inbox was full and its policy put the envelope in the deadletter.
    Overflowed,
}

/// An agent's open database.
pub struct Store {
    pub(crate) conn: Connection,
    /// Whose it is, for errors.
    pub(crate) owner: String,
}

impl Store {
    /// The database file at `path` (made when `create`), migrated.
    pub(crate) fn open(path: &Path, owner: &str, create: bool) -> Result<Store, AgentError> {
        Ok(Store {
            conn: schema::open_file(path, owner, create)?,
            owner: owner.to_string(),
        })
    }

    /// A database in memory (an ephemeral agent), migrated.
    pub(crate) fn memory(owner: &str) -> Result<Store, AgentError> {
        Ok(Store {
            conn: schema::open_memory(owner)?,
            owner: owner.to_string(),
        })
    }

    pub(crate) fn db(&self, error: rusqlite::Error) -> AgentError {
        AgentError::db(&self.owner, error)
    }

    /// Runs `body` in one IMMEDIATE transaction: all it did commits, or none of it.
    pub(crate) fn write<T>(
        &mut self,
        body: impl FnOnce(&rusqlite::Transaction<'_>) -> rusqlite::Result<T>,
    ) -> Result<T, AgentError> {
        let owner = self.owner.clone();
        let db = |e| AgentError::db(&owner, e);
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(db)?;
        let value = body(&tx).map_err(db)?;
        tx.commit().map_err(db)?;
        Ok(value)
    }

    /// Gives a new database its identity and name; an existing one keeps what it has and
    /// answers its own. The creation time in ms comes back with the identity.
    ///
    /// Another process may be giving the same database its identity at the same moment
    /// (two first uses of the operator; an `agent new` while another oash opens the file it
    /// just made): the look and the insert are one IMMEDIATE transaction, so the second
    /// finds the first's key and takes it, and both agree on one identity.
    pub(crate) fn identity(
        &mut self,
        fresh: impl FnOnce() -> Identity,
    ) -> Result<(Identity, i64), AgentError> {
        if let Some((secret, created)) = stored_identity(&self.conn).map_err(|e| self.db(e))? {
            return Ok((Identity::from_secret_bytes(&secret, &self.owner)?, created));
        }
        let identity = fresh();
        let secret = identity.secret_bytes();
        let (name, now) = (self.owner.clone(), now_millis());
        let (stored, created) = self.write(|tx| {
            if let Some(found) = stored_identity(tx)? {
                return Ok(found);
            }
            tx.execute("INSERT INTO identity VALUES (1, ?1)", params![&secret[..]])?;
            tx.execute(
                "INSERT OR REPLACE INTO meta VALUES ('name', ?1)",
                params![name],
            )?;
            tx.execute(
                "INSERT OR REPLACE INTO meta VALUES ('created', ?1)",
                params![now.to_string()],
            )?;
            Ok((secret.to_vec(), now))
        })?;
        if stored[..] == secret[..] {
            return Ok((identity, created));
        }
        Ok((Identity::from_secret_bytes(&stored, &self.owner)?, created))
    }

    /// A setting, if set.
    pub(crate) fn setting(&self, key: &str) -> Result<Option<String>, AgentError> {
        self.conn
            .prepare_cached("SELECT value FROM meta WHERE key = ?1")
            .and_then(|mut stmt| stmt.query_row([key], |r| r.get(0)).optional())
            .map_err(|e| self.db(e))
    }

    /// Sets a setting.
    pub(crate) fn set_setting(&mut self, key: &str, value: &str) -> Result<(), AgentError> {
        self.write(|tx| {
            tx.execute("INSERT OR REPLACE INTO meta VALUES (?1, ?2)", [key, value])
                .map(drop)
        })
    }

    /// The inbox's maximum depth and overflow policy.
    pub fn inbox_limits(&self) -> Result<(u64, InboxPolicy), AgentError> {
        let max = self
            .setting("inbox_max")?
            .and_then(|v| v.parse().ok())
            .unwrap_or(DEFAULT_INBOX_MAX);
        let policy = self
            .setting("inbox_policy")?
            .and_then(|v| InboxPolicy::parse(&v))
            .unwrap_or(InboxPolicy::Deadletter);
        Ok((max, policy))
    }

    /// Takes `envelope` into the inbox (its `note` unused), under the inbox's limits, in
    /// one transaction: a duplicate changes nothing; a full inbox does what its policy says.
    pub fn receive(&mut self, envelope: &Stored) -> Result<Receipt, AgentError> {
        self.receive_all(std::slice::from_ref(envelope))?
            .pop()
            .unwrap_or(Ok(Receipt::Duplicate))
    }

    /// [`Store::receive`] of each of `envelopes`, in order, in one transaction (a batch
    /// commits once); the answer for each.
    pub fn receive_all(
        &mut self,
        envelopes: &[Stored],
    ) -> Result<Vec<Result<Receipt, AgentError>>, AgentError> {
        let (max, policy) = self.inbox_limits()?;
        let owner = self.owner.clone();
        self.write(|tx| {
            let mut depth: u64 = tx
                .prepare_cached("SELECT inbox FROM counts")?
                .query_row([], |r| r.get(0))?;
            let mut answers = Vec::with_capacity(envelopes.len());
            for envelope in envelopes {
                let answer = receive_in(tx, envelope, &mut depth, max, policy)?;
                answers.push(answer.map_err(|depth| AgentError::InboxFull {
                    agent: owner.clone(),
                    depth,
                    max,
                    policy: policy.name().into(),
                }));
            }
            Ok(answers)
        })
    }

    /// The ids waiting in the inbox, in arrival order.
    pub fn inbox_ids(&self) -> Result<Vec<String>, AgentError> {
        self.ids("SELECT id FROM inbox WHERE acked IS NULL ORDER BY seq")
    }

    /// A waiting envelope of the inbox.
    pub fn inbox_get(&self, id: &str) -> Result<Option<Stored>, AgentError> {
        self.row(
            "SELECT id, sender, type, event, '', received, seq FROM inbox WHERE id = ?1 AND acked IS NULL",
            id,
        )
    }

    /// Acknowledges a waiting envelope; false when there was none of that id.
    pub fn ack(&mut self, id: &str) -> Result<bool, AgentError> {
        let now = now_millis();
        self.write(|tx| {
            tx.execute(
                "UPDATE inbox SET acked = ?2 WHERE id = ?1 AND acked IS NULL",
                params![id, now],
            )
            .map(|n| n > 0)
        })
    }

    /// Records sent envelopes in the outbox, each with its `note` as the state, in one
    /// transaction; a second record of one id keeps the first.
    pub fn outbox_put(&mut self, envelopes: &[Stored]) -> Result<(), AgentError> {
        self.outbox_put_settling(envelopes, &[])
    }

    /// [`Store::outbox_put`], and in the same transaction the states of earlier envelopes
    /// (id, state) whose deliveries have ended since (see `Agent::settle`).
    pub fn outbox_put_settling(
        &mut self,
        envelopes: &[Stored],
        settled: &[(String, String)],
    ) -> Result<(), AgentError> {
        self.write(|tx| {
            let mut update = tx.prepare_cached("UPDATE outbox SET state = ?2 WHERE id = ?1")?;
            for (id, state) in settled {
                update.execute(params![id, state])?;
            }
            let mut insert = tx.prepare_cached(
                "INSERT OR IGNORE INTO outbox (id, recipient, type, event, state, sent) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?;
            for e in envelopes {
                insert.execute(params![e.id, e.peer, e.ty, String::from_utf8_lossy(&e.event), e.note, e.at])?;
            }
            Ok(())
        })
    }

    /// Sets the delivery state of outbox envelopes, (id, state) each, in one transaction.
    pub fn outbox_state(&mut self, states: &[(&str, String)]) -> Result<(), AgentError> {
        self.write(|tx| {
            let mut update = tx.prepare_cached("UPDATE outbox SET state = ?2 WHERE id = ?1")?;
            for (id, state) in states {
                update.execute(params![id, state])?;
            }
            Ok(())
        })
    }

    /// The outbox's ids, oldest first.
    pub fn outbox_ids(&self) -> Result<Vec<String>, AgentError> {
        self.ids("SELECT id FROM outbox ORDER BY seq")
    }

    /// One outbox envelope, its state as `note`.
    pub fn outbox_get(&self, id: &str) -> Result<Option<Stored>, AgentError> {
        self.row(
            "SELECT id, recipient, type, event, state, sent, seq FROM outbox WHERE id = ?1",
            id,
        )
    }

    /// The outbox envelopes still `pending`, oldest first: what recovery delivers.
    pub fn outbox_pending(&self) -> Result<Vec<Stored>, AgentError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id, recipient, type, event, state, sent, seq FROM outbox WHERE state = 'pending' ORDER BY seq")
            .map_err(|e| self.db(e))?;
        let rows = stmt
            .query_map([], stored_row)
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>());
        rows.map_err(|e| self.db(e))
    }

    /// Keeps a rejected envelope with its reason; its id is the id it claims, or a digest.
    pub fn deadletter_put(&mut self, id: &str, raw: &[u8], reason: &str) -> Result<(), AgentError> {
        let now = now_millis();
        self.write(|tx| {
            tx.execute(
                "INSERT INTO deadletter (id, raw, reason, received) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (id) DO UPDATE SET reason = excluded.reason",
                params![id, raw, reason, now],
            )
            .map(drop)
        })
    }

    /// The deadletter's ids, oldest first.
    pub fn deadletter_ids(&self) -> Result<Vec<String>, AgentError> {
        self.ids("SELECT id FROM deadletter ORDER BY seq")
    }

    /// One deadletter entry: the raw bytes as `event`, the reason as `note`.
    pub fn deadletter_get(&self, id: &str) -> Result<Option<Stored>, AgentError> {
        self.row(
            "SELECT id, '', '', raw, reason, received, seq FROM deadletter WHERE id = ?1",
            id,
        )
    }

    /// Removes a deadletter entry; false when there was none.
    pub fn deadletter_remove(&mut self, id: &str) -> Result<bool, AgentError> {
        self.write(|tx| {
            tx.execute("DELETE FROM deadletter WHERE id = ?1", [id])
                .map(|n| n > 0)
        })
    }

    /// Counts: waiting in the inbox, in the deadletter, pending in the outbox.
    pub fn counts(&self) -> Result<(u64, u64, u64), AgentError> {
        self.conn
            .prepare_cached("SELECT inbox, deadletter, pending FROM counts")
            .and_then(|mut stmt| stmt.query_row([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))))
            .map_err(|e| self.db(e))
    }

    fn ids(&self, sql: &str) -> Result<Vec<String>, AgentError> {
        let mut stmt = self.conn.prepare_cached(sql).map_err(|e| self.db(e))?;
        let rows = stmt
            .query_map([], |r| r.get(0))
            .and_then(|rows| rows.collect::<Result<Vec<String>, _>>());
        rows.map_err(|e| self.db(e))
    }

    fn row(&self, sql: &str, id: &str) -> Result<Option<Stored>, AgentError> {
        let mut stmt = self.conn.prepare_cached(sql).map_err(|e| self.db(e))?;
        stmt.query_row([id], stored_row)
            .optional()
            .map_err(|e| self.db(e))
    }
}

/// One envelope into the inbox inside `tx`, `depth` the waiting count so far (kept up to
/// date); `Err(depth)` when the policy is `reject` and the inbox is full.
fn receive_in(
    tx: &rusqlite::Transaction<'_>,
    envelope: &Stored,
    depth: &mut u64,
    max: u64,
    policy: InboxPolicy,
) -> rusqlite::Result<Result<Receipt, u64>> {
    let known: bool = tx
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM inbox WHERE id = ?1)")?
        .query_row([&envelope.id], |r| r.get(0))?;
    if known {
        return Ok(Ok(Receipt::Duplicate));
    }
    if *depth >= max {
        match policy {
            InboxPolicy::Reject => return Ok(Err(*depth)),
            InboxPolicy::Deadletter => {
                let reason = format!("inbox full ({depth} of at most {max}, policy deadletter)");
                tx.execute(
                    "INSERT OR IGNORE INTO deadletter (id, raw, reason, received) VALUES (?1, ?2, ?3, ?4)",
                    params![envelope.id, envelope.event, reason, envelope.at],
                )?;
                return Ok(Ok(Receipt::Overflowed));
            }
            InboxPolicy::DropOldest => {
                // Dropped rows stay, acknowledged with -1, so a late duplicate of one is
                // still known.
                let dropped = tx.execute(
                    "UPDATE inbox SET acked = -1 WHERE seq IN (SELECT seq FROM inbox
                     WHERE acked IS NULL ORDER BY seq LIMIT ?1)",
                    [*depth + 1 - max],
                )?;
                *depth -= dropped as u64;
            }
        }
    }
    tx.prepare_cached(
        "INSERT INTO inbox (id, sender, type, event, received) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        envelope.id,
        envelope.peer,
        envelope.ty,
        String::from_utf8_lossy(&envelope.event),
        envelope.at
    ])?;
    *depth += 1;
    Ok(Ok(Receipt::Taken))
}

fn stored_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Stored> {
    // The event column is TEXT in the inbox and outbox and BLOB in the deadletter.
    let event = match r.get_ref(3)? {
        rusqlite::types::ValueRef::Text(t) | rusqlite::types::ValueRef::Blob(t) => t.to_vec(),
        _ => Vec::new(),
    };
    Ok(Stored {
        id: r.get(0)?,
        peer: r.get(1)?,
        ty: r.get(2)?,
        event,
        note: r.get(4)?,
        at: r.get(5)?,
        seq: r.get(6)?,
    })
}

/// The stored secret key and creation time, if the database has an identity yet.
fn stored_identity(conn: &Connection) -> rusqlite::Result<Option<(Vec<u8>, i64)>> {
    conn.query_row(
        "SELECT secret, (SELECT value FROM meta WHERE key = 'created') FROM identity",
        [],
        |row| {
            Ok((
                row.get(0)?,
                row.get::<_, Option<String>>(1)?
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(0),
            ))
        },
    )
    .optional()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn envelope(id: &str, note: &str) -> Stored {
        Stored {
            id: id.into(),
            peer: "p".into(),
            ty: "text".into(),
            event: b"{}".to_vec(),
            note: note.into(),
            at: 1,
            seq: 0,
        }
    }

    /// The counts the triggers keep, against the same counts made from the rows.
    fn check_counts(store: &Store) {
        let counted: (u64, u64, u64) = store
            .conn
            .query_row(
                "SELECT (SELECT count(*) FROM inbox WHERE acked IS NULL),
                        (SELECT count(*) FROM deadletter),
                        (SELECT count(*) FROM outbox WHERE state = 'pending')",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap();
        assert_eq!(store.counts().unwrap(), counted);
    }

    #[test]
    fn the_counts_follow_every_change_and_each_policy() {
        let mut s = Store::memory("a").unwrap();
        s.set_setting("inbox_max", "2").unwrap();
        for id in ["1", "2", "3"] {
            s.receive(&envelope(id, "")).unwrap();
            check_counts(&s);
        }
        assert_eq!(
            s.counts().unwrap(),
            (2, 1, 0),
            "the third went to the deadletter"
        );
        assert_eq!(s.receive(&envelope("1", "")).unwrap(), Receipt::Duplicate);
        s.set_setting("inbox_policy", "drop-oldest").unwrap();
        assert_eq!(s.receive(&envelope("4", "")).unwrap(), Receipt::Taken);
        assert_eq!(s.inbox_ids().unwrap(), ["2", "4"]);
        check_counts(&s);
        s.set_setting("inbox_policy", "reject").unwrap();
        assert!(matches!(
            s.receive(&envelope("5", "")),
            Err(AgentError::InboxFull { .. })
        ));
        assert!(s.ack("2").unwrap());
        assert!(!s.ack("2").unwrap());
        assert_eq!(
            s.receive(&envelope("2", "")).unwrap(),
            Receipt::Duplicate,
            "acked ids stay known"
        );
        check_counts(&s);
        assert!(s.deadletter_remove("3").unwrap());
        s.outbox_put(&[envelope("o1", "pending"), envelope("o2", "pending")])
            .unwrap();
        check_counts(&s);
        s.outbox_state(&[("o1", "delivered".into()), ("o2", "pending".into())])
            .unwrap();
        check_counts(&s);
        assert_eq!(s.counts().unwrap(), (1, 0, 1));
    }
}
