//! Interop of oash's agents with an independent Nostr implementation, npm `nostr-tools`
//! (issue 12, "Done when" 3): envelopes and `identity/sign` signatures made by oash verify in
//! nostr-tools, NIP-44 payloads cross both ways through `identity/encrypt` and `decrypt`, and
//! what nostr-tools signs is accepted by an inbox while a tampered or foreign-signed envelope
//! lands in `deadletter/` with a reason naming the failed check, never in `inbox/`.
//!
//! Every test drives the built `oash` binary on its own `--state` directory, one `oash -c`
//! per step, so each step also crosses a process restart. The peer is installed and started by
//! tests/support/nostr_tools.rs; without node, npm or the registry a test returns early saying
//! why (a failure under `CI=true`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, ExitStatus, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::Value;
use support::nostr_tools::Peer;
use tempfile::TempDir;

/// The one application kind of all envelopes (the agents surface, ENVELOPE_KIND).
const ENVELOPE_KIND: u64 = 3333;

/// How long one `oash -c` may run before the test calls it hung.
const STEP_TIMEOUT: Duration = Duration::from_secs(60);

/// What one `oash -c` did.
struct Run {
    status: ExitStatus,
    stdout: String,
    stderr: String,
}

/// Runs `oash --state STATE -c SCRIPT` with `stdin` as its standard input.
fn oash_with_input(state: &Path, script: &str, stdin: &[u8]) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_oash"))
        .arg("--state")
        .arg(state)
        .arg("-c")
        .arg(script)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    let stdin = stdin.to_vec();
    // A thread, so that a child which does not read its input cannot block the test.
    let writer = thread::spawn(move || {
        let _ = input.write_all(&stdin);
    });
    let mut out_pipe = child.stdout.take().unwrap();
    let mut err_pipe = child.stderr.take().unwrap();
    let out_reader = thread::spawn(move || {
        let mut text = String::new();
        let _ = out_pipe.read_to_string(&mut text);
        text
    });
    let err_reader = thread::spawn(move || {
        let mut text = String::new();
        let _ = err_pipe.read_to_string(&mut text);
        text
    });
    let deadline = Instant::now() + STEP_TIMEOUT;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("oash -c {script:?} ran for more than {STEP_TIMEOUT:?}");
        }
        thread::sleep(Duration::from_millis(10));
    };
    let _ = writer.join();
    Run {
        status,
        stdout: out_reader.join().unwrap(),
        stderr: err_reader.join().unwrap(),
    }
}

fn oash(state: &Path, script: &str) -> Run {
    oash_with_input(state, script, b"")
}

/// Runs a script that must succeed; its standard output.
fn ok(state: &Path, script: &str) -> String {
    let run = oash(state, script);
    assert!(
        run.status.success(),
        "oash -c {script:?} failed ({}):\nstdout: {}\nstderr: {}",
        run.status,
        run.stdout,
        run.stderr
    );
    run.stdout
}

/// `text` as one rc word: single-quoted, a quote doubled. Newlines may stand inside.
fn rc_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// One request on a transaction file (`identity/sign`, `verify`, `encrypt`, `decrypt`): one
/// handle, opened read-write with rc's `<>`, takes the request and then gives the answer.
/// ASSUMED FORM: `{echo -n REQ >[1=0]; cat} <>PATH`, using the `<>` redirection the lead is
/// adding to oash (not in oash yet when this was written).
fn transact(state: &Path, path: &str, request: &str) -> String {
    ok(
        state,
        &format!("{{echo -n {} >[1=0]; cat}} <>{path}", rc_quote(request)),
    )
}

fn new_agents(state: &Path, names: &[&str]) {
    for name in names {
        assert_eq!(ok(state, &format!("agent new {name}")), "");
    }
}

fn pubkey(state: &Path, agent: &str) -> String {
    let text = ok(state, &format!("cat /agents/{agent}/identity/pubkey"));
    let key = text.trim_end_matches('\n').to_string();
    assert!(is_hex(&key, 64), "{agent}'s pubkey: {text:?}");
    key
}

