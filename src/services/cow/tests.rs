//! `cow` over a base that refuses every write: the base stays byte-identical whatever the
//! overlay does, and `diff` names exactly what changed.

use super::*;
use std::collections::BTreeMap;

/// A test-only base that refuses writes: every change is an error, so a `cow` that tried
/// to modify its base would fail loudly, and the snapshot comparison catches the rest.
struct ReadOnly(MemService);

fn refused(path: &str) -> NsError {
    NsError::Denied {
        path: path.to_string(),
        reason: "read-only base".into(),
    }
}

impl FileService for ReadOnly {
    fn kind(&self) -> &str {
        "readonly"
    }
    fn open(&self, path: &str, flags: OpenFlags) -> Result<Box<dyn FileHandle>, NsError> {
        if flags.write || flags.create || flags.truncate || flags.append {
            return Err(refused(path));
        }
        self.0.open(path, flags)
    }
    fn stat(&self, path: &str) -> Result<Stat, NsError> {
        Ok(Stat {
            read_only: true,
            ..self.0.stat(path)?
        })
    }
    fn readdir(&self, path: &str) -> Result<Vec<DirEntry>, NsError> {
        self.0.readdir(path)
    }
    fn mkdir(&self, path: &str) -> Result<(), NsError> {
        Err(refused(path))
    }
    fn remove(&self, path: &str) -> Result<(), NsError> {
        Err(refused(path))
    }
    fn rename(&self, from: &str, _to: &str) -> Result<(), NsError> {
        Err(refused(from))
    }
}

fn write_file(service: &dyn FileService, path: &str, bytes: &[u8]) {
    let mut handle = service
        .open(path, OpenFlags::write().create().truncate())
        .expect("open for write");
    handle.write(bytes).expect("write");
}

fn read_file(service: &dyn FileService, path: &str) -> Vec<u8> {
    let mut handle = service
        .open(path, OpenFlags::read())
        .expect("open for read");
    read_all(handle.as_mut(), path).expect("read")
}

fn names(service: &dyn FileService, dir: &str) -> Vec<String> {
    service
        .readdir(dir)
        .expect("readdir")
        .into_iter()
        .map(|entry| entry.name)
        .collect()
}

/// Every path of a tree with its contents (`None` for a directory).
fn snapshot(service: &dyn FileService) -> BTreeMap<String, Option<Vec<u8>>> {
    let mut out = BTreeMap::new();
    let mut stack = vec!["/".to_string()];
    while let Some(dir) = stack.pop() {
        for entry in service.readdir(&dir).expect("readdir") {
            let child = path::join(&dir, &entry.name);
            match entry.kind {
                FileKind::Dir => {
                    out.insert(child.clone(), None);
                    stack.push(child);
                }
                FileKind::File => {
                    let bytes = read_file(service, &child);
                    out.insert(child, Some(bytes));
                }
            }
        }
    }
    out
}

/// A read-only base: /a (alpha), /d/x, /d/y, /d/sub/z, /e (empty dir).
fn base() -> Arc<ReadOnly> {
    let mem = MemService::with_dirs(&["/d/sub", "/e"]);
    write_file(&mem, "/a", b"alpha");
    write_file(&mem, "/d/x", b"ex");
    write_file(&mem, "/d/y", b"why");
    write_file(&mem, "/d/sub/z", b"zed");
    Arc::new(ReadOnly(mem))
}

fn changes(cow: &CowService) -> Vec<(char, String)> {
    cow.diff()
        .into_iter()
        .map(|c| (c.kind.letter(), c.path))
        .collect()
}

fn change_list(list: &[(char, &str)]) -> Vec<(char, String)> {
    list.iter().map(|(k, p)| (*k, p.to_string())).collect()
}

#[test]
fn reads_come_from_the_base_until_written() {
    let base = base();
    let cow = CowService::new(base.clone());
    assert_eq!(read_file(&cow, "/a"), b"alpha");
    assert_eq!(names(&cow, "/"), ["a", "d", "e"]);
    assert!(!cow.stat("/a").expect("stat").read_only);
    let mut handle = cow
        .open("/a", OpenFlags::read().create())
        .expect("create of an existing base file only reads it");
    assert_eq!(read_all(handle.as_mut(), "/a").expect("read"), b"alpha");
    assert!(cow.diff().is_empty(), "reading changes nothing");
    write_file(&cow, "/a", b"ALPHA!");
    assert_eq!(read_file(&cow, "/a"), b"ALPHA!");
    assert_eq!(read_file(base.as_ref(), "/a"), b"alpha");
    assert_eq!(changes(&cow), change_list(&[('M', "/a")]));
}

