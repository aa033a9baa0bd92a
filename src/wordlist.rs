//! The shell's one kind of value, a list of words, stored compactly: every word's text in one
//! buffer and where each ends, instead of one heap string per word.
//!
//! A variable can hold millions of short words (``x=`{seq 1 10000000}``); as a `Vec<String>`
//! each cost 24 bytes of header and a 32-byte allocation besides its text. Here a word costs
//! its bytes and one offset, so a list of short words stays far under 64 bytes a word, and
//! copying a list is two allocations whatever its length. [`Words`] is a borrowed window on a
//! list (a whole variable, or `$2` of `$*`), so reading a value never copies it.
//! This type only stores words: it must never split or join text by rc's rules (that is the
//! evaluator's job), and never panics on any index.

use std::fmt;

/// An owned list of words.
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct WordList {
    /// Every word's text, one after another, with nothing between them.
    text: String,
    /// Where each word ends in `text`; a word starts where the one before it ends.
    ends: Vec<usize>,
}

/// The empty list, for windows on variables that are not set.
static EMPTY: WordList = WordList::new();

impl WordList {
    pub const fn new() -> WordList {
        WordList {
            text: String::new(),
            ends: Vec::new(),
        }
    }

    /// An empty list with room for `words` words of `bytes` bytes in all.
    pub fn with_capacity(bytes: usize, words: usize) -> WordList {
        WordList {
            text: String::with_capacity(bytes),
            ends: Vec::with_capacity(words),
        }
    }

    /// The one-word list `(word)`.
    pub fn one(word: &str) -> WordList {
        let mut list = WordList::with_capacity(word.len(), 1);
        list.push(word);
        list
    }

    pub fn push(&mut self, word: &str) {
        self.text.push_str(word);
        self.ends.push(self.text.len());
    }

    /// Appends every word of `words`.
    pub fn extend_words(&mut self, words: Words<'_>) {
        for word in words {
            self.push(word);
        }
    }

    /// Makes this the one-word list `(word)`, keeping its storage.
    pub fn set_one(&mut self, word: &str) {
        self.clear();
        self.push(word);
    }

    /// Empties the list, keeping its storage.
    pub fn clear(&mut self) {
        self.text.clear();
        self.ends.clear();
    }

    /// The bytes of storage the list holds, its words' and their offsets' (used or not).
    pub fn capacity(&self) -> usize {
        self.text.capacity() + self.ends.capacity() * size_of::<usize>()
    }

    /// Gives back storage the list grew into but does not use.
    pub fn shrink_to_fit(&mut self) {
        self.text.shrink_to_fit();
        self.ends.shrink_to_fit();
    }

    /// A window on the whole list.
    pub fn words(&self) -> Words<'_> {
        Words {
            list: self,
            start: 0,
            end: self.ends.len(),
        }
    }

    /// A window on words `start..end` (0-based), cut to the list.
    pub fn range(&self, start: usize, end: usize) -> Words<'_> {
        let end = end.min(self.ends.len());
        Words {
            list: self,
            start: start.min(end),
            end,
        }
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The bytes of all its words together.
    pub fn text_len(&self) -> usize {
        self.text.len()
    }

    /// The memory the list holds for its words: their bytes and one offset each (what a
    /// variable's budget counts).
    pub fn size(&self) -> usize {
        self.text.len() + self.ends.len() * size_of::<usize>()
    }

    /// Where word `index` starts in `text`.
    fn start_of(&self, index: usize) -> usize {
        match index {
            0 => 0,
            _ => self.ends.get(index - 1).copied().unwrap_or(self.text.len()),
        }
    }

    /// Word `index` (0-based).
    pub fn get(&self, index: usize) -> Option<&str> {
        let end = *self.ends.get(index)?;
        self.text.get(self.start_of(index)..end)
    }

    pub fn iter(&self) -> Iter<'_> {
        self.words().into_iter()
    }

    pub fn first(&self) -> Option<&str> {
        self.get(0)
    }

    pub fn join(&self, separator: &str) -> String {
        self.words().join(separator)
    }

    pub fn to_vec(&self) -> Vec<String> {
        self.words().to_vec()
    }
}

impl fmt::Debug for WordList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl<S: AsRef<str>> FromIterator<S> for WordList {
    fn from_iter<I: IntoIterator<Item = S>>(iter: I) -> WordList {
        let mut list = WordList::new();
        for word in iter {
            list.push(word.as_ref());
        }
        list
    }
}

impl From<Vec<String>> for WordList {
    fn from(words: Vec<String>) -> WordList {
        let bytes = words.iter().map(String::len).sum();
        let mut list = WordList::with_capacity(bytes, words.len());
        for word in &words {
            list.push(word);
        }
        list
    }
}

impl From<&[String]> for WordList {
    fn from(words: &[String]) -> WordList {
        words.iter().collect()
    }
}

impl From<Words<'_>> for WordList {
    fn from(words: Words<'_>) -> WordList {
        let mut list = WordList::new();
        list.extend_words(words);
        list
    }
}

impl PartialEq<[&str]> for WordList {
    fn eq(&self, other: &[&str]) -> bool {
        self.words() == *other
    }
}

