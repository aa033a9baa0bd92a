//! Tests of the `map` service: reads, every refusal, the mount words, under the namespace.

use std::io::Read;

use super::*;
use crate::ns::{HandleReader, MountFlag, Namespace};
use crate::services::mem::MemService;

fn sample() -> MapService {
    MapService::from_entries([("a", "1"), ("/b/c", "2")]).expect("builds")
}

fn read_all(handle: Box<dyn FileHandle>) -> Vec<u8> {
    let mut bytes = Vec::new();
    HandleReader::new(handle)
        .read_to_end(&mut bytes)
        .expect("reads");
    bytes
}

#[test]
fn reads_lists_and_stats() {
    let map = sample();
    assert_eq!(read_all(map.open("/a", OpenFlags::read()).unwrap()), b"1");
    assert_eq!(read_all(map.open("/b/c", OpenFlags::read()).unwrap()), b"2");
    let names: Vec<_> = map.readdir("/").unwrap().into_iter().collect();
    assert_eq!(
        names,
        vec![
            DirEntry {
                name: "a".into(),
                kind: FileKind::File
            },
            DirEntry {
                name: "b".into(),
                kind: FileKind::Dir
            },
        ]
    );
    let stat = map.stat("/b/c").unwrap();
    assert_eq!(
        (stat.name.as_str(), stat.size, stat.read_only),
        ("c", 1, true)
    );
    assert_eq!(map.stat("/b").unwrap().kind, FileKind::Dir);
}

#[test]
fn every_change_is_refused_as_read_only() {
    let map = sample();
    let denied = |r: Result<(), NsError>| {
        assert_eq!(r.unwrap_err(), tree::read_only("/a"));
    };
    for flags in [
        OpenFlags::write(),
        OpenFlags::read_write(),
        OpenFlags::read().create(),
        OpenFlags::read().truncate(),
        OpenFlags::read().append(),
    ] {
        denied(map.open("/a", flags).map(drop));
    }
    denied(map.mkdir("/a"));
    denied(map.remove("/a"));
    denied(map.rename("/a", "/z"));
    let mut handle = map.open("/a", OpenFlags::read()).unwrap();
    assert_eq!(handle.write(b"x").unwrap_err(), tree::read_only("/a"));
    assert_eq!(
        tree::read_only("/a").to_string(),
        "/a: permission denied (read-only)"
    );
}

#[test]
fn lookup_errors_name_the_path() {
    let map = sample();
    let open = |at| map.open(at, OpenFlags::read()).map(drop).unwrap_err();
    assert_eq!(
        open("/nope"),
        NsError::NotFound {
            path: "/nope".into()
        }
    );
    assert_eq!(
        open("/a/x"),
        NsError::NotDir {
            path: "/a/x".into()
        }
    );
    assert_eq!(open("/b"), NsError::IsDir { path: "/b".into() });
    assert_eq!(
        map.readdir("/a").unwrap_err(),
        NsError::NotDir { path: "/a".into() }
    );
    assert!(matches!(map.stat("/z"), Err(NsError::NotFound { .. })));
}

#[test]
fn bad_entries_are_refused() {
    let twice = MapService::from_entries([("a", "1"), ("/a", "2")]);
    assert!(matches!(twice, Err(NsError::Exists { path }) if path == "/a"));
    let under_file = MapService::from_entries([("a", "1"), ("a/b", "2")]);
    assert!(matches!(under_file, Err(NsError::NotDir { .. })));
    let root = MapService::from_entries([("/", "x")]);
    assert!(matches!(root, Err(NsError::InvalidPath { .. })));
}

#[test]
fn seek_and_partial_reads() {
    let map = MapService::from_entries([("f", "hello")]).unwrap();
    let mut handle = map.open("/f", OpenFlags::read()).unwrap();
    assert_eq!(handle.seek(SeekFrom::End(-2)).unwrap(), 3);
    let mut buf = [0u8; 8];
    assert_eq!(handle.read(&mut buf).unwrap(), 2);
    assert_eq!(&buf[..2], b"lo");
    assert_eq!(handle.read(&mut buf).unwrap(), 0);
    assert!(matches!(
        handle.seek(SeekFrom::Current(-10)),
        Err(NsError::Io { .. })
    ));
    handle.seek(SeekFrom::Start(u64::MAX)).unwrap();
    assert_eq!(handle.read(&mut buf).unwrap(), 0);
}

#[test]
fn args_round_trip_through_mount_args() {
    let words: Vec<String> = ["b/c=2", "a=1=one", "e/f/"]
        .iter()
        .map(|w| w.to_string())
        .collect();
    let map = MapService::from_args(&words).unwrap();
    assert_eq!(map.mount_args(), vec!["a=1=one", "b/c=2", "e/f/"]);
    let again = MapService::from_args(&map.mount_args()).unwrap();
    assert_eq!(again.mount_args(), map.mount_args());
    assert_eq!(again.readdir("/e/f").unwrap(), vec![]);
}

#[test]
fn bad_args_name_the_kind() {
    let err = MapService::from_args(&["plain".to_string()]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "map: expected NAME=CONTENTS or NAME/, got plain"
    );
    let err = MapService::from_args(&["a=1".into(), "a=2".into()]).unwrap_err();
    assert_eq!(err.to_string(), "map: /a: file already exists");
    let err = MapService::from_args(&["../x=1".into()]).unwrap_err();
    assert!(matches!(err, NsError::BadArgs { .. }));
}

#[test]
fn read_only_under_the_namespace() {
    let root = Arc::new(MemService::with_dirs(&["/n/m"]));
    let ns = Namespace::new(root)
        .mount("/n/m", Arc::new(sample()), MountFlag::Replace, false)
        .unwrap();
    assert_eq!(
        read_all(ns.open("/n/m/b/c", OpenFlags::read()).unwrap()),
        b"2"
    );
    let names: Vec<_> = ns
        .readdir("/n/m")
        .unwrap()
        .into_iter()
        .map(|e| e.name)
        .collect();
    assert_eq!(names, vec!["a", "b"]);
    let err = ns
        .open("/n/m/a", OpenFlags::write().create().truncate())
        .map(drop)
        .unwrap_err();
    assert_eq!(err.to_string(), "/n/m/a: permission denied (read-only)");
    assert_eq!(
        ns.mkdir("/n/m/d").unwrap_err().to_string(),
        "/n/m/d: permission denied (read-only)"
    );
    let record = ns.mounts().pop().unwrap();
    assert_eq!(
        record.source,
        crate::ns::MountSource::Service {
            kind: "map".into(),
            args: vec!["a=1".to_string(), "b/c=2".to_string()]
        }
    );
}

#[test]
fn concurrent_readers_share_the_bytes() {
    let map = Arc::new(MapService::from_entries([("big", vec![7u8; 100_000])]).unwrap());
    let readers: Vec<_> = (0..8)
        .map(|_| {
            let map = Arc::clone(&map);
            std::thread::spawn(move || read_all(map.open("/big", OpenFlags::read()).unwrap()))
        })
        .collect();
    for reader in readers {
        assert_eq!(reader.join().unwrap(), vec![7u8; 100_000]);
    }
}
