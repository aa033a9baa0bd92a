//! `oash --sandbox`: the whole shell no-attach and without a host mount, checked on the
//! binary people run. A sandboxed script cannot mount anything (so not the host), cannot be
//! combined with `--host`, and leaves nothing on the host disk, not even compiled modules in
//! the cache (which an unsandboxed run writes, as the last test shows).

// Test code: a set-up step that fails should stop the test loudly, helpers included.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::{Command, Output};

fn oash(args: &[&str], cache: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_oash"))
        .args(args)
        .env("XDG_CACHE_HOME", cache)
        .stdin(std::process::Stdio::null())
        .output()
        .expect("oash runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Every file under `dir`, recursively.
fn files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(files(&path));
        } else {
            found.push(path);
        }
    }
    found
}

#[test]
fn a_sandboxed_shell_mounts_nothing() {
    let cache = tempfile::tempdir().expect("tempdir");
    for script in [
        "mount host / /n",
        "mount mem /n",
        "rhai -c 'mount(\"host\", [\"/\"], \"/n\")'",
        "id=`{cat /task/new/wasi}; echo mount host / /n > /task/$id/ctl",
    ] {
        let out = oash(&["--sandbox", "-c", script], cache.path());
        assert_eq!(out.status.code(), Some(1), "{script}: {out:?}");
        assert!(text(&out.stderr).contains("no-attach"), "{script}: {out:?}");
    }
    let out = oash(
        &[
            "--sandbox",
            "-c",
            "bind /lib/oash /n; ls /n | grep -c ns.oash; ns | tail -n 1",
        ],
        cache.path(),
    );
    assert_eq!(text(&out.stdout), "1\nrfork m\n", "{out:?}");
}

#[test]
fn sandbox_and_host_exclude_each_other() {
    let cache = tempfile::tempdir().expect("tempdir");
    let out = oash(&["--sandbox", "--host", ".", "-c", "ls"], cache.path());
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(text(&out.stderr).contains("cannot be used with"), "{out:?}");
}

#[test]
fn a_sandboxed_run_writes_no_compiled_module_to_the_host_cache() {
    let cache = tempfile::tempdir().expect("tempdir");
    let out = oash(&["--sandbox", "-c", "hello"], cache.path());
    assert_eq!(text(&out.stdout), "hello\n", "{out:?}");
    assert_eq!(files(cache.path()), Vec::<std::path::PathBuf>::new());
    // Without --sandbox the same run does cache, so the check above can fail.
    let out = oash(&["-c", "hello"], cache.path());
    assert!(out.status.success(), "{out:?}");
    assert!(
        !files(cache.path()).is_empty(),
        "an ordinary run caches the module"
    );
}