#[test]
fn copy_up_keeps_the_bytes_a_partial_write_does_not_touch() {
    let cow = CowService::new(base());
    let mut handle = cow.open("/d/y", OpenFlags::write()).expect("open");
    handle.write(b"W").expect("write");
    drop(handle);
    assert_eq!(read_file(&cow, "/d/y"), b"Why");
    let mut handle = cow.open("/d/x", OpenFlags::write().append()).expect("open");
    handle.write(b"tra").expect("write");
    drop(handle);
    assert_eq!(read_file(&cow, "/d/x"), b"extra");
    assert_eq!(names(&cow, "/d"), ["sub", "x", "y"]);
}

#[test]
fn writing_removing_and_recreating_leave_the_base_byte_identical() {
    let base = base();
    let before = snapshot(base.as_ref());
    let cow = CowService::new(base.clone());
    write_file(&cow, "/a", b"changed");
    write_file(&cow, "/new", b"fresh");
    cow.mkdir("/d/sub/deeper").expect("mkdir");
    write_file(&cow, "/d/sub/deeper/f", b"f");
    cow.remove("/d/x").expect("rm file");
    cow.remove("/d/sub/z").expect("rm file");
    write_file(&cow, "/d/x", b"again");
    cow.remove("/e").expect("rm empty dir");
    cow.rename("/d/y", "/moved").expect("rename");
    assert_eq!(snapshot(base.as_ref()), before);
    assert_eq!(
        changes(&cow),
        change_list(&[
            ('M', "/a"),
            ('A', "/d/sub/deeper"),
            ('A', "/d/sub/deeper/f"),
            ('D', "/d/sub/z"),
            ('M', "/d/x"),
            ('D', "/d/y"),
            ('D', "/e"),
            ('A', "/moved"),
            ('A', "/new"),
        ])
    );
    assert_eq!(read_file(&cow, "/d/x"), b"again");
    assert_eq!(read_file(&cow, "/moved"), b"why");
}

#[test]
fn whiteouts_hide_names_from_stat_readdir_and_open() {
    let cow = CowService::new(base());
    cow.remove("/d/x").expect("rm");
    assert_eq!(names(&cow, "/d"), ["sub", "y"]);
    assert!(matches!(cow.stat("/d/x"), Err(NsError::NotFound { path }) if path == "/d/x"));
    assert!(matches!(
        cow.open("/d/x", OpenFlags::read()),
        Err(NsError::NotFound { .. })
    ));
    assert!(matches!(cow.remove("/d/x"), Err(NsError::NotFound { .. })));
    // A whited-out directory hides everything under it.
    for name in ["/d/y", "/d/sub/z", "/d/sub"] {
        cow.remove(name).expect("rm");
    }
    cow.remove("/d").expect("rm now-empty dir");
    assert_eq!(names(&cow, "/"), ["a", "e"]);
    assert!(matches!(
        cow.stat("/d/sub/z"),
        Err(NsError::NotFound { .. })
    ));
    assert_eq!(changes(&cow), change_list(&[('D', "/d")]));
}

#[test]
fn a_directory_whiteout_covers_only_its_own_subtree() {
    let mem = MemService::with_dirs(&["/d", "/d-x"]);
    write_file(&mem, "/d/x", b"");
    write_file(&mem, "/d-x/y", b"");
    let cow = CowService::new(Arc::new(ReadOnly(mem)));
    cow.remove("/d-x/y").expect("rm");
    cow.remove("/d/x").expect("rm");
    cow.remove("/d").expect("rm");
    assert_eq!(changes(&cow), change_list(&[('D', "/d"), ('D', "/d-x/y")]));
    assert_eq!(names(&cow, "/"), ["d-x"]);
    assert!(names(&cow, "/d-x").is_empty());
}

#[test]
fn a_deep_tree_renames_without_deep_recursion() {
    let mem = MemService::new();
    let mut dir = String::new();
    for _ in 0..2000 {
        dir.push_str("/n");
        mem.mkdir(&dir).expect("mkdir");
    }
    write_file(&mem, &format!("{dir}/leaf"), b"deep");
    let cow = CowService::new(Arc::new(ReadOnly(mem)));
    cow.rename("/n", "/m").expect("rename");
    let moved = format!("/m{}/leaf", &dir[2..]);
    assert_eq!(read_file(&cow, &moved), b"deep");
    assert_eq!(names(&cow, "/"), ["m"]);
}

