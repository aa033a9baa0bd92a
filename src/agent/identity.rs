//! An agent's Nostr identity, factotum-style: the operations a holder of the key may ask
//! for (sign, verify, encrypt, decrypt), never the key itself.
//!
//! [`Identity`] owns the keypair. Nothing in this file returns, formats or logs the secret
//! key: its `Debug` shows the public key only, the requests and answers of the identity
//! files are parsed and made here, and their errors name the field at fault, never the key.
//! The secret leaves only into the agent's own database (`secret_bytes`, for the store).
//!
//! The request forms (the `identity/` files of `/agents/<id>/` take exactly these):
//! - sign: 64 hex digits are a 32-byte message (an event id) signed as is; any other bytes
//!   are signed as their SHA-256. The answer is the BIP-340 signature in hex.
//! - verify: `{"pubkey": HEX|NPUB, "sig": HEX, "message": TEXT}`, the message read as sign
//!   reads it; the answer is `true` or `false` (a malformed request is an error, not false).
//! - encrypt, decrypt: the peer's public key (hex or npub) on the first line, the rest the
//!   plaintext or the NIP-44 v2 payload.

use std::fmt;

use nostr::nips::nip19::ToBech32;
use nostr::nips::nip44;
use nostr::prelude::{Keys, PublicKey, SecretKey, Signature};
use sha2::{Digest, Sha256};

use super::error::AgentError;

/// A keypair held for one agent (or the shell's operator).
pub struct Identity {
    keys: Keys,
}

impl fmt::Debug for Identity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Identity")
            .field("pubkey", &self.public_key().to_hex())
            .finish_non_exhaustive()
    }
}

impl Identity {
    /// A fresh keypair from the operating system's randomness.
    pub fn generate() -> Identity {
        Identity {
            keys: Keys::generate(),
        }
    }

    /// The keypair of the stored secret `bytes` (32 bytes); `owner` names whose, for the error.
    pub(crate) fn from_secret_bytes(bytes: &[u8], owner: &str) -> Result<Identity, AgentError> {
        let secret = SecretKey::from_slice(bytes)
            .map_err(|_| AgentError::db(owner, "the stored secret key is damaged"))?;
        Ok(Identity {
            keys: Keys::new(secret),
        })
    }

    /// The secret as the store keeps it. For the agent's own database only.
    pub(crate) fn secret_bytes(&self) -> [u8; 32] {
        self.keys.secret_key().to_secret_bytes()
    }

    /// The keys, for signing events. Crate-private: only the envelope core signs.
    pub(crate) fn keys(&self) -> &Keys {
        &self.keys
    }

    /// The public key.
    pub fn public_key(&self) -> PublicKey {
        self.keys.public_key()
    }

    /// The public key as `npub1...`.
    pub fn npub(&self) -> String {
        npub(&self.public_key())
    }

    /// A BIP-340 signature of `request` read as the sign file reads it (see the module doc).
    pub fn sign(&self, request: &[u8]) -> String {
        self.keys.sign_schnorr(message_digest(request)).to_hex()
    }

    /// NIP-44 v2: `plaintext` for `peer`, as a base64 payload.
    pub fn encrypt(
        &self,
        owner: &str,
        peer: &PublicKey,
        plaintext: &[u8],
    ) -> Result<String, AgentError> {
        nip44::encrypt(self.keys.secret_key(), peer, plaintext, nip44::Version::V2)
            .map_err(|e| crypto(owner, "encrypt", e))
    }

    /// NIP-44: the plaintext of `payload` from `peer`.
    pub fn decrypt(
        &self,
        owner: &str,
        peer: &PublicKey,
        payload: &str,
    ) -> Result<Vec<u8>, AgentError> {
        nip44::decrypt_to_bytes(self.keys.secret_key(), peer, payload.trim())
            .map_err(|e| crypto(owner, "decrypt", e))
    }

    /// Answers one request to the identity file `file` (`sign`, `verify`, `encrypt`,
    /// `decrypt`) of `owner`: what the file gives back to the handle that wrote `request`.
    pub fn answer(&self, owner: &str, file: &str, request: &[u8]) -> Result<Vec<u8>, AgentError> {
        let what = || format!("{owner}/identity/{file}");
        match file {
            "sign" => Ok(format!("{}\n", self.sign(request)).into_bytes()),
            "verify" => Ok(format!("{}\n", verify_request(&what(), request)?).into_bytes()),
            "encrypt" => {
                let (peer, text) = peer_and_rest(&what(), request)?;
                Ok(format!("{}\n", self.encrypt(owner, &peer, text)?).into_bytes())
            }
            "decrypt" => {
                let (peer, payload) = peer_and_rest(&what(), request)?;
                let payload = std::str::from_utf8(payload)
                    .map_err(|_| AgentError::bad(what(), "the payload is not base64 text"))?;
                self.decrypt(owner, &peer, payload)
            }
            _ => Err(AgentError::bad(what(), "not an identity operation")),
        }
    }
}

/// `pk` as `npub1...`.
pub fn npub(pk: &PublicKey) -> String {
    // Encoding 32 bytes as bech32 cannot fail; the hex form stands in should it ever.
    pk.to_bech32().unwrap_or_else(|_| pk.to_hex())
}

/// A public key given as hex or npub; `None` for anything else.
pub fn parse_public_key(text: &str) -> Option<PublicKey> {
    let text = text.trim();
    let hex = text.len() == 64 && text.bytes().all(|b| b.is_ascii_hexdigit());
    if hex || text.starts_with("npub1") {
        PublicKey::parse(text).ok()
    } else {
        None
    }
}

