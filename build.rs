//! Build settings that every `cargo build`, `cargo run` and `cargo install` of oash gets.
//!
//! On Linux with glibc the `oash` executable is linked statically and non-PIE, when the host
//! has glibc's static archives (`libc.a`, which Debian's `libc6-dev` ships, and gcc's
//! `libgcc_eh.a`). Start-up is most of a short command, and a dynamic start pays for the
//! loader (mapping libc, libm and libgcc_s, binding their symbols: over half of
//! `oash -c 'echo hi'`'s instructions and a third of its page faults); a PIE of this size
//! (wasmtime is linked in) also relocates itself. See BENCHMARKS.md for the figures.
//!
//! Only link arguments for the binary can say this here (rustflags such as `+crt-static`
//! in `.cargo/config.toml` also reach the proc-macro crates, which then fail to build), and
//! rustc still asks for the libraries dynamically (`-Bdynamic -lgcc_s ... -lc`): a bare
//! `-static` then mixes a static start with shared libraries and crashes. So each library
//! rustc names is also offered as a static archive under its name in a directory searched
//! first (the linker takes the `.a` of the first directory that has the name): `libc.a` for
//! `-lc`, and gcc's `libgcc_eh.a`, the static unwinder, for `-lgcc_s`.
//!
//! It falls back to the dynamic non-PIE link when an archive is missing (Fedora ships them
//! apart, as glibc-static), when cross-compiling (the host's archives would be the wrong
//! ones), and when `OASH_LINK=dynamic` is set (for tools such as valgrind's memcheck that
//! need the shared malloc). The trade-offs: the image is not placed at a random address
//! (heap, stacks, mappings and wasmtime's code still are), and glibc functions that load
//! modules at run time (NSS: `getpwnam`, `getaddrinfo`) would need the same glibc installed;
//! oash calls none today, and a link warning names any that appears. This file must never
//! do more than choose link settings.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The libraries rustc links on linux-gnu, each with the archive that stands in for it.
const STATIC_STAND_INS: &[(&str, &str)] = &[
    ("libc.a", "libc.a"),
    ("libm.a", "libm.a"),
    ("libpthread.a", "libpthread.a"),
    ("librt.a", "librt.a"),
    ("libdl.a", "libdl.a"),
    ("libutil.a", "libutil.a"),
    ("libgcc_s.a", "libgcc_eh.a"),
];

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=OASH_LINK");
    let var = |name: &str| std::env::var(name).unwrap_or_default();
    if var("CARGO_CFG_TARGET_OS") != "linux" || var("CARGO_CFG_TARGET_ENV") != "gnu" {
        return;
    }
    println!("cargo:rustc-link-arg-bins=-no-pie");
    let wanted = var("OASH_LINK") != "dynamic" && var("TARGET") == var("HOST");
    let out = PathBuf::from(var("OUT_DIR")).join("static-libs");
    if wanted && stand_ins(&out).is_some() {
        println!("cargo:rustc-link-arg-bins=-static");
        println!("cargo:rustc-link-arg-bins=-L{}", out.display());
    } else {
        println!(
            "cargo:warning=oash is linked dynamically (glibc's static archives were not found, or OASH_LINK=dynamic, or cross-compiling): start-up is slower"
        );
    }
}

/// Fills `dir` with links named as rustc's libraries, to the static archives; `None` when
/// one of them cannot be found.
#[cfg(unix)]
fn stand_ins(dir: &Path) -> Option<()> {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).ok()?;
    for (name, archive) in STATIC_STAND_INS {
        let found = archive_path(archive)?;
        std::os::unix::fs::symlink(found, dir.join(name)).ok()?;
    }
    Some(())
}

/// A host that is not Unix never builds for its own linux-gnu.
#[cfg(not(unix))]
fn stand_ins(_dir: &Path) -> Option<()> {
    None
}

/// Where the C compiler (the linker rustc drives) finds `archive`, if it does: asked for a
/// file it cannot find, `cc -print-file-name` answers with the bare name.
fn archive_path(archive: &str) -> Option<PathBuf> {
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".to_string());
    let output = Command::new(cc)
        .arg(format!("-print-file-name={archive}"))
        .output()
        .ok()?;
    let path = PathBuf::from(String::from_utf8(output.stdout).ok()?.trim());
    (output.status.success() && path.is_absolute() && path.exists()).then_some(path)
}
