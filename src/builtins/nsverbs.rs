//! The namespace verbs `mount`, `bind`, `unmount`, `newns`, `rfork`, `ns` and `cowdiff`: the shell's
//! door to [`crate::nsops`].
//!
//! Each parses its own arguments and calls the one core operation; the Rhai functions of the
//! same names call the same ones, so the two can never disagree. An error about the service,
//! a path or the mount point carries that argument's index, so the evaluator labels it in
//! the source. What `ns` prints is a script of `newns`, `mount` and `bind` lines: running it
//! rebuilds the table. A
//! service's ARGS are its own: `map` takes its files as `NAME=CONTENTS` words (quote them:
//! `=` is special to rc) and empty directories as `NAME/`.

use std::io::Write;

use super::{Builtin, Ctx, Example, args, operands};
use crate::eval::{ShellError, Status};
use crate::ns::{MOUNT_FLAGS, MountFlags, NsError};
use crate::nsops;

pub const BUILTINS: &[Builtin] = &[
    Builtin::new(
        "mount",
        "mount a service on a directory (-b/-a: union before/after, -c: new files go here)",
        mount,
    )
    .flags(MOUNT_FLAGS)
    .operands("SERVICE [ARGS...] POINT (mem: [SIZE]; dev, env, logs, stdlib: no ARGS; map: NAME=CONTENTS... NAME/...; cow: SOURCE; host: DIR)")
    .examples(&[
        Example {
            script: "mkdir /n/m; mount mem /n/m; echo hi > /n/m/f; ls /n/m",
            output: "f\n",
        },
        Example {
            script: "mkdir /n/m; mount map 'motd=hello' /n/m; cat /n/m/motd; echo",
            output: "hello\n",
        },
    ]),
    Builtin::new(
        "bind",
        "make OLD show what NEW shows now (-b/-a: union before/after, -c: new files go here)",
        bind,
    )
    .flags(MOUNT_FLAGS)
    .operands("NEW OLD")
    .examples(&[Example {
        script: "mkdir /tmp/a /n/b; echo hi > /tmp/a/f; bind /tmp/a /n/b; cat /n/b/f",
        output: "hi\n",
    }]),
    Builtin::new(
        "unmount",
        "undo the most recent mount or bind on OLD, or with NEW only what came from NEW",
        unmount,
    )
    .operands("[NEW] OLD")
    .examples(&[Example {
        script: "mkdir /n/m; mount mem /n/m; echo hi > /n/m/f; unmount /n/m; ls /n/m",
        output: "",
    }]),
    Builtin::new(
        "newns",
        "start over with a fresh bare namespace: the default root, nothing mounted",
        newns,
    )
    .examples(&[Example {
        script: "newns; ns",
        output: "newns\n",
    }]),
    Builtin::new(
        "rfork",
        "change the shell's namespace as rc's rfork does: m makes it no-attach (nothing new can be mounted, here or in any copy), N starts a clean one",
        rfork,
    )
    .operands("[nNesfm] (no letters: ensm; n e s f are already so in oash)")
    .examples(&[Example {
        script: "@{ rfork m; mount mem /n || echo refused }",
        output: "refused\n",
    }]),
    Builtin::new(
        "ns",
        "print the mount table as the newns, mount and bind commands that rebuild it",
        ns,
    )
    .examples(&[Example {
        script: "newns; mount -c mem /tmp; ns",
        output: "newns\nmount -c mem /tmp\n",
    }]),
    Builtin::new(
        "cowdiff",
        "list what a cow mount changed: A (added), M (modified), D (removed) and the path",
        cowdiff,
    )
    .operands("POINT")
    .examples(&[Example {
        script: "mkdir /n/c; mount cow /tmp /n/c; echo hi > /n/c/new; cowdiff /n/c",
        output: "A /n/c/new\n",
    }]),
];

