//! Envelopes: NIP-01 events of one application kind, made and checked here only.
//!
//! An envelope is an event of kind [`ENVELOPE_KIND`] signed by its sender, with a `p` tag
//! naming the recipient's public key, a `type` tag saying what the body is (default
//! [`DEFAULT_TYPE`]) and the body as its content. Its id is the event id, so the same
//! envelope delivered twice is recognisably the same.
//!
//! [`check`] is what every receipt runs, whoever made the bytes: the shape (each field of
//! NIP-01, named when it is wrong), the kind, the `p` tag, the id (recomputed) and the
//! signature. A failed check says which, in words the deadletter keeps.

use nostr::prelude::{Event, EventBuilder, FinalizeUnsignedEvent, Kind, PublicKey, Tag, Timestamp};

use super::error::AgentError;
use super::identity::Identity;

/// The one kind every envelope has: a regular (stored) event kind, in NIP-01's range for
/// application events (1000-9999), chosen for oash.
pub const ENVELOPE_KIND: u16 = 3333;

/// The type an envelope has when the sender names none.
pub const DEFAULT_TYPE: &str = "text";

/// The tag that makes each envelope its own: an event's id hashes its time in whole
/// seconds, so without it two sends of one body from one sender to one recipient within a
/// second would be the same event, and the inbox's deduplication would keep one of them.
pub const NONCE_TAG: &str = "nonce";

/// 8 random bytes in hex: unique enough that two envelopes never share an id by chance
/// (the rest of the event differs in time or content otherwise).
fn nonce() -> String {
    let mut bytes = [0u8; 8];
    // Should the OS refuse randomness, the time's nanoseconds stand in.
    if getrandom::fill(&mut bytes).is_err() {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default()
            .as_nanos();
        bytes = (nanos as u64).to_le_bytes();
    }
    super::registry::hex(&bytes)
}

/// The largest envelope taken, in bytes of its JSON: a relay's usual limit is of this size,
/// and an inbox must not be filled by one message.
pub const MAX_ENVELOPE: usize = 256 * 1024;

/// The fields of a NIP-01 event, in the order a reader expects them named.
const FIELDS: &[&str] = &[
    "id",
    "pubkey",
    "created_at",
    "kind",
    "tags",
    "content",
    "sig",
];

/// A type name: a short word, since it is a tag and a column.
pub(crate) fn check_type(ty: &str) -> Result<(), AgentError> {
    let ok = !ty.is_empty()
        && ty.len() <= 64
        && ty
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_./:".contains(&b));
    match ok {
        true => Ok(()),
        false => Err(AgentError::bad(
            format!("type {ty:?}"),
            "must be 1 to 64 letters, digits or - _ . / :",
        )),
    }
}

/// A body an envelope can carry: at most half of [`MAX_ENVELOPE`], leaving room for the
/// event's other fields and JSON's escapes.
pub(crate) fn check_body(body: &str) -> Result<(), AgentError> {
    match body.len() > MAX_ENVELOPE / 2 {
        true => Err(AgentError::bad(
            "body",
            format!(
                "{} bytes; an envelope holds at most {}",
                body.len(),
                MAX_ENVELOPE / 2
            ),
        )),
        false => Ok(()),
    }
}

