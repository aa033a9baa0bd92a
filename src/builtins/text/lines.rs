//! Reading an input a block of whole lines at a time, for the tools that look at every line
//! (`grep`) or only count them (`wc -l`).
//!
//! A tool that asked for one line at a time paid a call, a copy and a check per line: for
//! `grep -c 7` over twenty million short lines that was most of its time. Here a block is the
//! whole lines the input's buffer holds, handed over in place; only a line cut by the end of
//! the buffer is copied, into a carry that is handed over on its own once its `\n` arrives.
//! What `read_line` guarantees holds here too: no line longer than the `buffer` budget is
//! held, and standard output is flushed before a read that may block, so the next stage of
//! a pipeline sees each line once it is known. Nothing here looks inside a line.

use std::io::{self, BufRead, Write};
use std::ops::ControlFlow;

use super::Input;

/// How many `\n` bytes `bytes` holds (SIMD where the machine has it).
pub(super) fn count_lines(bytes: &[u8]) -> u64 {
    memchr::memchr_iter(b'\n', bytes).count() as u64
}

/// The lines of a block, each without its `\n` (the last one may have none).
pub(super) fn split(block: &[u8]) -> impl Iterator<Item = &[u8]> {
    let body = block.strip_suffix(b"\n").unwrap_or(block);
    let empty = block.is_empty();
    body.split(|&b| b == b'\n').filter(move |_| !empty)
}

/// Calls `per_block(lines)` with the input's whole lines, a block at a time, until the input
/// ends or it breaks. Every block but the input's last ends with `\n`; the last may lack it.
/// A line longer than `max` bytes is the `buffer` budget's error (see [`super::read_line`]).
pub(super) fn each_block(
    input: &mut Input,
    out: &mut impl Write,
    max: u64,
    mut per_block: impl FnMut(&[u8], &mut dyn Write) -> io::Result<ControlFlow<()>>,
) -> io::Result<()> {
    let mut carry: Vec<u8> = Vec::new();
    loop {
        if input.buffer().is_empty() {
            out.flush()?;
        }
        let chunk = input.fill_buf()?;
        if chunk.is_empty() {
            if !carry.is_empty() {
                let _ = per_block(&carry, out)?;
            }
            return Ok(());
        }
        let Some(last_newline) = memchr::memrchr(b'\n', chunk) else {
            // A piece of a line: kept until its end comes.
            let used = chunk.len();
            if (carry.len() + used) as u64 > max {
                return Err(super::over_budget(max, "a line is too long"));
            }
            carry.extend_from_slice(chunk);
            input.consume(used);
            continue;
        };
        if !carry.is_empty() {
            // The end of the carried line: it goes alone, then the rest of the chunk.
            let end = memchr::memchr(b'\n', chunk).map_or(chunk.len(), |i| i + 1);
            if (carry.len() + end) as u64 > max {
                return Err(super::over_budget(max, "a line is too long"));
            }
            carry.extend_from_slice(&chunk[..end]);
            input.consume(end);
            let flow = per_block(&carry, out)?;
            carry.clear();
            if flow.is_break() {
                return Ok(());
            }
            continue;
        }
        let block = &chunk[..=last_newline];
        // The buffer holds at most a chunk, so only a budget below that needs the lines
        // measured one by one.
        if max < block.len() as u64 && split(block).any(|line| line.len() as u64 >= max) {
            return Err(super::over_budget(max, "a line is too long"));
        }
        let flow = per_block(block, out)?;
        input.consume(last_newline + 1);
        if flow.is_break() {
            return Ok(());
        }
    }
}

#[cfg(test)]
mod tests {
    use std::io::{BufReader, Read};

    use super::super::InputReader;
    use super::*;

    /// A reader that hands out its bytes `step` at a time, so lines straddle reads.
    struct Trickle {
        bytes: Vec<u8>,
        at: usize,
        step: usize,
    }

    impl Read for Trickle {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = self.step.min(buf.len()).min(self.bytes.len() - self.at);
            buf[..n].copy_from_slice(&self.bytes[self.at..self.at + n]);
            self.at += n;
            Ok(n)
        }
    }

    fn input(bytes: &[u8], step: usize, capacity: usize) -> Input {
        let trickle = Trickle {
            bytes: bytes.to_vec(),
            at: 0,
            step,
        };
        BufReader::with_capacity(capacity, InputReader(Box::new(trickle)))
    }

    /// The lines `each_block` hands over, read `step` bytes at a time through a buffer of
    /// `capacity` bytes.
    fn lines(bytes: &[u8], step: usize, capacity: usize, max: u64) -> io::Result<Vec<String>> {
        let mut seen = Vec::new();
        each_block(
            &mut input(bytes, step, capacity),
            &mut io::sink(),
            max,
            |block, _| {
                assert!(!block.is_empty());
                seen.extend(split(block).map(|l| String::from_utf8_lossy(l).into_owned()));
                Ok(ControlFlow::Continue(()))
            },
        )?;
        Ok(seen)
    }

    #[test]
    fn whole_lines_whatever_the_reads() {
        let text = b"one\ntwo\n\nthree four\nfive";
        let expected = ["one", "two", "", "three four", "five"];
        for step in 1..=text.len() {
            for capacity in [1, 2, 3, 7, 64] {
                let got = lines(text, step, capacity, 100).unwrap_or_default();
                assert_eq!(got, expected, "step {step}, capacity {capacity}");
            }
        }
        assert_eq!(lines(b"", 3, 8, 100).ok(), Some(vec![]));
        assert_eq!(lines(b"\n", 3, 8, 100).ok(), Some(vec![String::new()]));
    }

    #[test]
    fn counts_lines_across_chunk_boundaries() {
        let text: Vec<u8> = (0..5000)
            .flat_map(|i| format!("{i}\n").into_bytes())
            .collect();
        let mut total = 0;
        let mut reader = input(&text, 333, 1000);
        each_block(&mut reader, &mut io::sink(), 100, |block, _| {
            total += count_lines(block);
            Ok(ControlFlow::Continue(()))
        })
        .ok();
        assert_eq!(total, 5000);
        assert_eq!(count_lines(b"a\nb"), 1);
    }

    #[test]
    fn a_line_over_the_budget_is_refused() {
        let long = format!("short\n{}\nafter\n", "x".repeat(50));
        for (step, capacity) in [(1, 8), (100, 100), (7, 64)] {
            let err = lines(long.as_bytes(), step, capacity, 20).err();
            assert!(
                err.is_some_and(|e| crate::eval::budget::from_io(&e).is_some()),
                "step {step}, capacity {capacity}"
            );
        }
        assert!(lines(long.as_bytes(), 7, 64, 51).is_ok());
    }

    #[test]
    fn breaking_stops_reading() {
        let mut blocks = 0;
        let mut reader = input(b"a\nb\nc\n", 2, 2);
        each_block(&mut reader, &mut io::sink(), 10, |_, _| {
            blocks += 1;
            Ok(ControlFlow::Break(()))
        })
        .ok();
        assert_eq!(blocks, 1);
    }
}
