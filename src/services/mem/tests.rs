//! `mem` behaves like a small Unix file system: every error case, shared nodes, concurrency.

use super::*;
use std::thread;

fn write_file(service: &MemService, path: &str, bytes: &[u8]) {
    let mut handle = service
        .open(path, OpenFlags::write().create().truncate())
        .expect("open for write");
    handle.write(bytes).expect("write");
}

fn read_file(service: &MemService, path: &str) -> Vec<u8> {
    let mut handle = service
        .open(path, OpenFlags::read())
        .expect("open for read");
    let mut out = Vec::new();
    let mut buf = [0u8; 7];
    loop {
        match handle.read(&mut buf).expect("read") {
            0 => return out,
            n => out.extend_from_slice(&buf[..n]),
        }
    }
}

fn names(service: &MemService, dir: &str) -> Vec<String> {
    service
        .readdir(dir)
        .expect("readdir")
        .into_iter()
        .map(|entry| entry.name)
        .collect()
}

#[test]
fn files_round_trip_and_list_sorted() {
    let service = MemService::with_dirs(&["/tmp", "/dev"]);
    write_file(&service, "/tmp/b", b"bee");
    write_file(&service, "/tmp/a", b"hello");
    assert_eq!(read_file(&service, "/tmp/a"), b"hello");
    assert_eq!(names(&service, "/"), ["dev", "tmp"]);
    assert_eq!(names(&service, "/tmp"), ["a", "b"]);
    let stat = service.stat("/tmp/a").expect("stat");
    assert_eq!(
        (stat.name.as_str(), stat.kind, stat.size),
        ("a", FileKind::File, 5)
    );
    assert!(stat.modified.is_some());
    assert_eq!(service.stat("/").expect("stat root").kind, FileKind::Dir);
}

#[test]
fn writes_past_the_end_zero_fill() {
    let service = MemService::new();
    let mut handle = service
        .open("/f", OpenFlags::read_write().create())
        .expect("open");
    handle.seek(SeekFrom::Start(3)).expect("seek");
    handle.write(b"x").expect("write");
    assert_eq!(read_file(&service, "/f"), b"\0\0\0x");
}

#[test]
fn append_writes_at_the_end_and_truncate_empties() {
    let service = MemService::new();
    write_file(&service, "/f", b"one");
    let mut appender = service
        .open("/f", OpenFlags::write().append())
        .expect("open");
    write_file(&service, "/f", b"longer text");
    appender.write(b"!").expect("append");
    assert_eq!(read_file(&service, "/f"), b"longer text!");
    service
        .open("/f", OpenFlags::write().truncate())
        .expect("truncate");
    assert_eq!(service.stat("/f").expect("stat").size, 0);
}

#[test]
fn modified_time_moves_on_write() {
    let service = MemService::new();
    write_file(&service, "/f", b"a");
    let before = service.stat("/f").expect("stat").modified;
    thread::sleep(std::time::Duration::from_millis(5));
    write_file(&service, "/f", b"b");
    assert!(service.stat("/f").expect("stat").modified > before);
}

#[test]
fn handles_share_the_node() {
    let service = MemService::new();
    let mut writer = service
        .open("/f", OpenFlags::write().create())
        .expect("open w");
    let mut reader = service.open("/f", OpenFlags::read()).expect("open r");
    writer.write(b"seen").expect("write");
    let mut buf = [0u8; 8];
    assert_eq!(reader.read(&mut buf).expect("read"), 4);
    assert_eq!(&buf[..4], b"seen");
}

#[test]
fn removed_file_stays_usable_through_open_handles() {
    let service = MemService::new();
    write_file(&service, "/f", b"old");
    let mut handle = service.open("/f", OpenFlags::read_write()).expect("open");
    service.remove("/f").expect("remove");
    assert!(matches!(service.stat("/f"), Err(NsError::NotFound { .. })));
    handle.seek(SeekFrom::End(0)).expect("seek");
    handle.write(b"+new").expect("write to detached");
    handle.seek(SeekFrom::Start(0)).expect("seek");
    let mut buf = [0u8; 16];
    assert_eq!(handle.read(&mut buf).expect("read"), 7);
    assert_eq!(&buf[..7], b"old+new");
}

#[test]
fn open_errors() {
    let service = MemService::with_dirs(&["/d"]);
    write_file(&service, "/f", b"x");
    let err = |path: &str, flags: OpenFlags| service.open(path, flags).err();
    assert!(matches!(
        err("/f", OpenFlags::write().create().exclusive()),
        Some(NsError::Exists { .. })
    ));
    assert!(matches!(
        err("/d", OpenFlags::write().create().exclusive()),
        Some(NsError::Exists { .. })
    ));
    assert!(matches!(
        err("/d", OpenFlags::write().create()),
        Some(NsError::IsDir { .. })
    ));
    assert!(matches!(
        err("/d", OpenFlags::read()),
        Some(NsError::IsDir { .. })
    ));
    assert!(matches!(
        err("/", OpenFlags::read()),
        Some(NsError::IsDir { .. })
    ));
    assert!(matches!(
        err("/nope", OpenFlags::read()),
        Some(NsError::NotFound { .. })
    ));
    assert!(matches!(
        err("/nope/f", OpenFlags::write().create()),
        Some(NsError::NotFound { .. })
    ));
    assert!(matches!(
        err("/f/g", OpenFlags::write().create()),
        Some(NsError::NotDir { .. })
    ));
    assert!(matches!(
        err("/f/g", OpenFlags::read()),
        Some(NsError::NotDir { .. })
    ));
    let created = service.open("/new", OpenFlags::write().create().exclusive());
    assert!(created.is_ok());
}

