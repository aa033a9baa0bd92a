//! One agent's database: opening it (WAL, a busy timeout, owner-only permissions) and
//! bringing its schema up to date.
//!
//! The schema is versioned with `PRAGMA user_version`: [`MIGRATIONS`]`[i]` takes a database
//! from version `i` to `i + 1`, each in its own transaction, so a database from any earlier
//! oash opens, and one from a newer oash is refused (never written: its tables may mean
//! something this one does not know). A migration is never edited once released; a change
//! is a new one at the end.
//!
//! Why WAL with `synchronous = NORMAL`: a commit is durable against a crash of the process
//! (SIGKILL, a panic) as soon as it returns, which is what `send` promises; only a power
//! loss may take back the last commits before the next checkpoint (SQLite's documented
//! trade-off for WAL at NORMAL). Readers never block the writer, and two oash processes on
//! one state directory wait for each other's transactions (the busy timeout) rather than
//! fail with `database is locked`.

use std::fs::OpenOptions;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use super::error::AgentError;

/// The schema, one step per version (see the module doc).
pub(crate) const MIGRATIONS: &[&str] = &[
    // 0 -> 1: the agent core (issue 12).
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
     CREATE TABLE identity (one INTEGER PRIMARY KEY CHECK (one = 1), secret BLOB NOT NULL);
     CREATE TABLE inbox (
         seq INTEGER PRIMARY KEY AUTOINCREMENT,
         id TEXT NOT NULL UNIQUE,
         sender TEXT NOT NULL,
         type TEXT NOT NULL,
         event TEXT NOT NULL,
         received INTEGER NOT NULL,
         acked INTEGER);
     CREATE INDEX inbox_waiting ON inbox (acked, seq);
     CREATE TABLE outbox (
         seq INTEGER PRIMARY KEY AUTOINCREMENT,
         id TEXT NOT NULL UNIQUE,
         recipient TEXT NOT NULL,
         type TEXT NOT NULL,
         event TEXT NOT NULL,
         state TEXT NOT NULL,
         sent INTEGER NOT NULL);
     CREATE INDEX outbox_state ON outbox (state, seq);
     CREATE TABLE deadletter (
         seq INTEGER PRIMARY KEY AUTOINCREMENT,
         id TEXT NOT NULL UNIQUE,
         raw BLOB NOT NULL,
         reason TEXT NOT NULL,
         received INTEGER NOT NULL);
     CREATE TABLE files (
         tree TEXT NOT NULL,
         path TEXT NOT NULL,
         dir INTEGER NOT NULL,
         data BLOB NOT NULL DEFAULT x'',
         modified INTEGER NOT NULL,
         PRIMARY KEY (tree, path));
     -- What `status` shows and a full inbox is judged by, kept by triggers so that every
     -- writer (any oash process, any door) keeps them, and reading them costs one row.
     CREATE TABLE counts (
         one INTEGER PRIMARY KEY CHECK (one = 1),
         inbox INTEGER NOT NULL,
         deadletter INTEGER NOT NULL,
         pending INTEGER NOT NULL);
     INSERT INTO counts VALUES (1, 0, 0, 0);
     CREATE TRIGGER inbox_taken AFTER INSERT ON inbox WHEN new.acked IS NULL
         BEGIN UPDATE counts SET inbox = inbox + 1; END;
     CREATE TRIGGER inbox_acked AFTER UPDATE OF acked ON inbox
         WHEN old.acked IS NULL AND new.acked IS NOT NULL
         BEGIN UPDATE counts SET inbox = inbox - 1; END;
     CREATE TRIGGER inbox_gone AFTER DELETE ON inbox WHEN old.acked IS NULL
         BEGIN UPDATE counts SET inbox = inbox - 1; END;
     CREATE TRIGGER deadletter_in AFTER INSERT ON deadletter
         BEGIN UPDATE counts SET deadletter = deadletter + 1; END;
     CREATE TRIGGER deadletter_out AFTER DELETE ON deadletter
         BEGIN UPDATE counts SET deadletter = deadletter - 1; END;
     CREATE TRIGGER outbox_in AFTER INSERT ON outbox WHEN new.state = 'pending'
         BEGIN UPDATE counts SET pending = pending + 1; END;
     CREATE TRIGGER outbox_moved AFTER UPDATE OF state ON outbox
         WHEN (old.state = 'pending') != (new.state = 'pending')
         BEGIN UPDATE counts SET pending = pending + iif(new.state = 'pending', 1, -1); END;
     CREATE TRIGGER outbox_gone AFTER DELETE ON outbox WHEN old.state = 'pending'
         BEGIN UPDATE counts SET pending = pending - 1; END;",
];

/// The newest schema version this oash knows.
pub(crate) fn version() -> i64 {
    MIGRATIONS.len() as i64
}

/// How long a writer waits for another process's transaction before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

/// Opens (creating it when `create`) the database at `path` for the agent `agent`, owner
/// read-write only, and migrates it. A file that exists when `create` asks for a new one is
/// [`AgentError::Exists`]: two processes making one name race on the file's creation.
pub(crate) fn open_file(path: &Path, agent: &str, create: bool) -> Result<Connection, AgentError> {
    if create {
        create_file(path, agent)?;
    }
    let conn = connect(path, agent)?;
    migrate(&conn, agent, &path.display().to_string())?;
    Ok(conn)
}

