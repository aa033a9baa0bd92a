//! Path resolution against mount tables of 10 to 10 000 mounts (issue 4, "Done when" 6).
//!
//! The namespace keeps its mount points in a persistent hash map and resolves a path by
//! probing each of its ancestors, longest first, so every figure here should stay flat as
//! the table grows: it depends on the path's depth, not on the number of mounts. A mount
//! copies only the buckets on the new key's path, so adding one should stay flat too. The
//! sizes are the `BenchmarkId` parameter so criterion's report lays them side by side.
//! This file must only measure; it never asserts on a timing.

// A bench's set-up failing is a broken bench: stopping loudly is the right report.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;
use std::sync::Arc;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use oash::ns::{FileService, MountFlag};
use oash::services::mem::MemService;

mod common;
use common::{SIZES, SPARE_POINT, UNMOUNTED_FILE, namespace_with, path_under_mount};

fn bench_resolution(c: &mut Criterion) {
    let mut group = c.benchmark_group("ns");
    let extra: Arc<dyn FileService> = Arc::new(MemService::new());
    for size in SIZES {
        let ns = namespace_with(size);
        let mounted = path_under_mount(size);
        group.bench_with_input(
            BenchmarkId::new("resolve_under_mount", size),
            &mounted,
            |b, path| b.iter(|| ns.resolve(black_box(path)).expect("resolve")),
        );
        group.bench_function(BenchmarkId::new("resolve_to_root", size), |b| {
            b.iter(|| ns.resolve(black_box(UNMOUNTED_FILE)).expect("resolve"))
        });
        group.bench_with_input(
            BenchmarkId::new("stat_under_mount", size),
            &mounted,
            |b, path| b.iter(|| ns.stat(black_box(path)).expect("stat")),
        );
        // The new namespace is dropped inside the loop: that is part of what a mount costs.
        group.bench_function(BenchmarkId::new("mount_one_more", size), |b| {
            b.iter(|| {
                ns.mount(
                    black_box(SPARE_POINT),
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