fn mount(ctx: &mut Ctx<'_>, args: &[String]) -> Result<Status, ShellError> {
    let (flags, first) = MountFlags::parse_args(args).map_err(|e| args::usage_error(ctx, e))?;
    let (kind_index, point_index) = match args.len().saturating_sub(first) {
        0 => return Err(ctx.usage("missing service")),
        1 => return Err(ctx.usage("missing mount point")),
        n => (first, first + n - 1),
    };
    let (kind, point) = (&args[kind_index], &args[point_index]);
    let service_args = &args[kind_index + 1..point_index];
    // Where an error points: an unknown kind or bad arguments at the kind; for `cow`, an
    // error naming anything but the point is about the source directory; the rest, the point.
    let point_path = nsops::resolve(ctx.shell, "mount", point).ok();
    nsops::mount(ctx.shell, kind, service_args, point, flags).map_err(|e| {
        let index = match &e {
            ShellError::Ns {
                source: NsError::UnknownService { .. } | NsError::BadArgs { .. },
                ..
            } => kind_index,
            ShellError::Ns { source, .. }
                if kind == "cow" && source.path() != point_path.as_deref() =>
            {
                kind_index + 1
            }
            _ => point_index,
        };
        e.at_arg(index)
    })?;
    Ok(Status::ok())
}

fn bind(ctx: &mut Ctx<'_>, args: &[String]) -> Result<Status, ShellError> {
    let (flags, first) = MountFlags::parse_args(args).map_err(|e| args::usage_error(ctx, e))?;
    let [new, old] = &args[first..] else {
        return Err(ctx.usage(match args.len().saturating_sub(first) {
            0 => "missing NEW and OLD",
            1 => "missing OLD",
            _ => "too many arguments",
        }));
    };
    let new_path = nsops::resolve(ctx.shell, "bind", new).ok();
    nsops::bind(ctx.shell, new, old, flags).map_err(|e| blame(e, new_path, first))?;
    Ok(Status::ok())
}

fn unmount(ctx: &mut Ctx<'_>, args: &[String]) -> Result<Status, ShellError> {
    let first = args::none(ctx, args)?;
    match &args[first..] {
        [] => Err(ctx.usage("missing mount point")),
        [point] => {
            nsops::unmount(ctx.shell, point).map_err(|e| e.at_arg(first))?;
            Ok(Status::ok())
        }
        [new, old] => {
            let new_path = nsops::resolve(ctx.shell, "unmount", new).ok();
            nsops::unmount_bound(ctx.shell, new, old).map_err(|e| blame(e, new_path, first))?;
            Ok(Status::ok())
        }
        _ => Err(ctx.usage("too many arguments")),
    }
}

/// An error of `bind NEW OLD` or `unmount NEW OLD` pointing at the argument it is about:
/// NEW (at `first`) when it names NEW's path, else OLD.
fn blame(error: ShellError, new_path: Option<String>, first: usize) -> ShellError {
    let names_new = match &error {
        ShellError::Ns { source, .. } => {
            source.path().is_some() && source.path() == new_path.as_deref()
        }
        _ => false,
    };
    error.at_arg(if names_new { first } else { first + 1 })
}

fn newns(ctx: &mut Ctx<'_>, args: &[String]) -> Result<Status, ShellError> {
    if args::none(ctx, args)? < args.len() {
        return Err(ctx.usage("takes no arguments"));
    }
    nsops::newns(ctx.shell);
    Ok(Status::ok())
}

fn rfork(ctx: &mut Ctx<'_>, args: &[String]) -> Result<Status, ShellError> {
    let mut flags = nsops::RforkFlags::default();
    let refused = |e: NsError| match e {
        NsError::BadArgs { message, .. } => ctx.usage(message),
        other => ShellError::ns("rfork", other),
    };
    for (index, word) in args.iter().enumerate() {
        let parsed = nsops::RforkFlags::parse(word).map_err(|e| refused(e).at_arg(index))?;
        flags.clean_ns |= parsed.clean_ns;
        flags.no_attach |= parsed.no_attach;
    }
    if args.is_empty() {
        flags = nsops::RforkFlags::parse("").map_err(refused)?;
    }
    nsops::rfork(ctx.shell, flags);
    Ok(Status::ok())
}

fn ns(ctx: &mut Ctx<'_>, args: &[String]) -> Result<Status, ShellError> {
    if args::none(ctx, args)? < args.len() {
        return Err(ctx.usage("takes no arguments"));
    }
    let text = nsops::ns_text(ctx.shell);
    match ctx.out().write_all(text.as_bytes()) {
        Ok(()) => Ok(Status::ok()),
        Err(e) => operands::output_error(ctx, e),
    }
}

