//! `tee`: copy standard input to standard output and to files.
//!
//! It streams chunk by chunk and flushes standard output after each, so the next stage of a
//! pipeline sees bytes as they are produced. A file that cannot be opened or written is
//! warned about and dropped while the copy goes on (status 1 at the end), even when it is the
//! only file: copying the input through is tee's first job. When standard output's reader
//! goes away tee stops, as GNU tee does on SIGPIPE, so an endless producer ends.

use std::io::{self, Read, Write};

use crate::builtins::{Builtin, Ctx, Example, args, operands};
use crate::eval::{ShellError, Status};
use crate::flags::{Flag, Spec, Undeclared};
use crate::ns::HandleWriter;

pub const TEE: Builtin = Builtin::new(
    "tee",
    "copy standard input to standard output and to each file",
    run,
)
.flags(Spec::new(&[Flag::switch(
    'a',
    "append to the files instead of truncating them",
)]))
.operands("[FILE...]")
.examples(&[Example {
    script: "echo hi | tee /tmp/copy; cat /tmp/copy",
    output: "hi\nhi\n",
}]);

fn run(ctx: &mut Ctx<'_>, args: &[String]) -> Result<Status, ShellError> {
    let mut append = false;
    let first = args::parse(ctx, args, |flag, _| {
        match flag {
            'a' => append = true,
            other => return Err(Undeclared(other).into()),
        }
        Ok(())
    })?;
    let mut failed = false;
    let mut files: Vec<(&str, HandleWriter)> = Vec::new();
    for name in &args[first..] {
        match ctx.open_write(name, append) {
            Ok(file) => files.push((name, file)),
            Err(e) => {
                operands::warn_error(ctx, &e);
                failed = true;
            }
        }
    }
    let (mut input, mut out) = (ctx.input(), ctx.out());
    let mut chunk = vec![0; crate::ns::stream::CHUNK];
    loop {
        let n = match input.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(ctx.fail(format!("standard input: {e}"))),
        };
        if let Err(e) = out.write_all(&chunk[..n]).and_then(|()| out.flush()) {
            return operands::output_error(ctx, e);
        }
        files.retain_mut(|(name, file)| match file.write_all(&chunk[..n]) {
            Ok(()) => true,
            Err(e) => {
                ctx.warn(format_args!("{name}: {e}"));
                failed = true;
                false
            }
        });
    }
    for (name, file) in &mut files {
        if let Err(e) = file.flush() {
            ctx.warn(format_args!("{name}: {e}"));
            failed = true;
        }
    }
    Ok(operands::status(failed))
}

#[cfg(test)]
mod tests {
    use super::super::testing::{run, run_gone, run_in, shell_with};
    use super::*;
    use crate::ns::OpenFlags;

    fn contents(shell: &crate::eval::Shell, path: &str) -> String {
        let mut text = String::new();
        let handle = shell
            .proc
            .ns
            .open(path, OpenFlags::read())
            .map_err(|e| e.to_string());
        let read = handle.and_then(|h| {
            crate::ns::HandleReader::new(h)
                .read_to_string(&mut text)
                .map_err(|e| e.to_string())
        });
        assert!(read.is_ok(), "{path}: {read:?}");
        text
    }

    #[test]
    fn copies_to_standard_output() {
        let r = run(&TEE, &[], b"a\nb");
        assert_eq!((r.out(), r.status()), ("a\nb".to_string(), String::new()));
        assert_eq!(run(&TEE, &[], b"").out(), "");
        assert_eq!(run(&TEE, &[], b"\xff\x00").out, b"\xff\x00");
    }

    #[test]
    fn copies_to_files_truncating_or_appending() {
        let mut shell = shell_with(&[("/old", "old\n")]);
        let r = run_in(&mut shell, &TEE, &["/old", "/new"], b"x\n");
        assert_eq!((r.out(), r.status()), ("x\n".to_string(), String::new()));
        assert_eq!(
            (contents(&shell, "/old"), contents(&shell, "/new")),
            ("x\n".into(), "x\n".into())
        );
        run_in(&mut shell, &TEE, &["-a", "/old"], b"y\n");
        assert_eq!(contents(&shell, "/old"), "x\ny\n");
    }

    #[test]
    fn a_file_that_cannot_be_opened_is_skipped() {
        let mut shell = shell_with(&[]);
        let r = run_in(&mut shell, &TEE, &["/no/such/dir/f", "/ok"], b"data\n");
        assert_eq!(
            (r.out(), r.status()),
            ("data\n".to_string(), "1".to_string())
        );
        assert!(r.err.starts_with("tee: /no/such/dir/f"), "{}", r.err);
        assert_eq!(contents(&shell, "/ok"), "data\n");
    }

    #[test]
    fn bad_flag_and_gone_reader() {
        assert!(run(&TEE, &["-x"], b"").status().contains("unknown flag -x"));
        assert_eq!(
            run_gone(&TEE, &[], b"abc").map(|s| s.is_ok()).ok(),
            Some(true)
        );
    }
}
