//! The excerpt must render ordinary source exactly as miette renders the whole source, and
//! hostile source escaped, windowed and with its labels still under the right characters.

use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource};
use thiserror::Error;

use super::*;
use crate::diag::render;

#[derive(Debug, Error)]
#[error("{message}")]
struct Test {
    message: String,
    src: NamedSource<String>,
    labels: Vec<LabeledSpan>,
}

impl Diagnostic for Test {
    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.src)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().cloned()))
    }
}

/// A label: its start, its length and its text.
type Label<'a> = (usize, usize, &'a str);

/// A diagnostic over `text` with one label per `(start, len, label)`.
fn diag(text: &str, labels: &[Label]) -> Test {
    Test {
        message: "oops".to_string(),
        src: NamedSource::new("t.oash", text.to_string()),
        labels: labels
            .iter()
            .map(|(start, len, l)| LabeledSpan::new(Some(l.to_string()), *start, *len))
            .collect(),
    }
}

/// What miette prints for `d` given the whole source, as `render` did before excerpts.
fn plain(d: &dyn Diagnostic) -> String {
    let handler = GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor())
        .with_width(100)
        .with_links(false);
    let mut out = String::new();
    let _ = handler.render_report(&mut out, d);
    out
}

#[test]
fn ordinary_source_renders_as_before() {
    let cases: &[(&str, &[Label])] = &[
        ("cat /nope\n", &[(4, 5, "this file")]),
        ("cat /nope", &[(4, 5, "this file")]),
        ("x=1\nnosuchcmd a b\n", &[(4, 9, "not found")]),
        ("a\nb\nc\nd\ne\nf\n", &[(6, 1, "here")]),
        ("a\nb\nc\nd\ne\nf", &[(10, 1, "last")]),
        ("echo a\t\tb; cat /nope\n", &[(14, 5, "tabs before")]),
        ("é ü; cat /nöpe\n", &[(11, 6, "wide")]),
        ("if (x) {\n  echo a\n}\n", &[(7, 12, "a block")]),
        ("echo a; echo b\n", &[(0, 4, "one"), (8, 4, "two")]),
        ("a\nb\nc\nd\n", &[(0, 1, "first"), (6, 1, "fourth")]),
        ("echo {\n", &[(7, 0, "at the end")]),
        ("", &[(0, 0, "empty")]),
    ];
    for (text, labels) in cases {
        let d = diag(text, labels);
        assert_eq!(render(&d, false), plain(&d), "{text:?}");
    }
}

#[test]
fn control_characters_are_escaped_and_labels_follow() {
    let text = "cat '\u{1b}[2J\u{1b}]0;PWNED\u{7}'\n";
    let d = diag(text, &[(4, text.len() - 5, "this file")]);
    let shown = render(&d, false);
    assert!(
        !shown.contains('\u{1b}') && !shown.contains('\u{7}'),
        "{shown}"
    );
    let expected = "  × oops
   ╭─[t.oash:1:5]
 1 │ cat '\\e[2J\\e]0;PWNED\\x07'
   ·     ──────────┬──────────
   ·               ╰── this file
   ╰────
";
    assert_eq!(shown, expected);
}

#[test]
fn a_long_line_is_cut_around_its_label() {
    let text = format!("echo {}; nosuch {}\n", "a".repeat(500), "b".repeat(500));
    let start = 5 + 500 + 2;
    let d = diag(&text, &[(start, 6, "not found")]);
    let shown = render(&d, false);
    let source_line = shown
        .lines()
        .find(|l| l.starts_with(" 1 │ "))
        .unwrap_or_default();
    let excerpt = source_line.trim_start_matches(" 1 │ ");
    assert_eq!(excerpt.chars().count(), LINE_LIMIT);
    assert!(
        excerpt.starts_with('…') && excerpt.ends_with('…'),
        "{excerpt}"
    );
    // The underline sits under `nosuch`: same column in the rendered lines.
    let under = shown.lines().find(|l| l.contains('┬')).unwrap_or_default();
    let label_col = under.chars().position(|c| c == '─').unwrap_or(0);
    let word_col = source_line
        .find("nosuch")
        .map(|b| source_line[..b].chars().count());
    assert_eq!(Some(label_col), word_col, "{shown}");
    // And the header names the source's column.
    assert!(
        shown.contains(&format!("[t.oash:1:{}]", start + 1)),
        "{shown}"
    );
}

#[test]
fn a_megabyte_of_source_gives_a_short_report() {
    let text = format!("{}\n{}", "x".repeat(1_000_000), "y\u{1b}".repeat(500_000));
    let d = diag(
        &text,
        &[
            (0, 1_000_000, "all of it"),
            (1_000_001, 1_000_000, "and this"),
        ],
    );
    let shown = render(&d, false);
    assert!(shown.len() < 2048, "{} bytes:\n{shown}", shown.len());
    assert!(!shown.contains('\u{1b}'));
}

#[test]
fn a_long_multi_line_label_keeps_its_first_line() {
    let text = format!("{{\n{}}}\n", "echo x\n".repeat(100));
    let d = diag(&text, &[(0, text.len() - 1, "this block")]);
    let shown = render(&d, false);
    assert!(shown.lines().count() < 12, "{shown}");
    assert!(shown.contains("this block"));
}

#[test]
fn far_labels_are_left_out_and_names_are_cleaned() {
    let text = "a\n".repeat(100);
    let mut d = diag(&text, &[(0, 1, "first"), (180, 1, "far away")]);
    d.src = NamedSource::new("evil\u{1b}]0;x\u{7}.oash", text.clone());
    let shown = render(&d, false);
    assert!(
        shown.contains("first") && !shown.contains("far away"),
        "{shown}"
    );
    assert!(shown.contains("[evil\\e]0;x\\x07.oash:1:1]"), "{shown}");
}

#[test]
fn invalid_utf8_in_a_byte_source_is_escaped() {
    let labels = [LabeledSpan::new(Some("here".into()), 3, 1)];
    let source: Vec<u8> = b"ab\xffc\n".to_vec();
    let (excerpt, moved) = Excerpt::build(&source, &labels).unwrap_or_else(|| panic!("no excerpt"));
    assert_eq!(excerpt.text(), "ab\\xffc\n");
    assert_eq!(moved[0].offset(), 6);
    assert_eq!(moved[0].len(), 1);
}