#[test]
fn a_directory_made_over_a_whiteout_is_fresh() {
    let cow = CowService::new(base());
    for name in ["/d/x", "/d/y", "/d/sub/z", "/d/sub", "/d"] {
        cow.remove(name).expect("rm");
    }
    cow.mkdir("/d").expect("mkdir over whiteout");
    assert!(
        names(&cow, "/d").is_empty(),
        "base children must not reappear"
    );
    assert!(matches!(cow.stat("/d/x"), Err(NsError::NotFound { .. })));
    write_file(&cow, "/d/x", b"new x");
    assert_eq!(names(&cow, "/d"), ["x"]);
    assert_eq!(
        changes(&cow),
        change_list(&[('D', "/d/sub"), ('M', "/d/x"), ('D', "/d/y")])
    );
    // A file made where a base directory was hides its children too.
    cow.remove("/e").expect("rm");
    write_file(&cow, "/e", b"now a file");
    assert_eq!(read_file(&cow, "/e"), b"now a file");
}

#[test]
fn rename_moves_files_and_trees_across_layers() {
    let base = base();
    let before = snapshot(base.as_ref());
    let cow = CowService::new(base.clone());
    write_file(&cow, "/d/new", b"upper only");
    cow.rename("/d", "/e2").expect("rename dir");
    assert!(matches!(cow.stat("/d"), Err(NsError::NotFound { .. })));
    assert_eq!(names(&cow, "/e2"), ["new", "sub", "x", "y"]);
    assert_eq!(read_file(&cow, "/e2/sub/z"), b"zed");
    assert_eq!(read_file(&cow, "/e2/new"), b"upper only");
    // Over an existing file: the target is replaced.
    cow.rename("/e2/x", "/a").expect("rename over a file");
    assert_eq!(read_file(&cow, "/a"), b"ex");
    assert_eq!(snapshot(base.as_ref()), before);
    assert_eq!(
        changes(&cow),
        change_list(&[
            ('M', "/a"),
            ('D', "/d"),
            ('A', "/e2"),
            ('A', "/e2/new"),
            ('A', "/e2/sub"),
            ('A', "/e2/sub/z"),
            ('A', "/e2/y"),
        ])
    );
}

#[test]
fn errors_match_mem() {
    let cow = CowService::new(base());
    assert!(matches!(cow.stat("/nope"), Err(NsError::NotFound { .. })));
    assert!(matches!(cow.stat("/a/b"), Err(NsError::NotDir { .. })));
    assert!(matches!(cow.readdir("/a"), Err(NsError::NotDir { .. })));
    assert!(matches!(cow.mkdir("/d"), Err(NsError::Exists { .. })));
    assert!(matches!(cow.mkdir("/a"), Err(NsError::Exists { .. })));
    assert!(matches!(cow.mkdir("/no/x"), Err(NsError::NotFound { path }) if path == "/no/x"));
    assert!(matches!(cow.mkdir("/a/x"), Err(NsError::NotDir { .. })));
    assert!(matches!(cow.remove("/d"), Err(NsError::NotEmpty { .. })));
    assert!(matches!(cow.remove("/"), Err(NsError::Denied { .. })));
    assert!(matches!(
        cow.open("/d", OpenFlags::read()),
        Err(NsError::IsDir { .. })
    ));
    assert!(matches!(
        cow.open("/a", OpenFlags::write().create().exclusive()),
        Err(NsError::Exists { .. })
    ));
    assert!(matches!(
        cow.open("/no/f", OpenFlags::write().create()),
        Err(NsError::NotFound { .. })
    ));
    assert!(matches!(
        cow.rename("/a", "/d"),
        Err(NsError::Exists { .. })
    ));
    assert!(matches!(
        cow.rename("/d", "/a"),
        Err(NsError::NotDir { .. })
    ));
    assert!(matches!(
        cow.rename("/d", "/d/sub/in"),
        Err(NsError::InvalidPath { .. })
    ));
    assert!(matches!(
        cow.rename("/nope", "/x"),
        Err(NsError::NotFound { .. })
    ));
    // A directory whose only children are whited out is empty.
    for name in ["/d/x", "/d/y", "/d/sub/z"] {
        cow.remove(name).expect("rm");
    }
    assert!(matches!(cow.remove("/d"), Err(NsError::NotEmpty { .. })));
    cow.remove("/d/sub").expect("rm emptied dir");
    cow.remove("/d").expect("rm emptied dir");
    assert!(cow.diff().iter().all(|c| c.kind == ChangeKind::Removed));
}

#[test]
fn a_subtree_overlay_maps_paths_into_the_base() {
    let base = base();
    let cow = CowService::over(base.clone(), "/d", Some("/n/src".into()));
    assert_eq!(names(&cow, "/"), ["sub", "x", "y"]);
    assert_eq!(cow.stat("/").expect("stat root").kind, FileKind::Dir);
    write_file(&cow, "/x", b"changed");
    assert_eq!(read_file(base.as_ref(), "/d/x"), b"ex");
    assert_eq!(changes(&cow), change_list(&[('M', "/x")]));
    assert_eq!(cow.mount_args(), ["/n/src"]);
    assert_eq!(cow.kind(), "cow");
}