fn cowdiff(ctx: &mut Ctx<'_>, args: &[String]) -> Result<Status, ShellError> {
    let first = args::none(ctx, args)?;
    let point = match &args[first..] {
        [] => return Err(ctx.usage("missing mount point")),
        [point] => point,
        _ => return Err(ctx.usage("too many arguments")),
    };
    let text = nsops::cow_diff_text(ctx.shell, point).map_err(|e| e.at_arg(first))?;
    match ctx.out().write_all(text.as_bytes()) {
        Ok(()) => Ok(Status::ok()),
        Err(e) => operands::output_error(ctx, e),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::eval::{Buffer, Io, Shell};
    use crate::ns::Namespace;
    use crate::services::mem::MemService;

    /// A shell whose namespace is only a `mem` root holding a few directories.
    fn small_shell() -> Shell {
        let mut shell = Shell::new();
        shell.proc.ns = Namespace::new(Arc::new(MemService::with_dirs(&[
            "/n", "/dev", "/lib", "/tmp",
        ])));
        shell
    }

    /// Runs builtin `name` with `args`: its standard output and its status or error.
    fn run(shell: &mut Shell, name: &str, args: &[&str]) -> (String, String) {
        let Some(builtin) = BUILTINS.iter().find(|b| b.name == name) else {
            panic!("no builtin {name}")
        };
        let out = Buffer::new();
        let io = Io::buffers(out.clone(), Buffer::new());
        let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        let mut ctx = Ctx { shell, io, name };
        let result = match (builtin.run)(&mut ctx, &args) {
            Ok(status) => status.to_string(),
            Err(e) => format!("error: {e}"),
        };
        (String::from_utf8_lossy(&out.take()).into_owned(), result)
    }

    fn arg_of(shell: &mut Shell, name: &str, args: &[String]) -> Option<usize> {
        let builtin = BUILTINS.iter().find(|b| b.name == name)?;
        let io = Io::buffers(Buffer::new(), Buffer::new());
        let mut ctx = Ctx { shell, io, name };
        match (builtin.run)(&mut ctx, args) {
            Err(ShellError::Ns { arg, .. }) => arg,
            _ => None,
        }
    }

    #[test]
    fn mount_ns_unmount() {
        let mut shell = small_shell();
        assert_eq!(run(&mut shell, "mount", &["-bc", "mem", "/n"]).1, "");
        assert_eq!(run(&mut shell, "mount", &["-a", "mem", "/n"]).1, "");
        let (text, status) = run(&mut shell, "ns", &[]);
        assert_eq!(status, "");
        assert_eq!(text, "newns\nmount -b -c mem /n\nmount -a mem /n\n");
        assert_eq!(run(&mut shell, "unmount", &["/n"]).1, "");
        assert_eq!(run(&mut shell, "unmount", &["/n"]).1, "");
        assert_eq!(run(&mut shell, "ns", &[]).0, "newns\n");
    }

    #[test]
    fn bind_unmount_new_old_and_newns() {
        let mut shell = small_shell();
        assert_eq!(run(&mut shell, "mount", &["mem", "/lib"]).1, "");
        assert_eq!(run(&mut shell, "bind", &["-bc", "/lib", "/n"]).1, "");
        assert_eq!(run(&mut shell, "bind", &["-a", "/tmp", "/n"]).1, "");
        let text = run(&mut shell, "ns", &[]).0;
        assert_eq!(
            text,
            "newns\nmount mem /lib\nbind -b -c /lib /n\nbind -a /tmp /n\n"
        );
        assert_eq!(run(&mut shell, "unmount", &["/lib", "/n"]).1, "");
        assert_eq!(
            run(&mut shell, "ns", &[]).0,
            "newns\nmount mem /lib\nbind -a /tmp /n\n"
        );
        assert_eq!(run(&mut shell, "newns", &[]).1, "");
        assert_eq!(run(&mut shell, "ns", &[]).0, "newns\n");
    }

    #[test]
    fn ns_output_replayed_through_mount_rebuilds_the_table() {
        let mut shell = small_shell();
        for args in [
            ["-b", "mem", "/dev"],
            ["-c", "mem", "/lib"],
            ["-ac", "mem", "/lib"],
        ] {
            assert_eq!(run(&mut shell, "mount", &args).1, "");
        }
        let text = run(&mut shell, "ns", &[]).0;
        let mut fresh = small_shell();
        for line in text.lines() {
            let words: Vec<&str> = line.split(' ').collect();
            assert_eq!(run(&mut fresh, words[0], &words[1..]).1, "", "{line}");
        }
        assert_eq!(run(&mut fresh, "ns", &[]).0, text);
    }

    #[test]
    fn bad_arguments() {
        let mut shell = small_shell();
        let cases: &[(&str, &[&str], &str)] = &[
            ("mount", &[], "error: mount: missing service"),
            ("mount", &["mem"], "error: mount: missing mount point"),
            (
                "mount",
                &["nope", "/n"],
                "error: mount: unknown service 'nope'",
            ),
            (
                "mount",
                &["mem", "/nowhere"],
                "error: mount: /nowhere: file does not exist",
            ),
            (
                "mount",
                &["mem", "x", "/n"],
                "error: mount: mem: SIZE must be bytes or a number with K, M or G, not x",
            ),
            (
                "mount",
                &["-ab", "mem", "/n"],
                "error: mount: -a and -b exclude each other",
            ),
            (
                "mount",
                &["-x", "mem", "/n"],
                "error: mount: unknown flag -x",
            ),
            ("unmount", &[], "error: unmount: missing mount point"),
            ("unmount", &["/n"], "error: unmount: /n: not a mount point"),
            (
                "unmount",
                &["/n", "/dev"],
                "error: unmount: /dev: not a mount point",
            ),
            (
                "unmount",
                &["/"],
                "error: unmount: /: permission denied (the root cannot be unmounted)",
            ),
            ("ns", &["x"], "error: ns: takes no arguments"),
            ("newns", &["x"], "error: newns: takes no arguments"),
            ("bind", &[], "error: bind: missing NEW and OLD"),
            ("bind", &["/n"], "error: bind: missing OLD"),
            (
                "bind",
                &["/n", "/dev", "/lib"],
                "error: bind: too many arguments",
            ),
            (
                "bind",
                &["-ab", "/n", "/dev"],
                "error: bind: -a and -b exclude each other",
            ),
            (
                "bind",
                &["/nope", "/n"],
                "error: bind: /nope: file does not exist",
            ),
            (
                "bind",
                &["/n", "/nope"],
                "error: bind: /nope: file does not exist",
            ),
            (
                "unmount",
                &["/dev", "/n"],
                "error: unmount: /n: not a mount point",
            ),
            (
                "unmount",
                &["/n", "/dev", "/lib"],
                "error: unmount: too many arguments",
            ),
        ];
        for (name, args, expected) in cases {
            assert_eq!(run(&mut shell, name, args).1, *expected, "{name} {args:?}");
        }
        assert_eq!(run(&mut shell, "ns", &[]).0, "newns\n", "nothing changed");
        let words = |w: &[&str]| w.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            arg_of(&mut shell, "mount", &words(&["-c", "nope", "/n"])),
            Some(1)
        );
        assert_eq!(
            arg_of(&mut shell, "mount", &words(&["mem", "/nowhere"])),
            Some(1)
        );
        assert_eq!(arg_of(&mut shell, "unmount", &words(&["/n"])), Some(0));
        let bind_at = |shell: &mut Shell, args: &[&str]| arg_of(shell, "bind", &words(args));
        assert_eq!(bind_at(&mut shell, &["-a", "/nope", "/n"]), Some(1));
        assert_eq!(bind_at(&mut shell, &["-a", "/n", "/nope"]), Some(2));
        assert_eq!(run(&mut shell, "bind", &["-a", "/dev", "/n"]).1, "");
        assert_eq!(
            arg_of(&mut shell, "unmount", &words(&["/lib", "/n"])),
            Some(0),
            "/lib is not bound on /n: NEW is at fault"
        );
        assert_eq!(
            arg_of(&mut shell, "unmount", &words(&["/dev", "/lib"])),
            Some(1)
        );
    }
}