#[test]
fn handle_mode_and_limits_are_enforced() {
    let service = MemService::new();
    write_file(&service, "/f", b"x");
    let mut reader = service.open("/f", OpenFlags::read()).expect("open");
    assert!(matches!(reader.write(b"y"), Err(NsError::Denied { .. })));
    let mut writer = service.open("/f", OpenFlags::write()).expect("open");
    assert!(matches!(
        writer.read(&mut [0u8; 1]),
        Err(NsError::Denied { .. })
    ));
    assert!(matches!(
        writer.seek(SeekFrom::Current(-5)),
        Err(NsError::Io { .. })
    ));
    writer
        .seek(SeekFrom::Start(MAX_FILE_SIZE))
        .expect("seek far");
    assert!(matches!(writer.write(b"y"), Err(NsError::Io { .. })));
    assert_eq!(service.stat("/f").expect("stat").size, 1);
}

#[test]
fn directory_errors() {
    let service = MemService::with_dirs(&["/d/sub"]);
    write_file(&service, "/f", b"x");
    assert!(matches!(service.mkdir("/d"), Err(NsError::Exists { .. })));
    assert!(matches!(service.mkdir("/"), Err(NsError::Exists { .. })));
    assert!(matches!(service.mkdir("/f"), Err(NsError::Exists { .. })));
    assert!(matches!(
        service.mkdir("/x/y"),
        Err(NsError::NotFound { .. })
    ));
    assert!(matches!(service.mkdir("/f/y"), Err(NsError::NotDir { .. })));
    assert!(matches!(service.readdir("/f"), Err(NsError::NotDir { .. })));
    assert!(matches!(
        service.readdir("/x"),
        Err(NsError::NotFound { .. })
    ));
    assert!(matches!(
        service.remove("/d"),
        Err(NsError::NotEmpty { .. })
    ));
    assert!(matches!(
        service.remove("/x"),
        Err(NsError::NotFound { .. })
    ));
    assert!(matches!(service.remove("/"), Err(NsError::Denied { .. })));
    service.remove("/d/sub").expect("remove empty dir");
    service.remove("/d").expect("remove now-empty dir");
    service.mkdir("/d").expect("mkdir again");
}

#[test]
fn rename_moves_and_replaces_files() {
    let service = MemService::with_dirs(&["/a", "/b"]);
    write_file(&service, "/a/f", b"moved");
    write_file(&service, "/b/g", b"replaced");
    service.rename("/a/f", "/b/g").expect("rename onto file");
    assert_eq!(read_file(&service, "/b/g"), b"moved");
    assert!(names(&service, "/a").is_empty());
    service.rename("/a", "/b/a2").expect("rename dir");
    assert_eq!(names(&service, "/b"), ["a2", "g"]);
    service.rename("/b/g", "/b/g").expect("rename onto itself");
}

#[test]
fn rename_errors() {
    let service = MemService::with_dirs(&["/d/sub", "/e"]);
    write_file(&service, "/f", b"x");
    let err = |from: &str, to: &str| service.rename(from, to).err();
    assert!(matches!(err("/f", "/e"), Some(NsError::Exists { path }) if path == "/e"));
    assert!(matches!(err("/e", "/f"), Some(NsError::NotDir { path }) if path == "/f"));
    assert!(matches!(
        err("/d", "/d/sub/x"),
        Some(NsError::InvalidPath { .. })
    ));
    assert!(matches!(err("/nope", "/x"), Some(NsError::NotFound { path }) if path == "/nope"));
    assert!(matches!(err("/f", "/nope/x"), Some(NsError::NotFound { path }) if path == "/nope/x"));
    assert!(matches!(
        err("/f", "/f/x"),
        Some(NsError::InvalidPath { .. })
    ));
    assert!(matches!(err("/", "/x"), Some(NsError::Denied { .. })));
    assert!(matches!(err("/f", "/"), Some(NsError::Exists { .. })));
    // A failed rename leaves the tree as it was.
    assert_eq!(names(&service, "/"), ["d", "e", "f"]);
}

#[test]
fn concurrent_writers_never_interleave_within_a_write() {
    let service = Arc::new(MemService::new());
    service
        .open("/log", OpenFlags::write().create())
        .expect("create");
    const WRITES: usize = 200;
    let workers: Vec<_> = [b'a', b'b']
        .into_iter()
        .map(|letter| {
            let service = Arc::clone(&service);
            thread::spawn(move || {
                let mut handle = service
                    .open("/log", OpenFlags::write().append())
                    .expect("open");
                let record = [letter; 64];
                for _ in 0..WRITES {
                    handle.write(&record).expect("write");
                }
            })
        })
        .collect();
    for worker in workers {
        worker.join().expect("writer thread");
    }
    let bytes = read_file(&service, "/log");
    assert_eq!(bytes.len(), 2 * WRITES * 64);
    for record in bytes.chunks(64) {
        assert!(record.iter().all(|&b| b == record[0]), "a write was split");
    }
    assert_eq!(
        bytes.chunks(64).filter(|record| record[0] == b'a').count(),
        WRITES
    );
}

