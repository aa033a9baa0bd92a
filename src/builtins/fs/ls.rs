//! `ls`: list directories' entries, or name files, one per line.
//!
//! It follows POSIX ls rather than Plan 9's: a directory operand lists its entries' bare
//! names; file operands come first, then each directory under a `dir:` header when there are
//! several operands, sections separated by blank lines. Names sort bytewise (no locale), and
//! names starting with `.` are hidden unless `-a`; `-t` sorts by modification time, newest
//! first (Plan 9's and POSIX's `-t`; names break ties), and `-r` reverses the order, so
//! `ls -tr /agents/a/inbox` lists envelopes in the order they arrived. `-l` shows the kind, `rw`/`r-` from the
//! service, the size and the UTC modification time; the date is computed here from the Unix
//! time (no calendar dependency). It only reads the namespace: it must never change it.

use std::fmt::Write as _;
use std::io::{self, BufWriter, Write};
use std::time::{SystemTime, UNIX_EPOCH};

use crate::builtins::{Builtin, Ctx, Example, args, operands};
use crate::eval::{ShellError, Status};
use crate::flags::{Flag, Spec, Undeclared};
use crate::ns::{FileKind, Stat, path};

pub const LS: Builtin = Builtin::new(
    "ls",
    "list each directory's entries (the working directory's by default), or name files",
    run,
)
.flags(Spec::new(&[
    Flag::switch('a', "show names that start with ."),
    Flag::switch('d', "list a directory itself, not its entries"),
    Flag::switch('l', "kind, permissions, size and time before each name"),
    Flag::switch('p', "put / after each directory's name"),
    Flag::switch('F', "the same as -p"),
    Flag::switch('t', "sort by modification time, newest first"),
    Flag::switch('r', "reverse the order of the sort"),
    Flag::switch('1', "one name per line (the only layout)"),
]))
.operands("[PATH...]")
.examples(&[
    Example {
        script: "mkdir /tmp/d; echo > /tmp/f; ls -p /tmp",
        output: "d/\nf\n",
    },
    Example {
        script: "ls -d /tmp",
        output: "/tmp\n",
    },
]);

#[derive(Default)]
struct Options {
    /// `-a`: show names starting with `.`.
    all: bool,
    /// `-d`: a directory operand is listed itself, not its entries.
    dir_itself: bool,
    /// `-l`: kind, permissions, size and time before each name.
    long: bool,
    /// `-p` / `-F`: a `/` after each directory's name.
    mark_dirs: bool,
    /// `-t`: newest first, by modification time.
    by_time: bool,
    /// `-r`: the sort reversed.
    reverse: bool,
}

/// One line of a listing; `stat` is only fetched for `-l`.
struct Row {
    name: String,
    kind: FileKind,
    stat: Option<Stat>,
}

/// Why listing stopped: a namespace error to report, or standard output failing.
enum Stop {
    Shell(ShellError),
    Output(io::Error),
}

impl From<ShellError> for Stop {
    fn from(e: ShellError) -> Stop {
        Stop::Shell(e)
    }
}
impl From<io::Error> for Stop {
    fn from(e: io::Error) -> Stop {
        Stop::Output(e)
    }
}

fn run(ctx: &mut Ctx<'_>, args: &[String]) -> Result<Status, ShellError> {
    let mut options = Options::default();
    let first = args::parse(ctx, args, |flag, _| {
        match flag {
            'a' => options.all = true,
            'd' => options.dir_itself = true,
            'l' => options.long = true,
            'p' | 'F' => options.mark_dirs = true,
            't' => options.by_time = true,
            'r' => options.reverse = true,
            '1' => {} // one name per line is the only layout.
            other => return Err(Undeclared(other).into()),
        }
        Ok(())
    })?;
    let mut out = BufWriter::with_capacity(super::CHUNK, ctx.out());
    let listed = list(ctx, args, first, &options, &mut out).and_then(|failed| {
        out.flush()?;
        Ok(failed)
    });
    match listed {
        Ok(failed) => Ok(operands::status(failed)),
        Err(Stop::Shell(e)) => Err(e),
        Err(Stop::Output(e)) => operands::output_error(ctx, e),
    }
}

