//! The help topics' own checks: every example prints what it declares, the sample test
//! file passes as `oash test` would run it, and every keyword of the parser has a topic.

use super::*;
use crate::harness::{run_script, transcript};

#[test]
fn every_topic_example_prints_what_it_declares() {
    let mut failures = Vec::new();
    for topic in TOPICS {
        for example in topic.examples {
            let got = run_script("help-example", example.script);
            if got.stdout != example.output || !got.status.is_ok() {
                failures.push(format!(
                    "help {}: `{}` printed {:?} with status {:?}, not {:?} (stderr: {})",
                    topic.names[0],
                    example.script,
                    got.stdout,
                    got.status.as_str(),
                    example.output,
                    got.stderr
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_topic_shows_something_that_runs() {
    for topic in TOPICS {
        assert!(
            !topic.examples.is_empty() || !topic.sample.is_empty(),
            "help {} has no example",
            topic.names[0]
        );
        assert!(
            !topic.forms.is_empty(),
            "help {} has no form",
            topic.names[0]
        );
        let help = topic.help();
        assert!(help.starts_with(topic.names[0]), "{help}");
    }
}

#[test]
fn the_sample_test_files_pass() {
    for topic in TOPICS.iter().filter(|t| !t.sample.is_empty()) {
        let cases = transcript::parse(topic.sample).unwrap_or_default();
        assert!(
            cases.len() > 1,
            "help {}: sample has no cases",
            topic.names[0]
        );
        for case in &cases {
            let checked = transcript::check("cases.t", case);
            assert!(
                checked.is_ok(),
                "help {}: {}: {checked:?}",
                topic.names[0],
                case.name
            );
        }
    }
}

#[test]
fn every_keyword_has_a_topic() {
    for keyword in crate::lang::KEYWORDS {
        assert!(topic(keyword).is_some(), "`help {keyword}` has no topic");
    }
    assert!(text("rc").is_some() && text("namespace").is_some());
    assert!(text("nosuch").is_none());
    assert!(text("case").is_some_and(|t| t.starts_with("switch - ")));
}

/// `help agents` ends with an example a reader will paste: it must run and show the body.
#[test]
fn the_agents_guide_example_runs() {
    let Some(guide) = text("agents") else {
        panic!("`help agents` has no text");
    };
    assert!(text("/agents").is_some_and(|t| t == guide));
    let Some((_, example)) = guide.split_once("Example:\n") else {
        panic!("`help agents` has no example");
    };
    let script: Vec<&str> = example.lines().map(str::trim_start).collect();
    let got = run_script("help-agents", &script.join("\n"));
    assert!(got.status.is_ok(), "{}", got.stderr);
    assert!(
        got.stdout.contains("\"body\": \"buy milk\""),
        "{}",
        got.stdout
    );
}
