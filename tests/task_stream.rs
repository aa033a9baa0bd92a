//! Streaming through guests: 100 MiB pass through `head -c | cat-guest | upper-guest | wc`
//! and the process's peak resident memory (`VmHWM` in /proc/self/status) stays far below
//! the data's size, so guests in a pipeline stream rather than buffer.
//!
//! One test in a file of its own: the peak is the whole process's, and another test running
//! beside it would count too.

use std::sync::Arc;
use std::time::Instant;

use oash::eval::{Buffer, Io, Shell};
use oash::lang::SourceFile;

const SIZE: u64 = 100 << 20;
/// The bound asked for: 200 MiB, when the data alone is 100 MiB.
const PEAK_LIMIT_KIB: u64 = 200 << 10;

/// `VmHWM` (peak resident set) in KiB, where /proc has it.
fn peak_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

#[test]
fn a_hundred_mib_stream_through_guests_in_bounded_memory() {
    let mut shell = Shell::new();
    let out = Buffer::new();
    let err = Buffer::new();
    let io = Io::buffers(out.clone(), err.clone());
    let script = format!("head -c {SIZE} /dev/zero | spawn cat | upper | wc -c");
    let started = Instant::now();
    let status = shell.run_script(Arc::new(SourceFile::new("stream", script)), &io);
    let took = started.elapsed();
    drop(io);
    let stderr = String::from_utf8_lossy(&err.take()).into_owned();
    assert!(status.is_ok(), "{status:?} {stderr}");
    assert_eq!(String::from_utf8_lossy(&out.take()), format!("{SIZE}\n"));
    let Some(peak) = peak_kib() else {
        eprintln!("no /proc/self/status here: memory not measured");
        return;
    };
    eprintln!("100 MiB through cat | upper | wc: {took:?}, peak RSS {peak} KiB");
    assert!(peak < PEAK_LIMIT_KIB, "peak RSS {peak} KiB");
}
