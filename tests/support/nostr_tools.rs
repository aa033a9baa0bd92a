//! npm `nostr-tools` as a peer for the interop tests: an independent Nostr implementation that
//! checks what oash signs and encrypts, and makes what oash must accept.
//!
//! [`Peer::start`] installs the package pinned by `tests/support/nostr-tools/package-lock.json`
//! once (with `npm ci`) into `<target dir>/nostr-tools/`, under a file lock so that test
//! binaries and test threads running at once do not race, and then runs `node peer.mjs` there
//! (see that script for the line-oriented JSON protocol). Where node or npm is missing, node
//! is older than the pinned packages support, or the npm registry cannot be reached, it says why and answers `None`, and the test returns early;
//! under `CI=true` those are failures instead, because CI must run the interop tests. Any
//! other failure to install or start the peer is a test failure everywhere. It must never call
//! into oash's own Nostr code. Shared by the test files with `mod support;`.
#![allow(dead_code)]

use std::fs::{self, File};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::OnceLock;
use std::thread;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// The committed package: its manifest, lock and the RPC script, copied into the install
/// directory because node resolves an ES module's imports from the script's own folder.
const SOURCE_FILES: [&str; 3] = ["package.json", "package-lock.json", "peer.mjs"];

/// The oldest node the pinned packages support (`engines` of @noble/curves 2).
const MIN_NODE: [u32; 3] = [20, 19, 0];

/// How long one `npm ci` may take before it is stopped (it takes seconds with a warm cache).
const INSTALL_TIMEOUT: Duration = Duration::from_secs(300);

/// npm's words for a registry it could not reach (DNS, refused, timed out, proxy, offline).
const UNREACHABLE: [&str; 9] = [
    "ENOTFOUND",
    "EAI_AGAIN",
    "ECONNREFUSED",
    "ECONNRESET",
    "ETIMEDOUT",
    "ENETUNREACH",
    "EHOSTUNREACH",
    "ENOTCACHED",
    "network request",
];

/// Why the peer is not available.
enum Unavailable {
    /// Node, npm or the registry is out of reach: a skip, except under CI.
    Unreachable(String),
    /// Anything else (a broken lock, a failing script): always a test failure.
    Broken(String),
}

/// The source folder of the package, in the repository.
fn source_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/nostr-tools")
}

/// `<target dir>/nostr-tools`: beside `target/tmp`, which cargo names for integration tests.
fn install_dir() -> PathBuf {
    let target_tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
    target_tmp
        .parent()
        .unwrap_or(target_tmp)
        .join("nostr-tools")
}

fn under_ci() -> bool {
    std::env::var("CI").is_ok_and(|value| value == "true")
}

/// The install directory with the package installed, once per test process.
fn installed() -> Result<&'static Path, &'static Unavailable> {
    static INSTALLED: OnceLock<Result<PathBuf, Unavailable>> = OnceLock::new();
    INSTALLED
        .get_or_init(install)
        .as_ref()
        .map(PathBuf::as_path)
}

fn install() -> Result<PathBuf, Unavailable> {
    check_node()?;
    if let Err(e) = Command::new("npm").arg("--version").output() {
        return Err(Unavailable::Unreachable(format!("cannot run npm: {e}")));
    }
    let dir = install_dir();
    fs::create_dir_all(&dir).map_err(|e| broken(&dir, "create", &e))?;
    let lock_path = dir.join(".install-lock");
    let lock = File::create(&lock_path).map_err(|e| broken(&lock_path, "create", &e))?;
    // Held until the end of this function: other test processes wait here, then find the
    // package installed by the first and do nothing.
    lock.lock().map_err(|e| broken(&lock_path, "lock", &e))?;
    let mut package_changed = false;
    for name in SOURCE_FILES {
        let copied = copy_if_changed(&source_dir().join(name), &dir.join(name))?;
        package_changed |= copied && name != "peer.mjs";
    }
    // npm ci empties node_modules first, so the stamp is there only after a complete install.
    let stamp = dir.join("node_modules/.oash-installed");
    if package_changed || !stamp.exists() {
        let _ = fs::remove_file(&stamp);
        npm_ci(&dir)?;
        fs::write(&stamp, b"").map_err(|e| broken(&stamp, "write", &e))?;
    }
    Ok(dir)
}

/// Node must be recent enough for the pinned `@noble` packages (their `engines`, repeated in
/// package.json): an older one (Debian 12 ships 18) is as good as none.
fn check_node() -> Result<(), Unavailable> {
    let output = Command::new("node")
        .arg("--version")
        .output()
        .map_err(|e| Unavailable::Unreachable(format!("cannot run node: {e}")))?;
    let version = String::from_utf8_lossy(&output.stdout).trim().to_string();
    let numbers: Vec<u32> = version
        .trim_start_matches('v')
        .split('.')
        .map_while(|part| part.parse().ok())
        .collect();
    if numbers.len() == 3 && numbers[..] >= MIN_NODE[..] {
        Ok(())
    } else {
        Err(Unavailable::Unreachable(format!(
            "node {version:?} is older than {}.{}.{}, which the pinned @noble packages need",
            MIN_NODE[0], MIN_NODE[1], MIN_NODE[2]
        )))
    }
}