#[test]
fn a_full_service_says_no_space_and_frees_what_files_give_back() {
    let service = MemService::with_capacity(10);
    write_file(&service, "/a", b"123456");
    assert_eq!(service.used(), 6);
    let mut handle = service
        .open("/b", OpenFlags::write().create())
        .expect("open /b");
    assert!(matches!(
        handle.write(b"12345"),
        Err(NsError::NoSpace { path, capacity: 10 }) if path == "/b"
    ));
    assert!(handle.write(b"1234").is_ok(), "exactly full is fine");
    assert_eq!(service.used(), 10);
    // Truncating gives the bytes back; so does removing a file nobody holds open.
    write_file(&service, "/a", b"1");
    assert_eq!(service.used(), 5);
    drop(handle);
    assert!(service.remove("/b").is_ok());
    assert_eq!(service.used(), 1);
}

#[test]
fn a_removed_file_counts_until_its_last_handle_goes() {
    let service = MemService::with_capacity(100);
    write_file(&service, "/a", &[7; 40]);
    let held = service.open("/a", OpenFlags::read()).expect("open /a");
    assert!(service.remove("/a").is_ok());
    assert_eq!(service.used(), 40);
    drop(held);
    assert_eq!(service.used(), 0);
}

#[test]
fn sizes_parse_and_print_back() {
    for (word, bytes) in [
        ("4096", 4096),
        ("64K", 64 << 10),
        ("3m", 3 << 20),
        ("2G", 2 << 30),
    ] {
        let service = MemService::from_args(&[word.to_string()]).expect(word);
        assert_eq!(service.usage.capacity, bytes, "{word}");
    }
    assert_eq!(
        MemService::from_args(&["64K".into()])
            .map(|s| s.mount_args())
            .ok(),
        Some(vec!["64K".to_string()])
    );
    assert_eq!(MemService::new().mount_args(), Vec::<String>::new());
    for bad in ["", "K", "1.5G", "-1", "12T", "99999999999999999999G"] {
        assert!(
            matches!(
                MemService::from_args(&[bad.into()]),
                Err(NsError::BadArgs { .. })
            ),
            "{bad:?}"
        );
    }
    assert!(MemService::from_args(&["1K".into(), "2K".into()]).is_err());
}

#[test]
fn a_write_across_the_end_overwrites_then_appends() {
    let service = MemService::new();
    write_file(&service, "/f", b"abc");
    let mut handle = service.open("/f", OpenFlags::write()).expect("open");
    handle.seek(SeekFrom::Start(1)).expect("seek");
    handle.write(b"XYZW").expect("write");
    assert_eq!(read_file(&service, "/f"), b"aXYZW");
    assert_eq!(service.used(), 5);
}

#[test]
fn services_sharing_an_account_are_bounded_together() {
    let account = MemAccount::new(10);
    let a = MemService::with_account(DEFAULT_CAPACITY, Some(Arc::clone(&account)));
    let b = MemService::with_account(DEFAULT_CAPACITY, Some(Arc::clone(&account)));
    write_file(&a, "/f", b"123456");
    let mut handle = b.open("/g", OpenFlags::write().create()).expect("open /g");
    let refused = handle.write(b"12345");
    assert!(
        matches!(&refused, Err(e @ NsError::MemBudget { path, limit })
            if path == "/g" && limit == "10" && e.to_string().contains("limits mem SIZE")),
        "{refused:?}"
    );
    // A refusal by the account takes nothing from the service's own count.
    assert_eq!((b.used(), account.used()), (0, 6));
    assert!(handle.write(b"1234").is_ok(), "exactly full is fine");
    drop(handle);
    assert!(a.remove("/f").is_ok());
    assert_eq!(
        account.used(),
        4,
        "a removed file gives its bytes back to the account"
    );
    account.set_limit(2);
    assert!(b.open("/g", OpenFlags::write().truncate()).is_ok());
    assert_eq!(account.used(), 0, "truncating gives them back too");
}

#[test]
fn a_service_charges_the_account_its_thread_entered() {
    let made = thread::spawn(|| {
        let alone = MemService::new();
        let account = MemAccount::new(4);
        MemAccount::enter(&account);
        let charged = MemService::with_dirs(&["/d"]);
        (alone, charged, account)
    })
    .join();
    let Ok((alone, charged, account)) = made else {
        panic!("the thread panicked")
    };
    write_file(&alone, "/f", b"12345678");
    let mut handle = charged
        .open("/d/f", OpenFlags::write().create())
        .expect("open");
    assert!(handle.write(b"12345").is_err());
    assert!(handle.write(b"1234").is_ok());
    assert_eq!(account.used(), 4);
}
