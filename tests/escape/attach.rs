//! No way to attach: issue 9's escape (a guest mounting the host through `/task`) and a
//! `--sandbox` shell facing every hostile form and door of the suite.
//!
//! A no-attach namespace (Plan 9's `RFNOMNT`) may use and bind what it holds but mount
//! nothing. Guests always run so, and `--sandbox` ([`Shell::sandbox`]) starts a shell so.
//! The cases here try every way to attach a service anyway: the `mount` builtin in each form,
//! Rhai's `mount`, a task's `ctl` written by a guest (for a task the guest made, and for one
//! trusted code made), after `newns`, `rfork N` and inside `@{ }`; and then, in a sandboxed
//! shell, the whole product of hostile path forms and doors that the main suite runs over a
//! host mount. Each must leave the host area byte-identical, inside the root as well as
//! outside, and never print the secret's marker or the name beside the root.

use std::panic::{AssertUnwindSafe, catch_unwind};

use super::area::{Area, MARKER, NAME_MARKER};
use super::table::{DOORS, command_line, forms, rc_quote};
use oash::eval::Shell;
use oash::harness::{Outcome, run_script, run_script_in};

/// `text` run in a fresh shell made as `oash --sandbox` makes it, everything captured.
fn run_sandboxed(text: &str) -> Outcome {
    run_script_in("sandbox", text, Shell::sandbox)
}

/// What is wrong with a run that must not have reached `area`.
fn reached(area: &Area, before: &super::area::Snapshot, outcome: &Outcome) -> Vec<String> {
    let mut problems = Vec::new();
    for (name, marker) in [
        ("the secret", MARKER),
        ("a name beside the root", NAME_MARKER),
    ] {
        if outcome.stdout.contains(marker) || outcome.stderr.contains(marker) {
            problems.push(format!("{name} showed"));
        }
    }
    if &area.everything() != before {
        problems.push("the host area changed".into());
    }
    problems
}

/// Ways to attach the area's parent (which holds the secret) that a no-attach caller tries.
/// `AREA` stands for the area's host path; each ends by trying to read the secret.
const ATTEMPTS: &[&str] = &[
    // Issue 9's finding 3, as found: a guest makes a task and mounts the host in it.
    "id=`{spawn cat /task/new/wasi}; spawn write /task/$id/ctl mount host AREA /n; \
     spawn write /task/$id/cmd /lib/oash/bin/cat.wasm; spawn write /task/$id/args /n/secret; \
     spawn write /task/$id/ctl start; spawn cat /task/$id/fd/1 /task/$id/fd/2",
    // The task made by trusted code, its ctl written by a guest.
    "id=`{cat /task/new/wasi}; spawn write /task/$id/ctl mount host AREA /n; \
     echo /lib/oash/bin/cat.wasm > /task/$id/cmd; echo /n/secret > /task/$id/args; \
     echo start > /task/$id/ctl; cat /task/$id/fd/1",
    // A guest asks for a clean namespace first.
    "id=`{spawn cat /task/new/wasi}; spawn write /task/$id/ctl rfork N; \
     spawn write /task/$id/ctl mount host AREA /n; cat /task/$id/ns",
    // A union member, a cow over the host, a sized mem: every mount form.
    "id=`{spawn cat /task/new/wasi}; spawn write /task/$id/ctl mount -b host AREA /tmp; \
     spawn write /task/$id/ctl mount -ac host AREA /tmp; cat /task/$id/ns",
];

/// The same attempts from a sandboxed shell's own doors.
const SHELL_ATTEMPTS: &[&str] = &[
    "mount host AREA /n; cat /n/secret",
    "mount -b host AREA /tmp; cat /tmp/secret",
    "mkdir /n/b; mount host AREA /n/b; mount cow /n/b /n; cat /n/secret",
    "newns; mount host AREA /n; cat /n/secret",
    "rfork N; mount host AREA /n; cat /n/secret",
    "rfork n; mount host AREA /n; cat /n/secret",
    "@{ mount host AREA /n; cat /n/secret }",
    "{ mount host AREA /n; cat /n/secret } | cat",
    "rhai -c 'mount(\"host\", [\"AREA\"], \"/n\"); print(read(\"/n/secret\"))'",
    "rhai -c 'newns(); mount(\"host\", [\"AREA\"], \"/n\"); print(read(\"/n/secret\"))'",
    "rhai -c 'with_ns(|| { mount(\"host\", [\"AREA\"], \"/n\"); print(read(\"/n/secret\")) })'",
    "id=`{cat /task/new/wasi}; echo mount host AREA /n > /task/$id/ctl; \
     echo /lib/oash/bin/cat.wasm > /task/$id/cmd; echo /n/secret > /task/$id/args; \
     echo start > /task/$id/ctl; cat /task/$id/fd/1",
    "ls /n; ls /; cat /n/host/secret; ls /n/host",
];

#[test]
fn a_guest_cannot_attach_the_host_through_the_task_files() {
    for attempt in ATTEMPTS {
        let area = Area::new();
        let before = area.everything();
        let script = attempt.replace("AREA", &rc_quote(&area.path().to_string_lossy()));
        let outcome = run_script("attach", &script);
        let problems = reached(&area, &before, &outcome);
        assert!(problems.is_empty(), "{attempt}: {problems:?}\n{outcome:?}");
        assert!(
            outcome.stderr.contains("Operation not permitted")
                || outcome.stderr.contains("no-attach"),
            "{attempt}: the refusal must be said: {outcome:?}"
        );
    }
}

#[test]
fn a_sandboxed_shell_cannot_attach_by_any_door() {
    for attempt in ATTEMPTS.iter().chain(SHELL_ATTEMPTS) {
        let area = Area::new();
        let before = area.everything();
        let path = area.path().to_string_lossy().into_owned();
        let script = match attempt.starts_with("rhai") {
            true => attempt.replace("AREA", &path),
            false => attempt.replace("AREA", &rc_quote(&path)),
        };
        let outcome = run_sandboxed(&script);
        let problems = reached(&area, &before, &outcome);
        assert!(problems.is_empty(), "{attempt}: {problems:?}\n{outcome:?}");
    }
}

/// The main suite's forms and doors, aimed at a host mount that a sandbox never gets: the
/// setup's `mount host` is refused, and whatever each door then does lands in memory.
#[test]
fn a_sandboxed_shell_never_reaches_the_host_with_any_hostile_form() {
    let forms = forms("/n/h");
    let cases: Vec<(usize, usize)> = (0..forms.len())
        .flat_map(|f| (0..DOORS.len()).map(move |d| (f, d)))
        .collect();
    let run = |&(f, d): &(usize, usize)| {
        let (form, door) = (&forms[f], &DOORS[d]);
        let area = Area::new();
        let before = area.everything();
        let setup = format!(
            "mkdir /n/h; mount host {} /n/h; cd /n/h",
            rc_quote(&area.root())
        );
        let script = format!("{setup}\n{}\nls /n/h\n", command_line(door, &form.text));
        let label = format!("{} ({})", door.template, form.name);
        match catch_unwind(AssertUnwindSafe(|| run_sandboxed(&script))) {
            Ok(outcome) => reached(&area, &before, &outcome)
                .into_iter()
                .map(|problem| format!("{label}: {problem}"))
                .collect(),
            Err(_) => vec![format!("{label}: panicked")],
        }
    };
    let violations = super::in_parallel(&cases, run);
    assert!(
        violations.is_empty(),
        "{} of {} cases reached the host:\n{}",
        violations.len(),
        cases.len(),
        violations.join("\n")
    );
}
