//! The file builtins (cd, pwd, cat, ls, mkdir, rm, mv, cp) and the conventions they share.
//!
//! Every path they take is resolved against `shell.cwd` with [`Ctx::path`] and reaches only
//! the shell's namespace: they must never touch the host file system, and never panic on any
//! name, tree or byte they meet. The conventions live here once: an error about one of
//! several operands is a warning and status 1 at the end, and an error about the only operand
//! is returned carrying that argument's index (so the evaluator labels it in the source). The
//! warnings, the status and a gone reader follow [`operands`], as the text tools do.

use super::operands::{self, Next};
use super::{Builtin, Ctx};
use crate::eval::{ShellError, Status};
use crate::ns::stream::CHUNK;
use crate::ns::{FileKind, NsError, path};

mod cat;
mod cd;
mod cp;
mod ls;
mod mkdir;
mod mv;
mod rm;

pub const BUILTINS: &[Builtin] = &[
    cat::CAT,
    cd::CD,
    cp::CP,
    ls::LS,
    mkdir::MKDIR,
    mv::MV,
    cd::PWD,
    rm::RM,
];

/// A namespace error about argument `index` (counted from the first argument after the name).
fn ns_error_at(ctx: &Ctx<'_>, source: NsError, index: usize) -> ShellError {
    ShellError::Ns {
        cmd: ctx.name.to_string(),
        source,
        arg: Some(index),
    }
}

/// Argument `index` as a clean absolute namespace path; an invalid path points at it.
fn resolve(ctx: &Ctx<'_>, args: &[String], index: usize) -> Result<String, ShellError> {
    let arg = args.get(index).map(String::as_str).unwrap_or("");
    ctx.path(arg).map_err(|e| e.at_arg(index))
}

/// Runs `per_operand(index, operand)` for the arguments from `first` to `end`. With one
/// operand its error is the command's; with several each error is a warning and the status
/// is 1 at the end.
fn each_operand(
    ctx: &Ctx<'_>,
    args: &[String],
    first: usize,
    end: usize,
    mut per_operand: impl FnMut(usize, &str) -> Result<(), ShellError>,
) -> Result<Status, ShellError> {
    let given = args.get(first..end).unwrap_or_default();
    operands::each_operand(ctx, given, first, false, |index, operand| {
        per_operand(index, operand).map(|()| Next::Go)
    })
    .map(operands::status)
}

/// The last operand of `cp`/`mv SRC... DST`: a directory to put sources in, or the new name.
struct Destination {
    path: String,
    is_dir: bool,
}

impl Destination {
    /// Reads DST from `args` (at least one source must precede it). Several sources need DST
    /// to be a directory.
    fn of(ctx: &Ctx<'_>, args: &[String], first: usize) -> Result<Destination, ShellError> {
        let last = args.len().saturating_sub(1);
        if last <= first {
            return Err(ctx.usage("needs a source and a destination"));
        }
        let path = resolve(ctx, args, last)?;
        let is_dir = ctx
            .shell
            .proc
            .ns
            .stat(&path)
            .is_ok_and(|stat| stat.kind == FileKind::Dir);
        if !is_dir && last - first > 1 {
            return Err(ns_error_at(ctx, NsError::NotDir { path }, last));
        }
        Ok(Destination { path, is_dir })
    }

    /// Where `source` (clean) goes: inside the directory under its own name, or DST itself.
    fn for_source(&self, source: &str) -> String {
        match path::base_name(source) {
            name if self.is_dir && name != "/" => path::join(&self.path, name),
            _ => self.path.clone(),
        }
    }
}

/// The harness the file builtins' tests share: a private namespace, fixtures, runs.
#[cfg(test)]
mod testing {
    use std::io::Read;
    use std::sync::Arc;

    use crate::builtins::Builtin;
    use crate::builtins::testing::{Gone, call};
    pub use crate::builtins::testing::{Run, run_in};
    use crate::eval::{Buffer, Fd, Io, Shell};
    use crate::ns::{FileKind, HandleReader, Namespace, OpenFlags};
    use crate::services::mem::MemService;

    /// A shell over an empty namespace of its own, so no test depends on the default one.
    /// `tree` entries ending in `/` are directories; the others are files holding their path.
    pub fn shell_with(tree: &[&str]) -> Shell {
        let mut shell = Shell::new();
        shell.proc.ns = Namespace::new(Arc::new(MemService::new()));
        shell.proc.cwd = "/".into();
        for entry in tree {
            if let Some(dir) = entry.strip_suffix('/') {
                let made = shell.proc.ns.mkdir(dir);
                assert!(made.is_ok(), "fixture {dir}: {made:?}");
            } else {
                write(&shell, entry, entry);
            }
        }
        shell
    }

    pub fn write(shell: &Shell, path: &str, contents: &str) {
        let opened = shell
            .proc
            .ns
            .open(path, OpenFlags::write().create().truncate());
        let mut handle = opened.unwrap_or_else(|e| panic!("fixture {path}: {e}"));
        let wrote = handle.write(contents.as_bytes());
        assert_eq!(wrote, Ok(contents.len()), "fixture {path}");
        let _ = handle.close();
    }

    /// A file's contents, or `None` when it cannot be read.
    pub fn read(shell: &Shell, path: &str) -> Option<String> {
        let handle = shell.proc.ns.open(path, OpenFlags::read()).ok()?;
        let mut text = String::new();
        HandleReader::new(handle).read_to_string(&mut text).ok()?;
        Some(text)
    }

    /// Every path under `dir`, depth first, directories marked with a trailing `/`.
    pub fn listing(shell: &Shell, dir: &str) -> Vec<String> {
        let mut found = Vec::new();
        for entry in shell.proc.ns.readdir(dir).unwrap_or_default() {
            let path = crate::ns::path::join(dir, &entry.name);
            if entry.kind == FileKind::Dir {
                found.push(format!("{path}/"));
                found.extend(listing(shell, &path));
            } else {
                found.push(path);
            }
        }
        found
    }

    /// Runs `builtin` with a standard output that fails with `BrokenPipe`.
    pub fn run_gone(shell: &mut Shell, builtin: &Builtin, args: &[&str]) -> Run {
        let err = Buffer::new();
        let mut io = Io::buffers(Buffer::new(), err.clone());
        io.set(1, Fd::writer(Gone));
        let result = call(shell, builtin, args, io);
        Run {
            out: Vec::new(),
            err: String::from_utf8_lossy(&err.take()).into_owned(),
            result,
        }
    }
}
