//! `cp`: copy files, and with `-r` directory trees, within the namespace.
//!
//! Files are streamed in 64 KiB chunks, so copying never holds a whole file, and a copy can
//! cross mounts freely (which is how `mv` falls back when a rename cannot). A directory is
//! merged into one already at the destination, as GNU `cp -r` does. Copying a directory
//! into itself, or a file onto itself, is refused before anything is written: either would
//! never end or would truncate the source. It must never read or write the host's files.

use std::io::{self, Read, Write};

use super::{Destination, ns_error_at, resolve};
use crate::builtins::{Builtin, Ctx, Example, args};
use crate::eval::{ShellError, Status};
use crate::flags::{Flag, Spec, Undeclared};
use crate::ns::{FileKind, HandleReader, HandleWriter, Namespace, NsError, OpenFlags, path};

pub const CP: Builtin = Builtin::new(
    "cp",
    "copy files (-r: directories too); into DST when it is a directory",
    run,
)
.flags(Spec::new(&[
    Flag::switch('r', "copy directories and everything in them"),
    Flag::switch('R', "the same as -r"),
]))
.operands("SRC... DST")
.examples(&[Example {
    script: "echo hi > /tmp/a; cp /tmp/a /tmp/b; cat /tmp/b",
    output: "hi\n",
}]);

fn run(ctx: &mut Ctx<'_>, args: &[String]) -> Result<Status, ShellError> {
    let mut recursive = false;
    let first = args::parse(ctx, args, |flag, _| {
        match flag {
            'r' | 'R' => recursive = true,
            other => return Err(Undeclared(other).into()),
        }
        Ok(())
    })?;
    let destination = Destination::of(ctx, args, first)?;
    let last = args.len() - 1;
    super::each_operand(ctx, args, first, last, |index, _| {
        let source = resolve(ctx, args, index)?;
        let target = destination.for_source(&source);
        copy(&ctx.shell.proc.ns, &source, &target, recursive)
            .map_err(|e| ns_error_at(ctx, e, index))
    })
}

/// Copies `source` to `target` (both clean): a file, or with `recursive` a directory tree.
pub(super) fn copy(
    ns: &Namespace,
    source: &str,
    target: &str,
    recursive: bool,
) -> Result<(), NsError> {
    let stat = ns.stat(source)?;
    let mut chunk = vec![0; super::CHUNK];
    match stat.kind {
        FileKind::Dir if !recursive => Err(NsError::IsDir {
            path: source.to_string(),
        }),
        FileKind::Dir if path::is_under(target, source) => Err(NsError::InvalidPath {
            path: target.to_string(),
            reason: format!("cannot copy {source} into itself"),
        }),
        FileKind::Dir => copy_tree(ns, source, target, &mut chunk),
        FileKind::File if source == target => Err(NsError::InvalidPath {
            path: target.to_string(),
            reason: "source and destination are the same file".into(),
        }),
        FileKind::File => copy_file(ns, source, target, &mut chunk),
    }
}

/// Copies the directory `source` into `target`, made if missing. Recursion is bounded by
/// the path length limit, and the listing is read before copying, so a target inside the
/// source could not loop (and [`copy`] refuses it anyway).
fn copy_tree(ns: &Namespace, source: &str, target: &str, chunk: &mut [u8]) -> Result<(), NsError> {
    crate::nsops::ensure_dir(ns, target)?;
    for entry in ns.readdir(source)? {
        let (from, to) = (
            path::join(source, &entry.name),
            path::join(target, &entry.name),
        );
        match entry.kind {
            FileKind::Dir => copy_tree(ns, &from, &to, chunk)?,
            FileKind::File => copy_file(ns, &from, &to, chunk)?,
        }
    }
    Ok(())
}

/// Streams one file's bytes; errors name the side that failed, in the user's terms.
fn copy_file(ns: &Namespace, source: &str, target: &str, chunk: &mut [u8]) -> Result<(), NsError> {
    let mut reader = HandleReader::new(ns.open(source, OpenFlags::read())?);
    let created = ns.open(target, OpenFlags::write().create().truncate())?;
    let mut writer = HandleWriter::new(created);
    loop {
        let n = match reader.read(chunk) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(crate::ns::stream::ns_error(&e, source).at(source)),
        };
        let bytes = chunk.get(..n).unwrap_or_default();
        writer
            .write_all(bytes)
            .map_err(|e| crate::ns::stream::ns_error(&e, target).at(target))?;
    }
    writer.finish().map_err(|e| e.at(target))?;
    reader.close().map_err(|e| e.at(source))
}

#[cfg(test)]
mod tests {
    use super::super::testing::{listing, read, run_in, shell_with, write};
    use super::*;

