//! `mount cow SOURCE POINT` and `cowdiff POINT`: the copy-on-write overlay's core for every
//! door. A cow overlays a namespace directory, which [`crate::services::build`] cannot see,
//! so it is built here from the service answering for SOURCE now. Nothing here may modify
//! the overlaid base.

use std::sync::Arc;

use super::{MountFlags, resolve};
use crate::eval::{Shell, ShellError};
use crate::ns::{Change, FileKind, Namespace, NsError, path};
use crate::services::cow::CowService;

pub(super) fn cow_usage() -> NsError {
    NsError::BadArgs {
        kind: "cow".into(),
        message: "takes one argument, the directory to overlay".into(),
    }
}

/// Mounts at `point` a copy-on-write overlay of the directory `source`, over the service
/// that resolves `source` now. Mounts below `source` belong to other services and are not
/// part of the overlay; a union has no single base and is refused.
pub fn mount_cow(
    shell: &mut Shell,
    source: &str,
    point: &str,
    flags: MountFlags,
) -> Result<(), ShellError> {
    shell.proc.ns = cow_in(&shell.proc.ns, &shell.proc.cwd, source, point, flags)
        .map_err(|e| ShellError::ns("mount", e))?;
    Ok(())
}

/// The core of [`mount_cow`] on any namespace, paths relative to `cwd`.
pub(super) fn cow_in(
    ns: &Namespace,
    cwd: &str,
    source: &str,
    point: &str,
    flags: MountFlags,
) -> Result<Namespace, NsError> {
    let source = path::resolve(cwd, source)?;
    let point = path::resolve(cwd, point)?;
    let cow = cow_over(ns, &source)?;
    ns.mount(&point, Arc::new(cow), flags.flag, flags.create)
}

/// The overlay of the clean directory `source` of `ns`.
fn cow_over(ns: &Namespace, source: &str) -> Result<CowService, NsError> {
    if ns.stat(source)?.kind != FileKind::Dir {
        return Err(NsError::NotDir {
            path: source.to_string(),
        });
    }
    let resolution = ns.resolve(source)?;
    match resolution.targets.as_slice() {
        [target] => Ok(CowService::over(
            Arc::clone(&target.service),
            &target.path,
            Some(source.to_string()),
        )),
        targets => Err(NsError::BadArgs {
            kind: "cow".into(),
            message: format!(
                "{source} is a union of {} services; cow overlays one",
                targets.len()
            ),
        }),
    }
}

/// The changes of the layered service (`cow`) mounted at `point`, at namespace paths.
pub fn cow_diff(shell: &Shell, point: &str) -> Result<Vec<Change>, ShellError> {
    let point = resolve(shell, "cowdiff", point)?;
    let unsupported = || NsError::Unsupported {
        path: point.clone(),
        op: "cowdiff",
    };
    if !shell.proc.ns.is_mount_point(&point) {
        return Err(ShellError::ns("cowdiff", unsupported()));
    }
    let resolution = shell
        .proc
        .ns
        .resolve(&point)
        .map_err(|e| ShellError::ns("cowdiff", e))?;
    // The top member is the one a plain `mount cow` put there.
    let changes = resolution
        .targets
        .first()
        .and_then(|target| target.service.changes())
        .ok_or_else(|| ShellError::ns("cowdiff", unsupported()))?;
    Ok(changes
        .into_iter()
        .map(|change| Change {
            path: match change.path.as_str() {
                "/" => point.clone(),
                inner if point == "/" => inner.to_string(),
                inner => format!("{point}{inner}"),
            },
            kind: change.kind,
        })
        .collect())
}

/// [`cow_diff`] as text, one change a line: `A path`, `M path` or `D path`.
pub fn cow_diff_text(shell: &Shell, point: &str) -> Result<String, ShellError> {
    let mut text = String::new();
    for change in cow_diff(shell, point)? {
        text.push(change.kind.letter());
        text.push(' ');
        text.push_str(&change.path);
        text.push('\n');
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::super::testing::{bare_shell, message, shell_with};
    use super::super::{mkdir, mount, ns_text, read, remove, write};
    use super::*;
    use crate::ns::MountFlag;

    #[test]
    fn mount_cow_overlays_a_subtree_and_replays_from_ns() {
        let mut shell = bare_shell();
        assert!(mkdir(&shell, "/tmp/src/d", true).is_ok());
        assert!(mkdir(&shell, "/tmp/c", false).is_ok());
        assert!(write(&shell, "/tmp/src/d/f", b"base", false).is_ok());
        assert!(
            mount(
                &mut shell,
                "cow",
                &["/tmp/src".into()],
                "/tmp/c",
                MountFlags::default()
            )
            .is_ok()
        );
        assert!(write(&shell, "/tmp/c/d/f", b"upper", false).is_ok());
        assert!(remove(&shell, "/tmp/c/d/f", false).is_ok());
        assert!(write(&shell, "/tmp/c/new", b"n", false).is_ok());
        assert_eq!(read(&shell, "/tmp/src/d/f").ok(), Some(b"base".to_vec()));
        assert_eq!(
            message(cow_diff_text(&shell, "/tmp/c")),
            "ok: \"D /tmp/c/d/f\\nA /tmp/c/new\\n\""
        );
        assert_eq!(ns_text(&shell), "newns\nmount cow /tmp/src /tmp/c\n");
        // Replaying the table builds a fresh overlay of the same source.
        let mut fresh = bare_shell();
        assert!(mkdir(&fresh, "/tmp/src", true).is_ok());
        assert!(mkdir(&fresh, "/tmp/c", true).is_ok());
        let replay = mount(
            &mut fresh,
            "cow",
            &["/tmp/src".into()],
            "/tmp/c",
            MountFlags::default(),
        );
        assert!(replay.is_ok(), "{}", message(replay));
        assert_eq!(ns_text(&fresh), ns_text(&shell));
    }

    #[test]
    fn mount_cow_refuses_unions_files_and_missing_sources() {
        let mut shell = shell_with(&["/u", "/c", "/f"]);
        let union = MountFlags {
            flag: MountFlag::Before,
            create: false,
        };
        assert!(mount(&mut shell, "mem", &[], "/u", union).is_ok());
        assert_eq!(
            message(mount_cow(&mut shell, "/u", "/c", MountFlags::default())),
            "mount: cow: /u is a union of 2 services; cow overlays one"
        );
        assert_eq!(
            message(mount_cow(&mut shell, "/nope", "/c", MountFlags::default())),
            "mount: /nope: file does not exist"
        );
        assert!(write(&shell, "/f/x", b"", false).is_ok());
        assert_eq!(
            message(mount_cow(&mut shell, "/f/x", "/c", MountFlags::default())),
            "mount: /f/x: not a directory"
        );
        assert_eq!(
            message(mount(&mut shell, "cow", &[], "/c", MountFlags::default())),
            "mount: cow: takes one argument, the directory to overlay"
        );
        assert_eq!(
            message(cow_diff(&shell, "/u")),
            "cowdiff: /u: cowdiff is not supported by this service"
        );
        assert_eq!(
            message(cow_diff(&shell, "/c")),
            "cowdiff: /c: cowdiff is not supported by this service"
        );
    }
}
