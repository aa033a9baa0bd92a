//! The file services oash can mount, one file each, and the registry `mount` builds them from.
//!
//! [`build`] is the only place a service kind's name is mapped to its constructor, so `mount`,
//! the Rhai door and `ns` replay all agree on what `mem` or `map` means. It parses mount
//! arguments and constructs; it must never mount anything itself (that is [`crate::ns`]'s job).
//! `func` is deliberately absent: its files are Rust closures, which no `mount` word can
//! spell, so it is built in Rust ([`func::FuncService`]) and mounted with
//! [`crate::nsops::mount_service`].

pub mod agents;
pub(crate) mod atif;
pub mod cow;
pub mod dev;
pub mod env;
pub mod func;
pub mod host;
pub mod logs;
pub mod map;
pub mod mem;
pub mod stdlib;
pub mod task;
mod tree;

use std::sync::Arc;

use crate::ns::{FileService, NsError};

/// Builds a service of kind `kind` from `mount`'s arguments.
pub fn build(kind: &str, args: &[String]) -> Result<Arc<dyn FileService>, NsError> {
    match kind {
        "mem" => Ok(Arc::new(mem::MemService::from_args(args)?)),
        // A cow overlays a namespace path, which this registry cannot see.
        "cow" => Err(NsError::BadArgs {
            kind: kind.to_string(),
            message: "overlays a namespace directory: mount cow SOURCE POINT".into(),
        }),
        // The task files serve a shell's task core, which this registry cannot see.
        "task" => Err(NsError::BadArgs {
            kind: kind.to_string(),
            message: "serves a shell's tasks: mount task POINT".into(),
        }),
        "agents" => Err(NsError::BadArgs {
            kind: kind.to_string(),
            message: "serves a shell's agents: mount agents POINT".into(),
        }),
        "host" => match args {
            [dir] => Ok(Arc::new(host::HostService::open(dir)?)),
            [] => Err(NsError::BadArgs {
                kind: kind.to_string(),
                message: "needs the host directory as its one argument".into(),
            }),
            _ => Err(NsError::BadArgs {
                kind: kind.to_string(),
                message: format!(
                    "takes one argument, the host directory; got {}",
                    args.join(" ")
                ),
            }),
        },
        "dev" => {
            no_arguments(kind, args)?;
            Ok(Arc::new(dev::DevService::new()))
        }
        "env" => {
            no_arguments(kind, args)?;
            Ok(Arc::new(env::EnvService::new()))
        }
        "logs" => {
            no_arguments(kind, args)?;
            Ok(Arc::new(logs::LogsService::new()))
        }
        "map" => Ok(Arc::new(map::MapService::from_args(args)?)),
        "stdlib" => {
            no_arguments(kind, args)?;
            Ok(Arc::new(stdlib::StdlibService::new()))
        }
        _ => Err(NsError::UnknownService {
            name: kind.to_string(),
            known: kinds().join(", "),
        }),
    }
}

/// The kinds `build` knows.
pub fn kinds() -> &'static [&'static str] {
    &[
        "cow", "dev", "env", "host", "logs", "map", "mem", "stdlib", "task",
    ]
}

pub(crate) fn no_arguments(kind: &str, args: &[String]) -> Result<(), NsError> {
    if args.is_empty() {
        return Ok(());
    }
    Err(NsError::BadArgs {
        kind: kind.to_string(),
        message: format!("takes no arguments, got {}", args.join(" ")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_mem() {
        let service = build("mem", &[]).expect("mem builds");
        assert_eq!(service.kind(), "mem");
        assert!(service.mount_args().is_empty());
    }

    #[test]
    fn mem_rejects_arguments_by_name() {
        let Err(err) = build("mem", &["/x".to_string()]) else {
            panic!("mem accepted a bad size")
        };
        assert!(matches!(&err, NsError::BadArgs { kind, .. } if kind == "mem"));
        assert_eq!(
            err.to_string(),
            "mem: SIZE must be bytes or a number with K, M or G, not /x"
        );
    }

    #[test]
    fn builds_map_from_words() {
        let service = build("map", &["motd=hello".to_string()]).expect("map builds");
        assert_eq!(service.kind(), "map");
        assert_eq!(service.mount_args(), vec!["motd=hello"]);
    }

    #[test]
    fn func_is_not_buildable() {
        assert!(!kinds().contains(&"func"));
        assert!(matches!(
            build("func", &[]),
            Err(NsError::UnknownService { .. })
        ));
    }

    #[test]
    fn cow_is_known_but_built_by_the_namespace_core() {
        let Err(err) = build("cow", &["/src".to_string()]) else {
            panic!("cow built without a namespace")
        };
        assert_eq!(
            err.to_string(),
            "cow: overlays a namespace directory: mount cow SOURCE POINT"
        );
    }

    #[test]
    fn unknown_kind_lists_the_known_ones() {
        match build("nope", &[]) {
            Err(NsError::UnknownService { name, known }) => {
                assert_eq!(name, "nope");
                assert_eq!(known, kinds().join(", "));
            }
            other => panic!(
                "expected UnknownService, got {:?}",
                other.map(|s| s.kind().to_string())
            ),
        }
    }
}