fn is_hex(text: &str, len: usize) -> bool {
    text.len() == len
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// The JSON a `cat` of `path` prints.
fn cat_json(state: &Path, path: &str) -> Value {
    let text = ok(state, &format!("cat {path}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("cat {path}: {e}:\n{text}"))
}

/// The entries of a directory listing by their last path element, without control files:
/// envelope ids in `inbox/`, dead letters in `deadletter/`.
fn entries(state: &Path, dir: &str) -> Vec<String> {
    ok(state, &format!("ls {dir}"))
        .lines()
        .map(|line| line.rsplit('/').next().unwrap_or(line).to_string())
        .filter(|name| !name.is_empty() && name != "new" && name != "ctl")
        .collect()
}

/// Whether `text` has `word` as a whole word (so `id` is not found in `invalid`).
fn names_word(text: &str, word: &str) -> bool {
    text.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .any(|token| token == word)
}

/// Sends with `send ARGS` and returns the printed envelope id.
fn send(state: &Path, args: &str) -> String {
    let printed = ok(state, &format!("send {args}"));
    let id = printed
        .strip_suffix('\n')
        .unwrap_or_else(|| panic!("send {args} printed {printed:?}"));
    assert!(is_hex(id, 64), "send {args} printed {printed:?}");
    id.to_string()
}

/// Writes a complete event into `AGENT/inbox/new`, as a relay or another program would.
fn deliver(state: &Path, agent: &str, event: &str) -> Run {
    oash_with_input(
        state,
        &format!("cat > /agents/{agent}/inbox/new"),
        event.as_bytes(),
    )
}

/// Checks one envelope as nostr-tools sees it; returns its event.
fn check_envelope(peer: &mut Peer, envelope: &Value, id: &str, from: &str, to: &str) -> Value {
    let event = envelope["event"].clone();
    assert!(event.is_object(), "no event in {envelope}");
    assert_eq!(event["id"], id, "{envelope}");
    assert_eq!(event["kind"], ENVELOPE_KIND, "{envelope}");
    assert_eq!(event["pubkey"], from, "{envelope}");
    let tags = event["tags"].as_array().unwrap();
    assert!(
        tags.iter().any(|tag| tag[0] == "p" && tag[1] == to),
        "{envelope}"
    );
    assert!(
        peer.verify_event(&event.to_string()),
        "nostr-tools ({}) rejects {event}",
        peer.version
    );
    event
}

#[test]
fn envelopes_from_send_verify_in_nostr_tools() {
    let Some(mut peer) = Peer::start() else {
        return;
    };
    let state = TempDir::new().unwrap();
    let state = state.path();
    new_agents(state, &["alice", "bob"]);
    let alice = pubkey(state, "alice");
    let bob = pubkey(state, "bob");

    let body = "hello from alice: ünïcode ✓, \"quotes\" and 'apostrophes'";
    let id = send(state, &format!("-f alice bob {}", rc_quote(body)));
    let envelope = cat_json(state, &format!("/agents/bob/inbox/{id}"));
    assert_eq!(envelope["body"], body);
    let event = check_envelope(&mut peer, &envelope, &id, &alice, &bob);
    assert_eq!(event["content"], body);
    let tags = event["tags"].as_array().unwrap();
    assert!(tags.iter().any(|tag| tag[0] == "type" && tag[1] == "text"));
    // The sender's outbox holds the same signed event.
    let sent = cat_json(state, &format!("/agents/alice/outbox/{id}"));
    assert_eq!(sent["event"], event);

    // nostr-tools is not agreeing with everything: one byte of content changed fails.
    let mut tampered = event.clone();
    tampered["content"] = body.replacen('h', "j", 1).into();
    assert!(!peer.verify_event(&tampered.to_string()));

    // A typed JSON body, to bob's npub.
    let npub = ok(state, "cat /agents/bob/identity/npub");
    let json_body = r#"{"task":"résumé","n":[1,2]}"#;
    let id = send(
        state,
        &format!("-f alice -t json {} {}", npub.trim(), rc_quote(json_body)),
    );
    let envelope = cat_json(state, &format!("/agents/bob/inbox/{id}"));
    let event = check_envelope(&mut peer, &envelope, &id, &alice, &bob);
    assert_eq!(event["content"], json_body);
    let tags = event["tags"].as_array().unwrap();
    assert!(tags.iter().any(|tag| tag[0] == "type" && tag[1] == "json"));

    // From the operator identity (no -f), to a hex pubkey.
    let id = send(state, &format!("{bob} 'from the operator'"));
    let envelope = cat_json(state, &format!("/agents/bob/inbox/{id}"));
    let operator = envelope["event"]["pubkey"].as_str().unwrap().to_string();
    assert_ne!(operator, alice);
    check_envelope(&mut peer, &envelope, &id, &operator, &bob);
}

#[test]
fn identity_sign_verifies_in_nostr_tools() {
    let Some(mut peer) = Peer::start() else {
        return;
    };
    let state = TempDir::new().unwrap();
    let state = state.path();
    new_agents(state, &["alice", "bob"]);
    let alice = pubkey(state, "alice");
    let bob = pubkey(state, "bob");

    // An event built by nostr-tools with alice as author, its id signed by alice's agent.
    let (scratch, _) = peer.generate_key();
    let template = peer.finalize_event(1, "signed through identity/sign", &[], &scratch);
    let mut event: Value = serde_json::from_str(&template).unwrap();
    event["pubkey"] = alice.as_str().into();
    let id = peer.event_hash(&event.to_string());
    event["id"] = id.as_str().into();
    let answer = transact(state, "/agents/alice/identity/sign", &id);
    let sig = answer
        .strip_suffix('\n')
        .unwrap_or_else(|| panic!("sign answered {answer:?}"));
    assert!(is_hex(sig, 128), "sign answered {answer:?}");
    assert!(peer.verify_schnorr(&alice, sig, &id));
    event["sig"] = sig.into();
    assert!(peer.verify_event(&event.to_string()), "{event}");
    assert!(!peer.verify_schnorr(&bob, sig, &id));

    // Text is signed as the sha256 of its bytes.
    let text = "sign me, please: ünïcode ✓";
    let answer = transact(state, "/agents/alice/identity/sign", text);
    let sig = answer.trim_end_matches('\n');
    assert!(is_hex(sig, 128), "sign answered {answer:?}");
    assert!(peer.verify_schnorr(&alice, sig, text));
    assert!(!peer.verify_schnorr(&alice, sig, "sign me, please"));
}

#[test]
fn identity_verify_accepts_nostr_tools_signatures() {
    let Some(mut peer) = Peer::start() else {
        return;
    };
    let state = TempDir::new().unwrap();
    let state = state.path();
    new_agents(state, &["alice"]);
    let (secret, pubkey) = peer.generate_key();
    let id = "5a".repeat(32);
    let text = "signed by nostr-tools: ünïcode ✓";
    for message in [id.as_str(), text] {
        let sig = peer.sign_schnorr(&secret, message);
        let request = |message: &str| {
            serde_json::json!({"pubkey": pubkey, "sig": sig, "message": message}).to_string()
        };
        let good = transact(state, "/agents/alice/identity/verify", &request(message));
        assert_eq!(good.trim_end(), "true", "{message}");
        // Another message of the same form: a different id, or a longer text.
        let other = if is_hex(message, 64) {
            message.replacen('5', "6", 1)
        } else {
            format!("{message}!")
        };
        let bad = transact(state, "/agents/alice/identity/verify", &request(&other));
        assert_eq!(bad.trim_end(), "false", "{other}");
    }
}

#[test]
fn nip44_crosses_between_oash_and_nostr_tools() {
    let Some(mut peer) = Peer::start() else {
        return;
    };
    let state = TempDir::new().unwrap();
    let state = state.path();
    new_agents(state, &["alice"]);
    let alice = pubkey(state, "alice");
    let (secret, outsider) = peer.generate_key();

    let plaintext = "first line\nsecond: ünïcode ✓ 'quoted'";
    let payload = peer.nip44_encrypt(&secret, &alice, plaintext);
    let decrypted = transact(
        state,
        "/agents/alice/identity/decrypt",
        &format!("{outsider}\n{payload}"),
    );
    assert_eq!(decrypted, plaintext);

    let answer = transact(
        state,
        "/agents/alice/identity/encrypt",
        &format!("{outsider}\n{plaintext}"),
    );
    let payload = answer.strip_suffix('\n').unwrap_or(&answer);
    assert!(!payload.contains("line"), "{payload}");
    assert_eq!(
        peer.nip44_decrypt(&secret, &alice, payload),
        Ok(plaintext.to_string())
    );
}

#[test]
fn an_envelope_signed_by_nostr_tools_is_delivered() {
    let Some(mut peer) = Peer::start() else {
        return;
    };
    let state = TempDir::new().unwrap();
    let state = state.path();
    new_agents(state, &["bob"]);
    let bob = pubkey(state, "bob");
    let (secret, outsider) = peer.generate_key();
    let written = peer.finalize_event(
        3333,
        "from outside: ünïcode ✓",
        &[&["p", &bob], &["type", "text"]],
        &secret,
    );
    let run = deliver(state, "bob", &written);
    assert!(run.status.success(), "{}", run.stderr);
    let written: Value = serde_json::from_str(&written).unwrap();
    let id = written["id"].as_str().unwrap();
    assert_eq!(entries(state, "/agents/bob/inbox"), [id]);
    let envelope = cat_json(state, &format!("/agents/bob/inbox/{id}"));
    assert_eq!(envelope["from"], outsider.as_str());
    assert_eq!(envelope["body"], "from outside: ünïcode ✓");
    assert_eq!(envelope["event"], written);
    assert!(entries(state, "/agents/bob/deadletter").is_empty());
}

/// Writes a bad event into bob's inbox and checks it is refused, naming `check`, and kept in
/// `deadletter/` with that reason and the bytes written, never in `inbox/`.
fn check_dead_letter(peer: &mut Peer, state: &Path, event: &Value, check: &str) {
    let text = event.to_string();
    assert!(!peer.verify_event(&text), "nostr-tools accepts {text}");
    let inbox_before = entries(state, "/agents/bob/inbox");
    let dead_before = entries(state, "/agents/bob/deadletter");

    let run = deliver(state, "bob", &text);
    assert!(!run.status.success(), "a bad event was taken: {text}");
    assert!(names_word(&run.stderr, check), "{}", run.stderr);

    assert_eq!(entries(state, "/agents/bob/inbox"), inbox_before);
    let dead: Vec<String> = entries(state, "/agents/bob/deadletter")
        .into_iter()
        .filter(|name| !dead_before.contains(name))
        .collect();
    assert_eq!(dead.len(), 1, "new dead letters: {dead:?}");
    let letter = cat_json(state, &format!("/agents/bob/deadletter/{}", dead[0]));
    let reason = letter["reason"].as_str().unwrap_or_default();
    assert!(names_word(reason, check), "{letter}");
    // The raw bytes are kept, as text or as the JSON they were.
    let raw = &letter["raw"];
    assert!(
        raw.as_str() == Some(text.as_str()) || raw == event,
        "raw is not what was written: {letter}"
    );
    let status = cat_json(state, "/agents/bob/status");
    assert_eq!(status["deadletter"], dead_before.len() + 1, "{status}");
    assert_eq!(status["inbox"], inbox_before.len(), "{status}");
}

#[test]
fn tampered_and_foreign_signed_envelopes_go_to_deadletter() {
    let Some(mut peer) = Peer::start() else {
        return;
    };
    let state = TempDir::new().unwrap();
    let state = state.path();
    new_agents(state, &["alice", "bob"]);
    let alice = pubkey(state, "alice");
    let bob = pubkey(state, "bob");
    let (secret, _) = peer.generate_key();
    let tags: &[&[&str]] = &[&["p", &bob], &["type", "text"]];

    // Signed properly, then one byte of content changed: the id no longer matches.
    let signed = peer.finalize_event(3333, "pay 100 sats", tags, &secret);
    let mut tampered: Value = serde_json::from_str(&signed).unwrap();
    tampered["content"] = "pay 900 sats".into();
    check_dead_letter(&mut peer, state, &tampered, "id");

    // Claims alice as its author, with the right id for that claim, but is signed by
    // another key: only the signature is wrong.
    let mut forged: Value =
        serde_json::from_str(&peer.finalize_event(3333, "from alice, honest", tags, &secret))
            .unwrap();
    forged["pubkey"] = alice.as_str().into();
    let id = peer.event_hash(&forged.to_string());
    forged["id"] = id.as_str().into();
    forged["sig"] = peer.sign_schnorr(&secret, &id).into();
    check_dead_letter(&mut peer, state, &forged, "signature");
    assert!(entries(state, "/agents/bob/inbox").is_empty());
}
