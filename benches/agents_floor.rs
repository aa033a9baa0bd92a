//! The physical floor under a durable local envelope (issue 12): per envelope, one BIP-340
//! signature of a NIP-01 event, one verification of it, and the SQLite commits that make it
//! durable, with the same crates and settings as the agents core (`nostr` 0.45.6 with its
//! `os-rng` signing, kind 3333 with a `p` and a `type` tag; `rusqlite` bundled, WAL,
//! `synchronous=NORMAL` unless told otherwise). `scripts/bench-agents` runs it in the same run
//! as oash's `send` and divides the two rates. It measures and prints; it never asserts on a
//! timing, and it touches nothing outside the fresh directory it makes under DIR.
//!
//! ```text
//! cargo bench --bench agents_floor -- [--synchronous NORMAL|FULL|OFF] [--commits 1|2|3]
//!                                     [--finalize] [N [DIR]]
//! ```
//!
//! N defaults to 2000 and DIR to Cargo's scratch directory under `target/`. DIR must be on the
//! disk whose commits are being priced (a tmpfs makes every fsync free). `--commits` is how
//! many WAL commits one envelope costs: 1 is the recipient's inbox insert alone; 2 adds the
//! sender's outbox insert before it (in the sender's own database, as one database per agent
//! gives); 3 also marks the outbox row delivered afterwards, the shape of an outbox-first send.
//! The signature is made as the core makes it, `sign_schnorr` over the unsigned event's id;
//! `--finalize` uses nostr's `EventBuilder::finalize` instead, which also verifies the
//! signature it has just made (a second verification per envelope).
//!
//! Each envelope's body is `hello N`: an event's id hashes its second-resolution
//! `created_at` and nothing that tells two sends apart, so the same body to the same
//! recipient twice in one second is one event, and the second insert would be a duplicate.
//!
//! Output: one `floor:` line (N, wall seconds, rate) and the median and mean of each part in
//! microseconds; `commit` includes the event's JSON serialisation.

use std::error::Error;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use nostr::prelude::{
    Event, EventBuilder, FinalizeEvent, FinalizeUnsignedEvent, Keys, Kind, PublicKey, Tag,
    Timestamp,
};
use rusqlite::{Connection, TransactionBehavior, params};

/// The application kind of every envelope (the agents surface's ENVELOPE_KIND).
const ENVELOPE_KIND: u16 = 3333;

/// What one run is asked to do.
struct Options {
    count: usize,
    dir: PathBuf,
    synchronous: String,
    commits: u8,
    finalize: bool,
}

enum Parsed {
    Run(Options),
    /// `cargo bench -- FILTER` passes every bench the filter; criterion benches skip when it
    /// does not match their names, and so does this one.
    Skip(String),
}

fn usage() -> String {
    "usage: agents_floor [--synchronous NORMAL|FULL|OFF] [--commits 1|2|3] [--finalize] [N [DIR]]"
        .to_string()
}

fn parse_args(args: impl Iterator<Item = String>) -> Result<Parsed, String> {
    let mut synchronous = "NORMAL".to_string();
    let mut commits = 1u8;
    let mut finalize = false;
    let mut positional = Vec::new();
    let mut args = args.peekable();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            // cargo bench adds --bench to a harness=false bench's arguments.
            "--bench" => {}
            "--synchronous" => {
                let value = args.next().ok_or_else(usage)?.to_ascii_uppercase();
                if !matches!(value.as_str(), "NORMAL" | "FULL" | "OFF") {
                    return Err(format!("--synchronous {value}: not NORMAL, FULL or OFF"));
                }
                synchronous = value;
            }
            "--finalize" => finalize = true,
            "--commits" => {
                let value = args.next().ok_or_else(usage)?;
                commits = match value.parse::<u8>() {
                    Ok(n @ 1..=3) => n,
                    _ => return Err(format!("--commits {value}: not 1, 2 or 3")),
                };
            }
            flag if flag.starts_with('-') => return Err(format!("{flag}: unknown\n{}", usage())),
            _ => positional.push(arg),
        }
    }
    let mut positional = positional.into_iter();
    let count = match positional.next() {
        None => 2000,
        Some(first) => match first.parse::<usize>() {
            Ok(n) => n,
            Err(_) if "agents_floor".contains(first.as_str()) => 2000,
            Err(_) => return Ok(Parsed::Skip(first)),
        },
    };
    let dir = positional
        .next()
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_TARGET_TMPDIR")));
    Ok(Parsed::Run(Options {
        count,
        dir,
        synchronous,
        commits,
        finalize,
    }))
}

/// One agent's database as the core opens it (a busy timeout, WAL, the chosen `synchronous`)
/// with the two tables an envelope touches.
fn open(path: &Path, synchronous: &str) -> rusqlite::Result<Connection> {
    let conn = Connection::open(path)?;
    // As the core opens an agent's database; it never waits here (one process, one writer).
    conn.busy_timeout(std::time::Duration::from_secs(30))?;
    let mode: String = conn.query_row("PRAGMA journal_mode=WAL", [], |row| row.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(rusqlite::Error::InvalidParameterName(format!(
            "journal_mode is {mode}, not wal"
        )));
    }
    conn.pragma_update(None, "synchronous", synchronous)?;
    conn.execute_batch(
        "CREATE TABLE inbox (id TEXT PRIMARY KEY, event TEXT NOT NULL);
         CREATE TABLE outbox (id TEXT PRIMARY KEY, event TEXT NOT NULL, state TEXT NOT NULL);",
    )?;
    Ok(conn)
}

