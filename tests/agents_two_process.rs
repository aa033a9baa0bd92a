//! Issue 12, "Done when" 5: two oash processes on one state directory at once, a REPL in
//! a pseudo-terminal (typed at, one line at a time) and a script, each making agents and
//! sending to the other's in a tight loop. Each must see the other's agents (`ls /agents`)
//! and envelopes (`ls /agents/X/inbox`), neither may show an error (`database is locked`,
//! `busy`, or any diagnostic), and every envelope must arrive exactly once.
//!
//! Standard input that is not a terminal is read whole as one script (see `repl::run`), so
//! the REPL-like child is the real REPL in a pty (`expectrl`, as `tests/repl.rs` drives it),
//! started with `--state` and `--host`. Both children log each envelope's id to a host file
//! after `send` returns; at the end the databases are read directly (rusqlite, read-only)
//! and every logged id must be in its recipient's inbox once, with the body it was sent
//! with, and nothing else there. The two runs must overlap in time (checked from the
//! inboxes' arrival times), or the test would prove nothing about concurrency.

// Test code: a set-up step that fails should stop the test loudly, helpers included.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use rusqlite::{Connection, OpenFlags};

mod support;
use support::pty::Repl;

/// Rounds of each loop: every round sends from each of three agents to each of the
/// other side's three, so each side sends `9 * ROUNDS` envelopes in its loop.
const ROUNDS: usize = 40;

/// Lines the REPL types one at a time (one `send` each) before its loop.
const TYPED: usize = 30;

/// Words that must never reach either user.
const FORBIDDEN: &[&str] = &[
    "database is locked",
    "locked",
    "busy",
    "oash::",
    "×",
    "panick",
];

/// The REPL in a pseudo-terminal on `state`, with `host` mounted; `None` without a pty.
fn start_repl(state: &Path, host: &Path, history: &Path) -> Option<Repl> {
    let mut command = Command::new(env!("CARGO_BIN_EXE_oash"));
    command
        .arg("--state")
        .arg(state)
        .arg("--host")
        .arg(host)
        .env("OASH_HISTORY", history)
        .env("TERM", "xterm")
        .env("NO_COLOR", "1")
        .env_remove("OASH_STATE");
    Repl::spawn(command, Duration::from_secs(30))
}

/// The script child: makes its agents, waits for the REPL's `go`, sends in a loop, then
/// waits for the REPL to finish and lists its own agents' inboxes (the REPL's envelopes).
fn script(rounds: usize) -> String {
    format!(
        r#"agent new s1 s2 s3
while (! ~ go `{{ls /agents}}) {{}}
for (i in `{{seq 1 {rounds}}}) for (a in s1 s2 s3) for (b in r1 r2 r3) {{
  id=`{{send -f $a $b script-$i-$a-$b}}
  echo $a $b script-$i-$a-$b $id >> /n/host/script.log
  ls /agents/$b/inbox > /dev/null
}}
agent new script-done
while (! ~ repl-done `{{ls /agents}}) {{}}
for (x in s1 s2 s3) ls /agents/$x/inbox > /n/host/script-sees-$x
ls /agents > /n/host/script-sees-agents
"#
    )
}

/// `FROM TO BODY ID` lines of a log.
fn read_log(path: &Path) -> Vec<(String, String, String, String)> {
    fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .lines()
        .map(|line| {
            let w: Vec<&str> = line.split(' ').collect();
            assert!(
                w.len() == 4 && w[3].len() == 64,
                "{}: {line:?}",
                path.display()
            );
            (w[0].into(), w[1].into(), w[2].into(), w[3].into())
        })
        .collect()
}

/// An agent's inbox from its database: id -> (sender hex, body, received ms); and its
/// public key, and whether its outbox is all delivered.
struct Db {
    pubkey: String,
    inbox: BTreeMap<String, (String, String, i64)>,
    outbox: Vec<(String, String)>,
}

fn read_db(state: &Path, name: &str) -> Db {
    let path = state.join("agents").join(format!("{name}.db"));
    let conn = Connection::open_with_flags(&path, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    let ok: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok", "{name}: integrity_check");
    let secret: Vec<u8> = conn
        .query_row("SELECT secret FROM identity", [], |r| r.get(0))
        .unwrap();
    let pubkey = nostr::prelude::Keys::new(nostr::prelude::SecretKey::from_slice(&secret).unwrap())
        .public_key()
        .to_hex();
    let mut stmt = conn
        .prepare("SELECT id, sender, event, received FROM inbox ORDER BY seq")
        .unwrap();
    let mut inbox = BTreeMap::new();
    for row in stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, i64>(3)?,
            ))
        })
        .unwrap()
    {
        let (id, sender, event, received) = row.unwrap();
        let event: serde_json::Value = serde_json::from_str(&event).unwrap();
        let body = event["content"].as_str().unwrap().to_string();
        assert!(
            inbox.insert(id.clone(), (sender, body, received)).is_none(),
            "{name}: {id} twice"
        );
    }
    let mut stmt = conn.prepare("SELECT id, state FROM outbox").unwrap();
    let outbox = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    Db {
        pubkey,
        inbox,
        outbox,
    }
}

