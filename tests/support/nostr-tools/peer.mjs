//! An independent Nostr implementation for oash's interop tests: npm `nostr-tools` (and the
//! `@noble/curves` Schnorr it is built on) behind a line-oriented JSON RPC.
//!
//! One request per line on standard input, one answer per line on standard output, in order:
//! `{"op": NAME, ...arguments}` is answered `{"result": VALUE}` or `{"error": "why"}`. It
//! never writes anything else to standard output (the Rust side reads it line by line), and it
//! must never use oash's own code: its whole point is to be a second opinion on what oash
//! signs, verifies, encrypts and decrypts. tests/support/nostr_tools.rs installs and drives it.
//!
//! Messages for the Schnorr operations follow oash's `identity/sign` convention: exactly 64
//! lowercase hex characters are a 32-byte value signed as is (an event id); any other text is
//! signed as the sha256 of its UTF-8 bytes.

import { createInterface } from 'node:readline';
import { readFileSync } from 'node:fs';
import { schnorr } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { finalizeEvent, generateSecretKey, getEventHash, getPublicKey, verifyEvent } from 'nostr-tools/pure';
import * as nip44 from 'nostr-tools/nip44';

const NOSTR_TOOLS_VERSION = JSON.parse(
  readFileSync(new URL('./node_modules/nostr-tools/package.json', import.meta.url), 'utf8'),
).version;

function need(request, name, type) {
  const value = request[name];
  if (typeof value !== type) {
    throw new Error(`${request.op}: "${name}" must be a ${type}`);
  }
  return value;
}

function hex32(request, name) {
  const value = need(request, name, 'string');
  if (!/^[0-9a-f]{64}$/.test(value)) {
    throw new Error(`${request.op}: "${name}" must be 64 lowercase hex characters`);
  }
  return hexToBytes(value);
}

// The bytes a Schnorr signature is over, by the identity/sign convention above.
function messageBytes(message) {
  return /^[0-9a-f]{64}$/.test(message) ? hexToBytes(message) : sha256(utf8ToBytes(message));
}

// An event given either as its JSON text or as an object; always a fresh object, because
// nostr-tools caches verifyEvent's answer on the object it was given.
function eventOf(request) {
  const event = request.event;
  if (typeof event === 'string') {
    return JSON.parse(event);
  }
  if (event === null || typeof event !== 'object') {
    throw new Error(`${request.op}: "event" must be an event object or its JSON text`);
  }
  return JSON.parse(JSON.stringify(event));
}

const OPERATIONS = {
  ping: () => `nostr-tools ${NOSTR_TOOLS_VERSION}`,

  verifyEvent: (request) => verifyEvent(eventOf(request)),

  eventHash: (request) => getEventHash(eventOf(request)),

  verifySchnorr: (request) => {
    const pubkey = hex32(request, 'pubkey');
    const sig = need(request, 'sig', 'string');
    if (!/^[0-9a-f]{128}$/.test(sig)) {
      return false;
    }
    try {
      return schnorr.verify(hexToBytes(sig), messageBytes(need(request, 'message', 'string')), pubkey);
    } catch {
      // noble throws on a public key that is not on the curve: that signature is not valid.
      return false;
    }
  },

  signSchnorr: (request) =>
    bytesToHex(schnorr.sign(messageBytes(need(request, 'message', 'string')), hex32(request, 'secret'))),

  generateKey: () => {
    const secret = generateSecretKey();
    return { secret: bytesToHex(secret), pubkey: getPublicKey(secret) };
  },

  finalizeEvent: (request) => {
    const template = {
      kind: need(request, 'kind', 'number'),
      content: need(request, 'content', 'string'),
      tags: request.tags ?? [],
      created_at: request.created_at ?? Math.floor(Date.now() / 1000),
    };
    const event = finalizeEvent(template, hex32(request, 'secret'));
    return { id: event.id, pubkey: event.pubkey, created_at: event.created_at, kind: event.kind,
      tags: event.tags, content: event.content, sig: event.sig };
  },

  nip44Encrypt: (request) => {
    const key = nip44.getConversationKey(hex32(request, 'secret'), need(request, 'peer', 'string'));
    return nip44.encrypt(need(request, 'plaintext', 'string'), key);
  },

  nip44Decrypt: (request) => {
    const key = nip44.getConversationKey(hex32(request, 'secret'), need(request, 'peer', 'string'));
    return nip44.decrypt(need(request, 'payload', 'string'), key);
  },
};

function answer(line) {
  let request;
  try {
    request = JSON.parse(line);
  } catch (e) {
    return { error: `request is not JSON: ${e.message}` };
  }
  const operation = request && Object.hasOwn(OPERATIONS, request.op) ? OPERATIONS[request.op] : null;
  if (!operation) {
    return { error: `unknown op ${JSON.stringify(request && request.op)}` };
  }
  try {
    return { result: operation(request) };
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
}

const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of lines) {
  if (line.trim() !== '') {
    process.stdout.write(`${JSON.stringify(answer(line))}\n`);
  }
}
