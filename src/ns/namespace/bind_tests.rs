//! `bind` and `unmount NEW OLD`: unions made from paths, name clashes, the create member,
//! taking one member out of the middle, binds of unions and files, and their errors.

use super::tests::{get, mem, names, put};
use super::*;

/// A root with `/d1` (f = "one"), `/d2` (f = "two", g = "g") and `/u` (f = "own", own).
fn dirs() -> Namespace {
    let ns = Namespace::new(mem(&["/d1", "/d2", "/u", "/v"]));
    put(&ns, "/d1/f", "one");
    put(&ns, "/d2/f", "two");
    put(&ns, "/d2/g", "g");
    put(&ns, "/u/f", "own");
    put(&ns, "/u/own", "own");
    ns
}

fn bind(ns: &Namespace, new: &str, old: &str, flag: MountFlag, create: bool) -> Namespace {
    ns.bind(new, old, flag, create)
        .unwrap_or_else(|e| panic!("bind {new} {old}: {e}"))
}

fn bound_from(ns: &Namespace) -> Vec<(String, String, MountFlag)> {
    ns.mounts()
        .into_iter()
        .map(|record| match record.source {
            MountSource::Bind { new } => (new, record.point, record.flag),
            MountSource::Service { kind, .. } => (kind, record.point, record.flag),
        })
        .collect()
}

#[test]
fn a_replacing_bind_shows_new_at_old_and_writes_land_in_new() {
    let ns = bind(&dirs(), "/d1", "/u", MountFlag::Replace, false);
    assert_eq!(names(&ns, "/u"), ["f"]);
    assert_eq!(get(&ns, "/u/f"), "one");
    put(&ns, "/u/new", "through u");
    assert_eq!(get(&ns, "/d1/new"), "through u");
    let back = ns.unmount("/u").expect("unmount");
    assert_eq!(names(&back, "/u"), ["f", "own"]);
    assert!(!back.is_mount_point("/u"));
}

#[test]
fn after_and_before_order_the_union_and_the_earlier_member_wins_a_name() {
    let ns = bind(&dirs(), "/d1", "/u", MountFlag::After, false);
    // The plain directory stays first; its f hides /d1's.
    assert_eq!(names(&ns, "/u"), ["f", "own"]);
    assert_eq!(get(&ns, "/u/f"), "own");
    let ns = bind(&ns, "/d2", "/u", MountFlag::Before, false);
    assert_eq!(names(&ns, "/u"), ["f", "g", "own"]);
    assert_eq!(get(&ns, "/u/f"), "two");
    assert_eq!(ns.stat("/u/f").expect("stat").size, 3);
    // Removing the winner uncovers the next member's file of that name.
    ns.remove("/u/f").expect("remove");
    assert_eq!(get(&ns, "/u/f"), "own");
    assert_eq!(names(&ns, "/d2"), ["g"]);
}

#[test]
fn the_create_member_receives_new_files() {
    let ns = bind(&dirs(), "/d2", "/u", MountFlag::After, true);
    put(&ns, "/u/made", "new");
    ns.mkdir("/u/sub").expect("mkdir");
    assert_eq!(names(&ns, "/d2"), ["f", "g", "made", "sub"]);
    assert_eq!(names(&ns, "/u"), ["f", "g", "made", "own", "sub"]);
    // An existing file is written where it is, not copied to the create member.
    put(&ns, "/u/own", "changed");
    assert_eq!(get(&ns, "/u/own"), "changed");
    assert!(!names(&ns, "/d2").contains(&"own".to_string()));
    // Without -c the first member receives them.
    let plain = bind(&dirs(), "/d2", "/u", MountFlag::Before, false);
    put(&plain, "/u/made", "new");
    assert_eq!(names(&plain, "/d2"), ["f", "g", "made"]);
}

