//! Build settings that every `cargo build`, `cargo run` and `cargo install` of oash gets.
//!
//! The `oash` executable is linked as a position-dependent (non-PIE) executable on Linux
//! with glibc: a PIE of this size (wasmtime is linked in) spends about half of a
//! `oash -c 'echo hi'` in the dynamic loader relocating itself (callgrind, BENCHMARKS.md).
//! A link argument for binaries only is the one place this can be said for all builds:
//! rustflags in `.cargo/config.toml` (`-C relocation-model=static`, `+crt-static`) also reach
//! the proc-macro crates, which then fail to build. The trade-off: the executable's own image
//! is not placed at a random address (libraries, heap, stacks and wasmtime's code still are).
//! This file must never do more than pass link settings.

fn main() {
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    if os == "linux" && env == "gnu" {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
