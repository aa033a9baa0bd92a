//! The parser's unit tests: precedence, carets, assignments, nesting limits, errors.

use super::*;

fn ok(s: &str) -> Body {
    match parse(Arc::new(SourceFile::new("t", s))) {
        Ok(p) => p.body,
        Err(e) => panic!("parse of {s:?} failed: {e}"),
    }
}
fn err(s: &str) -> ParseError {
    match parse(Arc::new(SourceFile::new("t", s))) {
        Ok(_) => panic!("parse of {s:?} should fail"),
        Err(e) => e,
    }
}

#[test]
fn precedence_pipe_binds_tighter_than_and() {
    let b = ok("a | b && c");
    assert!(matches!(&b.cmds[0], Cmd::And { left, .. } if matches!(**left, Cmd::Pipeline { .. })));
}

#[test]
fn free_caret_after_variable() {
    let b = ok("echo $x.c");
    let Cmd::Simple { words, .. } = &b.cmds[0] else {
        panic!()
    };
    assert!(matches!(words[1], Word::Concat { .. }));
}

#[test]
fn assignment_forms() {
    let b = ok("x=(a b) y=1 echo $x");
    let Cmd::Simple { assigns, words, .. } = &b.cmds[0] else {
        panic!()
    };
    assert_eq!(assigns.len(), 2);
    assert_eq!(words.len(), 2);
}

#[test]
fn open_brace_is_incomplete() {
    assert!(err("for (i in a b) {\necho $i").incomplete);
    assert!(err("if (true").incomplete);
    assert!(!err("echo )").incomplete);
}

#[test]
fn switch_cases() {
    let b = ok("switch($x){\ncase a b\n echo ab\ncase *\n echo other\n}");
    let Cmd::Switch { cases, .. } = &b.cmds[0] else {
        panic!()
    };
    assert_eq!(cases.len(), 2);
    assert_eq!(cases[0].patterns.len(), 2);
}

#[test]
fn blanks_around_assignment_equals() {
    let b = ok("x = 1\ny= (a b) echo $y");
    let Cmd::Simple { assigns, words, .. } = &b.cmds[0] else {
        panic!()
    };
    assert!(matches!(assigns[0].value, Word::Lit { .. }) && words.is_empty());
    let Cmd::Simple { assigns, words, .. } = &b.cmds[1] else {
        panic!()
    };
    assert!(matches!(assigns[0].value, Word::List { .. }) && words.len() == 2);
}

#[test]
fn a_bare_assignment_is_a_syntax_error_never_incomplete() {
    for src in ["x=", "x=\n", "x= ;echo", "x=()\ny="] {
        let e = err(src);
        let said = format!("{} / {}", e.message, e.label);
        assert!(said.contains("a value after `=`"), "{src:?}: {said}");
        assert!(!e.incomplete, "{src:?}");
    }
}

#[test]
fn a_list_ends_on_its_line() {
    for src in ["x=(a\nb)", "echo (a", "echo (a b\n"] {
        let e = err(src);
        let said = format!("{} / {}", e.message, e.label);
        assert!(said.contains("closing the list"), "{src:?}: {said}");
        assert!(!e.incomplete, "{src:?}");
    }
    ok("x=(a \\\nb)");
    // A quote or a brace still carries on to the next line.
    assert!(err("x=(a 'b").incomplete);
    assert!(err("x=(a `{echo").incomplete);
}

#[test]
fn indirection_names_a_variable_by_a_word() {
    let word = |s: &str| match &ok(s).cmds[0] {
        Cmd::Simple { words, .. } => words[1].clone(),
        _ => panic!("not a simple command"),
    };
    assert!(matches!(
        word("echo $$x"),
        Word::Indirect { form: VarForm::Value, name, index: None, .. }
            if matches!(*name, Word::Var { .. })
    ));
    assert!(matches!(
        word("echo $#$x"),
        Word::Indirect {
            form: VarForm::Count,
            ..
        }
    ));
    // In `$$x(2)` the subscript belongs to the inner `$x`; after a quoted name, to the outer.
    assert!(matches!(
        word("echo $$x(2)"),
        Word::Indirect { name, index: None, .. }
            if matches!(*name, Word::Var { index: Some(_), .. })
    ));
    assert!(matches!(
        word("echo $'x'(2)"),
        Word::Indirect { index: Some(_), .. }
    ));
    assert!(matches!(word("echo $$x.c"), Word::Concat { .. }));
    assert!(err("echo $ x").message.contains("variable name"));
    assert!(err("echo $#x(1)").message.contains("no subscript"));
    assert!(err("echo $#'x'(1)").message.contains("no subscript"));
}

#[test]
fn assignment_before_a_compound_command() {
    let b = ok("x=1 {echo $x}\nx=1 y=2 if(true) echo");
    assert!(matches!(&b.cmds[0], Cmd::Local { cmd, .. } if matches!(**cmd, Cmd::Block { .. })));
    assert!(matches!(&b.cmds[1], Cmd::Local { assigns, .. } if assigns.len() == 2));
}

#[test]
fn deep_nesting_is_a_syntax_error_not_a_crash() {
    let deep = |open: &str, n: usize| open.repeat(n);
    for src in [
        deep("{", 100_000),
        deep("! ", 100_000) + "true",
        format!("echo {}", deep("(", 100_000)),
    ] {
        let e = err(&src);
        assert!(e.message.contains("nested more than"), "{}", e.message);
        assert!(!e.incomplete);
    }
    let caret = vec!["a"; 5000].join("^");
    assert!(err(&format!("echo {caret}")).message.contains("pieces"));
    ok(&format!("{}echo{}", deep("{", 40), deep("}", 40)));
}

#[test]
fn an_unclosed_condition_says_what_would_close_it() {
    assert_eq!(
        err("if (true { echo b }").label,
        "expected `)`, `;`, `&` or a newline"
    );
    assert_eq!(
        err("{ true { }").label,
        "expected `}`, `;`, `&` or a newline"
    );
}

#[test]
fn free_carets_follow_word_text_only() {
    let words = |s: &str| match &ok(s).cmds[0] {
        Cmd::Simple { words, .. } => words.len(),
        _ => 0,
    };
    assert_eq!(words("echo $x.c 'a'b a$x $x`{b} a'q'"), 6);
    assert_eq!(words("echo $x(1)b (a b)c `{a}b <{a}b a<{b} a^(b c)d"), 13);
    assert_eq!(words("echo a(b c) $x^(1)"), 3);
}

#[test]
fn switch_subject_is_any_word() {
    let b = ok("switch $x {\ncase a\n echo a\n}\nswitch(){case *; echo any}");
    assert!(matches!(
        &b.cmds[0],
        Cmd::Switch {
            subject: Word::Var { .. },
            ..
        }
    ));
    assert!(matches!(
        &b.cmds[1],
        Cmd::Switch {
            subject: Word::List { .. },
            ..
        }
    ));
}

#[test]
fn read_write_redirection_takes_a_file() {
    let b = ok("{echo -n x >[1=0]; cat} <>[3] /tmp/f");
    let Cmd::Block { redirs, .. } = &b.cmds[0] else {
        panic!()
    };
    assert_eq!(redirs[0].fd, 3);
    assert!(matches!(
        &redirs[0].op,
        RedirOp::ReadWrite(Word::Lit { .. })
    ));
    // Like `cat >`, a line ending at `<>` waits for the file name; another operator does not.
    assert!(err("cat <>").incomplete);
    assert!(!err("cat <> >f").incomplete);
}
