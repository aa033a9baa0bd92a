//! Namespace behaviour: prefix resolution, layered mounts, unions, and the errors users see.

use super::*;
use crate::services::mem::MemService;

pub(super) fn mem(dirs: &[&str]) -> Arc<dyn FileService> {
    Arc::new(MemService::with_dirs(dirs))
}

pub(super) fn names(ns: &Namespace, dir: &str) -> Vec<String> {
    ns.readdir(dir)
        .expect("readdir")
        .into_iter()
        .map(|e| e.name)
        .collect()
}

pub(super) fn put(ns: &Namespace, path: &str, text: &str) {
    let mut handle = ns
        .open(path, OpenFlags::write().create().truncate())
        .expect("create");
    handle.write(text.as_bytes()).expect("write");
}

pub(super) fn get(ns: &Namespace, path: &str) -> String {
    let mut handle = ns.open(path, OpenFlags::read()).expect("open");
    let mut buf = vec![0u8; 256];
    let n = handle.read(&mut buf).expect("read");
    String::from_utf8_lossy(&buf[..n]).into_owned()
}

/// A root with `/a`, `/ab` and `/tmp`, and a mem mounted on `/a` holding file `x`.
fn sample() -> Namespace {
    let ns = Namespace::new(mem(&["/a", "/ab", "/tmp"]));
    let ns = ns
        .mount("/a", mem(&[]), MountFlag::Replace, false)
        .expect("mount /a");
    put(&ns, "/a/x", "in a");
    ns
}

#[test]
fn prefixes_match_whole_elements() {
    let ns = sample();
    put(&ns, "/ab/x", "in ab");
    assert_eq!(ns.resolve("/a/x").expect("resolve").mount_point, "/a");
    assert_eq!(ns.resolve("/ab/x").expect("resolve").mount_point, "/");
    assert_eq!(get(&ns, "/ab/x"), "in ab");
    assert_eq!(get(&ns, "/a/x"), "in a");
}

#[test]
fn paths_are_cleaned_on_the_way_in() {
    let ns = sample();
    assert_eq!(get(&ns, "/a/x/"), "in a");
    assert_eq!(get(&ns, "//a/./x"), "in a");
    assert_eq!(get(&ns, "/../a/x"), "in a");
    assert!(ns.is_mount_point("/a/"));
    assert!(!ns.is_mount_point("/ab"));
    assert_eq!(ns.resolve("/a/x").expect("resolve").targets[0].path, "/x");
}

#[test]
fn mounting_over_a_mount_and_unmounting_restores_the_view() {
    let ns = sample();
    let over = ns
        .mount("/a", mem(&["/y"]), MountFlag::Replace, false)
        .expect("mount over");
    assert_eq!(names(&over, "/a"), ["y"]);
    let back = over.unmount("/a").expect("unmount");
    assert_eq!(names(&back, "/a"), ["x"]);
    assert!(back.is_mount_point("/a"));
}

#[test]
fn unmounting_the_last_layer_falls_back_to_the_enclosing_mount() {
    let ns = sample();
    let bare = ns.unmount("/a").expect("unmount");
    assert!(!bare.is_mount_point("/a"));
    assert!(bare.readdir("/a").expect("readdir").is_empty());
    assert!(matches!(bare.unmount("/a"), Err(NsError::NotMounted { path }) if path == "/a"));
    assert!(matches!(
        ns.unmount("/tmp"),
        Err(NsError::NotMounted { .. })
    ));
}

#[test]
fn the_root_cannot_be_unmounted_but_a_layer_over_it_can() {
    let ns = sample();
    assert!(matches!(ns.unmount("/"), Err(NsError::Denied { .. })));
    let over = ns
        .mount("/", mem(&["/other"]), MountFlag::Replace, false)
        .expect("mount /");
    assert_eq!(names(&over, "/"), ["a", "other"]);
    assert_eq!(
        names(&over.unmount("/").expect("pop"), "/"),
        ["a", "ab", "tmp"]
    );
}

#[test]
fn a_clone_keeps_its_view() {
    let ns = sample();
    let kept = ns.clone();
    let changed = ns
        .mount("/tmp", mem(&["/new"]), MountFlag::Replace, false)
        .expect("mount");
    assert_eq!(names(&changed, "/tmp"), ["new"]);
    assert!(names(&kept, "/tmp").is_empty());
    assert!(names(&ns, "/tmp").is_empty());
    assert!(!kept.is_mount_point("/tmp"));
}

#[test]
fn a_mount_point_must_be_an_existing_directory() {
    let ns = sample();
    let err = ns.mount("/nope", mem(&[]), MountFlag::Replace, false).err();
    assert!(matches!(err, Some(NsError::NotFound { path }) if path == "/nope"));
    let err = ns.mount("/a/x", mem(&[]), MountFlag::Replace, false).err();
    assert!(matches!(err, Some(NsError::NotDir { path }) if path == "/a/x"));
    assert!(ns.mount("/", mem(&[]), MountFlag::Replace, false).is_ok());
}

