//! Path resolution against mount tables of 10 to 10 000 mounts (issue 4, "Done when" 6).
//!
//! The namespace keeps its mount points in a persistent hash map and resolves a path by
//! probing each of its ancestors, longest first, so every figure here should stay flat as
//! the table grows: it depends on the path's depth, not on the number of mounts. A mount
//! copies only the buckets on the new key's path, so adding one should stay flat too. The
//! sizes are the `BenchmarkId` parameter so criterion's report lays them side by side.
//! This file must only measure; it never asserts on a timing.

use std::hint::black_box;
use std::sync::Arc;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use oash::ns::{FileService, MountFlag, Namespace, OpenFlags};
use oash::services::mem::MemService;

const SIZES: [usize; 4] = [10, 100, 1_000, 10_000];

/// Inside every mounted mem: a directory six levels down and a file in it.
const INNER_DIR: &str = "/a/b/c/d/e/f";
const INNER_FILE: &str = "/a/b/c/d/e/f/file";

/// A directory of the root mem that no mount covers, as deep as a mounted file's path.
const UNMOUNTED_DIR: &str = "/usr/share/doc/oash/x/y/z/w/v/u";

/// Mount point `i`, spread over a tree as a user's `/n` would be: ten groups of ten
/// directories, the mounts shared out among them (`/n/g3/h4/m00043`).
fn mount_point(i: usize) -> String {
    format!("/n/g{}/h{}/m{i:05}", i % 10, (i / 10) % 10)
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

/// A namespace whose root mem holds every mount point (and `UNMOUNTED_DIR`), with a
/// separate mem service mounted on each of the `size` points.
fn namespace_with(size: usize) -> Namespace {
    let points: Vec<String> = (0..size).map(mount_point).collect();
    let mut dirs: Vec<&str> = points.iter().map(String::as_str).collect();
    dirs.extend(["/n/extra", UNMOUNTED_DIR]);
    let root = MemService::with_dirs(&dirs);
    let file = format!("{UNMOUNTED_DIR}/file");
    root.open(&file, OpenFlags::write().create())
        .expect("create the unmounted file");
    let mut ns = Namespace::new(Arc::new(root));
    for point in &points {
        ns = ns
            .mount(point, inner_service(), MountFlag::Replace, false)
            .expect("mount");
    }
    ns
}

fn bench_resolution(c: &mut Criterion) {
    let mut group = c.benchmark_group("ns");
    let extra: Arc<dyn FileService> = Arc::new(MemService::new());
    for size in SIZES {
        let ns = namespace_with(size);
        // A mount from the middle of the table, so no size favours the first or last key.
        let mounted = format!("{}{INNER_FILE}", mount_point(size / 2));
        let unmounted = format!("{UNMOUNTED_DIR}/file");
        group.bench_with_input(
            BenchmarkId::new("resolve_under_mount", size),
            &mounted,
            |b, path| b.iter(|| ns.resolve(black_box(path)).expect("resolve")),
        );
        group.bench_with_input(
            BenchmarkId::new("resolve_to_root", size),
            &unmounted,
            |b, path| b.iter(|| ns.resolve(black_box(path)).expect("resolve")),
        );
        group.bench_with_input(
            BenchmarkId::new("stat_under_mount", size),
            &mounted,
            |b, path| b.iter(|| ns.stat(black_box(path)).expect("stat")),
        );
        group.bench_with_input(BenchmarkId::new("mount_one_more", size), &ns, |b, ns| {
            b.iter(|| {
                ns.mount(
                    black_box("/n/extra"),
                    Arc::clone(&extra),
                    MountFlag::Replace,
                    false,
                )
                .expect("mount")
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench_resolution);
criterion_main!(benches);
