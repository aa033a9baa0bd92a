//! The mount table's core for every door: `mount`, `bind`, `unmount`, `newns` and `ns`.
//!
//! The builtins of those names and the Rhai functions call these and nothing else, so the
//! two doors cannot disagree. `ns` prints the table as the commands that rebuild it: `newns`
//! first (a fresh bare root), then every mount and bind in the order it was made, because a
//! bind takes what its NEW showed at that moment. Nothing here may touch the host or keep
//! state outside the shell it is given.

use std::sync::Arc;

use super::cow::{cow_in, cow_usage};
use super::resolve;
use crate::eval::shell::bare_namespace;
use crate::eval::{Shell, ShellError};
use crate::ns::path;
pub use crate::ns::replay::{ns_command, ns_text_of};
use crate::ns::{FileKind, FileService, Namespace, NsError};
pub use crate::ns::{MountFlags, RforkFlags};
use crate::services::agents::AgentsService;
use crate::services::task::{Command, TaskRoot, TaskService};

/// Builds a service of `kind` from `args` and mounts it at `point` in the shell's namespace.
/// `cow` overlays a namespace path, which [`crate::services::build`] cannot see: it goes to
/// [`mount_cow`](super::mount_cow).
pub fn mount(
    shell: &mut Shell,
    kind: &str,
    args: &[String],
    point: &str,
    flags: MountFlags,
) -> Result<(), ShellError> {
    shell.proc.ns = mount_in(
        &shell.proc.ns,
        &shell.proc.cwd,
        &shell.engines.task_root,
        kind,
        args,
        point,
        flags,
    )
    .map_err(|e| ShellError::ns("mount", e))?;
    Ok(())
}

/// The core of [`mount`] on any namespace: `ns` with a service of `kind` built from `args`
/// mounted at `point` (relative to `cwd`). What a task's `ctl` file uses on the task's own
/// namespace. `task` is built over `tasks`, the task files of the shell that mounts it.
pub fn mount_in(
    ns: &Namespace,
    cwd: &str,
    tasks: &TaskRoot,
    kind: &str,
    args: &[String],
    point: &str,
    flags: MountFlags,
) -> Result<Namespace, NsError> {
    // Before anything is built: building a `host` service opens a host directory, and even
    // its error would tell a no-attach caller whether that directory exists.
    if ns.is_no_attach() {
        return Err(NsError::NoAttach {
            path: path::resolve(cwd, point)?,
        });
    }
    if kind == "cow" {
        return match args {
            [source] => cow_in(ns, cwd, source, point, flags),
            _ => Err(cow_usage()),
        };
    }
    // The point first, so a bad point is reported before a bad service, as it always was.
    let point = path::resolve(cwd, point)?;
    let service: Arc<dyn FileService> = match kind {
        // The task files serve a shell's task core, which `build` cannot see.
        "task" => {
            crate::services::no_arguments(kind, args)?;
            Arc::new(TaskService::new(tasks.clone()))
        }
        // The agents of the shell's state directory, which `build` cannot see either.
        "agents" => {
            crate::services::no_arguments(kind, args)?;
            Arc::new(AgentsService::new(tasks.agents().clone()))
        }
        _ => crate::services::build(kind, args)?,
    };
    ns.mount(&point, service, flags.flag, flags.create)
}

/// Mounts an already built service at `point` in the shell's namespace: the one mount path
/// under [`mount`] and under doors that build their service themselves (Rhai's
/// `mount_map`, Rust code mounting a `func` tree).
pub fn mount_service(
    shell: &mut Shell,
    service: Arc<dyn FileService>,
    point: &str,
    flags: MountFlags,
) -> Result<(), ShellError> {
    let point = resolve(shell, "mount", point)?;
    shell.proc.ns = shell
        .proc
        .ns
        .mount(&point, service, flags.flag, flags.create)
        .map_err(|e| ShellError::ns("mount", e))?;
    Ok(())
}

