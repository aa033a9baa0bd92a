//! `seq`: print a sequence of numbers, integers or decimals, like GNU seq.
//!
//! Numbers are kept as exact scaled integers (`0.1` is 1 at scale 1), never as floats, so
//! `seq 0 0.1 1` ends at exactly `1.0` and prints no `0.30000000000000004`. The output is
//! formatted into one buffered writer: `seq 1 20000` is in a benchmark. It must never loop
//! forever on a zero increment (a usage error) nor overflow: a value past `i128` stops the run.

use std::io::Write;

use crate::builtins::{Builtin, Ctx, Example, args, operands};
use crate::eval::{ShellError, Status};
use crate::flags::{Flag, Spec, Undeclared};

pub const SEQ: Builtin = Builtin::new(
    "seq",
    "print a sequence of numbers (integers or decimals)",
    run,
)
.flags(
    Spec::new(&[
        Flag::switch('w', "pad the numbers with zeros to one width"),
        Flag::valued(
            's',
            "SEP",
            "put SEP between the numbers instead of a newline",
        ),
    ])
    .with_negative_numbers(),
)
.operands("[FIRST [INCR]] LAST")
.examples(&[
    Example {
        script: "seq 3",
        output: "1\n2\n3\n",
    },
    Example {
        script: "seq -w 8 2 12",
        output: "08\n10\n12\n",
    },
    Example {
        script: "seq -s ' ' -2 2",
        output: "-2 -1 0 1 2\n",
    },
]);

/// A decimal operand as written: `digits` scaled by `10^-decimals`.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Decimal {
    digits: i128,
    decimals: u32,
}

fn run(ctx: &mut Ctx<'_>, args: &[String]) -> Result<Status, ShellError> {
    let (mut equal_width, mut separator) = (false, "\n".to_string());
    let first_operand = args::parse(ctx, args, |flag, value| {
        match (flag, value) {
            ('w', _) => equal_width = true,
            ('s', value) => separator = value.unwrap_or_default().to_string(),
            (other, _) => return Err(Undeclared(other).into()),
        }
        Ok(())
    })?;
    let mut numbers = Vec::new();
    for (index, operand) in args.iter().enumerate().skip(first_operand) {
        let parsed = parse_decimal(operand).ok_or_else(|| {
            ctx.usage(format!("invalid number: '{operand}'"))
                .at_arg(index)
        })?;
        numbers.push(parsed);
    }
    let one = Decimal {
        digits: 1,
        decimals: 0,
    };
    let (first, incr, last) = match numbers[..] {
        [last] => (one, one, last),
        [first, last] => (first, one, last),
        [first, incr, last] => (first, incr, last),
        [] => return Err(ctx.usage("missing operand")),
        _ => return Err(ctx.usage("too many operands")),
    };
    if incr.digits == 0 {
        return Err(ctx.usage("the increment must not be zero"));
    }
    let scale = first.decimals.max(incr.decimals).max(last.decimals);
    let precision = first.decimals.max(incr.decimals);
    let too_long = || ctx.usage("a number has too many digits");
    let format = Format::new(scale, precision).ok_or_else(too_long)?;
    let [first, incr, last] = [first, incr, last].map(|d| rescale(d, scale));
    let (Some(first), Some(incr), Some(last)) = (first, incr, last) else {
        return Err(too_long());
    };
    let width = if equal_width {
        // GNU pads to the wider of FIRST and LAST as they would print at this precision.
        let truncated_last = last / format.step * format.step;
        let printed_width = |value| format.render(value, 0, &mut Vec::new());
        printed_width(first).max(printed_width(truncated_last))
    } else {
        0
    };
    let mut out = super::output(ctx);
    let counting = match (u128::try_from(first), u128::try_from(last)) {
        (Ok(first), Ok(last)) if scale == 0 && incr == 1 && width == 0 => Some((first, last)),
        _ => None,
    };
    let written = match counting {
        Some((first, last)) => write_counting(&mut out, first, last, separator.as_bytes()),
        None => write_sequence(
            &mut out,
            &format,
            [first, incr, last],
            width,
            separator.as_bytes(),
        ),
    };
    match written {
        Ok(()) => operands::finish(ctx, &mut out).map(|()| Status::ok()),
        Err(e) => operands::output_error(ctx, e),
    }
}