/// Lists every operand; true when one of several could not be listed.
fn list(
    ctx: &Ctx<'_>,
    args: &[String],
    first: usize,
    options: &Options,
    out: &mut impl Write,
) -> Result<bool, Stop> {
    // No operand lists `.`; an error about it then points at no argument.
    let dot = [".".to_string()];
    let defaulted = first == args.len();
    let (operands, first) = if defaulted {
        (&dot[..], 0)
    } else {
        (args, first)
    };
    let point = |e: ShellError, index| if defaulted { e } else { e.at_arg(index) };
    let count = operands.len() - first;
    let mut failed = false;
    let mut files = Vec::new();
    let mut dirs = Vec::new();
    for (index, operand) in operands.iter().enumerate().skip(first) {
        let stat = ctx.path(operand).and_then(|full| {
            let stat = ctx.shell.proc.ns.stat(&full);
            stat.map(|stat| (full, stat)).map_err(|e| ctx.ns_error(e))
        });
        match stat.map_err(|e| point(e, index)) {
            Ok((full, stat)) if stat.kind == FileKind::Dir && !options.dir_itself => {
                dirs.push((operand.as_str(), full, index));
            }
            Ok((_, stat)) => files.push(Row {
                name: operand.clone(),
                kind: stat.kind,
                stat: Some(stat),
            }),
            Err(e) if count == 1 => return Err(e.into()),
            Err(e) => {
                operands::warn_error(ctx, &e);
                failed = true;
            }
        }
    }
    files.sort_by(|a, b| a.name.cmp(&b.name));
    order(&mut files, options);
    dirs.sort_by(|a, b| a.0.cmp(b.0));
    out.write_all(render(&files, options).as_bytes())?;
    let mut sections = usize::from(!files.is_empty());
    for (shown, full, index) in dirs {
        let rows = match entries(ctx, &full, options) {
            Ok(rows) => rows,
            Err(e) if count == 1 => return Err(point(e, index).into()),
            Err(e) => {
                operands::warn_error(ctx, &e);
                failed = true;
                continue;
            }
        };
        if sections > 0 {
            out.write_all(b"\n")?;
        }
        if count > 1 {
            writeln!(out, "{shown}:")?;
        }
        out.write_all(render(&rows, options).as_bytes())?;
        sections += 1;
    }
    Ok(failed)
}

/// The rows of one directory, sorted, hidden names dropped unless `-a`.
fn entries(ctx: &Ctx<'_>, dir: &str, options: &Options) -> Result<Vec<Row>, ShellError> {
    let listing = ctx
        .shell
        .proc
        .ns
        .readdir(dir)
        .map_err(|e| ctx.ns_error(e))?;
    let mut rows = Vec::with_capacity(listing.len());
    for entry in listing {
        if entry.name.starts_with('.') && !options.all {
            continue;
        }
        let stat = if options.long || options.by_time {
            let full = path::join(dir, &entry.name);
            Some(ctx.shell.proc.ns.stat(&full).map_err(|e| ctx.ns_error(e))?)
        } else {
            None
        };
        rows.push(Row {
            name: entry.name,
            kind: entry.kind,
            stat,
        });
    }
    // Services promise name order, but a union merges several; sort regardless.
    rows.sort_by(|a, b| a.name.cmp(&b.name));
    order(&mut rows, options);
    Ok(rows)
}

/// `-t` and `-r` applied to rows already sorted by name: the time sort is stable, so
/// names break its ties.
fn order(rows: &mut [Row], options: &Options) {
    if options.by_time {
        let time = |row: &Row| row.stat.as_ref().and_then(|s| s.modified);
        rows.sort_by_key(|row| std::cmp::Reverse(time(row)));
    }
    if options.reverse {
        rows.reverse();
    }
}

/// The lines for `rows`; with `-l` the sizes are right-aligned to the widest.
fn render(rows: &[Row], options: &Options) -> String {
    let size_of = |row: &Row| row.stat.as_ref().map_or(0, |stat| stat.size);
    let width = rows
        .iter()
        .map(|row| size_of(row).to_string().len())
        .max()
        .unwrap_or(1);
    let mut text = String::new();
    for row in rows {
        if options.long {
            let kind = if row.kind == FileKind::Dir { 'd' } else { '-' };
            let read_only = row.stat.as_ref().is_some_and(|stat| stat.read_only);
            let mode = if read_only { "r-" } else { "rw" };
            let time = row.stat.as_ref().and_then(|stat| stat.modified);
            let size = size_of(row);
            let _ = write!(text, "{kind}{mode} {size:>width$} {} ", format_time(time));
        }
        text.push_str(&row.name);
        if options.mark_dirs && row.kind == FileKind::Dir && !row.name.ends_with('/') {
            text.push('/');
        }
        text.push('\n');
    }
    text
}

/// `YYYY-MM-DD HH:MM` in UTC; a service that keeps no time shows `-`, padded to match.
fn format_time(time: Option<SystemTime>) -> String {
    let Some(time) = time else {
        return format!("{:<16}", "-");
    };
    let seconds = match time.duration_since(UNIX_EPOCH) {
        Ok(after) => i64::try_from(after.as_secs()).unwrap_or(i64::MAX),
        Err(before) => i64::try_from(before.duration().as_secs()).map_or(i64::MIN, |s| -s),
    };
    let (days, of_day) = (seconds.div_euclid(86_400), seconds.rem_euclid(86_400));
    let (year, month, day) = civil_from_days(days);
    let (hour, minute) = (of_day / 3600, of_day % 3600 / 60);
    format!("{year:04}-{month:02}-{day:02} {hour:02}:{minute:02}")
}

/// The proleptic Gregorian date of a day counted from 1970-01-01 (Howard Hinnant's
/// `civil_from_days`): 400-year eras of 146097 days, years starting in March so the leap day
/// falls last. Exact for every `i64` day a `SystemTime` can hold.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days.saturating_add(719_468);
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_from_march + 2) / 5 + 1;
    let month = if month_from_march < 10 {
        month_from_march + 3
    } else {
        month_from_march - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    // Both are in range by construction: day 1..=31, month 1..=12.
    (year, month as u32, day as u32)
}

#[cfg(test)]
mod tests;
