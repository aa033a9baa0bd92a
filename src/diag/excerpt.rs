//! The source a diagnostic quotes, served to miette as a small, safe excerpt: only the lines
//! around the labels, each line escaped (see [`super::escape`]) and, when long, cut to a
//! window around its label with `…` at the cut ends.
//!
//! miette finds label positions by byte offset in the text it is given and counts line
//! numbers from the start of that text. The excerpt is a new text, shorter than the source
//! (lines left out, long lines cut) and sometimes longer (an escape is longer than the byte
//! it stands for), so this module moves every label into the excerpt's own offsets and
//! tells miette the source's real line and column numbers. It must never hand miette a raw
//! control character, nor more than a bounded amount of text, whatever the source holds.

use miette::{LabeledSpan, MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

use super::escape::{self, ELLIPSIS, Keep, Piece};

/// Longest source line shown whole, in characters; a longer one is cut around its label.
pub const LINE_LIMIT: usize = 160;
/// Characters of context kept before a label's start in a cut line.
const BEFORE_LABEL: usize = 60;
/// A label running over more lines than this is shortened to its first line.
const LABEL_LINES: usize = 6;
/// Labels starting half this many lines or more away from the primary label (or the first)
/// are left out.
const EXCERPT_LINES: usize = 12;

/// A safe excerpt of a diagnostic's source, with its labels moved into it.
#[derive(Debug)]
pub struct Excerpt {
    name: Option<String>,
    text: String,
    /// The source's 0-based line number of the excerpt's first line.
    first_line: usize,
    /// Where each label starts in the excerpt, and its byte column in the source line, so
    /// the `[name:line:col]` header names the source's column, not the excerpt's.
    starts: Vec<(usize, usize)>,
}

/// One source line chosen for the excerpt, and where its shown window lies.
struct Line {
    /// Byte range of the line in the source, without its newline.
    start: usize,
    end: usize,
    /// Offset of the line in the excerpt, and its shown text.
    at: usize,
    text: String,
    /// For each shown piece, and for the end of the window: its byte offset in the source
    /// and in `text`. Ascending in both.
    marks: Vec<(usize, usize)>,
}

impl Excerpt {
    /// The excerpt of `source` that shows `labels`, and the labels moved into it. `None`
    /// when the source cannot be read (miette then shows no snippet, as before).
    pub fn build(
        source: &dyn SourceCode,
        labels: &[LabeledSpan],
    ) -> Option<(Excerpt, Vec<LabeledSpan>)> {
        // The whole source: a zero-length span at 0 with unlimited lines after it.
        let whole = source
            .read_span(&SourceSpan::new(0.into(), 0), 0, usize::MAX)
            .ok()?;
        let bytes = whole.data();
        let name = whole.name().map(escape::name);
        let mut spans: Vec<(usize, usize, &LabeledSpan)> = labels
            .iter()
            .map(|l| {
                let start = l.offset().min(bytes.len());
                let end = (l.offset().saturating_add(l.len())).clamp(start, bytes.len());
                (start, end, l)
            })
            .collect();
        spans.sort_by_key(|(start, ..)| *start);
        // The labels near the primary one (or the first) are shown; far ones are left out.
        let main = spans
            .iter()
            .find(|(.., l)| l.primary())
            .or(spans.first())
            .map(|(start, ..)| line_of(bytes, *start))?;
        spans.retain(|(start, ..)| line_of(bytes, *start).abs_diff(main) < EXCERPT_LINES / 2);
        let first = spans.first().map(|(start, ..)| line_of(bytes, *start))?;
        // A long multi-line label keeps only its first line.
        for (start, end, _) in &mut spans {
            let start_line = line_of(bytes, *start);
            if line_of(bytes, end.saturating_sub(1).max(*start)) > start_line + LABEL_LINES {
                *end = line_end(bytes, *start);
            }
        }
        let last = spans
            .iter()
            .map(|(start, end, _)| line_of(bytes, end.saturating_sub(1).max(*start)))
            .max()
            .unwrap_or(first);
        let first_line = first.saturating_sub(1);
        let mut lines = Vec::new();
        let mut text = String::new();
        let mut start = line_start_of_number(bytes, first_line);
        for _ in first_line..=last + 1 {
            let end = line_end(bytes, start);
            let anchor = spans
                .iter()
                .flat_map(|(s, e, _)| [*s, *e])
                .find(|at| (start..=end).contains(at))
                .unwrap_or(start);
            let line = shown_line(bytes, start, end, anchor, text.len());
            text.push_str(&line.text);
            lines.push(line);
            if end >= bytes.len() {
                break;
            }
            text.push('\n');
            start = end + 1;
        }
        let mut starts = Vec::new();
        let moved = spans
            .iter()
            .map(|(start, end, label)| {
                let from = position(&lines, *start);
                let to = position(&lines, *end).max(from);
                starts.push((from, start - line_start(bytes, *start)));
                let text = label.label().map(escape::name);
                let span = SourceSpan::new(from.into(), to - from);
                if label.primary() {
                    LabeledSpan::new_primary_with_span(text, span)
                } else {
                    LabeledSpan::new_with_span(text, span)
                }
            })
            .collect();
        let excerpt = Excerpt {
            name,
            text,
            first_line,
            starts,
        };
        Some((excerpt, moved))
    }

    /// The excerpt's text (for tests).
    #[cfg(test)]
    pub fn text(&self) -> &str {
        &self.text
    }
}

impl SourceCode for Excerpt {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let inner =
            self.text
                .as_str()
                .read_span(span, context_lines_before, context_lines_after)?;
        let column = match self.starts.iter().find(|(at, _)| *at == span.offset()) {
            Some((_, column)) if context_lines_before == 0 => *column,
            _ => inner.column(),
        };
        let line = inner.line() + self.first_line;
        let contents = match &self.name {
            Some(name) => MietteSpanContents::new_named(
                name.clone(),
                inner.data(),
                *inner.span(),
                line,
                column,
                inner.line_count(),
            ),
            None => MietteSpanContents::new(
                inner.data(),
                *inner.span(),
                line,
                column,
                inner.line_count(),
            ),
        };
        Ok(Box::new(contents))
    }
}

