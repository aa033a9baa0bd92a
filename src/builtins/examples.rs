//! Every builtin's declared examples, run: each script in a fresh shell (over the in-memory
//! namespace, as transcripts run) must print exactly its declared output and end true. With
//! them, the declarations themselves are checked: every builtin has an example, every flag a
//! doc, and every declared flag reaches a handler that knows it.

use crate::builtins::{self, Builtin, Example};
use crate::harness::run_script;

/// What is wrong with running `example` of `builtin`, if anything.
fn check(builtin: &Builtin, example: &Example) -> Result<(), String> {
    let name = format!("{}-example", builtin.name);
    let got = run_script(&name, example.script);
    if got.stdout != example.output {
        return Err(format!(
            "{}: example `{}` printed\n{:?}\nnot\n{:?}\n(stderr: {})",
            builtin.name, example.script, got.stdout, example.output, got.stderr
        ));
    }
    if !got.status.is_ok() {
        return Err(format!(
            "{}: example `{}` ended with status {} (stderr: {})",
            builtin.name, example.script, got.status, got.stderr
        ));
    }
    Ok(())
}

#[test]
fn every_example_prints_what_it_declares() {
    let failures: Vec<String> = builtins::all()
        .iter()
        .flat_map(|b| b.examples.iter().map(move |e| check(b, e)))
        .filter_map(Result::err)
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_wrong_example_fails_the_check() {
    let echo = builtins::lookup("echo").expect("echo is a builtin");
    let wrong = Example {
        script: "echo hello",
        output: "goodbye\n",
    };
    assert!(check(echo, &wrong).is_err());
    let failing = Example {
        script: "echo hi; false",
        output: "hi\n",
    };
    assert!(check(echo, &failing).is_err(), "an example must end true");
}

#[test]
fn every_builtin_has_an_example_and_every_flag_a_doc() {
    for b in builtins::all() {
        assert!(!b.examples.is_empty(), "{} has no example", b.name);
        assert!(!b.synopsis.is_empty(), "{} has no synopsis", b.name);
        assert!(b.usage().starts_with(b.name), "{}: {}", b.name, b.usage());
        let mut letters: Vec<char> = b.flags.flags.iter().map(|f| f.letter).collect();
        for flag in b.flags.flags {
            assert!(
                !flag.doc.is_empty(),
                "{} -{} has no doc",
                b.name,
                flag.letter
            );
        }
        letters.sort_unstable();
        letters.dedup();
        assert_eq!(
            letters.len(),
            b.flags.flags.len(),
            "{}: a flag declared twice",
            b.name
        );
        for form in b.forms {
            for letter in form.required.chars().chain(form.optional.chars()) {
                assert!(
                    b.flags.flag(letter).is_some(),
                    "{}: a form shows -{letter}, which is not declared",
                    b.name
                );
            }
        }
        let help = b.help();
        for flag in b.flags.flags {
            assert!(
                help.contains(flag.doc),
                "help {} lacks -{}",
                b.name,
                flag.letter
            );
        }
    }
}

/// Each declared flag, given on its own, reaches a handler that knows it: whatever else goes
/// wrong (a missing operand), it is never reported as declared but not handled.
#[test]
fn every_declared_flag_is_handled() {
    for b in builtins::all() {
        for flag in b.flags.flags {
            let value = if flag.value.is_some() { " 1" } else { "" };
            let script = format!("builtin {} -{}{value}", b.name, flag.letter);
            let got = run_script("flag", &script);
            assert!(
                !got.stderr.contains("not handled"),
                "{script}: {}",
                got.stderr
            );
        }
    }
}
