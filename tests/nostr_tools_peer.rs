//! The nostr-tools peer on its own, before it judges oash: it makes keys and events that it
//! verifies, rejects what was tampered with, and round-trips NIP-44. If these fail, the
//! interop tests in agents_interop.rs would be testing the peer, not oash.
//!
//! Each test returns early (saying why) where node, npm or the npm registry is out of reach,
//! and fails instead under `CI=true`; see tests/support/nostr_tools.rs.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use serde_json::Value;
use support::nostr_tools::Peer;

fn is_hex(text: &str, len: usize) -> bool {
    text.len() == len
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

#[test]
fn generated_keys_are_distinct_hex_pairs() {
    let Some(mut peer) = Peer::start() else {
        return;
    };
    assert!(
        peer.version.starts_with("nostr-tools 2."),
        "{}",
        peer.version
    );
    let (secret, pubkey) = peer.generate_key();
    let (other_secret, other_pubkey) = peer.generate_key();
    assert!(
        is_hex(&secret, 64) && is_hex(&pubkey, 64),
        "{secret} {pubkey}"
    );
    assert_ne!(secret, other_secret);
    assert_ne!(pubkey, other_pubkey);
}

#[test]
fn finalized_event_verifies_and_tampering_does_not() {
    let Some(mut peer) = Peer::start() else {
        return;
    };
    let (secret, pubkey) = peer.generate_key();
    let (_, recipient) = peer.generate_key();
    let json = peer.finalize_event(
        3333,
        "hello, ünïcode ✓",
        &[&["p", &recipient], &["type", "text"]],
        &secret,
    );
    let event: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(event["pubkey"], pubkey.as_str());
    assert_eq!(event["kind"], 3333);
    assert_eq!(event["content"], "hello, ünïcode ✓");
    assert_eq!(event["tags"][0][1], recipient.as_str());
    assert!(is_hex(event["id"].as_str().unwrap(), 64), "{json}");
    assert!(is_hex(event["sig"].as_str().unwrap(), 128), "{json}");
    assert_eq!(peer.event_hash(&json), event["id"].as_str().unwrap());
    assert!(peer.verify_event(&json));

    // One byte of content changed: the id no longer matches.
    let tampered = json.replace("hello", "hellp");
    assert_ne!(tampered, json);
    assert!(!peer.verify_event(&tampered));

    // The right id for another pubkey, signed by the original key: the signature fails.
    let (stranger_secret, stranger) = peer.generate_key();
    let mut claimed = event;
    claimed["pubkey"] = stranger.as_str().into();
    let id = peer.event_hash(&claimed.to_string());
    claimed["id"] = id.as_str().into();
    claimed["sig"] = peer.sign_schnorr(&secret, &id).into();
    assert!(!peer.verify_event(&claimed.to_string()));
    // Signed by the claimed author's own key, the same event verifies: the check above
    // failed on the signature alone.
    claimed["sig"] = peer.sign_schnorr(&stranger_secret, &id).into();
    assert!(peer.verify_event(&claimed.to_string()));
}

#[test]
fn schnorr_follows_the_sign_convention() {
    let Some(mut peer) = Peer::start() else {
        return;
    };
    let (secret, pubkey) = peer.generate_key();
    let id = "00ff".repeat(16);
    let sig = peer.sign_schnorr(&secret, &id);
    assert!(is_hex(&sig, 128), "{sig}");
    assert!(peer.verify_schnorr(&pubkey, &sig, &id));
    assert!(!peer.verify_schnorr(&pubkey, &sig, &"00fe".repeat(16)));

    // Text is signed as its sha256, so a signature over text is not one over its bytes as id.
    let text = "sign me, please: ünïcode ✓";
    let text_sig = peer.sign_schnorr(&secret, text);
    assert!(peer.verify_schnorr(&pubkey, &text_sig, text));
    assert!(!peer.verify_schnorr(&pubkey, &text_sig, "sign me, please"));
    let (_, other) = peer.generate_key();
    assert!(!peer.verify_schnorr(&other, &text_sig, text));
    assert!(!peer.verify_schnorr(&pubkey, "not hex", text));
}

#[test]
fn nip44_round_trips_between_two_keys() {
    let Some(mut peer) = Peer::start() else {
        return;
    };
    let (alice_secret, alice) = peer.generate_key();
    let (bob_secret, bob) = peer.generate_key();
    let plaintext = "line one\nline two: ünïcode ✓";
    let payload = peer.nip44_encrypt(&alice_secret, &bob, plaintext);
    assert!(!payload.contains("line"), "{payload}");
    assert_eq!(
        peer.nip44_decrypt(&bob_secret, &alice, &payload).unwrap(),
        plaintext
    );
    // A third key does not share the conversation key: the MAC check fails.
    let (eve_secret, _) = peer.generate_key();
    let refused = peer.nip44_decrypt(&eve_secret, &alice, &payload);
    assert!(refused.is_err(), "{refused:?}");
}

#[test]
fn bad_requests_are_answered_with_errors() {
    let Some(mut peer) = Peer::start() else {
        return;
    };
    let unknown = peer.try_call(&serde_json::json!({"op": "nonsense"}));
    assert!(unknown.unwrap_err().contains("unknown op"));
    let short_key = peer.try_call(&serde_json::json!({
        "op": "signSchnorr", "secret": "abcd", "message": "m",
    }));
    assert!(short_key.unwrap_err().contains("secret"));
    // The peer is still answering after errors.
    assert!(peer.generate_key().0.len() == 64);
}