fn write_sequence(
    out: &mut impl Write,
    format: &Format,
    [first, incr, last]: [i128; 3],
    width: usize,
    separator: &[u8],
) -> std::io::Result<()> {
    let mut value = first;
    let mut text = Vec::with_capacity(64);
    let mut any = false;
    while (incr > 0 && value <= last) || (incr < 0 && value >= last) {
        text.clear();
        if any {
            text.extend_from_slice(separator);
        }
        any = true;
        format.render(value, width, &mut text);
        out.write_all(&text)?;
        match value.checked_add(incr) {
            Some(next) => value = next,
            None => break,
        }
    }
    if any {
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// The longest whole number [`write_counting`] holds: `u128::MAX` has 39 digits.
const COUNTER_DIGITS: usize = 40;
/// The bytes [`write_counting`] stores at once for a short number and its separator.
const BLOCK: usize = 16;

/// `seq FIRST LAST` over whole numbers from 0 up by 1, the common case, without a division
/// per number: the number is kept as decimal digits and incremented in place (as GNU seq's
/// fast path does). Within a run of ten (the last digit going up to 9) only that digit
/// changes: the line (digits and separator) is stored as one 16-byte block per number, of
/// which only its own bytes count, so `seq 1 100000000` costs a few instructions a line.
fn write_counting(
    out: &mut impl Write,
    first: u128,
    last: u128,
    separator: &[u8],
) -> std::io::Result<()> {
    if first > last {
        return Ok(());
    }
    let mut digits = [b'0'; COUNTER_DIGITS];
    let mut len = 0;
    for digit in first.to_string().bytes() {
        digits[len] = digit;
        len += 1;
    }
    let chunk = crate::ns::stream::CHUNK;
    // Room past the chunk for a run of ten 16-byte blocks, or one long number and separator.
    let mut buf = vec![0u8; chunk + 10 * BLOCK + COUNTER_DIGITS + separator.len()];
    let mut at = 0;
    let mut value = first;
    loop {
        match separator {
            [one] if len < BLOCK => {
                // The rest of this run of ten, up to `last`: one block store a number.
                let mut line = [0u8; BLOCK];
                line[..len].copy_from_slice(&digits[..len]);
                line[len] = *one;
                let digit = digits[len - 1];
                let steps =
                    u8::try_from(last - value).map_or(b'9' - digit, |left| left.min(b'9' - digit));
                // The line as one number in a register, its last digit set by a shift: a
                // byte written into an array that is then read whole would stall the copy.
                let shift = 8 * (len - 1);
                let base = u128::from_le_bytes(line) & !(0xff << shift);
                for k in 0..=steps {
                    let word = base | (u128::from(digit + k) << shift);
                    if let Some(block) = buf.get_mut(at..at + BLOCK) {
                        block.copy_from_slice(&word.to_le_bytes());
                    }
                    at += len + 1;
                }
                digits[len - 1] = digit + steps;
                value += u128::from(steps);
                if value == last {
                    // The last number ends with a newline, not the separator.
                    buf[at - 1] = b'\n';
                    return out.write_all(&buf[..at]);
                }
            }
            _ => {
                buf[at..at + len].copy_from_slice(&digits[..len]);
                at += len;
                if value == last {
                    buf[at] = b'\n';
                    return out.write_all(&buf[..at + 1]);
                }
                buf[at..at + separator.len()].copy_from_slice(separator);
                at += separator.len();
            }
        }
        value += 1;
        len = increment(&mut digits, len);
        if at >= chunk {
            out.write_all(&buf[..at])?;
            at = 0;
        }
    }
}

/// Adds one to the decimal number in `digits[..len]`; its new length.
fn increment(digits: &mut [u8; COUNTER_DIGITS], len: usize) -> usize {
    let mut i = len;
    while i > 0 {
        i -= 1;
        if digits[i] < b'9' {
            digits[i] += 1;
            return len;
        }
        digits[i] = b'0';
    }
    // All nines: one digit more (the caller stops at `last`, which fits a u128).
    digits.copy_within(0..COUNTER_DIGITS - 1, 1);
    digits[0] = b'1';
    (len + 1).min(COUNTER_DIGITS)
}

/// How a scaled value prints: `precision` decimals out of the `scale` it is kept at.
struct Format {
    /// `10^scale`: one unit.
    unit: i128,
    /// `10^(scale - precision)`: the smallest printed step.
    step: i128,
    precision: usize,
}

impl Format {
    fn new(scale: u32, precision: u32) -> Option<Format> {
        let unit = 10i128.checked_pow(scale)?;
        let step = 10i128.checked_pow(scale - precision)?;
        Some(Format {
            unit,
            step,
            precision: precision as usize,
        })
    }

    /// Appends `value`, zero-padded after its sign to `width` bytes, and returns its length.
    fn render(&self, value: i128, width: usize, buf: &mut Vec<u8>) -> usize {
        let start = buf.len();
        if value < 0 {
            buf.push(b'-');
        }
        let digits_start = buf.len();
        let (magnitude, unit) = (value.unsigned_abs(), self.unit.unsigned_abs());
        push_decimal(buf, magnitude / unit, 0);
        if self.precision > 0 {
            buf.push(b'.');
            let fraction = (magnitude % unit) / self.step.unsigned_abs();
            push_decimal(buf, fraction, self.precision);
        }
        let len = buf.len() - start;
        if len < width {
            let zeros = std::iter::repeat_n(b'0', width - len);
            buf.splice(digits_start..digits_start, zeros);
        }
        buf.len() - start
    }
}

/// Appends `n` in decimal with at least `min_digits` digits. By hand rather than `write!`:
/// this is seq's whole inner loop, and most numbers take the 64-bit path.
fn push_decimal(buf: &mut Vec<u8>, n: u128, min_digits: usize) {
    let mut digits = [b'0'; 40];
    let mut at = digits.len();
    match u64::try_from(n) {
        Ok(mut small) => loop {
            at -= 1;
            digits[at] = b'0' + (small % 10) as u8;
            small /= 10;
            if small == 0 {
                break;
            }
        },
        Err(_) => {
            let mut big = n;
            while big > 0 {
                at -= 1;
                digits[at] = b'0' + (big % 10) as u8;
                big /= 10;
            }
        }
    }
    // The array is pre-filled with zeros; min_digits is at most 38 (10^38 fits an i128).
    at = at.min(digits.len().saturating_sub(min_digits));
    buf.extend_from_slice(&digits[at..]);
}

/// `-12`, `+3`, `0.5`, `.5`, `2.`; no exponents, hexadecimal or infinities.
fn parse_decimal(text: &str) -> Option<Decimal> {
    let (negative, unsigned) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.len() + fraction.len() == 0 || !all_digits(whole) || !all_digits(fraction) {
        return None;
    }
    let mut digits: i128 = 0;
    for b in whole.bytes().chain(fraction.bytes()) {
        digits = digits.checked_mul(10)?.checked_add(i128::from(b - b'0'))?;
    }
    let decimals = u32::try_from(fraction.len()).ok()?;
    Some(Decimal {
        digits: if negative { -digits } else { digits },
        decimals,
    })
}

/// `d` as a whole number of `10^-scale` units (`scale >= d.decimals`).
fn rescale(d: Decimal, scale: u32) -> Option<i128> {
    d.digits
        .checked_mul(10i128.checked_pow(scale - d.decimals)?)
}

#[cfg(test)]
mod tests {
    use super::super::testing::{run, run_gone};
    use super::*;

    fn seq(args: &[&str]) -> String {
        let r = run(&SEQ, args, b"");
        assert_eq!(r.status(), "", "seq {args:?}: {}", r.err);
        r.out()
    }

    #[test]
    fn integers() {
        assert_eq!(seq(&["3"]), "1\n2\n3\n");
        assert_eq!(seq(&["2", "5"]), "2\n3\n4\n5\n");
        assert_eq!(seq(&["10", "-2", "1"]), "10\n8\n6\n4\n2\n");
        assert_eq!(seq(&["-2", "0"]), "-2\n-1\n0\n");
        assert_eq!(seq(&["5", "1"]), "");
        assert_eq!(seq(&["0"]), "");
    }

    #[test]
    fn decimals_are_exact() {
        assert_eq!(seq(&["0", "0.5", "2"]), "0.0\n0.5\n1.0\n1.5\n2.0\n");
        assert_eq!(seq(&["0", ".1", ".3"]), "0.0\n0.1\n0.2\n0.3\n");
        assert_eq!(seq(&["1", "2.5"]), "1\n2\n");
        assert_eq!(seq(&["-1", "0.5", "0"]), "-1.0\n-0.5\n0.0\n");
    }

    #[test]
    fn equal_width_and_separator() {
        assert_eq!(seq(&["-w", "8", "10"]), "08\n09\n10\n");
        assert_eq!(seq(&["-w", "-1", "1"]), "-1\n00\n01\n");
        assert_eq!(seq(&["-w", "1", "5", "100"]).lines().next(), Some("001"));
        assert_eq!(seq(&["-s", ",", "3"]), "1,2,3\n");
        assert_eq!(seq(&["-s:", "-w", "9", "10"]), "09:10\n");
    }

    #[test]
    fn errors() {
        assert!(
            run(&SEQ, &["1", "0", "5"], b"")
                .status()
                .contains("increment must not be zero")
        );
        assert!(
            run(&SEQ, &["x"], b"")
                .status()
                .contains("invalid number: 'x'")
        );
        assert!(run(&SEQ, &["1e3"], b"").status().contains("invalid number"));
        assert!(run(&SEQ, &[], b"").status().contains("missing operand"));
        assert!(
            run(&SEQ, &["1", "2", "3", "4"], b"")
                .status()
                .contains("too many")
        );
        assert!(
            run(&SEQ, &["-q", "3"], b"")
                .status()
                .contains("unknown flag -q")
        );
        let huge = "9".repeat(60);
        assert!(
            run(&SEQ, &[huge.as_str()], b"")
                .status()
                .contains("invalid number")
        );
        assert!(
            run(&SEQ, &["0.0000000000000000000000000000000000000001"], b"")
                .result
                .is_err()
        );
    }

    #[test]
    fn stops_at_the_edge_of_the_range_without_overflow() {
        let max = i128::MAX.to_string();
        let below = (i128::MAX - 1).to_string();
        assert_eq!(
            seq(&[below.as_str(), max.as_str()]),
            format!("{below}\n{max}\n")
        );
    }

    #[test]
    fn counting_fast_path_matches_the_general_one() {
        let general = |first: i128, last: i128, separator: &[u8]| {
            let mut out = Vec::new();
            let format = Format::new(0, 0).map(|f| {
                write_sequence(&mut out, &f, [first, 1, last], 0, separator).map(|()| out)
            });
            format.and_then(Result::ok).unwrap_or_default()
        };
        let counting = |first: u128, last: u128, separator: &[u8]| {
            let mut out = Vec::new();
            write_counting(&mut out, first, last, separator)
                .map(|()| out)
                .unwrap_or_default()
        };
        let widths = (999_999_999_999_995, 1_000_000_000_000_003); // 15 digits to 16
        for (first, last) in [
            (1, 1),
            (0, 12),
            (7, 1234),
            (95, 105),
            (999, 1001),
            (5, 4),
            widths,
        ] {
            for separator in [&b"\n"[..], b", ", b""] {
                assert_eq!(
                    counting(first as u128, last as u128, separator),
                    general(first, last, separator),
                    "seq -s {separator:?} {first} {last}"
                );
            }
        }
        // Across output chunks, and to the largest value.
        let many = counting(1, 20_000, b"\n");
        assert_eq!(many, general(1, 20_000, b"\n"));
        let max = u128::MAX;
        assert_eq!(
            counting(max - 1, max, b"\n"),
            format!("{}\n{max}\n", max - 1).into_bytes()
        );
        assert_eq!(seq(&["99999999999", "100000000001"]).lines().count(), 3);
    }

    #[test]
    fn a_gone_reader_is_success() {
        assert_eq!(
            run_gone(&SEQ, &["1", "1000000"], b"")
                .map(|s| s.is_ok())
                .ok(),
            Some(true)
        );
    }
}
