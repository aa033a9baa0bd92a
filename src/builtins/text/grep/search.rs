//! Finding the next matching line in a block of many lines, without a call per line.
//!
//! A block (see `super::super::lines`) is searched as one text: a pattern with no special
//! character by memchr (one byte) or its substring search, anything else by the regex in multi-line mode, so
//! `^` and `$` match at each line's ends as they do on the line alone. Where the search
//! lands, the line around it is the next match: every line before it has no match, since a
//! match inside a line is a match in the block that starts earlier. The one way a block
//! search can be wrong is a match that runs over a `\n` (`[^x]`, `\s` and `\W` match it): from
//! such a match on the rest of the block is tried line by line, which is always right. This
//! module must never decide what is printed: it only says which lines match.

use std::ops::Range;

use memchr::memmem;
use regex::bytes::Regex;

/// How lines are matched.
pub(super) enum Matcher {
    /// A pattern that is one plain byte (`grep 7`).
    Byte(u8),
    /// A pattern with no special character: a plain substring.
    Literal(Box<memmem::Finder<'static>>),
    /// Any other pattern: the regex, built multi-line. `per_line` when the pattern uses what
    /// means something else in a block than on one line (`\A`, `\z`, inline flags), so every
    /// line is tried alone.
    Regex { regex: Regex, per_line: bool },
}

impl Matcher {
    /// A matcher for `regex` (built with `multi_line`), or for `literal` when the patterns
    /// come to one plain string.
    pub(super) fn new(regex: Regex, literal: Option<&str>) -> Matcher {
        match literal.map(str::as_bytes) {
            Some(&[byte]) => return Matcher::Byte(byte),
            Some(text) if !text.is_empty() => {
                return Matcher::Literal(Box::new(memmem::Finder::new(text).into_owned()));
            }
            _ => {}
        }
        let source = regex.as_str();
        let per_line = ["\\A", "\\z", "(?"].iter().any(|s| source.contains(s));
        Matcher::Regex { regex, per_line }
    }

    /// Whether `line` (without its `\n`) matches.
    pub(super) fn is_match(&self, line: &[u8]) -> bool {
        match self {
            Matcher::Byte(byte) => memchr::memchr(*byte, line).is_some(),
            Matcher::Literal(finder) => finder.find(line).is_some(),
            Matcher::Regex { regex, .. } => regex.is_match(line),
        }
    }

    /// A search of `block`'s lines.
    pub(super) fn search<'a>(&'a self, block: &'a [u8]) -> Search<'a> {
        let per_line = matches!(self, Matcher::Regex { per_line: true, .. });
        Search {
            matcher: self,
            block,
            at: 0,
            per_line,
        }
    }
}

/// The matching lines of one block, in order.
pub(super) struct Search<'a> {
    matcher: &'a Matcher,
    block: &'a [u8],
    /// Where the next line starts.
    at: usize,
    /// Try each line alone from here on.
    per_line: bool,
}

impl Iterator for Search<'_> {
    /// The next matching line, without its `\n`.
    type Item = Range<usize>;

    fn next(&mut self) -> Option<Range<usize>> {
        while self.at < self.block.len() {
            if self.per_line {
                let line = self.line_at(self.at);
                self.at = line.end + 1;
                if self.matcher.is_match(&self.block[line.clone()]) {
                    return Some(line);
                }
                continue;
            }
            let rest = &self.block[self.at..];
            let start = match self.matcher {
                Matcher::Byte(byte) => self.at + memchr::memchr(*byte, rest)?,
                Matcher::Literal(finder) => self.at + finder.find(rest)?,
                Matcher::Regex { regex, .. } => {
                    let found = regex.find_at(self.block, self.at)?.range();
                    if found.start == self.block.len() && self.block.ends_with(b"\n") {
                        // An empty match after the last `\n` (`^`, `$`): no line is there.
                        return None;
                    }
                    if memchr::memchr(b'\n', &self.block[found.clone()]).is_some() {
                        // Over a line's end: from the line it starts in on, one at a time.
                        self.per_line = true;
                        self.at = self.line_at(found.start).start;
                        continue;
                    }
                    found.start
                }
            };
            let line = self.line_at(start);
            self.at = line.end + 1;
            return Some(line);
        }
        None
    }
}

impl Search<'_> {
    /// The line holding byte `at` (a `\n` belongs to the line it ends), without its `\n`.
    /// Its start is looked for byte by byte, back to where this search stands: lines are
    /// short, and a call to `memrchr` cost more than the walk.
    fn line_at(&self, at: usize) -> Range<usize> {
        let mut start = at;
        while start > self.at && self.block[start - 1] != b'\n' {
            start -= 1;
        }
        let end = memchr::memchr(b'\n', &self.block[at..]).map_or(self.block.len(), |i| at + i);
        start..end
    }
}

#[cfg(test)]
mod tests {
    use regex::bytes::RegexBuilder;

    use super::*;

    fn matcher(pattern: &str, literal: bool) -> Matcher {
        let regex = RegexBuilder::new(pattern).multi_line(true).build();
        let regex = regex.unwrap_or_else(|e| panic!("{pattern}: {e}"));
        Matcher::new(regex, literal.then_some(pattern))
    }

    /// The matching lines of `block` as the search finds them, and as line-by-line matching
    /// does: they must agree.
    fn both(m: &Matcher, block: &str) -> (Vec<String>, Vec<String>) {
        let text = |r: Range<usize>| block[r].to_string();
        let searched = m.search(block.as_bytes()).map(text).collect();
        let body = block.strip_suffix('\n').unwrap_or(block);
        let alone = body
            .split('\n')
            .filter(|l| !block.is_empty() && m.is_match(l.as_bytes()))
            .map(str::to_string)
            .collect();
        (searched, alone)
    }

    #[test]
    fn the_block_search_finds_what_line_by_line_finds() {
        let text = "apple\nbanana\n\ncherry pie\napple pie\nx\nno newline at the end";
        let whole = "apple\nbanana\n\ncherry pie\napple pie\nx\n";
        for (pattern, literal) in [
            ("apple", true),
            ("pie", true),
            ("e", true),
            ("\n", false),
            ("pie", false),
            ("zzz", true),
            ("^a", false),
            ("e$", false),
            ("^$", false),
            ("^", false),
            ("a[^x]*b", false),
            (r"e\s+p", false),
            (r"\bpie\b", false),
            (r"(?:^|\W)pie(?:\W|$)", false),
            (r"\Aapple", false),
            ("n.", false),
            ("d$", false),
        ] {
            let m = matcher(pattern, literal);
            for block in [text, whole] {
                let (searched, alone) = both(&m, block);
                assert_eq!(searched, alone, "pattern {pattern:?} in {block:?}");
            }
        }
    }

    #[test]
    fn a_match_over_a_line_end_falls_back_to_single_lines() {
        // `a[^x]*b` matches "a\n...b" in the block, but no single line.
        let m = matcher("a[^x]*b", false);
        let (searched, alone) = both(&m, "a\nc\nab\nb\n");
        assert_eq!(searched, ["ab"]);
        assert_eq!(searched, alone);
        let (searched, _) = both(&m, "a\nc\nc\n");
        assert!(searched.is_empty());
    }

    #[test]
    fn inline_anchors_are_tried_line_by_line() {
        let m = matcher(r"\Ab", false);
        assert!(matches!(m, Matcher::Regex { per_line: true, .. }));
        let (searched, alone) = both(&m, "a\nb\nbb\n");
        assert_eq!(searched, ["b", "bb"]);
        assert_eq!(searched, alone);
    }
}