#[test]
fn mount_points_show_in_their_parents_listing() {
    let ns = Namespace::new(mem(&["/a/b/c"]));
    let ns = ns
        .mount("/a/b/c", mem(&["/deep"]), MountFlag::Replace, false)
        .expect("mount deep");
    // Hide /a/b behind an empty service: the mount below stays reachable and listed.
    let ns = ns
        .mount("/a", mem(&[]), MountFlag::Replace, false)
        .expect("mount /a");
    assert_eq!(names(&ns, "/a"), ["b"]);
    assert_eq!(names(&ns, "/a/b"), ["c"]);
    assert_eq!(ns.stat("/a/b").expect("stat").kind, FileKind::Dir);
    assert_eq!(names(&ns, "/a/b/c"), ["deep"]);
    assert!(matches!(
        ns.open("/a/b", OpenFlags::read()),
        Err(NsError::IsDir { .. })
    ));
    assert!(matches!(ns.remove("/a/b"), Err(NsError::NotEmpty { .. })));
    assert!(matches!(ns.remove("/a/b/c"), Err(NsError::Denied { .. })));
    assert!(matches!(ns.mkdir("/a/b"), Err(NsError::Exists { .. })));
    let ns = ns.unmount("/a/b/c").expect("unmount");
    assert!(ns.readdir("/a").expect("readdir").is_empty());
    assert!(matches!(ns.stat("/a/b"), Err(NsError::NotFound { path }) if path == "/a/b"));
}

#[test]
fn stat_of_a_mount_point_uses_the_users_name() {
    let ns = sample();
    let stat = ns.stat("/a").expect("stat");
    assert_eq!((stat.name.as_str(), stat.kind), ("a", FileKind::Dir));
}

#[test]
fn unions_merge_listings_and_search_in_order() {
    let ns = sample();
    let upper = mem(&[]);
    let ns = ns
        .mount("/a", Arc::clone(&upper), MountFlag::Before, true)
        .expect("mount -b");
    let upper_ns = Namespace::new(upper);
    put(&upper_ns, "/x", "upper x");
    put(&upper_ns, "/y", "upper y");
    assert_eq!(names(&ns, "/a"), ["x", "y"]);
    assert_eq!(get(&ns, "/a/x"), "upper x");
    // Creates go to the member marked `create`.
    put(&ns, "/a/z", "new");
    assert_eq!(get(&upper_ns, "/z"), "new");
    ns.mkdir("/a/d").expect("mkdir");
    assert_eq!(upper_ns.stat("/d").expect("stat").kind, FileKind::Dir);
    assert!(matches!(ns.mkdir("/a/x"), Err(NsError::Exists { .. })));
    let after = ns.unmount("/a").expect("unmount");
    assert_eq!(names(&after, "/a"), ["x"]);
}

#[test]
fn a_union_on_a_plain_directory_keeps_the_directory() {
    let ns = sample();
    put(&ns, "/tmp/old", "old");
    let extra = mem(&[]);
    put(&Namespace::new(Arc::clone(&extra)), "/added", "added");
    let ns = ns
        .mount("/tmp", extra, MountFlag::After, false)
        .expect("mount -a");
    assert_eq!(names(&ns, "/tmp"), ["added", "old"]);
    // No member is marked create, so the first (the old directory) receives it.
    put(&ns, "/tmp/new", "new");
    assert_eq!(
        names(&ns.unmount("/tmp").expect("unmount"), "/tmp"),
        ["new", "old"]
    );
}

#[test]
fn rename_stays_inside_one_service() {
    let ns = sample();
    ns.rename("/a/x", "/a/y").expect("rename");
    assert_eq!(get(&ns, "/a/y"), "in a");
    let err = ns.rename("/a/y", "/tmp/y").err();
    assert!(
        matches!(err, Some(NsError::CrossMount { path, to }) if path == "/a/y" && to == "/tmp/y")
    );
    assert!(matches!(
        ns.rename("/a", "/tmp/a"),
        Err(NsError::Denied { .. })
    ));
    assert!(
        matches!(ns.rename("/a/nope", "/a/z"), Err(NsError::NotFound { path }) if path == "/a/nope")
    );
    put(&ns, "/tmp/f", "f");
    let err = ns.rename("/tmp/f", "/ab/missing/f").err();
    assert!(matches!(err, Some(NsError::NotFound { path }) if path == "/ab/missing/f"));
}

