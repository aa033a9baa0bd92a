//! Escape tests: every path-taking door × every hostile path form × every service.
//!
//! Issue 4's "done when" 3. Each case runs one script in a fresh in-process shell
//! ([`oash::harness::run_script`], so a script can hold NUL bytes and 4 KiB words), over its
//! own temporary host area ([`area`]) when the service is over the host: the script mounts
//! ([`table`]) a service, applies one door (`cat
//! P`, `echo x > P`, Rhai's `read(P)`, ...) to one hostile form of P (`..` chains, `//`,
//! NUL, 4 KiB names, links out of the host root, link loops), then probes where the door
//! landed. Every case must: return (no panic); never show the secret's marker; leave
//! everything outside the host root byte-identical and copy the secret nowhere inside it;
//! and either succeed on the clean namespace path the form names (checked by the probe) or
//! fail with a diagnostic that names that path (or the part of it at fault). Violations are
//! collected over the whole product and reported together, so one run shows every problem.
//!
//! Names that are given as a unit rather than as a path (map's `NAME=CONTENTS` words, Rhai
//! `mount_map` keys, `/env` variable names) are checked in [`names`]; the setups, a few
//! landings spelled out on the host side, and the judge itself in [`landing`].

// Test code: a set-up step that fails should stop the test loudly, helpers included.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod area;
mod attach;
mod landing;
mod names;
mod table;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Mutex;

use area::{Area, MARKER, NAME_MARKER};
use oash::harness::{Outcome, run_script};
use table::{DOORS, Door, Effect, Form, SERVICES, Service, command_line, forms, rc_quote};

/// What the probe after a door prints first, with the door's status.
const STATUS_LINE: &str = "@@status";

/// One cell of the product, and the script that runs it.
struct Case<'t> {
    service: &'t Service,
    form: &'t Form,
    door: &'t Door,
}

impl Case<'_> {
    fn label(&self) -> String {
        let shown: String = self.form.text.chars().take(40).collect();
        format!(
            "[{}] {} ({}: {:?})",
            self.service.name,
            self.door.template.replace("{P}", "P"),
            self.form.name,
            shown
        )
    }

    fn script(&self, root: &str) -> String {
        let setup = self.service.setup.replace("ROOT", root);
        let door = command_line(self.door, &self.form.text);
        let probe = match (&self.form.lands, self.door.effect) {
            (Ok(path), Effect::Creates | Effect::Removes) => {
                format!("ls -d {} >[2] /dev/null", rc_quote(path))
            }
            (_, Effect::Enters) => "pwd".into(),
            (_, Effect::Mounts) => "ns".into(),
            // A file or a tree: its name, then its contents either way.
            (_, Effect::CopiesTo(dest)) => format!("ls {dest}; cat {dest} {dest}/*"),
            (_, Effect::Overlays) => "cat /n/c/*".into(),
            _ => String::new(),
        };
        format!("{setup}\n{door}\necho {STATUS_LINE} $status\n{probe}\n")
    }
}

/// What a run printed, split at the status line.
struct Seen {
    door_ok: bool,
    probe: Vec<String>,
}

fn split(outcome: &Outcome) -> Seen {
    let mut lines = outcome.stdout.lines();
    let mut door_ok = false;
    // A door's output need not end in a newline (`cat /env/f`), so the status line may
    // share its line.
    for line in lines.by_ref() {
        if let Some((_, status)) = line.split_once(STATUS_LINE) {
            // rc's truth: empty, or `|` after a pipeline of true commands.
            door_ok = oash::proc::Status::from_string(status.trim().to_string()).is_ok();
            break;
        }
    }
    Seen {
        door_ok,
        probe: lines.map(str::to_string).collect(),
    }
}

/// `text` without whitespace, so a message miette wrapped still matches.
fn squash(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && *c != '│')
        .collect()
}

/// The length of the first error message (not the source miette quotes) too long to read,
/// counting the lines miette wrapped it onto: a 4 KiB operand must be shortened, not
/// repeated.
fn overlong_message(stderr: &str) -> Option<usize> {
    const MOST: usize = 500;
    let mut lengths = Vec::new();
    for line in stderr.lines() {
        let text = line.trim_start();
        let quoted_source = text.starts_with(['·', '╭', '╰'])
            || text
                .split_once(" │")
                .is_some_and(|(number, _)| number.chars().all(|c| c.is_ascii_digit()));
        match lengths.last_mut() {
            // miette's wrapped continuation of the message above.
            Some(length) if text.starts_with('│') => *length += text.len(),
            _ if quoted_source => lengths.push(0),
            _ => lengths.push(text.len()),
        }
    }
    lengths.into_iter().find(|&length| length > MOST)
}

