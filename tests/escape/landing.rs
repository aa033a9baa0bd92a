//! The product's assumptions and checks, tested on their own: each service's setup leaves
//! what the forms expect, cleaned paths land where Plan 9's lexical `..` says (shown on the
//! host side), and the judge flags each kind of violation it claims to look for.

use std::fs;

use oash::eval::Status;
use oash::harness::{Outcome, run_script};

use crate::area::{Area, CONTENTS, MARKER, NAME_MARKER};
use crate::table::{DOORS, SERVICES, forms};
use crate::{Case, judge};

#[test]
fn every_setup_leaves_its_files_where_the_forms_expect() {
    for service in SERVICES {
        let area = Area::new();
        let names: Vec<&str> = service.files.iter().map(|f| &f[1..]).collect();
        let script = format!(
            "{}\npwd\ncat {}\n",
            service.setup.replace("ROOT", &area.root()),
            names.join(" ")
        );
        let outcome = run_script("setup", &script);
        assert_eq!(outcome.stderr, "", "{}", service.name);
        let expected = format!("{}\n", service.point);
        assert!(
            outcome.stdout.starts_with(&expected),
            "{}: {:?}",
            service.name,
            outcome.stdout
        );
        assert_eq!(
            outcome.stdout.matches(CONTENTS.trim_end()).count(),
            names.len(),
            "{}: {:?}",
            service.name,
            outcome.stdout
        );
    }
}

#[test]
fn cleaned_paths_land_inside_the_host_root_and_the_namespace() {
    let area = Area::new();
    let before = area.outside();
    let root = area.root();
    let script = format!(
        "mkdir /n/h; mount host '{root}' /n/h; cd /n/h
mkdir /n/h/../h/x
echo hi > /n/h//sub/./new
echo inner > /../../n/h/x/../x/y
mkdir ../../../../secret
cat /n/h/x/y ../../../../n/h/sub/new
ls -d /secret
"
    );
    let outcome = run_script("landing", &script);
    assert_eq!(outcome.stderr, "");
    assert_eq!(outcome.stdout, "inner\nhi\n/secret\n");
    let root = std::path::Path::new(&root);
    assert!(root.join("x").is_dir());
    assert_eq!(
        fs::read_to_string(root.join("x/y")).expect("x/y"),
        "inner\n"
    );
    assert_eq!(
        fs::read_to_string(root.join("sub/new")).expect("sub/new"),
        "hi\n"
    );
    // `/secret` was made in the namespace's own root, not beside the host root.
    assert_eq!(area.outside(), before);
}

#[test]
fn removing_host_links_removes_the_links_only() {
    let area = Area::new();
    let before = area.outside();
    let root = area.root();
    let script = format!(
        "mkdir /n/h; mount host '{root}' /n/h; cd /n/h
rm -r subl up
rm out abs absin loop a
ls
cat sub/g
"
    );
    let outcome = run_script("links", &script);
    assert_eq!(outcome.stderr, "");
    assert_eq!(outcome.stdout, format!("b\nf\nsub\n{CONTENTS}"));
    assert_eq!(area.outside(), before);
}

fn outcome(stdout: &str, stderr: &str) -> Outcome {
    Outcome {
        stdout: stdout.to_string(),
        stderr: stderr.to_string(),
        status: Status::ok(),
    }
}

#[test]
fn the_judge_flags_every_kind_of_violation() {
    let host = &SERVICES[0];
    let forms = forms(host.point);
    let form = |name: &str| forms.iter().find(|f| f.name == name).expect("form");
    let cat = DOORS.iter().find(|d| d.template == "cat {P}").expect("cat");
    let case = |name| Case {
        service: host,
        form: form(name),
        door: cat,
    };
    let area = Area::new();
    let before = area.outside();
    let flags = |case: &Case<'_>, out: &Outcome, what: &str| {
        let found = judge(case, Some((&area, &before)), out);
        assert!(found.iter().any(|w| w.contains(what)), "{what}: {found:?}");
    };
    // A positive control: a clean read of `f` is fine.
    let good = outcome(&format!("{CONTENTS}@@status \n"), "");
    assert_eq!(
        judge(&case("dot slashes"), Some((&area, &before)), &good),
        Vec::<String>::new()
    );
    // Short lines, as miette wraps a message, but one message of 800 bytes.
    let wrapped = format!("  │ {}\n", "x/".repeat(40)).repeat(10);
    let long = format!("  × cat: /n/h/loop:\n{wrapped}");
    let failed = "@@status x\n";
    // (form, stdout, stderr, what the judge must say)
    let runs: &[(&str, &str, &str, &str)] = &[
        (
            "relative link out",
            &format!("{MARKER}\n@@status \n"),
            "",
            "marker",
        ),
        (
            "link to the parent",
            &format!("{NAME_MARKER} root secret\n@@status \n"),
            "",
            "a name beside the root",
        ),
        ("NUL in a name", "@@status \n", "", "must be refused"),
        (
            "NUL in a name",
            failed,
            "  × cat: f\\0x: invalid path",
            "refused without naming",
        ),
        (
            "link to itself",
            failed,
            "  × cat: failed",
            "without a diagnostic",
        ),
        (
            "link to itself",
            failed,
            "cat: /n/h/loop: (os error 40)",
            "raw OS error",
        ),
        (
            "dot slashes",
            failed,
            "  × cat: /n/h/f: no",
            "failed on a clean path",
        ),
        ("link to itself", failed, &long, "an error message of"),
    ];
    for (name, stdout, stderr, what) in runs {
        flags(&case(name), &outcome(stdout, stderr), what);
    }
    fs::remove_file(area.root() + "/sub/g").expect("sub/g");
    flags(&case("dot slashes"), &good, "never named it");
    fs::write(area.root() + "/copy", MARKER).expect("copy");
    flags(&case("dot slashes"), &good, "copied into the root");
    fs::write(area.path().join("new"), "x").expect("new");
    flags(&case("dot slashes"), &good, "outside the root changed");
}
