//! Issue 12, "Done when" 4: no agent's secret key ever shows. The test makes agents on a
//! file state directory, sends (every door: `send`, Rhai, `inbox/new`), signs and encrypts,
//! provokes every error it can name (unknown agent, bad name, malformed and forged
//! envelopes, a full inbox under each policy, bad ctl and deadletter ctl lines, bad identity
//! requests, a state directory that cannot be used, a database from a newer oash), then
//! collects everything the shell shows: stdout and stderr of every command, every file
//! under `/agents` read recursively (statuses, mailboxes' JSON, memory, goals, logs,
//! identity), `ns`, `help`. The secret keys are read from the databases themselves (table
//! `identity`, column `secret`) and searched for in hex (either case), nsec and raw form.
//!
//! The identity transaction files (`sign`, `verify`, `encrypt`, `decrypt`) need one handle
//! that writes and then reads; the language has no `<>` redirection yet and Rhai no such
//! call, so those run in-process through the library (`Shell::proc.ns.open` read-write on
//! the same state directory), which is the same service the binary mounts. Their answers
//! and errors (Display and Debug) join what is searched. There is no trajectory yet to
//! search.
//!
//! The checker is proved once: a test plants a key's hex in `memory/` and its nsec in
//! `goals/` through the binary and requires [`find_leaks`] to name both.

// Test code: a set-up step that fails should stop the test loudly, helpers included.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use nostr::prelude::{
    EventBuilder, FinalizeEvent, Keys, Kind, PublicKey, SecretKey, Tag, ToBech32,
};
use oash::agent::StateDir;
use oash::eval::Shell;
use oash::ns::OpenFlags;

/// One agent's (or the operator's) secret key in every form it could show in.
struct Secret {
    owner: String,
    raw: Vec<u8>,
    hex: String,
    nsec: String,
}

/// Everything shown, each piece with where it came from.
#[derive(Default)]
struct Collected {
    pieces: Vec<(String, Vec<u8>)>,
}

impl Collected {
    fn add(&mut self, what: impl Into<String>, bytes: impl Into<Vec<u8>>) {
        self.pieces.push((what.into(), bytes.into()));
    }

    /// All of it as text, for checking that the errors were provoked.
    fn text(&self) -> String {
        let mut all = String::new();
        for (_, bytes) in &self.pieces {
            all.push_str(&String::from_utf8_lossy(bytes));
            all.push('\n');
        }
        all
    }

    fn bytes(&self) -> usize {
        self.pieces.iter().map(|(_, b)| b.len()).sum()
    }
}

/// Each place a secret shows in `collected`: `"WHERE: FORM of OWNER's key"`. Hex and nsec
/// are looked for in each piece's letters and digits alone, lower-cased: a diagnostic
/// wraps long lines (and may break a long word), putting newlines, indentation and box
/// drawing inside what it shows, none of which is a letter or digit. The raw 32 bytes are
/// looked for as they are.
fn find_leaks(collected: &Collected, secrets: &[Secret]) -> Vec<String> {
    let contains =
        |haystack: &[u8], needle: &[u8]| haystack.windows(needle.len()).any(|w| w == needle);
    let mut leaks = Vec::new();
    for (what, bytes) in &collected.pieces {
        let squeezed: Vec<u8> = bytes
            .iter()
            .filter(|b| b.is_ascii_alphanumeric())
            .map(u8::to_ascii_lowercase)
            .collect();
        for secret in secrets {
            let forms: [(&str, &[u8], &[u8]); 3] = [
                ("hex", &squeezed, secret.hex.as_bytes()),
                ("nsec", &squeezed, secret.nsec.as_bytes()),
                ("raw bytes", bytes, &secret.raw),
            ];
            for (form, haystack, needle) in forms {
                if contains(haystack, needle) {
                    leaks.push(format!("{what}: {form} of {}'s key", secret.owner));
                }
            }
        }
    }
    leaks
}

/// `text` with each run of white space and diagnostic drawing made one space, so words
/// a diagnostic wrapped onto two lines read as they were written.
fn unwrapped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split(|c: char| c.is_whitespace() || "│╰├╭─┬·×".contains(c)) {
        if !word.is_empty() {
            out.push_str(word);
            out.push(' ');
        }
    }
    out
}