/// Makes `old` show what `new` shows now (Plan 9 `bind`; see [`crate::ns::Namespace::bind`]).
pub fn bind(shell: &mut Shell, new: &str, old: &str, flags: MountFlags) -> Result<(), ShellError> {
    shell.proc.ns = bind_in(&shell.proc.ns, &shell.proc.cwd, new, old, flags)
        .map_err(|e| ShellError::ns("bind", e))?;
    Ok(())
}

/// The core of [`bind`] on any namespace, paths relative to `cwd`.
pub fn bind_in(
    ns: &Namespace,
    cwd: &str,
    new: &str,
    old: &str,
    flags: MountFlags,
) -> Result<Namespace, NsError> {
    let new = path::resolve(cwd, new)?;
    let old = path::resolve(cwd, old)?;
    ns.bind(&new, &old, flags.flag, flags.create)
}

/// Undoes the most recent mount or bind at `point`.
pub fn unmount(shell: &mut Shell, point: &str) -> Result<(), ShellError> {
    shell.proc.ns = unmount_in(&shell.proc.ns, &shell.proc.cwd, point)
        .map_err(|e| ShellError::ns("unmount", e))?;
    Ok(())
}

/// The core of [`unmount`] on any namespace, `point` relative to `cwd`.
pub fn unmount_in(ns: &Namespace, cwd: &str, point: &str) -> Result<Namespace, NsError> {
    ns.unmount(&path::resolve(cwd, point)?)
}

/// Takes what came from `new` out of the union at `old`, leaving the rest in order
/// (`unmount NEW OLD`; see [`crate::ns::Namespace::unmount_from`]).
pub fn unmount_bound(shell: &mut Shell, new: &str, old: &str) -> Result<(), ShellError> {
    shell.proc.ns = unmount_bound_in(&shell.proc.ns, &shell.proc.cwd, new, old)
        .map_err(|e| ShellError::ns("unmount", e))?;
    Ok(())
}

/// The core of [`unmount_bound`] on any namespace, paths relative to `cwd`.
pub fn unmount_bound_in(
    ns: &Namespace,
    cwd: &str,
    new: &str,
    old: &str,
) -> Result<Namespace, NsError> {
    let new = path::resolve(cwd, new)?;
    let old = path::resolve(cwd, old)?;
    ns.unmount_from(&new, &old)
}

/// Replaces the shell's namespace with a fresh bare root (the default root's directories,
/// nothing mounted). The working directory stays when it still exists, else becomes `/`.
/// A no-attach namespace stays no-attach (Plan 9's `rfork(RFCNAMEG)` inherits `noattach`):
/// otherwise `newns` would be the way out of the boundary.
pub fn newns(shell: &mut Shell) {
    shell.proc.ns = newns_of(&shell.proc.ns);
    let cwd_is_dir = shell
        .proc
        .ns
        .stat(&shell.proc.cwd)
        .is_ok_and(|stat| stat.kind == FileKind::Dir);
    if !cwd_is_dir {
        shell.proc.cwd = "/".into();
    }
}

/// The fresh bare namespace that replaces `ns` (see [`newns`]).
pub fn newns_of(ns: &Namespace) -> Namespace {
    match ns.is_no_attach() {
        true => bare_namespace().no_attach(),
        false => bare_namespace(),
    }
}

/// `rfork`: the shell's namespace made clean and/or no-attach (see [`RforkFlags`]).
pub fn rfork(shell: &mut Shell, flags: RforkFlags) {
    if flags.clean_ns {
        newns(shell); // which also settles the working directory
    }
    if flags.no_attach {
        shell.proc.ns = shell.proc.ns.no_attach();
    }
}

/// The core of [`rfork`] on any namespace (a task's `ctl` shapes its task's with it); the
/// clean namespace of `N` is the bare root, as [`newns_of`] makes it.
pub fn rfork_in(ns: &Namespace, flags: RforkFlags) -> Namespace {
    let ns = match flags.clean_ns {
        true => newns_of(ns),
        false => ns.clone(),
    };
    match flags.no_attach {
        true => ns.no_attach(),
        false => ns,
    }
}

