//! `mount host DIR POINT` end to end: the real binary, a real temporary host directory, and
//! the host side checked with `std::fs`. Transcripts cannot make a host directory, so these
//! cases live here.

// Test code: a set-up step that fails should stop the test loudly, helpers included.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

/// Runs `oash -c script` and returns its output.
fn oash(script: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_oash"))
        .arg("-c")
        .arg(script)
        .output()
        .expect("oash runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A temporary host directory holding `f` and `sub/`, plus a secret beside it.
fn host_area() -> (tempfile::TempDir, String) {
    let area = tempfile::tempdir().expect("tempdir");
    let root = area.path().join("root");
    fs::create_dir_all(root.join("sub")).expect("root");
    fs::write(root.join("f"), "from the host\n").expect("f");
    fs::write(area.path().join("secret"), "outside\n").expect("secret");
    let root = root.to_str().expect("utf-8 temp path").to_string();
    (area, root)
}

#[test]
fn list_read_and_write_through_a_host_mount() {
    let (_area, root) = host_area();
    let out = oash(&format!(
        "mkdir /n/h; mount host '{root}' /n/h; ls /n/h; cat /n/h/f; echo x > /n/h/new"
    ));
    assert_eq!(text(&out.stderr), "");
    assert!(out.status.success());
    let stdout = text(&out.stdout);
    assert!(stdout.contains("f\n"), "{stdout}");
    assert!(stdout.contains("sub"), "{stdout}");
    assert!(stdout.ends_with("from the host\n"), "{stdout}");
    assert_eq!(
        fs::read_to_string(Path::new(&root).join("new")).expect("new"),
        "x\n"
    );
}

#[test]
fn mkdir_rm_and_mv_change_the_host_directory() {
    let (_area, root) = host_area();
    let out = oash(&format!(
        "mkdir /n/h; mount host '{root}' /n/h; mkdir /n/h/d; mv /n/h/f /n/h/d/g; rm -r /n/h/sub"
    ));
    assert_eq!(text(&out.stderr), "");
    let root = Path::new(&root);
    assert!(root.join("d").is_dir());
    assert_eq!(
        fs::read_to_string(root.join("d/g")).expect("moved"),
        "from the host\n"
    );
    assert!(!root.join("f").exists());
    assert!(!root.join("sub").exists());
}

#[test]
fn dot_dot_cannot_leave_the_mount() {
    let (area, root) = host_area();
    let out = oash(&format!(
        "mkdir /n/h; mount host '{root}' /n/h; cat /n/h/../secret; cat /n/h/../../../secret; echo done"
    ));
    let stdout = text(&out.stdout);
    assert!(!stdout.contains("outside"), "{stdout}");
    assert_eq!(stdout, "done\n");
    assert!(!text(&out.stderr).is_empty());
    assert_eq!(
        fs::read_to_string(area.path().join("secret")).expect("secret"),
        "outside\n"
    );
}

#[test]
fn a_symlink_out_of_the_root_is_denied() {
    let (area, root) = host_area();
    std::os::unix::fs::symlink(area.path().join("secret"), Path::new(&root).join("link"))
        .expect("link");
    let out = oash(&format!(
        "mkdir /n/h; mount host '{root}' /n/h; cat /n/h/link"
    ));
    assert!(!text(&out.stdout).contains("outside"));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("leads outside the host directory"),
        "{stderr}"
    );
    assert!(!out.status.success());
}

#[test]
fn ns_prints_a_rebuildable_mount() {
    let (_area, root) = host_area();
    let canonical = fs::canonicalize(&root).expect("canonical");
    let out = oash(&format!("mkdir /n/h; mount host '{root}' /n/h; ns"));
    let stdout = text(&out.stdout);
    let expected = format!("mount host {} /n/h", canonical.display());
    assert!(stdout.lines().any(|line| line == expected), "{stdout}");
}

#[test]
fn a_missing_directory_is_a_clear_mount_error() {
    let (_area, root) = host_area();
    let out = oash(&format!("mkdir /n/h; mount host '{root}/nope' /n/h"));
    assert!(!out.status.success());
    let stderr = text(&out.stderr);
    assert!(stderr.contains("host:"), "{stderr}");
    assert!(stderr.contains("nope"), "{stderr}");
    let out = oash("mount host /n");
    assert!(!out.status.success());
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("host: needs the host directory as its one argument"),
        "{stderr}"
    );
}

#[test]
fn the_host_flag_mounts_a_directory_at_n_host_and_starts_there() {
    let (_area, root) = host_area();
    let out = Command::new(env!("CARGO_BIN_EXE_oash"))
        .args(["--host", &root, "-c", "pwd; cat f; echo made > new; ls /n"])
        .output()
        .expect("oash runs");
    assert_eq!(text(&out.stderr), "");
    assert_eq!(text(&out.stdout), "/n/host\nfrom the host\nhost\n");
    assert_eq!(
        fs::read_to_string(Path::new(&root).join("new")).expect("new"),
        "made\n"
    );
}

#[test]
fn the_host_flag_reports_a_missing_directory_and_runs_nothing() {
    let (area, _root) = host_area();
    let missing = area.path().join("missing");
    let out = Command::new(env!("CARGO_BIN_EXE_oash"))
        .arg("--host")
        .arg(&missing)
        .args(["-c", "echo ran"])
        .output()
        .expect("oash runs");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stdout), "");
    assert!(
        text(&out.stderr).contains("cannot open host directory"),
        "{}",
        text(&out.stderr)
    );
}