fn assert_clean(who: &str, text: &str) {
    for word in FORBIDDEN {
        assert!(!text.contains(word), "{who} shows {word:?}:\n{text}");
    }
}

#[test]
fn a_repl_and_a_script_share_one_state_directory() {
    let area = tempfile::tempdir().unwrap();
    let state = area.path().join("state");
    let host = area.path().join("host");
    fs::create_dir(&host).unwrap();
    let Some(mut repl) = start_repl(&state, &host, &area.path().join("history")) else {
        return;
    };
    repl.run_printing("agent new r1 r2 r3; echo ma^de", "made");

    let script_path = host.join("script.oash");
    fs::write(&script_path, script(ROUNDS)).unwrap();
    let child = Command::new(env!("CARGO_BIN_EXE_oash"))
        .arg("--state")
        .arg(&state)
        .arg("--host")
        .arg(&host)
        .arg(&script_path)
        .env_remove("OASH_STATE")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();

    // The REPL sees the script's agents appear.
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let listed = repl.run_printing("ls /agents; echo li^sted", "listed");
        if ["s1", "s2", "s3"]
            .iter()
            .all(|s| listed.lines().any(|l| l.trim() == *s))
        {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the script's agents never showed:\n{listed}"
        );
    }
    // `go` starts the script's loop; the REPL types sends one at a time, then loops.
    repl.run_printing("agent new go; echo go^ne", "gone");
    for k in 1..=TYPED {
        let (a, b) = (format!("r{}", k % 3 + 1), format!("s{}", (k + 1) % 3 + 1));
        repl.run_printing(
            &format!("echo {a} {b} typed-{k} `{{send -f {a} {b} typed-{k}}} >> /n/host/repl.log; echo ty^ped-{k}"),
            &format!("typed-{k}\r\n"),
        );
    }
    repl.session
        .set_expect_timeout(Some(Duration::from_secs(300)));
    repl.run_printing(
        &format!(
            "for (i in `{{seq 1 {ROUNDS}}}) for (a in r1 r2 r3) for (b in s1 s2 s3) {{ id=`{{send -f $a $b repl-$i-$a-$b}}; echo $a $b repl-$i-$a-$b $id >> /n/host/repl.log; ls /agents/$b/inbox > /dev/null }}; echo loop-^done"
        ),
        "loop-done",
    );
    // The script has finished its loop when `script-done` shows; then the REPL is done.
    loop {
        let listed = repl.run_printing("ls /agents; echo li^sted", "listed");
        if listed.lines().any(|l| l.trim() == "script-done") {
            break;
        }
        assert!(
            Instant::now() < deadline + Duration::from_secs(240),
            "the script never finished its loop"
        );
    }
    repl.run_printing(
        "for (x in r1 r2 r3) ls /agents/$x/inbox > /n/host/repl-sees-$x; agent new repl-done; echo fin^ished",
        "finished",
    );
    let out = child.wait_with_output().unwrap();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert!(out.status.success(), "script: {}\n{stderr}", out.status);
    assert_eq!(stderr, "", "the script's stderr");
    assert_clean("the script's stdout", &stdout);
    repl.session.send("exit\r").unwrap();
    assert_clean("the REPL's screen", &repl.screen);

    // Every logged envelope is in its recipient's inbox once, with its body; nothing else is.
    let names = ["r1", "r2", "r3", "s1", "s2", "s3"];
    let dbs: BTreeMap<&str, Db> = names.iter().map(|n| (*n, read_db(&state, n))).collect();
    let repl_log = read_log(&host.join("repl.log"));
    let script_log = read_log(&host.join("script.log"));
    assert_eq!(repl_log.len(), TYPED + 9 * ROUNDS);
    assert_eq!(script_log.len(), 9 * ROUNDS);
    let mut expected: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for (from, to, body, id) in repl_log.iter().chain(&script_log) {
        let db = &dbs[to.as_str()];
        let Some((sender, got, _)) = db.inbox.get(id) else {
            panic!("{id} ({from} -> {to}: {body}) is not in {to}'s inbox");
        };
        assert_eq!((sender, got), (&dbs[from.as_str()].pubkey, body), "{id}");
        assert!(
            expected.entry(to).or_default().insert(id),
            "{id} logged twice"
        );
    }
    for name in names {
        let ids: BTreeSet<&str> = dbs[name].inbox.keys().map(String::as_str).collect();
        assert_eq!(
            ids,
            expected.remove(name).unwrap_or_default(),
            "{name}'s inbox"
        );
        for (id, state) in &dbs[name].outbox {
            assert_eq!(state, "delivered", "{name}'s outbox {id}");
        }
    }
    // Each saw the other's envelopes: the listings they wrote are those inboxes.
    for (who, name) in [
        ("repl", "r1"),
        ("repl", "r2"),
        ("repl", "r3"),
        ("script", "s1"),
        ("script", "s2"),
        ("script", "s3"),
    ] {
        let listing = fs::read_to_string(host.join(format!("{who}-sees-{name}"))).unwrap();
        let seen: BTreeSet<&str> = listing.lines().filter(|l| *l != "new").collect();
        let ids: BTreeSet<&str> = dbs[name].inbox.keys().map(String::as_str).collect();
        assert_eq!(seen, ids, "what the {who} listed of {name}'s inbox");
    }
    let agents_seen = fs::read_to_string(host.join("script-sees-agents")).unwrap();
    for name in ["r1", "r2", "r3", "go"] {
        assert!(
            agents_seen.lines().any(|l| l == name),
            "the script saw {agents_seen}"
        );
    }
    // The two ran at once: the REPL's envelopes (in s*) and the script's (in r*) arrived
    // over overlapping spans of time.
    let span = |side: [&str; 3]| {
        let times: Vec<i64> = side
            .iter()
            .flat_map(|n| dbs[n].inbox.values().map(|v| v.2))
            .collect();
        (*times.iter().min().unwrap(), *times.iter().max().unwrap())
    };
    let (repl_from, repl_to) = span(["s1", "s2", "s3"]);
    let (script_from, script_to) = span(["r1", "r2", "r3"]);
    let overlap = repl_to.min(script_to) - repl_from.max(script_from);
    println!(
        "REPL sent {} over {} ms, the script {} over {} ms, overlapping {overlap} ms",
        repl_log.len(),
        repl_to - repl_from,
        script_log.len(),
        script_to - script_from
    );
    assert!(
        overlap > 0,
        "the two processes did not send at the same time"
    );
}