/// The mount table as commands, one a line, that rebuild it when run in order: `newns`,
/// then each mount and bind in the order it was made. A layer taken out by `unmount` leaves
/// no line.
pub fn ns_text(shell: &Shell) -> String {
    ns_text_of(&shell.proc.ns)
}

/// One namespace verb of a task's ctl file (`bind`, `mount`, `unmount`, `rfork`) applied to
/// the task's namespace `ns` with working directory `cwd`: the same cores the builtins and
/// Rhai call. The shell hands this function to its task files' root ([`TaskRoot::new`]),
/// so the file service runs the verbs without importing this layer.
pub fn task_verb(
    ns: &Namespace,
    cwd: &str,
    root: &TaskRoot,
    command: &Command,
) -> Result<Namespace, NsError> {
    match command {
        Command::Bind { flags, new, old } => bind_in(ns, cwd, new, old, *flags),
        Command::Mount {
            flags,
            kind,
            args,
            point,
        } => mount_in(ns, cwd, root, kind, args, point, *flags),
        Command::Unmount {
            new: Some(new),
            old,
        } => unmount_bound_in(ns, cwd, new, old),
        Command::Unmount { new: None, old } => unmount_in(ns, cwd, old),
        Command::Rfork(flags) => Ok(rfork_in(ns, *flags)),
        Command::Start | Command::Kill => Ok(ns.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{bare_shell, message, shell_with};
    use super::super::{list, mkdir, write};
    use super::*;
    use crate::eval::{Buffer, Io};
    use crate::lang::SourceFile;
    use crate::ns::{MountFlag, MountRecord, MountSource};

    fn names(shell: &Shell, dir: &str) -> Vec<String> {
        list(shell, dir)
            .unwrap_or_default()
            .into_iter()
            .map(|e| e.name)
            .collect()
    }

    /// Runs `text` as a script in `shell`; its stderr, which should stay empty.
    fn run(shell: &mut Shell, text: &str) -> String {
        let errors = Buffer::new();
        let io = Io::buffers(Buffer::new(), errors.clone());
        shell.run_script(Arc::new(SourceFile::new("replay", text)), &io);
        String::from_utf8_lossy(&errors.take()).into_owned()
    }

    fn flags(flag: MountFlag, create: bool) -> MountFlags {
        MountFlags { flag, create }
    }

    #[test]
    fn mount_and_unmount_change_the_shell_namespace() {
        let mut shell = shell_with(&["/n"]);
        shell.proc.cwd = "/n".into();
        assert!(mount(&mut shell, "mem", &[], ".", MountFlags::default()).is_ok());
        assert!(shell.proc.ns.is_mount_point("/n"));
        assert!(unmount(&mut shell, "/n").is_ok());
        assert!(!shell.proc.ns.is_mount_point("/n"));
        assert_eq!(
            message(unmount(&mut shell, "/n")),
            "unmount: /n: not a mount point"
        );
        assert_eq!(
            message(mount(&mut shell, "nope", &[], "/n", MountFlags::default())),
            "mount: unknown service 'nope'"
        );
        assert_eq!(
            message(mount(&mut shell, "mem", &[], "/zz", MountFlags::default())),
            "mount: /zz: file does not exist"
        );
        let args = ["extra".to_string()];
        assert_eq!(
            message(mount(&mut shell, "mem", &args, "/n", MountFlags::default())),
            "mount: mem: SIZE must be bytes or a number with K, M or G, not extra"
        );
    }

    #[test]
    fn ns_text_lists_mounts_and_binds_in_the_order_made_and_replays() {
        let mut shell = bare_shell();
        let steps: [(&str, MountFlag, bool); 4] = [
            ("/n", MountFlag::Replace, false),
            ("/n", MountFlag::Before, true),
            ("/dev", MountFlag::After, false),
            ("/lib", MountFlag::Replace, true),
        ];
        for (point, flag, create) in steps {
            let mounted = mount(&mut shell, "mem", &[], point, flags(flag, create));
            assert!(mounted.is_ok(), "{point}: {}", message(mounted));
        }
        assert!(bind(&mut shell, "/lib", "/n", flags(MountFlag::After, false)).is_ok());
        assert!(bind(&mut shell, "/dev", "/bin", flags(MountFlag::Before, true)).is_ok());
        // The /dev mount goes from the middle of the order; its bind elsewhere stays.
        assert!(unmount(&mut shell, "/dev").is_ok());
        assert!(bind(&mut shell, "/n", "/tmp", MountFlags::default()).is_ok());
        let text = ns_text(&shell);
        assert_eq!(
            text,
            "newns\nmount mem /n\nmount -b -c mem /n\nmount -c mem /lib\nbind -a /lib /n\n\
             bind -b -c /dev /bin\nbind /n /tmp\n"
        );
        let mut fresh = Shell::new();
        assert_eq!(run(&mut fresh, &text), "");
        assert_eq!(ns_text(&fresh), text);
    }

    #[test]
    fn bind_and_unmount_bound_change_the_union() {
        let mut shell = bare_shell();
        assert!(mkdir(&shell, "/tmp/a", false).is_ok());
        assert!(mkdir(&shell, "/tmp/b", false).is_ok());
        assert!(write(&shell, "/tmp/a/x", b"a", false).is_ok());
        assert!(write(&shell, "/tmp/b/y", b"b", false).is_ok());
        shell.proc.cwd = "/tmp".into();
        assert!(bind(&mut shell, "a", "/n", flags(MountFlag::After, false)).is_ok());
        assert!(bind(&mut shell, "b", "/n", flags(MountFlag::After, false)).is_ok());
        assert_eq!(names(&shell, "/n"), ["x", "y"]);
        assert_eq!(
            message(unmount_bound(&mut shell, "/lib", "/n")),
            "unmount: /lib: not bound on /n"
        );
        assert!(unmount_bound(&mut shell, "a", "/n").is_ok());
        assert_eq!(names(&shell, "/n"), ["y"]);
        assert_eq!(
            message(bind(&mut shell, "nope", "/n", MountFlags::default())),
            "bind: /tmp/nope: file does not exist"
        );
        assert_eq!(
            message(bind(&mut shell, "a/x", "/n", MountFlags::default())),
            "bind: /n: cannot bind: a file cannot be bound onto a directory"
        );
        assert_eq!(
            message(unmount_bound(&mut shell, "a", "/lib")),
            "unmount: /lib: not a mount point"
        );
    }

    #[test]
    fn newns_resets_to_the_bare_root() {
        let mut shell = Shell::new();
        assert!(mkdir(&shell, "/tmp/d", false).is_ok());
        assert!(mount(&mut shell, "mem", &[], "/n", MountFlags::default()).is_ok());
        shell.proc.cwd = "/tmp/d".into();
        newns(&mut shell);
        assert_eq!(ns_text(&shell), "newns\n");
        assert_eq!(shell.proc.cwd, "/", "/tmp/d went with the /tmp mount");
        assert_eq!(
            names(&shell, "/"),
            ["agents", "bin", "dev", "env", "lib", "n", "task", "tmp"]
        );
        shell.proc.cwd = "/lib".into();
        newns(&mut shell);
        assert_eq!(shell.proc.cwd, "/lib");
    }

    #[test]
    fn ns_commands_quote_what_rc_would_split() {
        let record = MountRecord {
            point: "/n/my dir".into(),
            source: MountSource::Service {
                kind: "host".into(),
                args: vec!["it's".into(), "plain".into()],
            },
            flag: MountFlag::After,
            create: true,
        };
        assert_eq!(
            ns_command(&record),
            "mount -a -c host 'it''s' plain '/n/my dir'"
        );
        let flaglike = MountRecord {
            source: MountSource::Service {
                kind: "-x".into(),
                args: vec![],
            },
            flag: MountFlag::Replace,
            create: false,
            ..record.clone()
        };
        assert_eq!(ns_command(&flaglike), "mount -- -x '/n/my dir'");
        let bound = MountRecord {
            source: MountSource::Bind {
                new: "/tmp/a b".into(),
            },
            flag: MountFlag::Before,
            ..record
        };
        assert_eq!(ns_command(&bound), "bind -b -c '/tmp/a b' '/n/my dir'");
    }
}