/// Commits one row in its own IMMEDIATE transaction (the writer lock taken up front, as a
/// writer sharing its database with another process must).
fn commit(
    conn: &mut Connection,
    sql: &str,
    values: &[&dyn rusqlite::ToSql],
) -> rusqlite::Result<()> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    tx.prepare_cached(sql)?.execute(values)?;
    tx.commit()
}

/// One envelope from `sender` to `recipient`, signed as the agents core signs it, or with
/// nostr's `finalize` (sign, then verify) when `finalize` is set.
fn envelope(
    sender: &Keys,
    recipient: PublicKey,
    body: String,
    finalize: bool,
) -> Result<Event, Box<dyn Error>> {
    let builder = EventBuilder::new(Kind::Custom(ENVELOPE_KIND), body)
        .tag(Tag::public_key(recipient))
        .tag(Tag::custom("type", ["text"]))
        .custom_created_at(Timestamp::now());
    if finalize {
        return Ok(builder.finalize(sender)?);
    }
    let mut unsigned = builder.finalize_unsigned(sender.public_key());
    let id = unsigned.id();
    let sig = sender.sign_schnorr(id.as_bytes());
    Ok(Event::new(
        id,
        unsigned.pubkey,
        unsigned.created_at,
        unsigned.kind,
        unsigned.tags,
        unsigned.content,
        sig,
    ))
}

/// "median M us, mean A us" of `times`: the median is the part's own cost, the mean also
/// carries its tail (a checkpoint, a slow fsync, the process descheduled on a busy machine).
fn summary(times: &mut [Duration]) -> String {
    if times.is_empty() {
        return "median 0.0 us, mean 0.0 us".to_string();
    }
    times.sort_unstable();
    let mid = times.len() / 2;
    let median = if times.len().is_multiple_of(2) {
        (times[mid - 1] + times[mid]) / 2
    } else {
        times[mid]
    };
    let mean = times.iter().sum::<Duration>().as_secs_f64() / times.len() as f64;
    format!(
        "median {:.1} us, mean {:.1} us",
        median.as_secs_f64() * 1e6,
        mean * 1e6
    )
}

fn run(options: &Options) -> Result<(), Box<dyn Error>> {
    std::fs::create_dir_all(&options.dir)?;
    let scratch = tempfile::Builder::new()
        .prefix("agents-floor.")
        .tempdir_in(&options.dir)?;
    let mut sender_db = open(&scratch.path().join("a.db"), &options.synchronous)?;
    let mut recipient_db = open(&scratch.path().join("b.db"), &options.synchronous)?;
    let sender = Keys::generate();
    let recipient = Keys::generate().public_key();

    let mut sign = Vec::with_capacity(options.count);
    let mut verify = Vec::with_capacity(options.count);
    let mut store = Vec::with_capacity(options.count);
    let start = Instant::now();
    for n in 0..options.count {
        let t0 = Instant::now();
        let event = envelope(&sender, recipient, format!("hello {n}"), options.finalize)?;
        let t1 = Instant::now();
        event.verify()?;
        let t2 = Instant::now();
        let id = event.id.to_hex();
        let json = event.as_json();
        if options.commits >= 2 {
            commit(
                &mut sender_db,
                "INSERT INTO outbox (id, event, state) VALUES (?1, ?2, 'pending')",
                params![id, json],
            )?;
        }
        commit(
            &mut recipient_db,
            "INSERT INTO inbox (id, event) VALUES (?1, ?2)",
            params![id, json],
        )?;
        if options.commits >= 3 {
            commit(
                &mut sender_db,
                "UPDATE outbox SET state = 'delivered' WHERE id = ?1",
                params![id],
            )?;
        }
        let t3 = Instant::now();
        sign.push(t1 - t0);
        verify.push(t2 - t1);
        store.push(t3 - t2);
    }
    let elapsed = start.elapsed().as_secs_f64();

    // The rows are there: a floor that lost its writes would be no floor.
    let stored: usize =
        recipient_db.query_row("SELECT count(*) FROM inbox", [], |row| row.get(0))?;
    if stored != options.count {
        return Err(format!("{stored} rows in the inbox after {} commits", options.count).into());
    }
    let rate = if elapsed > 0.0 {
        options.count as f64 / elapsed
    } else {
        0.0
    };
    println!(
        "floor: {} envelopes in {elapsed:.3} s = {rate:.0}/s (synchronous={}, {} commit{} per envelope, signed {}, in {})",
        options.count,
        options.synchronous,
        options.commits,
        if options.commits == 1 { "" } else { "s" },
        if options.finalize {
            "by finalize"
        } else {
            "as the core signs"
        },
        options.dir.display()
    );
    println!("sign: {}", summary(&mut sign));
    println!("verify: {}", summary(&mut verify));
    println!("commit: {}", summary(&mut store));
    Ok(())
}

fn main() {
    let options = match parse_args(std::env::args().skip(1)) {
        Ok(Parsed::Run(options)) => options,
        Ok(Parsed::Skip(filter)) => {
            eprintln!("agents_floor: skipped (filter {filter:?})");
            return;
        }
        Err(message) => {
            eprintln!("agents_floor: {message}");
            std::process::exit(2);
        }
    };
    if let Err(error) = run(&options) {
        eprintln!("agents_floor: {error}");
        std::process::exit(1);
    }
}
