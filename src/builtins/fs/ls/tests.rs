//! `ls`'s tests: layout, sorting, hidden names, every flag, errors, and the calendar.

use std::time::{Duration, UNIX_EPOCH};

use super::super::testing::{Run, run_gone, run_in, shell_with, write};
use super::*;
use crate::eval::Shell;

fn fixture() -> Shell {
    shell_with(&[
        "/d/",
        "/d/b",
        "/d/a",
        "/d/.hidden",
        "/d/Capital",
        "/d/sub/",
        "/e/",
    ])
}

fn ls(shell: &mut Shell, args: &[&str]) -> Run {
    run_in(shell, &LS, args, b"")
}

fn ok(shell: &mut Shell, args: &[&str]) -> String {
    let r = ls(shell, args);
    assert_eq!(
        (r.status(), r.err.as_str()),
        (String::new(), ""),
        "ls {args:?}"
    );
    r.out()
}

#[test]
fn lists_bare_names_sorted_bytewise_without_hidden_ones() {
    let mut shell = fixture();
    assert_eq!(ok(&mut shell, &["/d"]), "Capital\na\nb\nsub\n");
    assert_eq!(ok(&mut shell, &["-1", "/d/"]), "Capital\na\nb\nsub\n");
    assert_eq!(
        ok(&mut shell, &["-a", "/d"]),
        ".hidden\nCapital\na\nb\nsub\n"
    );
    assert_eq!(ok(&mut shell, &["/e"]), "");
}

#[test]
fn no_operand_lists_the_working_directory() {
    let mut shell = fixture();
    assert_eq!(ok(&mut shell, &[]), "d\ne\n");
    shell.proc.cwd = "/d".into();
    assert_eq!(ok(&mut shell, &["-p"]), "Capital\na\nb\nsub/\n");
    assert_eq!(ok(&mut shell, &["sub"]), "");
}

#[test]
fn marks_directories_and_lists_them_themselves() {
    let mut shell = fixture();
    assert_eq!(ok(&mut shell, &["-F", "/d"]), "Capital\na\nb\nsub/\n");
    assert_eq!(ok(&mut shell, &["-d", "/d"]), "/d\n");
    assert_eq!(ok(&mut shell, &["-dp", "/d", "/d/a"]), "/d/\n/d/a\n");
    assert_eq!(ok(&mut shell, &["-dp", "/d/"]), "/d/\n");
    shell.proc.cwd = "/d".into();
    assert_eq!(ok(&mut shell, &["-d"]), ".\n");
}

#[test]
fn several_operands_files_first_then_headed_directories() {
    let mut shell = fixture();
    assert_eq!(
        ok(&mut shell, &["/e", "/d/sub", "/d/b", "/d/a"]),
        "/d/a\n/d/b\n\n/d/sub:\n\n/e:\n"
    );
    assert_eq!(
        ok(&mut shell, &["/e", "/d"]),
        "/d:\nCapital\na\nb\nsub\n\n/e:\n"
    );
    // A file operand is shown even when its name is hidden.
    assert_eq!(ok(&mut shell, &["/d/.hidden"]), "/d/.hidden\n");
}

#[test]
fn long_format() {
    let mut shell = fixture();
    write(&shell, "/d/a", "twelve bytes");
    let out = ok(&mut shell, &["-l", "/d"]);
    let lines: Vec<Vec<&str>> = out.lines().map(|l| l.split(' ').collect()).collect();
    assert_eq!(lines.len(), 4, "{out}");
    let shape: Vec<(&str, &str, &str)> = lines
        .iter()
        .map(|l| (l[0], l[l.len() - 4], l[l.len() - 1]))
        .collect();
    assert_eq!(
        shape,
        [
            ("-rw", "10", "Capital"),
            ("-rw", "12", "a"),
            ("-rw", "4", "b"),
            ("drw", "0", "sub")
        ]
    );
    assert!(out.contains("-rw  4 "), "sizes align right: {out}");
    for line in &lines {
        let (date, time) = (line[line.len() - 3], line[line.len() - 2]);
        assert!(date.len() == 10 && date.as_bytes()[4] == b'-', "{line:?}");
        assert!(time.len() == 5 && time.as_bytes()[2] == b':', "{line:?}");
    }
    let one = ok(&mut shell, &["-ldF", "/d/sub"]);
    assert!(
        one.starts_with("drw 0 ") && one.ends_with(" /d/sub/\n"),
        "{one}"
    );
}