fn broken(path: &Path, what: &str, e: &std::io::Error) -> Unavailable {
    Unavailable::Broken(format!("cannot {what} {}: {e}", path.display()))
}

/// Copies `from` to `to` unless `to` already holds the same bytes; true when it copied. The
/// copy is written beside and renamed over, so a node starting meanwhile in another test
/// process never reads half a script.
fn copy_if_changed(from: &Path, to: &Path) -> Result<bool, Unavailable> {
    let bytes = fs::read(from).map_err(|e| broken(from, "read", &e))?;
    if fs::read(to).is_ok_and(|old| old == bytes) {
        return Ok(false);
    }
    let partial = to.with_extension("partial");
    fs::write(&partial, &bytes).map_err(|e| broken(&partial, "write", &e))?;
    fs::rename(&partial, to).map_err(|e| broken(to, "replace", &e))?;
    Ok(true)
}

/// `npm ci` in `dir`, stopped after [`INSTALL_TIMEOUT`]. Install scripts are not run: none of
/// the pinned packages needs one, and the tests should not run code they did not ask for.
fn npm_ci(dir: &Path) -> Result<(), Unavailable> {
    let log_path = dir.join("npm-ci.log");
    let log = File::create(&log_path).map_err(|e| broken(&log_path, "create", &e))?;
    let log_err = log.try_clone().map_err(|e| broken(&log_path, "open", &e))?;
    let mut child = Command::new("npm")
        .args([
            "ci",
            "--ignore-scripts",
            "--no-audit",
            "--no-fund",
            "--prefer-offline",
        ])
        // npm's default back-off (10 s to 60 s between retries) makes an unreachable registry
        // cost minutes per test binary; a reachable one answers well within these.
        .args([
            "--fetch-retry-mintimeout=1000",
            "--fetch-retry-maxtimeout=5000",
        ])
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(log)
        .stderr(log_err)
        .spawn()
        .map_err(|e| Unavailable::Unreachable(format!("cannot run npm: {e}")))?;
    let deadline = Instant::now() + INSTALL_TIMEOUT;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() < deadline => thread::sleep(Duration::from_millis(100)),
            Ok(None) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(Unavailable::Unreachable(format!(
                    "npm ci in {} took more than {INSTALL_TIMEOUT:?} (registry unreachable?)",
                    dir.display()
                )));
            }
            Err(e) => return Err(Unavailable::Broken(format!("waiting for npm ci: {e}"))),
        }
    };
    if status.success() {
        return Ok(());
    }
    let output = fs::read_to_string(&log_path).unwrap_or_default();
    let tail: Vec<&str> = output.lines().rev().take(15).collect();
    let tail: Vec<&str> = tail.into_iter().rev().collect();
    let why = format!(
        "npm ci in {} failed ({status}):\n{}",
        dir.display(),
        tail.join("\n")
    );
    if UNREACHABLE.iter().any(|word| output.contains(word)) {
        Err(Unavailable::Unreachable(why))
    } else {
        Err(Unavailable::Broken(why))
    }
}

/// A running `node peer.mjs`, answering one request at a time.
pub struct Peer {
    child: Child,
    input: ChildStdin,
    output: BufReader<ChildStdout>,
    /// What `ping` answered: the nostr-tools version, for failure messages.
    pub version: String,
}