/// The paths an error about this case may name: the clean path, its ancestors below the
/// mount point, the door's other operands, and the form as typed when it is short.
fn acceptable_names(case: &Case<'_>, lands: &str) -> Vec<String> {
    let point = case.service.point;
    let mut names = vec![lands.to_string()];
    // Ancestors below the mount point: an error naming only the point names nothing useful.
    let mut current = lands;
    while let Some(i) = current.rfind('/')
        && i > point.len()
    {
        current = &current[..i];
        names.push(current.to_string());
    }
    names.extend(
        case.door
            .operands
            .iter()
            .map(|operand| operand.replace("{M}", point)),
    );
    if case.form.text.len() < 80 {
        names.push(case.form.text.clone());
    }
    names
}

/// Whether the door must work here: reading a file the service has through a clean path,
/// or making a new name in a writable service. Without this, a broken setup would make
/// every case fail cleanly and the product would pass.
fn must_succeed(case: &Case<'_>) -> bool {
    let Ok(lands) = &case.form.lands else {
        return false;
    };
    let Some(inside) = lands.strip_prefix(case.service.point) else {
        return false;
    };
    match case.door.effect {
        Effect::ReadsFile => case.service.files.contains(&inside),
        Effect::Creates => case.service.writable && inside == "/new",
        _ => false,
    }
}

/// Everything wrong with one case's run; empty when it behaved. `host` is the case's host
/// area and its snapshot from before, for services over a host directory.
fn judge(
    case: &Case<'_>,
    host: Option<(&Area, &area::Snapshot)>,
    outcome: &Outcome,
) -> Vec<String> {
    let mut wrong = Vec::new();
    let seen = split(outcome);
    for (marker, what) in [
        (MARKER, "the secret's marker"),
        (NAME_MARKER, "a name beside the root"),
    ] {
        if outcome.stdout.contains(marker) || squash(&outcome.stderr).contains(marker) {
            wrong.push(format!("{what} was printed"));
        }
    }
    if let Some((area, before)) = host {
        wrong.extend(judge_area(case, area, before));
    }
    if let Some(length) = overlong_message(&outcome.stderr) {
        wrong.push(format!("an error message of {length} bytes"));
    }
    if outcome.stderr.contains("os error") {
        wrong.push(format!("a raw OS error: {}", outcome.stderr.trim()));
    }
    let stderr = squash(&outcome.stderr);
    if must_succeed(case) && !seen.door_ok {
        wrong.push(format!("failed on a clean path: {}", outcome.stderr.trim()));
    }
    match (&case.form.lands, seen.door_ok) {
        (Err(_), true) if case.door.effect == Effect::Globs => {}
        (Err(refusal), true) => wrong.push(format!(
            "succeeded where it must be refused ({})",
            refusal.reason
        )),
        (Err(refusal), false) => {
            if !(stderr.contains(&squash(refusal.reason)) && stderr.contains(refusal.shown)) {
                wrong.push(format!(
                    "refused without naming the path and \"{}\": {}",
                    refusal.reason,
                    outcome.stderr.trim()
                ));
            }
        }
        (Ok(lands), true) => {
            if let Some(problem) = check_landing(case, lands, &seen) {
                wrong.push(problem);
            }
            if let Some(problem) = host.and_then(|(area, _)| check_host_side(case, area, lands)) {
                wrong.push(problem);
            }
        }
        (Ok(lands), false) => {
            let names = acceptable_names(case, lands);
            let diagnostic =
                stderr.contains('×') || stderr.contains(&format!("{}:", case.door.command));
            if !diagnostic || !names.iter().any(|name| stderr.contains(&squash(name))) {
                wrong.push(format!(
                    "failed without a diagnostic naming one of {names:?}: {:?}",
                    outcome.stderr.trim()
                ));
            }
        }
    }
    wrong
}

/// What the case did to its host area: nothing outside the root, no copy of the secret
/// inside it, and no name removed that the case did not name.
fn judge_area(case: &Case<'_>, area: &Area, before: &area::Snapshot) -> Vec<String> {
    let mut wrong = Vec::new();
    let after = area.outside();
    if &after != before {
        wrong.push(format!(
            "the area outside the root changed: before {before:?}, after {after:?}"
        ));
    }
    let names_sub_g = case
        .form
        .lands
        .as_ref()
        .is_ok_and(|l| l.ends_with("/sub/g"));
    if !names_sub_g && !area.has_sub_g() {
        wrong.push("root/sub/g was removed, though the case never named it".to_string());
    }
    let copies = area.copies_of_secret();
    if !copies.is_empty() {
        wrong.push(format!("the secret was copied into the root: {copies:?}"));
    }
    wrong
}