/// The secret of every database under `state` (agents and operator), read directly.
fn secrets_of(state: &Path) -> Vec<Secret> {
    let mut dbs: Vec<PathBuf> = fs::read_dir(state.join("agents"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "db"))
        .collect();
    let operator = state.join("operator.db");
    if operator.exists() {
        dbs.push(operator);
    }
    dbs.iter()
        .map(|path| {
            let conn = rusqlite::Connection::open_with_flags(
                path,
                rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
            )
            .unwrap();
            let raw: Vec<u8> = conn
                .query_row("SELECT secret FROM identity", [], |r| r.get(0))
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            assert_eq!(raw.len(), 32, "{}: a 32-byte secret", path.display());
            let key = SecretKey::from_slice(&raw).unwrap();
            Secret {
                owner: path.file_stem().unwrap().to_string_lossy().into_owned(),
                hex: key.to_secret_hex(),
                nsec: key.to_bech32().unwrap(),
                raw,
            }
        })
        .collect()
}

/// Runs `oash --state STATE [--host HOST] -c script` and collects its stdout and stderr.
fn run(
    collected: &mut Collected,
    state: &Path,
    host: Option<&Path>,
    label: &str,
    script: &str,
) -> (String, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_oash"));
    command.env_remove("OASH_STATE").arg("--state").arg(state);
    if let Some(host) = host {
        command.arg("--host").arg(host);
    }
    let out = command.arg("-c").arg(script).output().unwrap();
    collected.add(format!("{label}: stdout"), out.stdout.clone());
    collected.add(format!("{label}: stderr"), out.stderr.clone());
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Reads every file under `/agents` (directories by `ls -p`), each preceded by its path,
/// plus `ns`, the listings and the help texts.
const WALK: &str = r#"
fn walk {
  for (e in `{ls -p $1}) {
    if (~ $e */) walk $1^$e
    if not { echo '@@@ '^$1^$e; cat $1^$e }
  }
}
walk /agents/
ns
ls -l /agents
agent ls
help agents
help agent
help send
"#;

/// A signed envelope for `to` from `keys`, as JSON.
fn envelope(keys: &Keys, to: &PublicKey, body: &str) -> serde_json::Value {
    let event = EventBuilder::new(Kind::Custom(3333), body)
        .tag(Tag::public_key(*to))
        .tag(Tag::custom("type", ["text"]))
        .finalize(keys)
        .unwrap();
    serde_json::from_str(&event.as_json()).unwrap()
}

/// One identity transaction in-process: write `request`, read the answer on the same
/// handle. Answers the answer, or the error (Display and Debug) as text.
fn transact(shell: &Shell, path: &str, request: &[u8]) -> Result<String, String> {
    let show = |e: oash::ns::NsError| format!("{e} / {e:?}");
    let mut handle = shell
        .proc
        .ns
        .open(path, OpenFlags::read_write())
        .map_err(show)?;
    handle.write(request).map_err(show)?;
    let mut answer = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match handle.read(&mut buf).map_err(show)? {
            0 => break,
            n => answer.extend_from_slice(&buf[..n]),
        }
    }
    handle.close().map_err(show)?;
    Ok(String::from_utf8_lossy(&answer).into_owned())
}

/// The identity files driven in-process (see the module doc): good requests, checked to
/// work, and bad ones, checked to fail.
fn identity_transactions(collected: &mut Collected, state: &Path) {
    let shell = Shell::new();
    shell
        .engines
        .agents
        .set_state(StateDir::Dir(state.to_path_buf()));
    let mut record = |label: &str, result: &Result<String, String>| {
        let text = match result {
            Ok(answer) => format!("ok: {answer}"),
            Err(error) => format!("error: {error}"),
        };
        collected.add(format!("in-process {label}"), text);
    };
    let pubkey = |name: &str| {
        let mut handle = shell
            .proc
            .ns
            .open(
                &format!("/agents/{name}/identity/pubkey"),
                OpenFlags::read(),
            )
            .unwrap();
        let mut buf = [0u8; 128];
        let n = handle.read(&mut buf).unwrap();
        String::from_utf8_lossy(&buf[..n]).trim().to_string()
    };
    let (alice, bob) = (pubkey("alice"), pubkey("bob"));
    assert_eq!(alice.len(), 64, "alice's pubkey: {alice:?}");

    // Sign an id and some bytes; verify both, and a changed message.
    let id = "ab".repeat(32);
    for message in [id.as_str(), "any bytes at all\n"] {
        let sig = transact(&shell, "/agents/alice/identity/sign", message.as_bytes());
        record("sign", &sig);
        let sig = sig.unwrap();
        assert_eq!(sig.trim().len(), 128, "a BIP-340 signature: {sig:?}");
        for (said, expect) in [(message, "true"), ("another message", "false")] {
            let request = serde_json::json!({"pubkey": alice, "sig": sig.trim(), "message": said});
            let answer = transact(
                &shell,
                "/agents/bob/identity/verify",
                request.to_string().as_bytes(),
            );
            record("verify", &answer);
            assert_eq!(answer.unwrap().trim(), expect);
        }
    }
    // Encrypt to bob, decrypt as bob; the payload is no plaintext.
    let plain = "the plan\nsecond line";
    let payload = transact(
        &shell,
        "/agents/alice/identity/encrypt",
        format!("{bob}\n{plain}").as_bytes(),
    );
    record("encrypt", &payload);
    let payload = payload.unwrap();
    assert!(!payload.contains("the plan"));
    let back = transact(
        &shell,
        "/agents/bob/identity/decrypt",
        format!("{alice}\n{}", payload.trim()).as_bytes(),
    );
    record("decrypt", &back);
    assert_eq!(back.unwrap(), plain);

    // Bad requests: each must fail, and its error is searched too.
    let bad: &[(&str, &[u8])] = &[
        ("/agents/alice/identity/verify", b"not json"),
        (
            "/agents/alice/identity/verify",
            br#"{"pubkey":"x","sig":"y","message":"m"}"#,
        ),
        (
            "/agents/alice/identity/verify",
            br#"{"sig":"00","message":"m"}"#,
        ),
        ("/agents/alice/identity/encrypt", b"not-a-key\nhello"),
        ("/agents/alice/identity/encrypt", b"npub1qqqqqqqq\nhello"),
        ("/agents/alice/identity/decrypt", b"garbage"),
        ("/agents/nobody/identity/sign", b"x"),
        ("/agents/alice/identity/secret", b"x"),
        ("/agents/alice/identity/nsec", b""),
        ("/agents/alice/identity/pubkey", b"overwrite"),
    ];
    for (path, request) in bad {
        let answer = transact(&shell, path, request);
        record(path, &answer);
        assert!(answer.is_err(), "{path} {request:?} must fail: {answer:?}");
    }
    let decrypt_bad = transact(
        &shell,
        "/agents/bob/identity/decrypt",
        format!("{alice}\nAAAAnot-a-payload").as_bytes(),
    );
    record("decrypt garbage", &decrypt_bad);
    assert!(decrypt_bad.is_err());
    // Decrypting with the wrong peer fails (the key is another pair's).
    let wrong_peer = transact(
        &shell,
        "/agents/carol/identity/decrypt",
        format!("{alice}\n{}", payload.trim()).as_bytes(),
    );
    record("decrypt wrong peer", &wrong_peer);
    assert!(wrong_peer.is_err());
    // The core's own errors and values, as a program using the library would show them.
    let agents = shell.engines.agents.agents().unwrap();
    for name in ["alice", "nobody", "bad name"] {
        match agents.get(name) {
            Ok(agent) => collected.add(
                format!("in-process get {name}"),
                format!("{:?} {}", agent.identity(), agent.public_key()),
            ),
            Err(e) => collected.add(format!("in-process get {name}"), format!("{e} / {e:?}")),
        }
    }
}

/// Every error the test provokes, as the words its message must contain: the proof that
/// each was reached (a leak check over errors that never happened proves nothing).
const PROVOKED: &[&str] = &[
    "agent alice already exists",
    "bad agent name",
    "no such agent: nobody",
    "bad recipient",
    "envelope rejected",
    "(kept as deadletter/",
    "inbox full",
    "policy reject",
    "carol/ctl: unknown command",
    "not a positive count",
    "inbox policy bogus: say deadletter, reject or",
    "deadletter/ctl: unknown command",
    "is read-only",
    "not removable",
    "unknown option `frm`",
    "is not a map",
    "needs `to` and `body`",
    "must start with a letter or digit",
    "`new` is the file that makes agents",
    "1 to 64 characters",
    "id: does not match",
    "signature: does not verify",
    "p tag: names another recipient",
    "kind: 1 is not an envelope",
    "pubkey: missing",
    "Not a directory",
    "invalid HMAC",
    "newer than this oash knows",
    "state directory",
    "not a hex or npub public key",
    "the first line must be the peer's public key",
    "not JSON",
];

#[test]
fn no_secret_key_shows_anywhere() {
    let area = tempfile::tempdir().unwrap();
    let state = area.path().join("state");
    let host = area.path().join("host");
    fs::create_dir(&host).unwrap();
    let mut collected = Collected::default();
    let stranger = Keys::generate();
    let stranger_npub = stranger.public_key().to_bech32().unwrap();

    // Agents, and envelopes through every door.
    let setup = format!(
        r#"
agent new alice bob carol
send -f alice bob hello bob
send -t note -f bob alice a typed note
send bob from the operator
send -f alice {stranger_npub} to a stranger, pending
send -f bob {stranger_hex} to the stranger by hex
send -f alice `{{cat /agents/carol/identity/pubkey}} to carol by hex
rhai -c 'print(send("carol", "from rhai", #{{from: "alice", type: "rhai"}}))'
rhai -c 'print(send_all([#{{to: "bob", body: "batch 1", from: "carol"}}, #{{to: "alice", body: "batch 2"}}]))'
rhai -c 'print(agent_new("dave")); print(agent_new()); agent_rm("dave")'
echo a bare body > /agents/bob/inbox/new
mkdir /agents/erin
echo remember this > /agents/alice/memory/note
mkdir /agents/alice/memory/dir
echo deep > /agents/alice/memory/dir/file
echo finish the crash test > /agents/alice/goals/today
cat /agents/bob/identity/pubkey
cat /agents/alice/identity/npub
"#,
        stranger_hex = stranger.public_key().to_hex()
    );
    let (out, err) = run(&mut collected, &state, Some(&host), "setup", &setup);
    assert!(err.is_empty(), "setup: {err}");
    let lines: Vec<&str> = out.lines().collect();
    let bob = PublicKey::parse(lines[lines.len() - 2]).unwrap();
    let alice = PublicKey::parse(lines[lines.len() - 1]).unwrap();

    // Forged and malformed envelopes for bob, written into his inbox/new from host files.
    let good = envelope(&stranger, &bob, "a genuine envelope from a stranger");
    let mut tampered = good.clone();
    tampered["content"] = "a genuine envelope from a strangeR".into();
    let mut foreign_sig = envelope(&stranger, &bob, "signed by someone");
    foreign_sig["sig"] = envelope(&Keys::generate(), &bob, "x")["sig"].clone();
    let for_alice = envelope(&stranger, &alice, "addressed to alice");
    let mut wrong_kind = good.clone();
    wrong_kind["kind"] = 1.into();
    let evil: Vec<(&str, String)> = vec![
        ("good", good.to_string()),
        ("tampered", tampered.to_string()),
        ("foreign-sig", foreign_sig.to_string()),
        ("for-alice", for_alice.to_string()),
        ("wrong-kind", wrong_kind.to_string()),
        ("fields", r#"{"id":"00","sig":"11"}"#.to_string()),
        (
            "types",
            r#"{"id":1,"sig":[],"pubkey":{},"tags":"x","kind":"k"}"#.to_string(),
        ),
    ];
    let mut writes = String::new();
    for (name, json) in &evil {
        fs::write(host.join(name), json).unwrap();
        let _ = writeln!(writes, "cat /n/host/{name} > /agents/bob/inbox/new");
    }
    let (_, err) = run(&mut collected, &state, Some(&host), "forged", &writes);
    assert!(err.contains("envelope rejected"), "forged: {err}");

    // Every other error the surface names.
    let errors = r#"
agent new alice
agent new 'bad name'
agent new new
agent new .hidden
agent new aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
agent frob
agent rm nobody
agent new
send -f nobody bob x
send -f alice nobody x
send -f alice npub1garbage x
send -f alice 00zz x
send alice
send
send -t 'bad type!' bob x
send -q bob x
rhai -c 'send("nobody", "x")'
rhai -c 'send("bob", "x", #{frm: "alice"})'
rhai -c 'send_all([1])'
rhai -c 'send_all([#{to: "bob"}])'
rhai -c 'agent_new("bad name")'
rhai -c 'agent_rm("nobody")'
cat /agents/nobody/status
ls /agents/nobody/inbox
cat /agents/bob/inbox/0000
cat /agents/alice/outbox/zz
cat /agents/alice/deadletter/zz
cat /agents/alice/identity/secret
cat /agents/alice/identity/nsec
echo x > /agents/alice/identity/pubkey
echo x > /agents/alice/status
rm /agents/alice/identity/sign
mv /agents/alice/identity/pubkey /agents/alice/memory/key
cat /agents/alice/memory/none
cat /agents/alice/memory/../../bob/status
echo frob > /agents/carol/ctl
echo inbox max -1 > /agents/carol/ctl
echo inbox max lots > /agents/carol/ctl
echo inbox policy bogus > /agents/carol/ctl
echo frob > /agents/bob/deadletter/ctl
echo replay 00 > /agents/bob/deadletter/ctl
echo discard 00 > /agents/bob/deadletter/ctl
echo inbox max 1 > /agents/carol/ctl
echo inbox policy reject > /agents/carol/ctl
send -f alice carol fills the inbox
send -f alice carol one too many, rejected
echo inbox policy deadletter > /agents/carol/ctl
send -f alice carol one too many, deadlettered
for (id in `{ls /agents/carol/deadletter}) if (! ~ $id ctl) echo replay $id > /agents/carol/deadletter/ctl
echo inbox policy drop-oldest > /agents/carol/ctl
send -f bob carol pushes the oldest out
for (id in `{ls /agents/bob/deadletter}) if (! ~ $id ctl) echo replay $id > /agents/bob/deadletter/ctl
for (id in `{ls /agents/bob/inbox}) if (! ~ $id new) rm /agents/bob/inbox/$id
echo '' > /agents/bob/inbox/new
echo rm > /agents/erin/ctl
cat /agents/erin/status
"#;
    // One run a line: a redirection that cannot open its file ends a script, and each
    // line must be reached.
    for line in errors.lines().filter(|l| !l.trim().is_empty()) {
        run(&mut collected, &state, Some(&host), line, line);
    }
    let deadletter = run(
        &mut collected,
        &state,
        None,
        "deadletter discard",
        "for (id in `{ls /agents/bob/deadletter}) if (! ~ $id ctl) { cat /agents/bob/deadletter/$id; echo discard $id > /agents/bob/deadletter/ctl }",
    );
    assert!(deadletter.0.contains("\"reason\""), "{deadletter:?}");

    identity_transactions(&mut collected, &state);

    // A state directory that cannot be used.
    let file = area.path().join("a-file");
    fs::write(&file, "not a directory").unwrap();
    run(
        &mut collected,
        &file,
        None,
        "state is a file",
        "agent ls; send -f a b x; ls /agents",
    );
    run(
        &mut collected,
        &file.join("sub"),
        None,
        "state under a file",
        "agent new x",
    );
    run(
        &mut collected,
        Path::new("/proc/oash-state"),
        None,
        "state in /proc",
        "cat /agents/new",
    );

    // A database from a newer oash: a copy of the state directory with alice's and the
    // operator's databases marked version 999.
    // A copy takes each database's write-ahead log with it: committed pages may still be
    // there only.
    let newer = area.path().join("newer");
    fs::create_dir_all(newer.join("agents")).unwrap();
    for dir in ["", "agents"] {
        for entry in fs::read_dir(state.join(dir)).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if name.ends_with(".db") || name.ends_with(".db-wal") {
                fs::copy(&path, newer.join(dir).join(name)).unwrap();
            }
        }
    }
    for db in [newer.join("agents/alice.db"), newer.join("operator.db")] {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.pragma_update(None, "user_version", 999).unwrap();
    }
    run(
        &mut collected,
        &newer,
        None,
        "newer",
        "agent ls; cat /agents/alice/status; ls /agents/alice/inbox; send -f alice bob x; send -f bob alice x; send bob x; cat /agents/alice/identity/pubkey; echo hi > /agents/alice/inbox/new",
    );

    // Everything the tree shows, on both directories.
    let (walked, _) = run(&mut collected, &state, None, "walk", WALK);
    assert!(
        walked.contains("@@@ /agents/alice/memory/dir/file\ndeep"),
        "{walked}"
    );
    // The two envelopes for the stranger wait in alice's and bob's outboxes.
    assert_eq!(
        walked.matches("\"outbox_pending\": 1,").count(),
        2,
        "{walked}"
    );
    run(&mut collected, &newer, None, "walk newer", WALK);
    // The raw outbox, inbox and deadletter rows as JSON the files show are in the walk;
    // the state directory itself holds the keys by design and is not searched.

    let all = unwrapped(&collected.text());
    // For reading what was searched: OASH_SECRETS_DUMP=FILE keeps it.
    if let Some(dump) = std::env::var_os("OASH_SECRETS_DUMP") {
        fs::write(dump, collected.text()).unwrap();
    }
    let missing: Vec<&&str> = PROVOKED
        .iter()
        .filter(|p| !all.contains(unwrapped(p).trim_end()))
        .collect();
    assert!(
        missing.is_empty(),
        "errors not provoked: {missing:?}\n{all}"
    );
    let mut secrets = secrets_of(&state);
    secrets.extend(secrets_of(&newer));
    let owners: Vec<&str> = secrets.iter().map(|s| s.owner.as_str()).collect();
    for name in ["alice", "bob", "carol", "agent1", "operator"] {
        assert!(owners.contains(&name), "no key for {name}: {owners:?}");
    }
    let leaks = find_leaks(&collected, &secrets);
    assert!(leaks.is_empty(), "secret keys shown:\n{}", leaks.join("\n"));
    println!(
        "searched {} pieces, {} bytes, for {} keys: none shown",
        collected.pieces.len(),
        collected.bytes(),
        secrets.len()
    );
}

