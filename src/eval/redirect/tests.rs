//! `<>` against a transaction file, the way the agents' `identity/sign` is used: the request
//! is written and the answer read on one open handle, which is closed once, after both.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::SeekFrom;
use std::sync::{Arc, Mutex};

use crate::harness::run_script_in;
use crate::ns::{DirEntry, FileHandle, FileKind, FileService, MountFlag, NsError, OpenFlags, Stat};

/// What the service saw, in order: `open FLAGS`, `write REQ`, `read`, `close`.
type Log = Arc<Mutex<Vec<String>>>;

/// A service of one file, `/txn`, that answers on each open handle what the last write on
/// that handle asked: `answer to REQ` and a newline. A request of `bad` is refused on close,
/// as a control file refuses a verb it does not know.
struct Transactions {
    log: Log,
}

struct Transaction {
    request: Vec<u8>,
    answer: Option<Vec<u8>>,
    offset: usize,
    log: Log,
}

fn note(log: &Log, entry: String) {
    log.lock().unwrap().push(entry);
}

impl FileHandle for Transaction {
    fn write(&mut self, buf: &[u8]) -> Result<usize, NsError> {
        // A write after an answer starts a new request.
        if self.answer.take().is_some() {
            self.request.clear();
        }
        self.request.extend_from_slice(buf);
        note(&self.log, format!("write {}", String::from_utf8_lossy(buf)));
        Ok(buf.len())
    }
    fn read(&mut self, buf: &mut [u8]) -> Result<usize, NsError> {
        note(&self.log, "read".into());
        let request = String::from_utf8_lossy(&self.request).into_owned();
        let answer = self.answer.get_or_insert_with(|| {
            self.offset = 0;
            format!("answer to {request}\n").into_bytes()
        });
        let rest = &answer[self.offset.min(answer.len())..];
        let n = rest.len().min(buf.len());
        buf[..n].copy_from_slice(&rest[..n]);
        self.offset += n;
        Ok(n)
    }
    fn seek(&mut self, _: SeekFrom) -> Result<u64, NsError> {
        Ok(0)
    }
    fn close(&mut self) -> Result<(), NsError> {
        note(&self.log, "close".into());
        if self.request == b"bad" {
            return Err(NsError::Io {
                path: "/txn".into(),
                message: "bad request".into(),
            });
        }
        Ok(())
    }
}

impl FileService for Transactions {
    fn kind(&self) -> &str {
        "txn"
    }
    fn open(&self, path: &str, flags: OpenFlags) -> Result<Box<dyn FileHandle>, NsError> {
        if path != "/txn" {
            return Err(NsError::NotFound { path: path.into() });
        }
        note(&self.log, format!("open {flags:?}"));
        Ok(Box::new(Transaction {
            request: Vec::new(),
            answer: None,
            offset: 0,
            log: Arc::clone(&self.log),
        }))
    }
    fn stat(&self, path: &str) -> Result<Stat, NsError> {
        let kind = if path == "/" {
            FileKind::Dir
        } else if path == "/txn" {
            FileKind::File
        } else {
            return Err(NsError::NotFound { path: path.into() });
        };
        Ok(Stat {
            name: path.trim_start_matches('/').into(),
            kind,
            size: 0,
            modified: None,
            read_only: false,
        })
    }
    fn readdir(&self, _: &str) -> Result<Vec<DirEntry>, NsError> {
        Ok(vec![DirEntry {
            name: "txn".into(),
            kind: FileKind::File,
        }])
    }
    fn mkdir(&self, path: &str) -> Result<(), NsError> {
        Err(NsError::Exists { path: path.into() })
    }
    fn remove(&self, path: &str) -> Result<(), NsError> {
        Err(NsError::NotFound { path: path.into() })
    }
    fn rename(&self, from: &str, _: &str) -> Result<(), NsError> {
        Err(NsError::NotFound { path: from.into() })
    }
}

/// Runs `script` with [`Transactions`] mounted on `/n`; its output, errors, and the log.
fn run(script: &str) -> (String, String, Vec<String>) {
    let log = Log::default();
    let service = Arc::new(Transactions {
        log: Arc::clone(&log),
    });
    let out = run_script_in("t", script, |shell| {
        shell.proc.ns = shell
            .proc
            .ns
            .mount("/n", service, MountFlag::Replace, false)
            .expect("mounts");
    });
    let entries = log.lock().unwrap().clone();
    (out.stdout, out.stderr, entries)
}

#[test]
fn the_answer_is_read_on_the_handle_that_wrote_the_request() {
    let (stdout, stderr, log) = run("{echo -n sign this >[1=0]; cat} <>/n/txn; echo $status");
    assert_eq!(stdout, "answer to sign this\n\n", "{stderr}");
    // One open; the close comes once, after the block, not after `echo` (whose `>[1=0]`
    // is a copy of the same descriptor).
    // read and write, neither creating nor truncating.
    assert_eq!(log[0], format!("open {:?}", OpenFlags::read_write()));
    assert_eq!(log.iter().filter(|e| e.starts_with("open")).count(), 1);
    assert_eq!(log[1], "write sign this");
    assert_eq!(log.last().map(String::as_str), Some("close"));
    assert_eq!(log.iter().filter(|e| *e == "close").count(), 1);
}

#[test]
fn a_refusing_close_fails_the_command() {
    let (stdout, stderr, log) = run("{echo -n bad >[1=0]; cat} <>[0]/n/txn || echo refused");
    assert_eq!(stdout, "answer to bad\nrefused\n");
    assert!(stderr.contains("bad request"), "{stderr}");
    assert_eq!(log.last().map(String::as_str), Some("close"));
}