#[test]
fn unmount_new_old_takes_one_member_from_the_middle() {
    let ns = dirs();
    let ns = bind(&ns, "/d1", "/v", MountFlag::After, false);
    let ns = bind(&ns, "/d2", "/v", MountFlag::After, false);
    let ns = bind(&ns, "/u", "/v", MountFlag::After, false);
    assert_eq!(get(&ns, "/v/f"), "one");
    let ns = ns.unmount_from("/d2", "/v").expect("unmount /d2 /v");
    assert_eq!(names(&ns, "/v"), ["f", "own"]);
    assert_eq!(get(&ns, "/v/f"), "one");
    assert_eq!(
        bound_from(&ns),
        [
            ("/d1".to_string(), "/v".to_string(), MountFlag::After),
            ("/u".to_string(), "/v".to_string(), MountFlag::After),
        ]
    );
    let ns = ns.unmount_from("/d1", "/v").expect("unmount /d1 /v");
    assert_eq!(get(&ns, "/v/f"), "own");
    let err = ns.unmount_from("/d1", "/v").err();
    assert!(
        matches!(&err, Some(NsError::NotBound { path, on }) if path == "/d1" && on == "/v"),
        "{err:?}"
    );
    let ns = ns.unmount_from("/u", "/v").expect("the last one");
    assert!(!ns.is_mount_point("/v"));
}

#[test]
fn taking_out_the_first_replacing_bind_leaves_what_the_rest_make() {
    let ns = bind(&dirs(), "/d1", "/u", MountFlag::Replace, false);
    let ns = bind(&ns, "/d2", "/u", MountFlag::After, false);
    assert_eq!(names(&ns, "/u"), ["f", "g"]);
    // As if the replace never happened: `bind -a /d2 /u` on the plain directory.
    let ns = ns.unmount_from("/d1", "/u").expect("unmount");
    assert_eq!(names(&ns, "/u"), ["f", "g", "own"]);
    assert_eq!(get(&ns, "/u/f"), "own");
}

#[test]
fn unmount_new_old_also_matches_what_new_shows() {
    let ns = dirs()
        .mount("/d1", mem(&[]), MountFlag::Replace, false)
        .expect("mount");
    put(&ns, "/d1/m", "m");
    let ns = bind(&ns, "/d1", "/u", MountFlag::After, false);
    let ns = bind(&ns, "/d1", "/v", MountFlag::Replace, false);
    // /v shows exactly the member /d1 added to /u: that names it too, as a chan would.
    let ns = ns
        .unmount_from("/v", "/u")
        .expect("unmount by what /v shows");
    assert_eq!(names(&ns, "/u"), ["f", "own"]);
}

#[test]
fn binding_a_union_binds_all_its_members_and_its_create_choice() {
    let ns = bind(&dirs(), "/d1", "/u", MountFlag::After, false);
    let ns = bind(&ns, "/d2", "/u", MountFlag::After, true);
    let ns = bind(&ns, "/u", "/v", MountFlag::Replace, true);
    assert_eq!(names(&ns, "/v"), ["f", "g", "own"]);
    assert_eq!(get(&ns, "/v/f"), "own");
    put(&ns, "/v/made", "x");
    assert!(names(&ns, "/d2").contains(&"made".to_string()));
    // Later changes to /u do not reach /v: the bind took /u as it was.
    let ns = ns.unmount("/u").expect("unmount");
    assert_eq!(names(&ns, "/u"), ["f", "own"]);
    assert_eq!(names(&ns, "/v"), ["f", "g", "made", "own"]);
}

#[test]
fn a_file_binds_onto_a_file() {
    let ns = bind(&dirs(), "/d1/f", "/d2/f", MountFlag::Replace, false);
    assert_eq!(get(&ns, "/d2/f"), "one");
    let listing = ns.readdir("/d2").expect("readdir");
    assert!(
        listing.iter().all(|e| e.kind == FileKind::File),
        "{listing:?}"
    );
    put(&ns, "/d2/f", "written");
    assert_eq!(get(&ns, "/d1/f"), "written");
    assert!(matches!(ns.remove("/d2/f"), Err(NsError::Denied { .. })));
    let back = ns.unmount("/d2/f").expect("unmount");
    assert_eq!(get(&back, "/d2/f"), "two");
}

#[test]
fn mounts_below_new_do_not_follow_it() {
    let ns = Namespace::new(mem(&["/a/sub", "/v"]));
    put(&ns, "/a/sub/under", "hidden by the mount");
    let ns = ns
        .mount("/a/sub", mem(&[]), MountFlag::Replace, false)
        .expect("mount");
    put(&ns, "/a/sub/mounted", "in the mount");
    let ns = bind(&ns, "/a", "/v", MountFlag::Replace, false);
    // Keyed by path, not by channel: /v/sub is /a's own directory, not the mount on it.
    assert_eq!(names(&ns, "/a/sub"), ["mounted"]);
    assert_eq!(names(&ns, "/v/sub"), ["under"]);
}