/// Opens `path` as the store uses a database: a busy timeout, WAL, `synchronous = NORMAL`.
fn connect(path: &Path, agent: &str) -> Result<Connection, AgentError> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags).map_err(|e| AgentError::db(agent, e))?;
    conn.busy_timeout(BUSY_TIMEOUT)
        .map_err(|e| AgentError::db(agent, e))?;
    conn.pragma_update(None, "journal_mode", "WAL")
        .map_err(|e| AgentError::db(agent, e))?;
    conn.pragma_update(None, "synchronous", "NORMAL")
        .map_err(|e| AgentError::db(agent, e))?;
    // A checkpoint (copying the WAL into the database) is where NORMAL syncs to disk; a
    // send writes a few dozen WAL pages, so SQLite's default (every 1 000 pages) made every
    // thirtieth send wait for two fsyncs. Every 16 000 pages (64 MB) is a sixteenth of that.
    conn.pragma_update(None, "wal_autocheckpoint", 16_000)
        .map_err(|e| AgentError::db(agent, e))?;
    Ok(conn)
}

/// Makes the database at `path`: built whole (in WAL mode, migrated) under a name of its
/// own, then given its name with `link`, which fails when the name is taken. So another
/// process never opens a file that is still being made: when two converted one fresh file
/// to WAL at once, one of them could find it locked with no wait (SQLite answers such a
/// lock-upgrade deadlock at once, busy timeout or not), and `database is locked` reached
/// the user.
fn create_file(path: &Path, agent: &str) -> Result<(), AgentError> {
    static MADE: AtomicU64 = AtomicU64::new(0);
    let fail = |e: std::io::Error| AgentError::db(agent, format!("{}: {e}", path.display()));
    if path.exists() {
        return Err(AgentError::Exists {
            name: agent.to_string(),
        });
    }
    // Not ending in `.db`, so no listing of agents shows it.
    let mut draft = path.as_os_str().to_owned();
    draft.push(format!(
        ".new-{}-{}",
        std::process::id(),
        MADE.fetch_add(1, Ordering::Relaxed)
    ));
    let draft = PathBuf::from(draft);
    // The file is made here, with mode 0600 and O_EXCL, before SQLite sees it: SQLite gives
    // the -wal and -shm files the database's own mode, so the secret key in it is never
    // readable by another user, not even for a moment.
    let made = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&draft)
        .map_err(fail)
        .and_then(|_| {
            let conn = connect(&draft, agent)?;
            migrate(&conn, agent, &draft.display().to_string())?;
            // Closing the only connection checkpoints the WAL into the file and removes
            // it: the file is whole by itself before it takes its name.
            conn.close().map_err(|(_, e)| AgentError::db(agent, e))
        })
        .and_then(|()| {
            std::fs::hard_link(&draft, path).map_err(|e| match e.kind() {
                std::io::ErrorKind::AlreadyExists => AgentError::Exists {
                    name: agent.to_string(),
                },
                _ => fail(e),
            })
        });
    for suffix in ["", "-wal", "-shm"] {
        let mut side = draft.clone().into_os_string();
        side.push(suffix);
        let _ = std::fs::remove_file(side);
    }
    made
}

/// An in-memory database for an ephemeral agent, migrated.
pub(crate) fn open_memory(agent: &str) -> Result<Connection, AgentError> {
    let conn = Connection::open_in_memory().map_err(|e| AgentError::db(agent, e))?;
    migrate(&conn, agent, "(memory)")?;
    Ok(conn)
}

/// Brings `conn` to [`version`], one migration a transaction; refuses a newer database.
pub(crate) fn migrate(conn: &Connection, agent: &str, path: &str) -> Result<(), AgentError> {
    let db = |e: rusqlite::Error| AgentError::db(agent, e);
    let found: i64 = conn
        .pragma_query_value(None, "user_version", |row| row.get(0))
        .map_err(db)?;
    if found > version() {
        return Err(AgentError::Newer {
            path: path.to_string(),
            found,
            supported: version(),
        });
    }
    for (from, sql) in MIGRATIONS.iter().enumerate().skip(found.max(0) as usize) {
        // IMMEDIATE: two processes opening one new database migrate it one after the
        // other; the second sees the version the first wrote and skips the step.
        conn.execute_batch("BEGIN IMMEDIATE").map_err(db)?;
        let step = (|| {
            let now: i64 = conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
            if now > from as i64 {
                return Ok(());
            }
            conn.execute_batch(sql)?;
            conn.pragma_update(None, "user_version", from as i64 + 1)
        })();
        match step {
            Ok(()) => conn.execute_batch("COMMIT").map_err(db)?,
            Err(e) => {
                let _ = conn.execute_batch("ROLLBACK");
                return Err(db(e));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn a_new_database_is_brought_to_the_current_version() {
        let conn = Connection::open_in_memory().unwrap();
        migrate(&conn, "a", "(memory)").unwrap();
        let v: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(v, version());
        // Running again changes nothing.
        migrate(&conn, "a", "(memory)").unwrap();
    }

    #[test]
    fn every_earlier_version_migrates_to_the_current_one() {
        for start in 0..version() {
            let conn = Connection::open_in_memory().unwrap();
            for sql in &MIGRATIONS[..start as usize] {
                conn.execute_batch(sql).unwrap();
            }
            conn.pragma_update(None, "user_version", start).unwrap();
            migrate(&conn, "a", "(memory)").unwrap();
            let v: i64 = conn
                .pragma_query_value(None, "user_version", |r| r.get(0))
                .unwrap();
            assert_eq!(v, version(), "from version {start}");
            conn.execute("INSERT INTO meta VALUES ('k', 'v')", [])
                .unwrap();
        }
    }

    #[test]
    fn a_database_from_a_newer_oash_is_refused_and_left_alone() {
        let conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "user_version", version() + 1)
            .unwrap();
        let err = migrate(&conn, "a", "/s/agents/a.db").unwrap_err();
        assert!(matches!(err, AgentError::Newer { found, .. } if found == version() + 1));
        assert!(err.to_string().contains("/s/agents/a.db"), "{err}");
    }
}
