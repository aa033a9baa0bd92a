//! Names given as a unit rather than as a path: `map`'s `NAME=CONTENTS` words, the keys of
//! Rhai's `mount_map`, and `/env` variable names. A `/` inside such a name is read as a
//! path inside the service (`a/b=1` makes `a/b`) and cleaned like one; what cleaning cannot
//! keep inside (`..`), the root itself, NUL bytes and over-long names are refused, naming
//! the name. Nothing is mounted by a refused `mount`.

use oash::harness::run_script;

/// A script, the exact standard output it must give, and what its standard error must
/// hold (nothing at all when empty).
struct Case {
    script: String,
    stdout: &'static str,
    stderr: Vec<String>,
}

fn accepted(script: &str, stdout: &'static str) -> Case {
    Case {
        script: script.to_string(),
        stdout,
        stderr: Vec::new(),
    }
}

fn refused(script: String, stdout: &'static str, stderr: &[&str]) -> Case {
    Case {
        script,
        stdout,
        stderr: stderr.iter().map(|s| s.to_string()).collect(),
    }
}

/// `text` without whitespace or miette's gutter, so a wrapped message still matches.
fn squash(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && *c != '│')
        .collect()
}

fn check(cases: &[Case]) {
    let mut wrong = Vec::new();
    for case in cases {
        let outcome = run_script("names", &case.script);
        let stderr_ok = if case.stderr.is_empty() {
            outcome.stderr.is_empty()
        } else {
            // miette wraps long messages: compare without the wrapping.
            let stderr = squash(&outcome.stderr);
            case.stderr
                .iter()
                .all(|needle| stderr.contains(&squash(needle)))
        };
        if outcome.stdout != case.stdout || !stderr_ok {
            let shown: String = case.script.chars().take(120).collect();
            wrong.push(format!(
                "{shown:?}\n  stdout {:?} (wanted {:?})\n  stderr {:?} (wanted {:?})",
                outcome.stdout, case.stdout, outcome.stderr, case.stderr
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// A refused `mount map` leaves `/n/h` the empty directory it was, and nothing in `ns`.
const AFTER_MAP: &str = "ls /n/h; ns | grep -c map";

#[test]
fn map_words_with_slashes_land_inside_or_are_refused() {
    let long = "x".repeat(4096);
    let map = |word: &str| format!("mkdir /n/h; mount map '{word}' /n/h; {AFTER_MAP}");
    check(&[
        accepted(
            "mkdir /n/h; mount map 'a/b=1' '/c=2' 'd//./e=3' 'g/=' /n/h; cat /n/h/a/b /n/h/c /n/h/d/e; ls /n/h",
            "123a\nc\nd\ng\n",
        ),
        refused(
            map("../x=1"),
            "0\n",
            &["mount: map: ../x: invalid path: '..'"],
        ),
        refused(
            map("a/../../x=1"),
            "0\n",
            &["map: a/../../x: invalid path: '..'"],
        ),
        refused(map("a/..=1"), "0\n", &["map: a/..: invalid path: '..'"]),
        refused(map("/=1"), "0\n", &["map: /: invalid path: names the root"]),
        refused(
            map("a\0b=1"),
            "0\n",
            &["map: /a\\0b: invalid path: contains a NUL byte"],
        ),
        refused(
            map(&format!("{long}=1")),
            "0\n",
            &["map: /xxxxxxxx", "name too long"],
        ),
    ]);
}

#[test]
fn mount_map_keys_with_slashes_land_inside_or_are_refused() {
    let mount_map =
        |map: &str| format!("mkdir /n/h; rhai -c 'mount_map(\"/n/h\", #{{{map}}})'; {AFTER_MAP}");
    let long = "x".repeat(4096);
    check(&[
        accepted(
            r#"mkdir /n/h; rhai -c 'mount_map("/n/h", #{"a/b": "1", "/c": "2", "d//./e": "3"}); print(read("/n/h/a/b") + read("/n/h/c") + read("/n/h/d/e"))'"#,
            "123\n",
        ),
        refused(
            mount_map(r#""../x": "1""#),
            "0\n",
            &["mount_map: /../x: invalid path: '..'"],
        ),
        refused(
            mount_map(r#"a: #{"../../x": "1"}"#),
            "0\n",
            &["mount_map: /a/../../x: invalid path: '..'"],
        ),
        refused(
            mount_map(r#""a/..": "1""#),
            "0\n",
            &["mount_map: /a/..: invalid path"],
        ),
        refused(
            mount_map(r#""": "1""#),
            "0\n",
            &["invalid path: names the root"],
        ),
        refused(
            mount_map(r#""a\x00b": "1""#),
            "0\n",
            &["contains a NUL byte"],
        ),
        refused(
            mount_map(&format!(r#""{long}": "1""#)),
            "0\n",
            &["mount_map: /xxxxxxxx", "name too long"],
        ),
    ]);
}

#[test]
fn env_names_never_hold_a_slash() {
    check(&[
        accepted("echo v > /env/../env/x; echo $x", "v\n"),
        accepted("x=1; echo v > /env//./x; echo $x", "v\n"),
        refused(
            // A failed redirection ends a script: nothing after it runs.
            "echo v > /env/a/b; echo not reached".into(),
            "",
            &["redirection: /env/a/b: file does not exist"],
        ),
        refused(
            "rhai -c 'write(\"/env/a/b\", \"v\")'; ls /env | grep -c /".into(),
            "0\n",
            &["write: /env/a/b: file does not exist"],
        ),
        refused(
            "x=1; mv /env/x /env/y/z; echo $x".into(),
            "1\n",
            &["mv: /env/y/z: file does not exist"],
        ),
        refused(
            "x=1; cp /env/x /env/../env/y/z; echo $x".into(),
            "1\n",
            &["cp: /env/y/z: file does not exist"],
        ),
        refused(
            "mkdir /env/a; ls /env | grep -c /".into(),
            "0\n",
            &["mkdir: /env/a: permission denied (/env holds variables, not directories)"],
        ),
    ]);
}