#[test]
fn bind_errors_name_the_path_at_fault() {
    let ns = dirs();
    let err = ns.bind("/nope", "/u", MountFlag::Replace, false).err();
    assert!(matches!(err, Some(NsError::NotFound { path }) if path == "/nope"));
    let err = ns.bind("/d1", "/nope", MountFlag::Replace, false).err();
    assert!(matches!(err, Some(NsError::NotFound { path }) if path == "/nope"));
    let message = |new: &str, old: &str, flag| match ns.bind(new, old, flag, false) {
        Ok(_) => "bound".to_string(),
        Err(e) => e.to_string(),
    };
    assert_eq!(
        message("/d1", "/u/f", MountFlag::Replace),
        "/u/f: cannot bind: a directory cannot be bound onto a file"
    );
    assert_eq!(
        message("/d1/f", "/u", MountFlag::Replace),
        "/u: cannot bind: a file cannot be bound onto a directory"
    );
    assert_eq!(
        message("/d1/f", "/u/f", MountFlag::After),
        "/d1/f: cannot bind: only directories form unions (-a, -b)"
    );
    assert!(matches!(
        ns.bind("rel", "/u", MountFlag::Replace, false),
        Err(NsError::InvalidPath { .. })
    ));
    assert!(
        matches!(ns.unmount_from("/d1", "/u"), Err(NsError::NotMounted { path }) if path == "/u")
    );
    // The root's own service is never taken out, whatever names it.
    let ns = bind(&ns, "/", "/v", MountFlag::Replace, false);
    let err = ns.unmount_from("/v", "/").err();
    assert!(matches!(err, Some(NsError::NotBound { .. })), "{err:?}");
}

#[test]
fn a_directory_made_only_of_mount_points_cannot_be_bound() {
    let ns = Namespace::new(mem(&["/a/b"]));
    let ns = ns
        .mount("/a/b", mem(&[]), MountFlag::Replace, false)
        .expect("mount");
    // A new root without /a: /a is only the way to the mount at /a/b.
    let ns = ns
        .mount("/", mem(&["/v"]), MountFlag::Replace, false)
        .expect("over /");
    assert_eq!(ns.stat("/a").expect("stat").kind, FileKind::Dir);
    let err = ns.bind("/a", "/v", MountFlag::Replace, false).err();
    assert!(
        matches!(&err, Some(NsError::BadBind { path, .. }) if path == "/a"),
        "{err:?}"
    );
    assert!(ns.bind("/a/b", "/v", MountFlag::Replace, false).is_ok());
}

#[test]
fn mounts_lists_binds_in_the_order_made() {
    let ns = dirs();
    let ns = bind(&ns, "/d1", "/u", MountFlag::Before, true);
    let ns = ns
        .mount("/v", mem(&[]), MountFlag::Replace, false)
        .expect("mount");
    let ns = bind(&ns, "/d2", "/u", MountFlag::After, false);
    let records = ns.mounts();
    assert_eq!(
        bound_from(&ns),
        [
            ("/d1".to_string(), "/u".to_string(), MountFlag::Before),
            ("mem".to_string(), "/v".to_string(), MountFlag::Replace),
            ("/d2".to_string(), "/u".to_string(), MountFlag::After),
        ]
    );
    assert!(records[0].create && !records[2].create);
}

#[test]
fn hostile_paths_are_cleaned_or_refused_on_both_sides() {
    let ns = dirs();
    let ns2 = bind(&ns, "/../../d1/./", "//u/../u", MountFlag::Replace, false);
    assert_eq!(get(&ns2, "/u/f"), "one");
    assert_eq!(
        bound_from(&ns2)[0].0,
        "/d1",
        "recorded clean, as ns prints it"
    );
    let long = format!("/{}", "x".repeat(4096));
    for hostile in ["/d1\0", "relative", long.as_str()] {
        for (new, old) in [(hostile, "/u"), ("/d1", hostile)] {
            let err = ns.bind(new, old, MountFlag::After, false).err();
            assert!(matches!(err, Some(NsError::InvalidPath { .. })), "{err:?}");
            let err = ns2.unmount_from(new, old).err();
            assert!(
                matches!(err, Some(NsError::InvalidPath { .. })),
                "{new:?} {old:?}: {err:?}"
            );
        }
    }
}