#[test]
fn the_checker_finds_a_key_planted_in_memory_and_goals() {
    let area = tempfile::tempdir().unwrap();
    let state = area.path().join("state");
    let mut collected = Collected::default();
    run(&mut collected, &state, None, "make", "agent new alice bob");
    let secrets = secrets_of(&state);
    let alice = secrets.iter().find(|s| s.owner == "alice").unwrap();
    assert!(
        find_leaks(&collected, &secrets).is_empty(),
        "nothing planted yet"
    );
    let plant = format!(
        "echo {} > /agents/alice/memory/planted; echo {} > /agents/bob/goals/planted",
        alice.hex.to_uppercase(),
        alice.nsec
    );
    let mut planting = Collected::default();
    run(&mut planting, &state, None, "plant", &plant);
    let mut walked = Collected::default();
    run(&mut walked, &state, None, "walk", WALK);
    let leaks = find_leaks(&walked, &secrets);
    assert_eq!(
        leaks,
        [
            "walk: stdout: hex of alice's key",
            "walk: stdout: nsec of alice's key"
        ],
        "the walk reads memory/ and goals/, and the checker sees both forms"
    );
    // The raw form too, and only where it is.
    let mut raw = Collected::default();
    raw.add("bytes", [b"x".as_slice(), &alice.raw, b"y"].concat());
    raw.add("clean", "nothing here");
    assert_eq!(
        find_leaks(&raw, &secrets),
        ["bytes: raw bytes of alice's key"]
    );
}