/// After a successful door, whether the probe shows it acted on `lands`.
fn check_landing(case: &Case<'_>, lands: &str, seen: &Seen) -> Option<String> {
    let has = |line: &str| seen.probe.iter().any(|l| l == line);
    let ok = match case.door.effect {
        Effect::Creates => has(lands),
        Effect::Removes => !has(lands),
        Effect::Enters => has(lands),
        Effect::Mounts => seen
            .probe
            .iter()
            .any(|l| l.starts_with("mount mem ") && l.ends_with(&format!(" {lands}"))),
        Effect::ReadsFile
        | Effect::Reads
        | Effect::Globs
        | Effect::CopiesTo(_)
        | Effect::Overlays => true,
    };
    (!ok).then(|| {
        format!(
            "succeeded but the probe does not show {lands} ({:?}): {:?}",
            case.door.effect, seen.probe
        )
    })
}

/// After a successful create through the `host` service itself, whether the host shows the
/// name where the clean path puts it: `mkdir /n/h/../h/x` makes `root/x`.
fn check_host_side(case: &Case<'_>, area: &Area, lands: &str) -> Option<String> {
    let inside = lands.strip_prefix(case.service.point)?.strip_prefix('/')?;
    if case.service.name != "host" || case.door.effect != Effect::Creates {
        return None;
    }
    let host = std::path::Path::new(&area.root()).join(inside);
    let exists = std::fs::symlink_metadata(&host).is_ok();
    (!exists).then(|| format!("succeeded but {} is not on the host", host.display()))
}

/// Runs one case over a fresh area: its violations, each labelled.
fn run_case(case: &Case<'_>) -> Vec<String> {
    // Only a service over the host can touch it; the others need no area (and making
    // thousands of them would be most of the run).
    let area = case.service.setup.contains("ROOT").then(Area::new);
    let before = area.as_ref().map(Area::outside);
    let root = area.as_ref().map(Area::root).unwrap_or_default();
    let script = case.script(&root);
    let outcome = match catch_unwind(AssertUnwindSafe(|| run_script("escape", &script))) {
        Ok(outcome) => outcome,
        Err(_) => return vec![format!("{}: panicked", case.label())],
    };
    judge(case, area.as_ref().zip(before.as_ref()), &outcome)
        .into_iter()
        .map(|problem| format!("{}: {problem}", case.label()))
        .collect()
}

#[test]
fn no_door_escapes_with_any_form_on_any_service() {
    let forms: Vec<(usize, Vec<Form>)> = SERVICES
        .iter()
        .enumerate()
        .map(|(i, service)| (i, forms(service.point)))
        .collect();
    let mut cases = Vec::new();
    // OASH_ESCAPE_SERVICE=NAME runs one service's cases (when looking into a failure).
    let only = std::env::var("OASH_ESCAPE_SERVICE").ok();
    for (i, service_forms) in &forms {
        if only
            .as_deref()
            .is_some_and(|name| name != SERVICES[*i].name)
        {
            continue;
        }
        for form in service_forms {
            for door in DOORS {
                if std::env::var("OASH_ESCAPE_DOOR").is_ok_and(|d| !door.template.contains(&d)) {
                    continue;
                }
                let copies_trees = door.template.starts_with("cp -r")
                    || door.template.starts_with("mv")
                    || door.template.contains("mount cow");
                let minds_contents =
                    [". {P}", "grep x {P}", "echo x | tee -a {P}"].contains(&door.template);
                if (SERVICES[*i].endless && copies_trees) || (!SERVICES[*i].plain && minds_contents)
                {
                    continue;
                }
                cases.push(Case {
                    service: &SERVICES[*i],
                    form,
                    door,
                });
            }
        }
    }
    let mut violations = in_parallel(&cases, run_case);
    violations.sort();
    assert!(
        violations.is_empty(),
        "{} of {} cases misbehaved:\n{}",
        violations.len(),
        cases.len(),
        violations.join("\n")
    );
}

/// Runs `run` on every case over as many workers as there are cores (at least two), each
/// with a 16 MiB stack; every problem found, in no particular order.
fn in_parallel<T: Sync>(cases: &[T], run: impl Fn(&T) -> Vec<String> + Sync) -> Vec<String> {
    let violations = Mutex::new(Vec::new());
    let next = std::sync::atomic::AtomicUsize::new(0);
    let workers = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .max(2);
    std::thread::scope(|scope| {
        for _ in 0..workers {
            std::thread::Builder::new()
                .stack_size(16 << 20)
                .spawn_scoped(scope, || {
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(case) = cases.get(i) else { break };
                        let found = run(case);
                        violations
                            .lock()
                            .unwrap_or_else(std::sync::PoisonError::into_inner)
                            .extend(found);
                    }
                })
                .expect("worker thread");
        }
    });
    violations
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}
