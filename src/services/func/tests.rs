//! Tests of the `func` service: snapshots, ctl messages on close, and every refusal.

use std::io::{Read, Write};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use super::*;
use crate::ns::FileKind;
use crate::ns::{HandleReader, HandleWriter, MountFlag, Namespace};
use crate::services::mem::MemService;

fn read_all(handle: Box<dyn FileHandle>) -> Vec<u8> {
    let mut bytes = Vec::new();
    HandleReader::new(handle)
        .read_to_end(&mut bytes)
        .expect("reads");
    bytes
}

/// A `status` file reading a shared state and a `ctl` file that sets it, as `/task/<id>`
/// will have them.
fn ctl_and_status() -> (FuncService, Arc<Mutex<String>>) {
    let state = Arc::new(Mutex::new("idle".to_string()));
    let (reads, writes) = (Arc::clone(&state), Arc::clone(&state));
    let service = FuncService::new()
        .read_only_file("/task/status", move || {
            Ok(format!("{}\n", reads.lock().unwrap()).into_bytes())
        })
        .and_then(|s| {
            s.file(
                "task/ctl",
                || Ok(Vec::new()),
                Some(move |message: &[u8]| match message {
                    b"start\n" | b"stop\n" => {
                        let verb = String::from_utf8_lossy(message).trim().to_string();
                        *writes.lock().unwrap() = verb;
                        Ok(())
                    }
                    _ => Err(NsError::BadArgs {
                        kind: "ctl".into(),
                        message: "unknown verb".into(),
                    }),
                }),
            )
        })
        .expect("builds");
    (service, state)
}

#[test]
fn a_ctl_write_changes_what_status_reads() {
    let (service, _) = ctl_and_status();
    assert_eq!(
        read_all(service.open("/task/status", OpenFlags::read()).unwrap()),
        b"idle\n"
    );
    let mut ctl = service.open("/task/ctl", OpenFlags::write()).unwrap();
    ctl.write(b"sta").unwrap();
    ctl.write(b"rt\n").unwrap();
    // Nothing happens until close: the message is all the writes together.
    assert_eq!(
        read_all(service.open("/task/status", OpenFlags::read()).unwrap()),
        b"idle\n"
    );
    ctl.close().unwrap();
    assert_eq!(
        read_all(service.open("/task/status", OpenFlags::read()).unwrap()),
        b"start\n"
    );
}

#[test]
fn the_write_closure_runs_once_and_its_error_is_the_close_error() {
    let calls = Arc::new(AtomicU64::new(0));
    let counted = Arc::clone(&calls);
    let service = FuncService::new()
        .file(
            "ctl",
            || Ok(Vec::new()),
            Some(move |_: &[u8]| {
                counted.fetch_add(1, Ordering::SeqCst);
                Err(NsError::Io {
                    path: String::new(),
                    message: "refused".into(),
                })
            }),
        )
        .unwrap();
    let mut ctl = service.open("/ctl", OpenFlags::write()).unwrap();
    ctl.write(b"x").unwrap();
    assert_eq!(
        ctl.close().unwrap_err(),
        NsError::Io {
            path: "/ctl".into(),
            message: "refused".into()
        }
    );
    ctl.close().unwrap();
    drop(ctl);
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    // Nothing written sends nothing.
    let mut empty = service.open("/ctl", OpenFlags::write().truncate()).unwrap();
    empty.close().unwrap();
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

#[test]
fn a_reader_sees_one_snapshot() {
    let counter = Arc::new(AtomicU64::new(0));
    let ticks = Arc::clone(&counter);
    let service = FuncService::new()
        .read_only_file("n", move || {
            Ok(ticks
                .fetch_add(1, Ordering::SeqCst)
                .to_string()
                .into_bytes())
        })
        .unwrap();
    let mut first = service.open("/n", OpenFlags::read()).unwrap();
    let mut byte = [0u8; 1];
    first.read(&mut byte).unwrap();
    assert_eq!(
        read_all(service.open("/n", OpenFlags::read()).unwrap()),
        b"1"
    );
    first.seek(SeekFrom::Start(0)).unwrap();
    assert_eq!(read_all(first), b"0");
}

#[test]
fn concurrent_readers_each_get_a_whole_value() {
    let counter = Arc::new(AtomicU64::new(0));
    let ticks = Arc::clone(&counter);
    let service = Arc::new(
        FuncService::new()
            .read_only_file("n", move || {
                let n = ticks.fetch_add(1, Ordering::SeqCst);
                Ok(format!("{n:08}").repeat(1000).into_bytes())
            })
            .unwrap(),
    );
    let readers: Vec<_> = (0..8)
        .map(|_| {
            let service = Arc::clone(&service);
            std::thread::spawn(move || read_all(service.open("/n", OpenFlags::read()).unwrap()))
        })
        .collect();
    let mut seen: Vec<Vec<u8>> = readers.into_iter().map(|r| r.join().unwrap()).collect();
    for value in &seen {
        assert_eq!(value.len(), 8000);
        assert!(
            value.chunks(8).all(|chunk| chunk == &value[..8]),
            "torn read"
        );
    }
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 8, "each open computes its own value");
}

