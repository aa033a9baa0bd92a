//! `ns` replays exactly: a namespace built with mounts (mem, map, cow), binds (-a, -b, -c,
//! a union, a file, a replace over a union) and unmounts (one member from the middle of a
//! union, the top of a stack) is printed with `ns` to a host file, that file is run by a
//! fresh `oash` process, and the fresh process's `ns` and union listings must be the same.
//! The real binary, as in `host_mount.rs`: the listing must survive a process boundary.

// Test code: a set-up step that fails should stop the test loudly, helpers included.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;
use std::process::{Command, Output};

/// Builds the namespace. Every mount point and bound path exists in a fresh shell (the
/// default root's directories, or directories of `map`s rebuilt from their words), and
/// nothing later binds a union one of whose members is then taken out.
const BUILD: &str = "\
mount map 'a=1' 'b=2' 'sub/' 'deep/x=9' /n
mount mem /lib
bind -a /n /lib
bind -b -c /tmp /lib
mount -a map 'x=3' 'y=4' /bin
mount cow /n /dev
bind -a /dev /bin
unmount /n /lib
bind -b /n/deep /lib/oash
bind -a /lib /lib/oash
bind /lib/oash /bin
bind /n/a /n/b
mount -b mem /n/sub
unmount /n/sub
";

/// What is compared after building: the listing, then what the unions show.
const SHOW: &str = "ns\necho ---\nls /lib /bin /lib/oash /dev /n /n/sub\ncat /n/b /bin/x\n";

fn run(command: &mut Command) -> Output {
    command
        .env_remove("OASH_BLESS")
        .output()
        .expect("oash runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn oash_c(script: &str) -> Output {
    run(Command::new(env!("CARGO_BIN_EXE_oash"))
        .arg("-c")
        .arg(script))
}

#[test]
fn ns_output_run_in_a_fresh_shell_rebuilds_the_same_namespace() {
    let built = oash_c(&format!("{BUILD}{SHOW}"));
    assert_eq!(text(&built.stderr), "");
    assert!(built.status.success());
    let built = text(&built.stdout);
    let Some((listing, views)) = built.split_once("---\n") else {
        panic!("no separator in {built}")
    };
    // The default mounts first (whatever `Shell::new()` makes), then ours.
    let defaults = text(&oash_c("ns").stdout);
    assert_eq!(
        listing,
        defaults
            + "mount map 'a=1' 'b=2' 'deep/x=9' sub/ /n\nmount mem /lib\n\
         bind -b -c /tmp /lib\nmount -a map 'x=3' 'y=4' /bin\nmount cow /n /dev\n\
         bind -a /dev /bin\nbind -b /n/deep /lib/oash\nbind -a /lib /lib/oash\nbind /lib/oash /bin\n\
         bind /n/a /n/b\n",
        "removed layers leave no line; the rest in the order made"
    );
    assert!(
        views.contains("/lib/oash:\nREADME\nbin\nns.oash\nx\n"),
        "{views}"
    );
    assert!(views.ends_with("/n/sub:\n19"), "{views}");

    // The listing to a host file, run by a fresh process, which then shows the same.
    let dir = tempfile::tempdir().expect("tempdir");
    let saved = dir.path().join("ns.oash");
    fs::write(&saved, format!("{listing}{SHOW}")).expect("write ns");
    let replayed = run(Command::new(env!("CARGO_BIN_EXE_oash")).arg(&saved));
    assert_eq!(text(&replayed.stderr), "");
    assert!(replayed.status.success());
    assert_eq!(text(&replayed.stdout), built);
}

#[test]
fn ns_of_a_fresh_shell_replays_to_itself() {
    let fresh = oash_c("ns");
    let listing = text(&fresh.stdout);
    assert!(listing.starts_with("newns\n"), "{listing}");
    let again = oash_c(&format!("{listing}ns"));
    assert_eq!(text(&again.stderr), "");
    assert_eq!(text(&again.stdout), listing);
}

#[test]
fn a_no_attach_namespace_replays_to_itself_and_stays_no_attach() {
    let built = oash_c("mount mem /bin; rfork m; bind /tmp /n; ns");
    let listing = text(&built.stdout);
    assert!(
        listing.ends_with("mount mem /bin\nbind /tmp /n\nrfork m\n"),
        "{listing}"
    );
    let again = oash_c(&format!("{listing}ns; mount mem /tmp"));
    assert_eq!(text(&again.stdout), listing);
    assert!(text(&again.stderr).contains("no-attach"), "{again:?}");
}