/// A signed envelope from `sender` to `to`.
pub fn make(sender: &Identity, to: &PublicKey, ty: &str, body: &str) -> Result<Event, AgentError> {
    check_type(ty)?;
    check_body(body)?;
    let mut unsigned = EventBuilder::new(Kind::Custom(ENVELOPE_KIND), body)
        .tag(Tag::public_key(*to))
        .tag(Tag::custom("type", [ty]))
        .tag(Tag::custom(NONCE_TAG, [nonce()]))
        .custom_created_at(Timestamp::now())
        .finalize_unsigned(sender.public_key());
    // Signed here rather than by nostr's `finalize`, which verifies the signature it has
    // just made: every envelope is verified on receipt ([`check`]) anyway, and a
    // verification is the most expensive step of a send (more than the signing).
    let id = unsigned.id();
    let sig = sender.keys().sign_schnorr(id.as_bytes());
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

/// The envelope in `raw`, if it passes every check on receipt for `recipient`; otherwise
/// the failed check, naming the field (`signature: does not verify`).
pub fn check(raw: &[u8], recipient: &PublicKey) -> Result<Event, String> {
    if raw.len() > MAX_ENVELOPE {
        return Err(format!(
            "size: {} bytes, over the limit of {MAX_ENVELOPE}",
            raw.len()
        ));
    }
    let value: serde_json::Value =
        serde_json::from_slice(raw).map_err(|e| format!("not JSON: {e}"))?;
    let object = value.as_object().ok_or("not a JSON object")?;
    for field in FIELDS {
        if !object.contains_key(*field) {
            return Err(format!("{field}: missing"));
        }
    }
    // Each field's shape, named, before the library's parse (whose errors do not say which).
    let hex_of = |field: &str, digits: usize| {
        let ok = object[field]
            .as_str()
            .is_some_and(|t| t.len() == digits && t.bytes().all(|b| b.is_ascii_hexdigit()));
        match ok {
            true => Ok(()),
            false => Err(format!("{field}: not {digits} hex digits")),
        }
    };
    hex_of("id", 64)?;
    hex_of("pubkey", 64)?;
    hex_of("sig", 128)?;
    for (field, ok) in [
        ("created_at", object["created_at"].is_u64()),
        (
            "kind",
            object["kind"]
                .as_u64()
                .is_some_and(|k| k <= u64::from(u16::MAX)),
        ),
        ("tags", object["tags"].is_array()),
        ("content", object["content"].is_string()),
    ] {
        if !ok {
            return Err(format!("{field}: not the type NIP-01 gives it"));
        }
    }
    let event: Event = serde_json::from_value(value).map_err(|e| format!("malformed: {e}"))?;
    if event.kind != Kind::Custom(ENVELOPE_KIND) {
        return Err(format!(
            "kind: {} is not an envelope ({ENVELOPE_KIND})",
            event.kind.as_u16()
        ));
    }
    match recipient_of(&event) {
        None => return Err("p tag: missing".into()),
        Some(pk) if pk != *recipient => return Err("p tag: names another recipient".into()),
        Some(_) => {}
    }
    if !event.verify_id() {
        return Err("id: does not match the event's content".into());
    }
    if !event.verify_signature() {
        return Err("signature: does not verify for the event's pubkey".into());
    }
    Ok(event)
}

/// The envelope's type (its `type` tag), or the default.
pub fn type_of(event: &Event) -> String {
    event
        .tags
        .iter()
        .find(|t| t.kind() == "type")
        .and_then(|t| t.content())
        .unwrap_or(DEFAULT_TYPE)
        .to_string()
}

/// The recipient the envelope's `p` tag names.
pub fn recipient_of(event: &Event) -> Option<PublicKey> {
    event.tags.public_keys().next()
}

/// The event as its JSON text.
pub fn json(event: &Event) -> String {
    event.as_json()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn a_made_envelope_passes_every_check() {
        let (a, b) = (Identity::generate(), Identity::generate());
        let event = make(&a, &b.public_key(), "note", "hello").unwrap();
        let back = check(json(&event).as_bytes(), &b.public_key()).unwrap();
        assert_eq!(back.id, event.id);
        assert_eq!(type_of(&back), "note");
        assert_eq!(recipient_of(&back), Some(b.public_key()));
    }

    #[test]
    fn each_failed_check_is_named() {
        let (a, b) = (Identity::generate(), Identity::generate());
        let text = json(&make(&a, &b.public_key(), "text", "hello").unwrap());
        let tampered = text.replace("\"hello\"", "\"hellp\"");
        assert!(
            check(tampered.as_bytes(), &b.public_key())
                .unwrap_err()
                .starts_with("id:")
        );
        assert!(
            check(text.as_bytes(), &a.public_key())
                .unwrap_err()
                .starts_with("p tag:")
        );
        assert!(
            check(b"[1]", &b.public_key())
                .unwrap_err()
                .starts_with("not a JSON object")
        );
        assert!(
            check(b"{", &b.public_key())
                .unwrap_err()
                .starts_with("not JSON")
        );
        let no_sig = text.replace("\"sig\"", "\"sgi\"");
        assert_eq!(
            check(no_sig.as_bytes(), &b.public_key()).unwrap_err(),
            "sig: missing"
        );
        // A foreign signature: the event's pubkey claims a, the signature is c's.
        let c = Identity::generate();
        let by_c = make(&c, &b.public_key(), "text", "hello").unwrap();
        let event: serde_json::Value = serde_json::from_str(&text).unwrap();
        let mut forged = event.clone();
        forged["sig"] = serde_json::Value::String(by_c.sig.to_hex());
        let err = check(forged.to_string().as_bytes(), &b.public_key()).unwrap_err();
        assert!(err.starts_with("signature:"), "{err}");
    }

    #[test]
    fn two_sends_of_one_body_in_one_second_are_two_envelopes() {
        let (a, b) = (Identity::generate(), Identity::generate());
        // Two made within one second (a pair straddling a second boundary is made again).
        let (first, second) = loop {
            let first = make(&a, &b.public_key(), "text", "hello").unwrap();
            let second = make(&a, &b.public_key(), "text", "hello").unwrap();
            if first.created_at == second.created_at {
                break (first, second);
            }
        };
        assert_ne!(first.id, second.id);
    }

    #[test]
    fn a_bad_type_is_refused_before_signing() {
        let a = Identity::generate();
        assert!(make(&a, &a.public_key(), "two words", "x").is_err());
        assert!(make(&a, &a.public_key(), "", "x").is_err());
    }
}