impl Peer {
    /// Installs (once) and starts the peer; `None`, after printing why, where node, npm or
    /// the registry is out of reach and `CI` is not `true`. Panics on anything else.
    pub fn start() -> Option<Peer> {
        let dir = match installed() {
            Ok(dir) => dir,
            Err(Unavailable::Unreachable(why)) if !under_ci() => {
                eprintln!("skipped: the nostr-tools peer is not available: {why}");
                return None;
            }
            Err(Unavailable::Unreachable(why) | Unavailable::Broken(why)) => {
                panic!("the nostr-tools peer is not available: {why}")
            }
        };
        let mut child = match Command::new("node")
            .arg("peer.mjs")
            .current_dir(dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
        {
            Ok(child) => child,
            Err(e) if !under_ci() => {
                eprintln!("skipped: cannot run node: {e}");
                return None;
            }
            Err(e) => panic!("cannot run node: {e}"),
        };
        let (Some(input), Some(output)) = (child.stdin.take(), child.stdout.take()) else {
            panic!("node's standard input and output were not piped");
        };
        let mut peer = Peer {
            child,
            input,
            output: BufReader::new(output),
            version: String::new(),
        };
        peer.version = peer.call(&json!({"op": "ping"})).as_str().map_or_else(
            || panic!("ping answered something other than a version"),
            str::to_string,
        );
        Some(peer)
    }

    /// Sends one request and returns its answer: `Ok(result)` or `Err(the peer's error)`.
    pub fn try_call(&mut self, request: &Value) -> Result<Value, String> {
        let line = format!("{request}\n");
        if let Err(e) = self
            .input
            .write_all(line.as_bytes())
            .and_then(|()| self.input.flush())
        {
            self.died(&format!("writing {request}: {e}"));
        }
        let mut answer = String::new();
        match self.output.read_line(&mut answer) {
            Ok(0) => self.died(&format!("no answer to {request}")),
            Ok(_) => {}
            Err(e) => self.died(&format!("reading the answer to {request}: {e}")),
        }
        let answer: Value = serde_json::from_str(&answer)
            .unwrap_or_else(|e| panic!("peer answered {answer:?} to {request}: {e}"));
        if let Some(result) = answer.get("result") {
            Ok(result.clone())
        } else if let Some(error) = answer.get("error") {
            Err(error
                .as_str()
                .map_or_else(|| error.to_string(), str::to_string))
        } else {
            panic!("peer answered {answer} to {request}: neither result nor error")
        }
    }

    /// [`Peer::try_call`] where an error answer is a test failure.
    pub fn call(&mut self, request: &Value) -> Value {
        self.try_call(request)
            .unwrap_or_else(|e| panic!("nostr-tools peer: {request}: {e}"))
    }

    fn died(&mut self, what: &str) -> ! {
        let _ = self.child.kill();
        let mut stderr = String::new();
        if let Some(mut pipe) = self.child.stderr.take() {
            let _ = pipe.read_to_string(&mut stderr);
        }
        let status = self.child.wait();
        panic!("nostr-tools peer: {what}; node exited {status:?}, saying:\n{stderr}")
    }

    fn call_bool(&mut self, request: &Value) -> bool {
        let answer = self.call(request);
        answer
            .as_bool()
            .unwrap_or_else(|| panic!("{request} answered {answer}, not a boolean"))
    }

    fn call_string(&mut self, request: &Value) -> String {
        let answer = self.call(request);
        answer.as_str().map_or_else(
            || panic!("{request} answered {answer}, not a string"),
            str::to_string,
        )
    }

    /// nostr-tools `verifyEvent` on an event's JSON text: its id and signature both check.
    pub fn verify_event(&mut self, event: &str) -> bool {
        self.call_bool(&json!({"op": "verifyEvent", "event": event}))
    }

    /// The NIP-01 id nostr-tools computes for an event (its `id` and `sig` are ignored).
    pub fn event_hash(&mut self, event: &str) -> String {
        self.call_string(&json!({"op": "eventHash", "event": event}))
    }

    /// BIP-340 verification of `sig` by `pubkey` (hex) over `message`: 64 hex as is, any
    /// other text as the sha256 of its UTF-8 bytes (oash's `identity/sign` convention).
    pub fn verify_schnorr(&mut self, pubkey: &str, sig: &str, message: &str) -> bool {
        self.call_bool(&json!({
            "op": "verifySchnorr", "pubkey": pubkey, "sig": sig, "message": message,
        }))
    }

    /// A BIP-340 signature (hex) by `secret` over `message`, by the same convention.
    pub fn sign_schnorr(&mut self, secret: &str, message: &str) -> String {
        self.call_string(&json!({"op": "signSchnorr", "secret": secret, "message": message}))
    }

    /// A fresh keypair: (secret key hex, public key hex).
    pub fn generate_key(&mut self) -> (String, String) {
        let answer = self.call(&json!({"op": "generateKey"}));
        let field = |name: &str| {
            answer[name]
                .as_str()
                .unwrap_or_else(|| panic!("generateKey answered {answer}"))
                .to_string()
        };
        (field("secret"), field("pubkey"))
    }

    /// A signed event (its JSON text) made by nostr-tools `finalizeEvent`, dated now.
    pub fn finalize_event(
        &mut self,
        kind: u16,
        content: &str,
        tags: &[&[&str]],
        secret: &str,
    ) -> String {
        self.call(&json!({
            "op": "finalizeEvent", "kind": kind, "content": content, "tags": tags, "secret": secret,
        }))
        .to_string()
    }

    /// A NIP-44 v2 payload from `secret` to `peer` (hex pubkey).
    pub fn nip44_encrypt(&mut self, secret: &str, peer: &str, plaintext: &str) -> String {
        self.call_string(&json!({
            "op": "nip44Encrypt", "secret": secret, "peer": peer, "plaintext": plaintext,
        }))
    }

    /// The plaintext of a NIP-44 v2 payload from `peer` to `secret`, or nostr-tools' reason.
    pub fn nip44_decrypt(
        &mut self,
        secret: &str,
        peer: &str,
        payload: &str,
    ) -> Result<String, String> {
        let request = json!({
            "op": "nip44Decrypt", "secret": secret, "peer": peer, "payload": payload,
        });
        let answer = self.try_call(&request)?;
        Ok(answer
            .as_str()
            .unwrap_or_else(|| panic!("{request} answered {answer}, not a string"))
            .to_string())
    }
}

impl Drop for Peer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
