//! The mount tables `ns_resolve` measures, shared with `examples/ns_instructions.rs` (which
//! counts instructions under callgrind) so both measure the very same tables and paths.
//! Only fixtures live here; nothing in it measures or asserts.

use std::sync::Arc;

use oash::ns::{FileService, MountFlag, Namespace, OpenFlags};
use oash::services::mem::MemService;

/// The table sizes of issue 4 ("Done when" 6).
pub const SIZES: [usize; 4] = [10, 100, 1_000, 10_000];

/// Inside every mounted mem: a directory six levels down and a file in it.
const INNER_DIR: &str = "/a/b/c/d/e/f";
const INNER_FILE: &str = "/a/b/c/d/e/f/file";

/// A file of the root mem that no mount covers, as deep as [`path_under_mount`]'s.
pub const UNMOUNTED_FILE: &str = "/usr/share/doc/oash/x/y/z/w/v/u/file";

/// An existing directory of the root mem where nothing is mounted yet.
pub const SPARE_POINT: &str = "/n/extra";

/// Mount point `i`, spread over a tree as a user's `/n` would be: ten groups of ten
/// directories, the mounts shared out among them (`/n/g3/h4/m00043`).
fn mount_point(i: usize) -> String {
    format!("/n/g{}/h{}/m{i:05}", i % 10, (i / 10) % 10)
}

/// The file inside a mount from the middle of a table of `size`, so no size favours the
/// first or the last key.
pub fn path_under_mount(size: usize) -> String {
    format!("{}{INNER_FILE}", mount_point(size / 2))
}

/// A mem service holding `INNER_FILE` with a few bytes in it.
fn inner_service() -> Arc<dyn FileService> {
    let service = MemService::with_dirs(&[INNER_DIR]);
    let mut handle = service
        .open(INNER_FILE, OpenFlags::write().create())
        .expect("create the inner file");
    handle.write(b"hello\n").expect("write the inner file");
    Arc::new(service)
}

/// A namespace whose root mem holds every mount point, [`SPARE_POINT`] and
/// [`UNMOUNTED_FILE`], with a separate mem service mounted on each of the `size` points.
pub fn namespace_with(size: usize) -> Namespace {
    let points: Vec<String> = (0..size).map(mount_point).collect();
    let unmounted_dir = UNMOUNTED_FILE.rsplit_once('/').map_or("/", |(dir, _)| dir);
    let mut dirs: Vec<&str> = points.iter().map(String::as_str).collect();
    dirs.extend([SPARE_POINT, unmounted_dir]);
    let root = MemService::with_dirs(&dirs);
    root.open(UNMOUNTED_FILE, OpenFlags::write().create())
        .expect("create the unmounted file");
    let mut ns = Namespace::new(Arc::new(root));
    for point in &points {
        ns = ns
            .mount(point, inner_service(), MountFlag::Replace, false)
            .expect("mount");
    }
    ns
}