#[test]
fn refusals() {
    let (service, _) = ctl_and_status();
    let open = |at: &str, flags| service.open(at, flags).map(drop).unwrap_err();
    assert_eq!(
        open("/task/status", OpenFlags::write()),
        tree::read_only("/task/status")
    );
    assert_eq!(
        open("/task/status", OpenFlags::read().append()),
        tree::read_only("/task/status")
    );
    assert_eq!(
        open("/task/new", OpenFlags::write().create()),
        tree::read_only("/task/new")
    );
    assert_eq!(
        open("/task/ctl", OpenFlags::write().create().exclusive()),
        NsError::Exists {
            path: "/task/ctl".into()
        }
    );
    assert_eq!(
        open("/task", OpenFlags::read()),
        NsError::IsDir {
            path: "/task".into()
        }
    );
    assert_eq!(
        open("/nope", OpenFlags::read()),
        NsError::NotFound {
            path: "/nope".into()
        }
    );
    assert_eq!(
        open("/task/ctl/x", OpenFlags::read()),
        NsError::NotDir {
            path: "/task/ctl/x".into()
        }
    );
    assert_eq!(service.mkdir("/d").unwrap_err(), tree::read_only("/d"));
    assert_eq!(
        service.remove("/task/ctl").unwrap_err(),
        tree::read_only("/task/ctl")
    );
    assert_eq!(
        service.rename("/task/ctl", "/c").unwrap_err(),
        tree::read_only("/task/ctl")
    );
    let mut ctl = service.open("/task/ctl", OpenFlags::write()).unwrap();
    assert!(matches!(
        ctl.read(&mut [0u8; 4]),
        Err(NsError::Denied { .. })
    ));
}

#[test]
fn a_failing_read_closure_fails_the_open() {
    let service = FuncService::new()
        .read_only_file("gone", || {
            Err(NsError::NotFound {
                path: String::new(),
            })
        })
        .unwrap();
    assert_eq!(
        service
            .open("/gone", OpenFlags::read())
            .map(drop)
            .unwrap_err(),
        NsError::NotFound {
            path: "/gone".into()
        }
    );
}

#[test]
fn a_message_over_the_limit_is_refused() {
    let service = FuncService::new()
        .file("ctl", || Ok(Vec::new()), Some(|_: &[u8]| Ok(())))
        .unwrap();
    let mut ctl = service.open("/ctl", OpenFlags::write()).unwrap();
    ctl.write(&vec![b'x'; MAX_MESSAGE_SIZE]).unwrap();
    assert!(matches!(ctl.write(b"y"), Err(NsError::Io { .. })));
}

#[test]
fn bad_paths_are_refused_when_building() {
    let dup = FuncService::new()
        .read_only_file("a", || Ok(Vec::new()))
        .and_then(|s| s.read_only_file("/a", || Ok(Vec::new())));
    assert!(matches!(dup, Err(NsError::Exists { .. })));
    let root = FuncService::new().read_only_file("/", || Ok(Vec::new()));
    assert!(matches!(root, Err(NsError::InvalidPath { .. })));
}

#[test]
fn stat_and_readdir() {
    let (service, _) = ctl_and_status();
    let names: Vec<_> = service
        .readdir("/task")
        .unwrap()
        .into_iter()
        .map(|e| e.name)
        .collect();
    assert_eq!(names, vec!["ctl", "status"]);
    let status = service.stat("/task/status").unwrap();
    assert_eq!(
        (status.kind, status.size, status.read_only),
        (FileKind::File, 0, true)
    );
    assert!(!service.stat("/task/ctl").unwrap().read_only);
    assert_eq!(service.stat("/task").unwrap().kind, FileKind::Dir);
    assert!(service.mount_args().is_empty());
}

#[test]
fn through_the_namespace() {
    let (service, state) = ctl_and_status();
    let root = Arc::new(MemService::with_dirs(&["/proc"]));
    let ns = Namespace::new(root)
        .mount("/proc", Arc::new(service), MountFlag::Replace, false)
        .unwrap();
    let mut writer = HandleWriter::new(ns.open("/proc/task/ctl", OpenFlags::write()).unwrap());
    writer.write_all(b"stop\n").unwrap();
    writer.finish().unwrap();
    assert_eq!(*state.lock().unwrap(), "stop");
    assert_eq!(
        read_all(ns.open("/proc/task/status", OpenFlags::read()).unwrap()),
        b"stop\n"
    );
    let mut bad = HandleWriter::new(ns.open("/proc/task/ctl", OpenFlags::write()).unwrap());
    bad.write_all(b"dance\n").unwrap();
    assert_eq!(bad.finish().unwrap_err().to_string(), "ctl: unknown verb");
}
