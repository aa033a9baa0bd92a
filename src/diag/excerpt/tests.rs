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

#[test]
fn the_primary_label_is_kept_when_others_are_far() {
    let text = "a\n".repeat(100);
    let mut d = diag(&text, &[(0, 1, "far before")]);
    d.labels.push(LabeledSpan::new_primary_with_span(
        Some("main".into()),
        (150, 1),
    ));
    let shown = render(&d, false);
    assert!(
        shown.contains("main") && !shown.contains("far before"),
        "{shown}"
    );
    assert!(shown.contains("[t.oash:76:1]"), "{shown}");
}

/// A diagnostic over raw bytes (a `[u8]` source may hold anything).
#[derive(Debug, Error)]
#[error("bad")]
struct Bytes {
    src: Vec<u8>,
    labels: Vec<LabeledSpan>,
}

impl Diagnostic for Bytes {
    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.src)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().cloned()))
    }
}

mod hostile {
    use proptest::prelude::*;

    use super::*;

    /// Bytes that make trouble: line breaks, tabs, escapes, a two-byte character, an
    /// invalid byte, a bidi override, and plain letters.
    fn source() -> impl Strategy<Value = Vec<u8>> {
        let piece = prop_oneof![
            Just(b"a".to_vec()),
            Just(b"word ".to_vec()),
            Just(b"\n".to_vec()),
            Just(b"\r\n".to_vec()),
            Just(b"\t".to_vec()),
            Just(b"\x1b[2J".to_vec()),
            Just(b"\x07".to_vec()),
            Just("é".as_bytes().to_vec()),
            Just(b"\xff".to_vec()),
            Just("\u{202e}".as_bytes().to_vec()),
            Just(vec![b'x'; 300]),
        ];
        prop::collection::vec(piece, 0..200).prop_map(|p| p.concat())
    }

    proptest! {
        #[test]
        fn any_source_and_labels_render_safely(
            src in source(),
            labels in prop::collection::vec((0usize..4000, 0usize..4000), 1..4),
        ) {
            let labels = labels
                .into_iter()
                .map(|(at, len)| LabeledSpan::new(Some("l\u{1b}".into()), at, len))
                .collect();
            let shown = render(&Bytes { src, labels }, false);
            prop_assert!(shown.len() < 8192, "{} bytes", shown.len());
            let raw = shown.chars().find(|c| {
                c.is_control() && *c != '\n' || ('\u{202a}'..='\u{202e}').contains(c)
            });
            prop_assert!(raw.is_none(), "raw {raw:?} in\n{shown}");
        }
    }
}
