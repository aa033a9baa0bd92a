//! A [`Program`]: one compiled, linked command module, ready to instantiate many times.
//!
//! Linking is done once, when the program is made: every import is resolved against the
//! preview1 linker into an `InstancePre`, so a run only allocates an instance and calls
//! `_start`. A module importing anything else, or lacking `_start: () -> ()`, is refused
//! here with a [`LoadError`], before any run. This module must never run guest code.

use std::sync::Arc;

use wasmtime::{ExternType, InstancePre, Linker, Module};

use super::outcome::LoadError;
use super::preview1::Task;

/// A compiled command module. Cloning is cheap (shared).
#[derive(Clone)]
pub struct Program {
    inner: Arc<Inner>,
}

struct Inner {
    pre: InstancePre<Task>,
    /// SHA-256 of the module's bytes, in hex.
    hash: String,
}

impl Program {
    pub(crate) fn new(
        linker: &Linker<Task>,
        module: Module,
        hash: String,
    ) -> Result<Program, LoadError> {
        match module.get_export("_start") {
            Some(ExternType::Func(start))
                if start.params().len() == 0 && start.results().len() == 0 => {}
            Some(_) => {
                return Err(LoadError::NotCommand(
                    "`_start` is not a function `() -> ()`".into(),
                ));
            }
            None => return Err(LoadError::NotCommand("no `_start` export".into())),
        }
        let pre = linker
            .instantiate_pre(&module)
            .map_err(|e| LoadError::Link(format!("{e:#}")))?;
        Ok(Program {
            inner: Arc::new(Inner { pre, hash }),
        })
    }

    pub(crate) fn instance_pre(&self) -> &InstancePre<Task> {
        &self.inner.pre
    }

    /// SHA-256 of the module's bytes, in hex: the key of the cache.
    pub fn hash(&self) -> &str {
        &self.inner.hash
    }

    /// The module's imports as `module.name`, in the module's order.
    pub fn imports(&self) -> Vec<String> {
        self.inner
            .pre
            .module()
            .imports()
            .map(|import| format!("{}.{}", import.module(), import.name()))
            .collect()
    }
}

impl std::fmt::Debug for Program {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Program")
            .field("hash", &self.inner.hash)
            .finish()
    }
}
