//! `mount_func(point, #{...})`: a [`FuncService`] whose files are Rhai closures, the Rhai
//! door to the ctl-file idiom.
//!
//! Each key of the map is a file's path (`"status"`, `"sub/ctl"`); its value is either a
//! closure, called with no arguments on every open for reading (its value, as a string, is
//! the file's contents: a read-only file), or a map `#{ read: || ..., write: |msg| ... }`
//! whose `write` closure receives what one writer sent, once, when it closes the file (an
//! error it throws is the writer's error). Closures share the variables they capture, so a
//! `write` can change what the `read` next shows.
//!
//! A closure runs later, on whatever thread opens the file, in an engine of its own with the
//! same limits as a `rhai` command (operations, sizes, wall-clock time) and nothing of the
//! shell in it: no namespace functions, no printing. It must never reach the shell, which
//! may be in the middle of another command when the file is read. `ns` prints `mount func
//! POINT`, which no `mount` can rebuild: closures are not words.

use std::sync::atomic::AtomicBool;
use std::sync::{Arc, PoisonError};

use rhai::{AST, Dynamic, FnPtr, Map};

use super::api::RunContext;
use super::engine::Engine;
use crate::ns::NsError;
use crate::nsops::{self, MountFlags};
use crate::services::func::FuncService;

type RhaiResult<T> = Result<T, Box<rhai::EvalAltResult>>;

/// Registers `mount_func` on `engine`, bound to this run's shell.
pub fn register(engine: &mut rhai::Engine, context: &Arc<RunContext>, limits: &Engine) {
    let c = Arc::clone(context);
    let limits = limits.clone();
    engine.register_fn(
        "mount_func",
        move |point: &str, files: Map| -> RhaiResult<()> {
            let functions = c
                .functions
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .clone();
            let service = service(&limits, &Arc::new(functions), &files)?;
            c.call(|shell| {
                nsops::mount_service(shell, Arc::new(service), point, MountFlags::default())
            })
        },
    );
}

/// The tree `files` describes (see the module docs).
fn service(limits: &Engine, functions: &Arc<AST>, files: &Map) -> RhaiResult<FuncService> {
    let mut service = FuncService::new();
    for (at, value) in files {
        let (read, write) = match value.clone().try_cast::<FnPtr>() {
            Some(read) => (read, None),
            None => closures(at, value)?,
        };
        let read = {
            let (limits, functions, at) = (limits.clone(), Arc::clone(functions), at.to_string());
            move || call(&limits, &functions, &at, &read, ()).map(|v| v.to_string().into_bytes())
        };
        let write = write.map(|write| {
            let (limits, functions, at) = (limits.clone(), Arc::clone(functions), at.to_string());
            move |message: &[u8]| {
                let text = String::from_utf8_lossy(message).into_owned();
                call(&limits, &functions, &at, &write, (text,)).map(|_| ())
            }
        });
        service = service
            .file(at, read, write)
            .map_err(|e| format!("mount_func: {e}"))?;
    }
    Ok(service)
}

/// A file given as `#{ read: ..., write: ... }`.
fn closures(at: &str, value: &Dynamic) -> RhaiResult<(FnPtr, Option<FnPtr>)> {
    let wrong = || -> Box<rhai::EvalAltResult> {
        format!(
            "mount_func: {at}: a file is a closure or #{{ read: closure, write: closure }}, not {}",
            value.type_name()
        )
        .into()
    };
    let spec = value.clone().try_cast::<Map>().ok_or_else(wrong)?;
    let closure = |key: &str| spec.get(key).and_then(|v| v.clone().try_cast::<FnPtr>());
    if spec
        .keys()
        .any(|k| k.as_str() != "read" && k.as_str() != "write")
    {
        return Err(wrong());
    }
    let read = closure("read").ok_or_else(wrong)?;
    let write = match spec.get("write") {
        None => None,
        Some(_) => Some(closure("write").ok_or_else(wrong)?),
    };
    Ok((read, write))
}

/// Runs one closure in an engine of its own; its error names the file.
fn call(
    limits: &Engine,
    functions: &AST,
    at: &str,
    f: &FnPtr,
    args: impl rhai::FuncArgs,
) -> Result<Dynamic, NsError> {
    let engine = limits.limited(Arc::new(AtomicBool::new(false)));
    f.call::<Dynamic>(&engine, functions, args)
        .map_err(|e| NsError::Io {
            path: at.to_string(),
            message: limits.error(&e, None).to_string(),
        })
}
