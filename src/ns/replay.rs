//! A namespace as the rc commands that remake it: what `ns` prints and `/task/<id>/ns`
//! shows.
//!
//! `newns`, then one `mount` or `bind` per record of the mount table in the order they
//! were made, quoted as rc reads words ([`crate::lang::quote`]), and `rfork m` last when
//! the namespace is no-attach. Replaying the text in a fresh shell gives the same
//! namespace (tests/ns_replay.rs holds that); this file only renders, it never mounts.

use super::{MountFlag, MountRecord, MountSource, Namespace};
use crate::lang::quote;

/// The namespace as the commands that remake it, one a line, as `ns` prints it (and a task's
/// `/task/<id>/ns` file prints its task's).
pub fn ns_text_of(ns: &Namespace) -> String {
    let mut text = String::from("newns\n");
    for record in ns.mounts() {
        text.push_str(&ns_command(&record));
        text.push('\n');
    }
    // Last, so a replay attaches everything before the boundary closes; binds made after it
    // replay as well before it as after.
    if ns.is_no_attach() {
        text.push_str("rfork m\n");
    }
    text
}

/// One record as the command that makes it: `mount [-b|-a] [-c] KIND [ARGS] POINT` or
/// `bind [-b|-a] [-c] NEW OLD`.
pub fn ns_command(record: &MountRecord) -> String {
    let verb = match record.source {
        MountSource::Service { .. } => "mount",
        MountSource::Bind { .. } => "bind",
    };
    let mut words = vec![verb.to_string()];
    match record.flag {
        MountFlag::Replace => {}
        MountFlag::Before => words.push("-b".into()),
        MountFlag::After => words.push("-a".into()),
    }
    if record.create {
        words.push("-c".into());
    }
    match &record.source {
        MountSource::Service { kind, args } => {
            // A kind starting with `-` would read as a flag: `--` ends the flags.
            if kind.starts_with('-') {
                words.push("--".into());
            }
            words.push(quote(kind));
            words.extend(args.iter().map(|arg| quote(arg)));
        }
        // Namespace paths are absolute, so NEW never looks like a flag.
        MountSource::Bind { new } => words.push(quote(new)),
    }
    words.push(quote(&record.point));
    words.join(" ")
}