#[test]
fn errors_name_the_users_path() {
    let ns = sample();
    let err = ns.open("/a/missing", OpenFlags::read()).err();
    assert!(matches!(err, Some(NsError::NotFound { path }) if path == "/a/missing"));
    let err = ns.open("/a/no/f", OpenFlags::write().create()).err();
    assert!(matches!(err, Some(NsError::NotFound { path }) if path == "/a/no/f"));
    let err = ns.mkdir("/a/x").err();
    assert!(matches!(err, Some(NsError::Exists { path }) if path == "/a/x"));
    let err = ns.readdir("/a/x").err();
    assert!(matches!(err, Some(NsError::NotDir { path }) if path == "/a/x"));
    assert!(matches!(
        ns.stat("relative"),
        Err(NsError::InvalidPath { .. })
    ));
}

#[test]
fn remove_goes_through_the_mount() {
    let ns = sample();
    ns.remove("/a/x").expect("remove");
    assert!(ns.readdir("/a").expect("readdir").is_empty());
    assert!(matches!(ns.remove("/a"), Err(NsError::Denied { .. })));
}

#[test]
fn mounts_replay_to_the_same_table() {
    let ns = Namespace::new(mem(&["/tmp/sub", "/a"]));
    let ns = ns
        .mount("/tmp/sub", mem(&[]), MountFlag::Replace, false)
        .expect("mount");
    let ns = ns
        .mount("/tmp", mem(&["/sub"]), MountFlag::Replace, false)
        .expect("mount");
    let ns = ns
        .mount("/tmp", mem(&[]), MountFlag::After, true)
        .expect("mount -a");
    let records = ns.mounts();
    // In the order made, not by path: the root itself is not a record.
    let shape: Vec<(&str, MountFlag, bool)> = records
        .iter()
        .map(|r| (r.point.as_str(), r.flag, r.create))
        .collect();
    assert_eq!(
        shape,
        [
            ("/tmp/sub", MountFlag::Replace, false),
            ("/tmp", MountFlag::Replace, false),
            ("/tmp", MountFlag::After, true),
        ]
    );
    let mem_source = MountSource::Service {
        kind: "mem".into(),
        args: vec![],
    };
    assert!(records.iter().all(|r| r.source == mem_source));
    let mut replayed = Namespace::new(mem(&["/tmp/sub", "/a"]));
    for record in &records {
        replayed = replayed
            .mount(&record.point, mem(&["/sub"]), record.flag, record.create)
            .expect("replay");
    }
    assert_eq!(replayed.mounts(), records);
}

#[test]
fn many_mounts_resolve_by_prefix() {
    let mut ns = Namespace::new(mem(&["/m"]));
    for i in 0..500 {
        ns.mkdir(&format!("/m/{i}")).expect("mkdir");
        ns = ns
            .mount(&format!("/m/{i}"), mem(&[]), MountFlag::Replace, false)
            .expect("mount");
    }
    assert_eq!(ns.resolve("/m/42/f").expect("resolve").mount_point, "/m/42");
    assert_eq!(ns.resolve("/m/4200").expect("resolve").mount_point, "/");
    assert_eq!(ns.readdir("/m").expect("readdir").len(), 500);
}

#[test]
fn errors_of_an_open_handle_name_the_path_the_user_opened() {
    let ns = Namespace::new(mem(&["/n"]))
        .mount("/n", mem(&["/d"]), MountFlag::Replace, false)
        .expect("mount");
    put(&ns, "/n/d/f", "x");
    let mut handle = ns.open("/n/d/f", OpenFlags::read()).expect("open");
    let err = handle.write(b"y").expect_err("read-only handle");
    assert_eq!(
        err.to_string(),
        "/n/d/f: permission denied (not open for writing)"
    );
    let made = ns
        .open("/n/d/g", OpenFlags::write().create())
        .expect("create");
    let mut made = made;
    let err = made.read(&mut [0; 4]).expect_err("write-only handle");
    assert_eq!(err.path(), Some("/n/d/g"));
}

#[test]
fn a_deferred_namespace_is_built_once_on_first_use_and_shared_by_its_copies() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let builds = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&builds);
    let lazy = Namespace::deferred(move || {
        counter.fetch_add(1, Ordering::SeqCst);
        let ns = Namespace::new(mem(&["/tmp", "/n"]));
        ns.mount("/tmp", mem(&[]), MountFlag::Replace, false)
            .expect("mount")
    });
    let copy = lazy.clone();
    assert_eq!(builds.load(Ordering::SeqCst), 0, "not built before use");
    put(&copy, "/tmp/f", "seen by both");
    assert_eq!(get(&lazy, "/tmp/f"), "seen by both");
    assert!(lazy.is_mount_point("/tmp"));
    // A mount on one copy changes that copy only, as for any namespace.
    let mut changed = lazy.clone();
    changed
        .mount_in_place("/n", mem(&[]), MountFlag::Replace, false)
        .expect("mount");
    assert!(changed.is_mount_point("/n") && !copy.is_mount_point("/n"));
    assert_eq!(builds.load(Ordering::SeqCst), 1);
}