/// 0-based line number of byte `at`: the newlines before it.
fn line_of(bytes: &[u8], at: usize) -> usize {
    bytes[..at.min(bytes.len())]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
}

/// Start of the line holding byte `at`.
fn line_start(bytes: &[u8], at: usize) -> usize {
    bytes[..at.min(bytes.len())]
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(0, |i| i + 1)
}

/// End of the line starting at or holding `at` (the offset of its newline, or the end).
fn line_end(bytes: &[u8], at: usize) -> usize {
    let at = at.min(bytes.len());
    bytes[at..]
        .iter()
        .position(|b| *b == b'\n')
        .map_or(bytes.len(), |i| at + i)
}

/// Start of line number `line` (0-based).
fn line_start_of_number(bytes: &[u8], line: usize) -> usize {
    if line == 0 {
        return 0;
    }
    bytes
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .nth(line - 1)
        .map_or(bytes.len(), |(i, _)| i + 1)
}

/// The shown form of source line `start..end`: escaped, and when longer than [`LINE_LIMIT`]
/// cut to a window that shows `anchor` about [`BEFORE_LABEL`] characters in. Only the bytes
/// near the anchor are looked at, so a line of ten megabytes costs what a short one does.
fn shown_line(bytes: &[u8], start: usize, end: usize, anchor: usize, at: usize) -> Line {
    let fits = escape::pieces(&bytes[start..end], Keep::Tabs)
        .try_fold(0, |width, (_, _, piece)| {
            Some(width + piece.len()).filter(|w| *w <= LINE_LIMIT)
        })
        .is_some();
    // A shown piece is at least one character for at most four bytes, so the window lies
    // within this many bytes of the anchor.
    let reach = LINE_LIMIT * 4 + 4;
    let (low, high) = if fits {
        (start, end)
    } else {
        let anchor = anchor.clamp(start, end);
        let mut low = anchor.saturating_sub(reach).max(start);
        // Start on a character, not inside one (at most three continuation bytes back).
        for _ in 0..3 {
            if low > start && bytes[low] & 0xc0 == 0x80 {
                low -= 1;
            }
        }
        (low, (anchor + reach).min(end))
    };
    let pieces: Vec<(usize, usize, Piece)> = escape::pieces(&bytes[low..high], Keep::Tabs)
        .map(|(offset, len, piece)| (low + offset, len, piece))
        .collect();
    let (from, to) = if fits {
        (0, pieces.len())
    } else {
        window(&pieces, anchor)
    };
    let shown_start = pieces.get(from).map_or(high, |(offset, ..)| *offset);
    let shown_end = pieces.get(to).map_or(high, |(offset, ..)| *offset);
    let mut text = String::new();
    if shown_start > start {
        text.push(ELLIPSIS);
    }
    let mut marks = Vec::with_capacity(to - from + 1);
    for (offset, _, piece) in &pieces[from..to] {
        marks.push((*offset, text.len()));
        piece.push_to(&mut text);
    }
    marks.push((shown_end, text.len()));
    if shown_end < end {
        text.push(ELLIPSIS);
    }
    Line {
        start,
        end,
        at,
        text,
        marks,
    }
}

/// Which pieces of a long line to show: up to [`BEFORE_LABEL`] characters before the
/// anchor's piece and as many after as fit in [`LINE_LIMIT`] (less the two ellipses).
fn window(pieces: &[(usize, usize, Piece)], anchor: usize) -> (usize, usize) {
    let budget = LINE_LIMIT - 2;
    let mid = pieces
        .iter()
        .position(|(offset, len, _)| anchor < offset + len)
        .unwrap_or(pieces.len());
    let mut from = mid;
    let mut used = 0;
    while from > 0 && used + pieces[from - 1].2.len() <= BEFORE_LABEL {
        from -= 1;
        used += pieces[from].2.len();
    }
    let mut to = mid;
    while to < pieces.len() && used + pieces[to].2.len() <= budget {
        used += pieces[to].2.len();
        to += 1;
    }
    // Near the end of the line: use what is left of the budget before the anchor.
    while from > 0 && used + pieces[from - 1].2.len() <= budget {
        from -= 1;
        used += pieces[from].2.len();
    }
    (from, to)
}

/// Where source byte `offset` lands in the excerpt: inside the shown window of its line, or
/// on the ellipsis that stands for the part of the line it was in.
fn position(lines: &[Line], offset: usize) -> usize {
    let Some(line) = lines
        .iter()
        .find(|l| (l.start..=l.end).contains(&offset))
        .or_else(|| lines.last())
    else {
        return 0;
    };
    let (Some(first), Some(last)) = (line.marks.first(), line.marks.last()) else {
        return line.at;
    };
    if offset < first.0 {
        return line.at;
    }
    if offset > last.0 || (offset == last.0 && last.0 < line.end) {
        // Past the window: at the end of the line, after the closing ellipsis.
        return line.at + line.text.len();
    }
    let index = line.marks.partition_point(|(source, _)| *source < offset);
    line.at
        + line
            .marks
            .get(index)
            .map_or(line.text.len(), |(_, shown)| *shown)
}

#[cfg(test)]
mod tests;