    #[test]
    fn copies_a_file_to_a_new_name_or_over_an_old_one() {
        let mut shell = shell_with(&["/d/", "/d/a", "/b"]);
        shell.proc.cwd = "/d".into();
        let r = run_in(&mut shell, &CP, &["a", "c"], b"");
        assert_eq!((r.status(), r.err), (String::new(), String::new()));
        assert_eq!(read(&shell, "/d/c").as_deref(), Some("/d/a"));
        run_in(&mut shell, &CP, &["/b", "a"], b"");
        assert_eq!(read(&shell, "/d/a").as_deref(), Some("/b"));
    }

    #[test]
    fn copies_into_a_directory() {
        let mut shell = shell_with(&["/a", "/b", "/d/"]);
        assert_eq!(
            run_in(&mut shell, &CP, &["/a", "/b", "/d"], b"").status(),
            ""
        );
        assert_eq!(listing(&shell, "/d"), ["/d/a", "/d/b"]);
        assert_eq!(read(&shell, "/d/b").as_deref(), Some("/b"));
    }

    #[test]
    fn streams_large_files() {
        let mut shell = shell_with(&[]);
        let big = "0123456789abcdef".repeat(super::super::CHUNK / 8 + 3);
        write(&shell, "/big", &big);
        assert_eq!(
            run_in(&mut shell, &CP, &["/big", "/copy"], b"").status(),
            ""
        );
        assert!(read(&shell, "/copy") == Some(big));
    }

    #[test]
    fn recursive_copies_a_tree_and_merges() {
        let tree = [
            "/t/", "/t/a", "/t/.h", "/t/s/", "/t/s/b", "/t/s/e/", "/o/", "/o/t/", "/o/t/z",
        ];
        let mut shell = shell_with(&tree);
        assert_eq!(
            run_in(&mut shell, &CP, &["-r", "/t", "/n"], b"").status(),
            ""
        );
        assert_eq!(
            listing(&shell, "/n"),
            ["/n/.h", "/n/a", "/n/s/", "/n/s/b", "/n/s/e/"]
        );
        assert_eq!(read(&shell, "/n/s/b").as_deref(), Some("/t/s/b"));
        assert_eq!(
            run_in(&mut shell, &CP, &["-R", "/t", "/o"], b"").status(),
            ""
        );
        assert_eq!(
            listing(&shell, "/o"),
            [
                "/o/t/",
                "/o/t/.h",
                "/o/t/a",
                "/o/t/s/",
                "/o/t/s/b",
                "/o/t/s/e/",
                "/o/t/z"
            ]
        );
    }

    #[test]
    fn refuses_directories_without_r_and_copies_into_themselves() {
        let mut shell = shell_with(&["/t/", "/t/s/", "/f"]);
        let r = run_in(&mut shell, &CP, &["/t", "/u"], b"");
        assert_eq!(
            (r.status(), r.arg()),
            ("error: cp: /t: is a directory".into(), Some(0))
        );
        let r = run_in(&mut shell, &CP, &["-r", "/t", "/t/s"], b"");
        assert_eq!(
            (r.status(), r.arg()),
            (
                "error: cp: /t/s/t: invalid path: cannot copy /t into itself".into(),
                Some(1)
            )
        );
        let r = run_in(&mut shell, &CP, &["-r", "/", "/t"], b"");
        assert!(r.status().contains("into itself"), "{}", r.status());
        let r = run_in(&mut shell, &CP, &["/f", "/"], b"");
        assert!(r.status().contains("the same file"), "{}", r.status());
        assert_eq!(listing(&shell, "/"), ["/f", "/t/", "/t/s/"]);
    }

    #[test]
    fn operand_errors() {
        let mut shell = shell_with(&["/a", "/d/"]);
        let r = run_in(&mut shell, &CP, &["/nope", "/x"], b"");
        assert_eq!(
            (r.status(), r.arg()),
            ("error: cp: /nope: file does not exist".into(), Some(0))
        );
        let r = run_in(&mut shell, &CP, &["/nope", "/a", "/d"], b"");
        assert_eq!(
            (r.status(), r.err.as_str()),
            ("1".into(), "cp: /nope: file does not exist\n")
        );
        assert_eq!(read(&shell, "/d/a").as_deref(), Some("/a"));
        let r = run_in(&mut shell, &CP, &["/a", "/a", "/f"], b"");
        assert_eq!(
            (r.status(), r.arg()),
            ("error: cp: /f: not a directory".into(), Some(2))
        );
        let r = run_in(&mut shell, &CP, &["/a", "/no/such"], b"");
        assert_eq!(r.status(), "error: cp: /no/such: file does not exist");
    }

    #[test]
    fn usage_errors() {
        let mut shell = shell_with(&["/a"]);
        assert!(
            run_in(&mut shell, &CP, &[], b"")
                .status()
                .contains("needs a source")
        );
        assert!(
            run_in(&mut shell, &CP, &["/a"], b"")
                .status()
                .contains("needs a source")
        );
        assert!(
            run_in(&mut shell, &CP, &["-p", "/a", "/b"], b"")
                .status()
                .contains("unknown flag -p")
        );
    }
}