/// Runs `oash --state STATE -c script` in the background.
fn spawn(state: &Path, script: &str) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_oash"))
        .arg("--state")
        .arg(state)
        .arg("-c")
        .arg(script)
        .env_remove("OASH_STATE")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Its stdout, after checking it succeeded with nothing on stderr.
fn finish(who: &str, child: std::process::Child) -> String {
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && stderr.is_empty(),
        "{who}: {}\n{stderr}",
        out.status
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The first uses of an identity racing in two processes on a fresh state directory: the
/// operator's (both send with no `-f` at once) and a new agent's (one makes it while the
/// other opens it the moment its file appears). Both must succeed, and agree on the key.
#[test]
fn first_uses_of_an_identity_racing_in_two_processes_agree() {
    const TRIALS: usize = 25;
    for trial in 0..TRIALS {
        let area = tempfile::tempdir().unwrap();
        let state = area.path().join("state");
        finish("set-up", spawn(&state, "agent new b"));
        let one = spawn(&state, "send b one; cat /agents/b/inbox/*");
        let two = spawn(&state, "send b two");
        let (one, _) = (
            finish(&format!("trial {trial}: first"), one),
            finish(&format!("trial {trial}: second"), two),
        );
        // Both envelopes came from the one operator identity.
        let db = read_db(&state, "b");
        let senders: BTreeSet<&String> = db.inbox.values().map(|v| &v.0).collect();
        assert_eq!(
            (db.inbox.len(), senders.len()),
            (2, 1),
            "trial {trial}: {one}"
        );

        let watcher = spawn(
            &state,
            "while (! ~ x `{ls /agents}) {}; cat /agents/x/identity/pubkey",
        );
        std::thread::sleep(Duration::from_millis(30));
        let maker = spawn(&state, "agent new x; cat /agents/x/identity/pubkey");
        let made = finish(&format!("trial {trial}: maker"), maker);
        let seen = finish(&format!("trial {trial}: watcher"), watcher);
        assert_eq!(made, seen, "trial {trial}: two keys for x");
    }
}
