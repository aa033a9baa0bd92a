//! Repeats one namespace operation on a table of a given size, for instruction counts under
//! callgrind, which (unlike wall time on a shared machine) do not move with the load.
//!
//! `ns_instructions OP SIZE N`, OP one of `resolve_under_mount`, `resolve_to_root`,
//! `stat_under_mount`, `mount_one_more` (the `ns_resolve` bench's cases, on the same
//! tables). The cost of one operation is the difference between the counts for N and for 0,
//! divided by N; BENCHMARKS.md gives the commands. It prints nothing and asserts nothing.

// A tool for measuring, sharing the benches' set-up: a failed set-up stops it loudly.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;
use std::process::ExitCode;
use std::sync::Arc;

use oash::ns::{FileService, MountFlag};
use oash::services::mem::MemService;

#[path = "../benches/common/mod.rs"]
#[allow(dead_code)]
mod common;
use common::{SPARE_POINT, UNMOUNTED_FILE, namespace_with, path_under_mount};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [op, size, count] = args.as_slice() else {
        eprintln!("usage: ns_instructions OP SIZE N");
        return ExitCode::from(2);
    };
    let (Ok(size), Ok(count)) = (size.parse::<usize>(), count.parse::<usize>()) else {
        eprintln!("ns_instructions: SIZE and N must be numbers");
        return ExitCode::from(2);
    };
    let ns = namespace_with(size);
    let mounted = path_under_mount(size);
    let extra: Arc<dyn FileService> = Arc::new(MemService::new());
    for _ in 0..count {
        match op.as_str() {
            "resolve_under_mount" => drop(black_box(ns.resolve(black_box(&mounted)))),
            "resolve_to_root" => drop(black_box(ns.resolve(black_box(UNMOUNTED_FILE)))),
            "stat_under_mount" => drop(black_box(ns.stat(black_box(&mounted)))),
            "mount_one_more" => drop(black_box(ns.mount(
                black_box(SPARE_POINT),
                Arc::clone(&extra),
                MountFlag::Replace,
                false,
            ))),
            _ => {
                eprintln!("ns_instructions: unknown OP {op}");
                return ExitCode::from(2);
            }
        }
    }
    ExitCode::SUCCESS
}
