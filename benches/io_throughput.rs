//! Whole-file read and write throughput of `mem` and `host` through the namespace (issue 4,
//! "Done when" 6), beside the same host file through `std::fs` directly.
//!
//! Each namespace case does what `nsops::read` and `nsops::write` do for `cat` and `>`:
//! open, stream through the `std::io` adapters, close. The `std::fs` baseline is the floor;
//! the gap between it and `host` is the cost of our layers (path cleaning, resolution, the
//! service's confinement checks, the handle adapters). This file must only measure; it
//! never asserts on a timing.
//!
//! The host directory is a fresh temporary directory under `$OASH_BENCH_HOST_DIR` when set
//! (e.g. `/dev/shm`, to take the disk out of the figures), else under the system's temp dir.

// A bench's set-up failing is a broken bench: stopping loudly is the right report.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;
use std::io::{Read, Write};
use std::path::Path;
use std::sync::Arc;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use oash::ns::{FileService, HandleReader, HandleWriter, MountFlag, Namespace, OpenFlags};
use oash::services::host::HostService;
use oash::services::mem::MemService;

const SIZES: [(usize, &str); 2] = [(4 << 10, "4KiB"), (1 << 20, "1MiB")];

/// `/n/mem` and `/n/host` mounted over a mem root; the host one is `host_dir`.
fn namespace(host_dir: &Path) -> Namespace {
    let root = Namespace::new(Arc::new(MemService::with_dirs(&["/n/mem", "/n/host"])));
    let host_dir = host_dir.to_str().expect("a UTF-8 temporary directory");
    let host: Arc<dyn FileService> = Arc::new(HostService::open(host_dir).expect("host"));
    root.mount(
        "/n/mem",
        Arc::new(MemService::new()),
        MountFlag::Replace,
        false,
    )
    .and_then(|ns| ns.mount("/n/host", host, MountFlag::Replace, false))
    .expect("mount")
}

/// `nsops::write`: create or truncate, write everything, close.
fn ns_write(ns: &Namespace, path: &str, bytes: &[u8]) {
    let handle = ns
        .open(path, OpenFlags::write().create().truncate())
        .expect("open for writing");
    let mut writer = HandleWriter::new(handle);
    writer.write_all(bytes).expect("write");
    writer.finish().expect("close");
}

/// `nsops::read`: open, read to the end, close.
fn ns_read(ns: &Namespace, path: &str) -> Vec<u8> {
    let handle = ns.open(path, OpenFlags::read()).expect("open for reading");
    let mut bytes = Vec::new();
    HandleReader::new(handle)
        .read_to_end(&mut bytes)
        .expect("read");
    bytes
}

fn bench_io(c: &mut Criterion) {
    let host_dir = match std::env::var_os("OASH_BENCH_HOST_DIR") {
        Some(parent) => tempfile::tempdir_in(parent),
        None => tempfile::tempdir(),
    }
    .expect("temporary directory");
    let ns = namespace(host_dir.path());
    // The baseline reads and writes the very files `/n/host` serves.
    let (std_write, std_read) = (
        host_dir.path().join("write.bin"),
        host_dir.path().join("read.bin"),
    );
    for (size, label) in SIZES {
        // Not all zeros, so nothing downstream can take a shortcut on the contents.
        let bytes: Vec<u8> = (0..size).map(|i| (i % 251) as u8).collect();

        let mut write = c.benchmark_group(format!("write_{label}"));
        write.throughput(Throughput::Bytes(size as u64));
        for service in ["mem", "host"] {
            let path = format!("/n/{service}/write.bin");
            write.bench_with_input(BenchmarkId::new("ns", service), &path, |b, path| {
                b.iter(|| ns_write(&ns, path, black_box(&bytes)))
            });
        }
        write.bench_function(BenchmarkId::new("std_fs", "host"), |b| {
            b.iter(|| std::fs::write(&std_write, black_box(&bytes)).expect("std write"))
        });
        write.finish();

        let mut read = c.benchmark_group(format!("read_{label}"));
        read.throughput(Throughput::Bytes(size as u64));
        for service in ["mem", "host"] {
            let path = format!("/n/{service}/read.bin");
            ns_write(&ns, &path, &bytes);
            read.bench_with_input(BenchmarkId::new("ns", service), &path, |b, path| {
                b.iter(|| ns_read(&ns, black_box(path)))
            });
        }
        read.bench_function(BenchmarkId::new("std_fs", "host"), |b| {
            b.iter(|| std::fs::read(black_box(&std_read)).expect("std read"))
        });
        read.finish();
    }
}

criterion_group!(benches, bench_io);
criterion_main!(benches);