/// The 32 bytes a signature is made over: 64 hex digits as themselves, anything else hashed.
fn message_digest(request: &[u8]) -> [u8; 32] {
    let text = request.strip_suffix(b"\n").unwrap_or(request);
    if text.len() == 64 && text.iter().all(u8::is_ascii_hexdigit) {
        let mut out = [0u8; 32];
        for (i, pair) in text.chunks(2).enumerate() {
            let digit = |b: u8| (b as char).to_digit(16).unwrap_or(0) as u8;
            out[i] = digit(pair[0]) << 4 | digit(pair[1]);
        }
        return out;
    }
    Sha256::digest(request).into()
}

/// Whether `sig` is `pubkey`'s BIP-340 signature of `message` (read as sign reads it).
pub fn verify(pubkey: &PublicKey, sig: &Signature, message: &[u8]) -> bool {
    let Ok(xonly) = pubkey.xonly() else {
        return false;
    };
    let secp = secp256k1::Secp256k1::verification_only();
    let sig = secp256k1::schnorr::Signature::from_byte_array(sig.to_bytes());
    secp.verify_schnorr(&sig, &message_digest(message), &xonly)
        .is_ok()
}

/// The verify file's request: a JSON object `{pubkey, sig, message}`.
fn verify_request(what: &str, request: &[u8]) -> Result<bool, AgentError> {
    let value: serde_json::Value = serde_json::from_slice(request)
        .map_err(|e| AgentError::bad(what, format!("not JSON: {e}")))?;
    let field = |name: &str| {
        value
            .get(name)
            .and_then(serde_json::Value::as_str)
            .ok_or_else(|| {
                AgentError::bad(what, format!("field {name:?} is missing or not a string"))
            })
    };
    let pubkey = parse_public_key(field("pubkey")?)
        .ok_or_else(|| AgentError::bad(what, "field \"pubkey\" is not a hex or npub public key"))?;
    let sig = Signature::from_hex(field("sig")?.trim())
        .map_err(|_| AgentError::bad(what, "field \"sig\" is not a 64-byte hex signature"))?;
    Ok(verify(&pubkey, &sig, field("message")?.as_bytes()))
}

/// Splits `PEER\nREST`: the peer's public key and the bytes after the first newline.
fn peer_and_rest<'a>(what: &str, request: &'a [u8]) -> Result<(PublicKey, &'a [u8]), AgentError> {
    let (first, rest) = match request.iter().position(|&b| b == b'\n') {
        Some(i) => (&request[..i], &request[i + 1..]),
        None => (request, &[][..]),
    };
    let peer = std::str::from_utf8(first)
        .ok()
        .and_then(parse_public_key)
        .ok_or_else(|| {
            AgentError::bad(
                what,
                "the first line must be the peer's public key (hex or npub)",
            )
        })?;
    Ok((peer, rest))
}

fn crypto(owner: &str, what: &'static str, error: impl std::fmt::Display) -> AgentError {
    AgentError::Crypto {
        agent: owner.to_string(),
        what,
        reason: error.to_string(),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn a_signature_of_an_id_and_of_text_verifies_and_a_changed_message_does_not() {
        let me = Identity::generate();
        let id = "aa".repeat(32);
        for message in [id.as_bytes(), b"hello world".as_slice()] {
            let sig = Signature::from_hex(&me.sign(message)).unwrap();
            assert!(verify(&me.public_key(), &sig, message));
            assert!(!verify(&me.public_key(), &sig, b"hello worle"));
            assert!(!verify(&Identity::generate().public_key(), &sig, message));
        }
    }

    #[test]
    fn the_verify_file_reads_json_and_names_a_bad_field() {
        let me = Identity::generate();
        let sig = me.sign(b"m");
        let request = format!(
            r#"{{"pubkey":"{}","sig":"{sig}","message":"m"}}"#,
            me.npub()
        );
        assert_eq!(
            me.answer("a", "verify", request.as_bytes()).unwrap(),
            b"true\n"
        );
        let wrong = format!(
            r#"{{"pubkey":"{}","sig":"{sig}","message":"n"}}"#,
            me.npub()
        );
        assert_eq!(
            me.answer("a", "verify", wrong.as_bytes()).unwrap(),
            b"false\n"
        );
        let err = me
            .answer("a", "verify", br#"{"pubkey":"x","sig":"","message":""}"#)
            .unwrap_err();
        assert!(err.to_string().contains("\"pubkey\""), "{err}");
        let err = me.answer("a", "verify", b"nope").unwrap_err();
        assert!(
            err.to_string().starts_with("a/identity/verify: not JSON"),
            "{err}"
        );
    }

    #[test]
    fn nip44_round_trips_between_two_identities() {
        let (a, b) = (Identity::generate(), Identity::generate());
        let request = format!("{}\nsecret text\nline two", b.public_key().to_hex());
        let payload = a.answer("a", "encrypt", request.as_bytes()).unwrap();
        let back = format!("{}\n{}", a.npub(), String::from_utf8(payload).unwrap());
        assert_eq!(
            b.answer("b", "decrypt", back.as_bytes()).unwrap(),
            b"secret text\nline two"
        );
        let err = b
            .answer("b", "decrypt", format!("{}\nAAAA", a.npub()).as_bytes())
            .unwrap_err();
        assert!(
            matches!(
                err,
                AgentError::Crypto {
                    what: "decrypt",
                    ..
                }
            ),
            "{err}"
        );
    }

    #[test]
    fn nothing_shown_of_an_identity_holds_its_secret() {
        let me = Identity::generate();
        let secret_hex = me.keys.secret_key().to_secret_hex();
        assert!(!format!("{me:?}").contains(&secret_hex));
    }
}