/// A borrowed window on some words of a [`WordList`]: a variable's value as a reader sees it.
#[derive(Clone, Copy)]
pub struct Words<'a> {
    list: &'a WordList,
    start: usize,
    end: usize,
}

impl Default for Words<'_> {
    /// No words (what an unset variable reads as).
    fn default() -> Self {
        EMPTY.words()
    }
}

impl<'a> Words<'a> {
    pub fn len(&self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    /// A window on words `start..end` of this window (0-based), cut to it.
    pub fn range(&self, start: usize, end: usize) -> Words<'a> {
        let end = self.start.saturating_add(end).min(self.end);
        Words {
            list: self.list,
            start: self.start.saturating_add(start).min(end),
            end,
        }
    }

    /// The bytes of the window's words together.
    pub fn text_len(&self) -> usize {
        self.list.start_of(self.end) - self.list.start_of(self.start)
    }

    /// Word `index` of the window (0-based).
    pub fn get(&self, index: usize) -> Option<&'a str> {
        if index >= self.len() {
            return None;
        }
        self.list.get(self.start + index)
    }

    pub fn first(&self) -> Option<&'a str> {
        self.get(0)
    }

    pub fn iter(&self) -> Iter<'a> {
        Iter {
            list: self.list,
            next: self.start,
            end: self.end,
        }
    }

    pub fn join(&self, separator: &str) -> String {
        let mut out = String::new();
        for (i, word) in self.iter().enumerate() {
            if i > 0 {
                out.push_str(separator);
            }
            out.push_str(word);
        }
        out
    }

    pub fn to_vec(self) -> Vec<String> {
        self.iter().map(str::to_string).collect()
    }

    /// The same words as a list of their own.
    pub fn to_list(self) -> WordList {
        WordList::from(self)
    }
}

impl fmt::Debug for Words<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl PartialEq for Words<'_> {
    fn eq(&self, other: &Words<'_>) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl PartialEq<[&str]> for Words<'_> {
    fn eq(&self, other: &[&str]) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter().copied())
    }
}

impl<const N: usize> PartialEq<[&str; N]> for Words<'_> {
    fn eq(&self, other: &[&str; N]) -> bool {
        *self == other[..]
    }
}

impl<'a> IntoIterator for Words<'a> {
    type Item = &'a str;
    type IntoIter = Iter<'a>;
    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

impl<'a> IntoIterator for &'a WordList {
    type Item = &'a str;
    type IntoIter = Iter<'a>;
    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

/// The words of a window, in order.
#[derive(Clone)]
pub struct Iter<'a> {
    list: &'a WordList,
    next: usize,
    end: usize,
}

impl<'a> Iterator for Iter<'a> {
    type Item = &'a str;
    fn next(&mut self) -> Option<&'a str> {
        if self.next >= self.end {
            return None;
        }
        self.next += 1;
        self.list.get(self.next - 1)
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.end.saturating_sub(self.next);
        (left, Some(left))
    }
}

impl DoubleEndedIterator for Iter<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        if self.next >= self.end {
            return None;
        }
        self.end -= 1;
        self.list.get(self.end)
    }
}

impl ExactSizeIterator for Iter<'_> {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_keep_their_boundaries_empty_words_included() {
        let list: WordList = ["a", "", "b c", ""].into_iter().collect();
        assert_eq!(list.len(), 4);
        assert_eq!(list.text_len(), 4);
        assert_eq!(list.to_vec(), ["a", "", "b c", ""]);
        assert_eq!(list.get(2), Some("b c"));
        assert_eq!(list.get(4), None);
        assert_eq!(list.join("|"), "a||b c|");
        assert_eq!(list.iter().rev().collect::<Vec<_>>(), ["", "b c", "", "a"]);
    }

    #[test]
    fn a_window_sees_only_its_words() {
        let list = WordList::from(vec!["x".to_string(), "y".into(), "z".into()]);
        let window = list.range(1, 9);
        assert_eq!(window, ["y", "z"]);
        assert_eq!(
            (window.first(), window.get(1), window.get(2)),
            (Some("y"), Some("z"), None)
        );
        assert!(list.range(5, 2).is_empty());
        assert!(Words::default().is_empty());
        assert_eq!(window.to_list(), *["y", "z"].as_slice());
        assert_eq!((window.text_len(), list.range(0, 1).text_len()), (2, 1));
        assert_eq!(window.range(1, 5), ["z"]);
        assert!(window.range(3, 1).is_empty());
        assert_eq!(list.size(), 3 + 3 * size_of::<usize>());
    }

    #[test]
    fn set_one_replaces_everything() {
        let mut list = WordList::from(vec!["a".to_string(), "b".into()]);
        list.set_one("c");
        assert_eq!(list, *["c"].as_slice());
        assert_eq!(WordList::one(""), *[""].as_slice());
    }

    #[test]
    fn many_short_words_cost_little() {
        let list: WordList = (0..100_000).map(|n| n.to_string()).collect();
        let bytes = list.text.capacity() + list.ends.capacity() * size_of::<usize>();
        assert!(
            bytes / list.len() < 32,
            "{} bytes a word",
            bytes / list.len()
        );
    }
}
