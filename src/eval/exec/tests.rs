//! The evaluator's control structures and simple commands, run through whole scripts.

use crate::harness::run_script;

fn stdout(script: &str) -> String {
    run_script("t", script).stdout
}

#[test]
fn match_joins_its_subject_and_fails_with_no_match() {
    assert_eq!(
        stdout("x=(a b); ~ $x b; echo $status; ~ $x 'a b'; echo $status"),
        "no match\n\n"
    );
    assert_eq!(stdout("~ b (a b); echo $status"), "\n");
}

#[test]
fn assignment_local_to_a_block() {
    assert_eq!(
        stdout("x=out; x=in {echo $x}; echo $x; y=1 if(true) echo $y; echo $#y"),
        "in\nout\n1\n0\n"
    );
}

#[test]
fn eval_and_dot_recursion_stops_at_the_depth_limit() {
    let run = |script: &'static str| {
        let thread = std::thread::Builder::new()
            .stack_size(super::STACK_SIZE)
            .spawn(move || run_script("t", script));
        thread
            .map(|h| {
                h.join()
                    .map(|o| o.stderr.contains("nested deeper than"))
                    .unwrap_or(false)
            })
            .unwrap_or(false)
    };
    assert!(run("x='eval $x'; eval $x"));
    assert!(run("echo '. /tmp/r' > /tmp/r; . /tmp/r"));
}

#[test]
fn commands_that_leave_status_alone() {
    let script =
        "false; x=1; echo a $status; false; >/tmp/f; echo b $status; false; fn f {}; echo c $status
false; for(i in) echo; echo d $status; false; switch(a){case b; echo}; echo e $status";
    assert_eq!(stdout(script), "a 1\nb 1\nc 1\nd 1\ne 1\n");
}

#[test]
fn while_ends_with_the_failed_condition_status() {
    assert_eq!(
        stdout("x=(1 2); while(! ~ $#x 0) x=$x(2-); echo $status"),
        "false\n"
    );
}

#[test]
fn a_failed_redirection_stops_the_script() {
    for script in [
        "echo x > /nodir/f; echo next",
        "{echo x} > /nodir/f; echo next",
        "x=1 </nope; echo next",
    ] {
        let out = run_script("t", script);
        assert_eq!(out.stdout, "", "{script}");
        assert!(
            out.stderr.contains("/nodir/f") || out.stderr.contains("/nope"),
            "{script}"
        );
        assert!(!out.status.is_ok());
    }
    assert_eq!(
        stdout("echo x > /nodir/f | echo piped; echo next"),
        "piped\nnext\n"
    );
}

#[test]
fn builtin_passes_over_functions() {
    assert_eq!(
        stdout("fn echo { builtin echo wrapped $* }; echo x"),
        "wrapped x\n"
    );
}

#[test]
fn the_last_member_of_a_pipeline_runs_in_this_shell() {
    assert_eq!(
        stdout("echo x | x=1; echo $x; seq 3 | y=`{cat}; echo $y"),
        "1\n1 2 3\n"
    );
    let out = run_script("t", "seq 100000 | exit 3; echo not reached");
    assert_eq!((out.stdout.as_str(), out.status.as_str()), ("", "3"));
    assert_eq!(stdout("x=1; x=2 | true; echo $x"), "1\n");
}

#[test]
fn switch_joins_its_subject() {
    assert_eq!(
        stdout("x=(a b); switch($x){case a b; echo one; case 'a b'; echo joined}"),
        "joined\n"
    );
    assert_eq!(stdout("switch(){case ''; echo empty}"), "empty\n");
}
