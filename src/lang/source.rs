//! Source text and spans: where every diagnostic points.

use miette::{MietteError, NamedSource, SourceCode, SourceSpan, SpanContents};

/// One piece of source text with the name diagnostics show for it (a file path, `-c`, `<stdin>`).
#[derive(Debug)]
pub struct SourceFile {
    named: NamedSource<String>,
}

impl SourceFile {
    /// A source named `name` (a path, `-c`, `<stdin>`) holding `text`.
    pub fn new(name: impl AsRef<str>, text: impl Into<String>) -> SourceFile {
        SourceFile {
            named: NamedSource::new(name, text.into()),
        }
    }
    /// The name it was given.
    pub fn name(&self) -> &str {
        self.named.name()
    }
    /// The whole text.
    pub fn text(&self) -> &str {
        self.named.inner()
    }
}

impl SourceCode for SourceFile {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        self.named
            .read_span(span, context_lines_before, context_lines_after)
    }
}

/// A byte range in one [`SourceFile`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Span {
    /// The first byte's offset.
    pub start: usize,
    /// The offset just past the last byte.
    pub end: usize,
}

impl Span {
    /// The bytes `start..end`.
    pub fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }
    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }
    /// How many bytes it covers.
    pub fn len(&self) -> usize {
        self.end - self.start
    }
    /// Whether it covers nothing (a point, e.g. the end of input).
    pub fn is_empty(&self) -> bool {
        self.end == self.start
    }
}

impl From<Span> for SourceSpan {
    fn from(s: Span) -> SourceSpan {
        SourceSpan::new(s.start.into(), s.len())
    }
}