#[test]
fn long_format_read_only_and_timeless() {
    let row = Row {
        name: "ro".into(),
        kind: FileKind::Dir,
        stat: Some(Stat {
            name: "ro".into(),
            kind: FileKind::Dir,
            size: 0,
            modified: None,
            read_only: true,
        }),
    };
    let long = Options {
        long: true,
        ..Options::default()
    };
    assert_eq!(render(&[row], &long), "dr- 0 -                ro\n");
}

#[test]
fn dates_are_utc_civil_dates() {
    let at = |seconds: i64| {
        let magnitude = Duration::from_secs(seconds.unsigned_abs());
        let time = if seconds < 0 {
            UNIX_EPOCH - magnitude
        } else {
            UNIX_EPOCH + magnitude
        };
        format_time(Some(time))
    };
    assert_eq!(at(0), "1970-01-01 00:00");
    assert_eq!(at(1_709_210_040), "2024-02-29 12:34");
    assert_eq!(at(951_868_800), "2000-03-01 00:00");
    assert_eq!(at(-60), "1969-12-31 23:59");
    assert_eq!(at(-2_208_988_800), "1900-01-01 00:00");
    assert_eq!(civil_from_days(-719_468), (0, 3, 1));
    let (_, month, day) = civil_from_days(i64::MAX / 86_400);
    assert!((1..=12).contains(&month) && (1..=31).contains(&day));
    let (_, month, day) = civil_from_days(i64::MIN / 86_400);
    assert!((1..=12).contains(&month) && (1..=31).contains(&day));
}

#[test]
fn a_missing_operand_among_several_is_a_warning() {
    let mut shell = fixture();
    let r = ls(&mut shell, &["/nope", "/d/a", "/e"]);
    assert_eq!((r.out(), r.status()), ("/d/a\n\n/e:\n".into(), "1".into()));
    assert_eq!(r.err, "ls: /nope: file does not exist\n");
}

#[test]
fn the_only_operand_missing_is_an_error_at_it() {
    let mut shell = fixture();
    let r = ls(&mut shell, &["-l", "/nope"]);
    assert_eq!(
        (r.status(), r.arg(), r.out()),
        (
            "error: ls: /nope: file does not exist".into(),
            Some(1),
            String::new()
        )
    );
    let r = ls(&mut shell, &["/d/a/x"]);
    assert_eq!(r.arg(), Some(0), "{}", r.status());
}

#[test]
fn bad_flags_and_gone_readers() {
    let mut shell = fixture();
    assert!(ls(&mut shell, &["-x"]).status().contains("unknown flag -x"));
    assert!(
        ls(&mut shell, &["--all"])
            .status()
            .contains("unknown flag --all")
    );
    let r = run_gone(&mut shell, &LS, &["/d", "/e"]);
    assert_eq!((r.status(), r.err), (String::new(), String::new()));
}

#[test]
fn a_vanished_working_directory_points_at_no_argument() {
    let mut shell = fixture();
    shell.proc.cwd = "/gone".into();
    let r = ls(&mut shell, &["-l"]);
    assert_eq!(
        (r.status(), r.arg()),
        ("error: ls: /gone: file does not exist".into(), None)
    );
}

#[test]
fn t_sorts_newest_first_and_r_reverses_any_order() {
    let mut shell = shell_with(&["/t/"]);
    for name in ["m", "z", "a"] {
        write(&shell, &format!("/t/{name}"), "x");
        // mem keeps times to the nanosecond; a pause makes the order certain.
        std::thread::sleep(Duration::from_millis(5));
    }
    assert_eq!(ok(&mut shell, &["-t", "/t"]), "a\nz\nm\n");
    assert_eq!(ok(&mut shell, &["-tr", "/t"]), "m\nz\na\n");
    assert_eq!(ok(&mut shell, &["-r", "/t"]), "z\nm\na\n");
    assert_eq!(ok(&mut shell, &["-t", "/t/m", "/t/a"]), "/t/a\n/t/m\n");
}
