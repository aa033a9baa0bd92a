//! Compiled modules, cached in memory and on disk, keyed by content hash and engine.
//!
//! Compiling a module with Cranelift costs milliseconds to seconds; running one costs
//! microseconds. So a [`ModuleCache`] keeps every [`Program`] it made in memory (keyed by the
//! SHA-256 of the module's bytes) and, when it has a directory, writes the compiled code
//! there (`Module::serialize`) under a name made of that hash and a fingerprint of the
//! engine's compilation settings (`Engine::precompile_compatibility_hash`), so another oash
//! process skips compilation too.
//!
//! Loading compiled code is `unsafe` in wasmtime (`Module::deserialize`): the bytes are
//! machine code that is mapped executable, and wasmtime cannot prove they came from itself.
//! The file is read into memory first rather than mapped with `Module::deserialize_file`:
//! a mapped file truncated by another writer while a module runs kills the process with
//! SIGBUS (a test did exactly that), while a copy costs one read of a few hundred KiB per
//! process and module.
//! The safety argument: the file is read only from this cache's own directory, under a name
//! only this module writes, and it was written by `Module::serialize` of this same wasmtime
//! (files are written to a temporary name and renamed into place, so a reader never sees
//! half a file). wasmtime still checks the header (version, target, settings) and refuses a
//! mismatch; a refused or unreadable file is removed and the module compiled again. Anyone
//! able to write that directory can already run code as this user. A cache failure is never
//! an error of the load: the cache is only an optimisation.
//! This module must never deserialize bytes it did not read from its own directory.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use sha2::{Digest, Sha256};
use wasmtime::{Engine, Linker, Module};

use super::outcome::LoadError;
use super::preview1::Task;
use super::program::Program;

/// Most programs kept in memory; past this the memory cache starts over (the disk cache
/// still answers).
const MEMORY_ENTRIES: usize = 256;

/// The cache of one runtime.
pub struct ModuleCache {
    dir: Option<PathBuf>,
    loaded: Mutex<HashMap<[u8; 32], Program>>,
}

/// `~/.cache/oash/wasm` (or under `$XDG_CACHE_HOME`), when a home is known.
pub fn default_dir() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CACHE_HOME")
        .filter(|dir| !dir.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| Path::new(&home).join(".cache")))?;
    Some(base.join("oash").join("wasm"))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A fingerprint of everything in the engine that changes compiled code.
fn engine_fingerprint(engine: &Engine) -> String {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    engine.precompile_compatibility_hash().hash(&mut hasher);
    format!("{:016x}", hasher.finish())
}

impl ModuleCache {
    pub fn new(dir: Option<PathBuf>) -> ModuleCache {
        ModuleCache {
            dir,
            loaded: Mutex::new(HashMap::new()),
        }
    }

    fn loaded(&self) -> std::sync::MutexGuard<'_, HashMap<[u8; 32], Program>> {
        // A poisoned map still holds valid programs.
        self.loaded.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The program for `bytes` (a binary module, or WAT text): from memory, from disk, or
    /// compiled now.
    pub fn load(
        &self,
        engine: &Engine,
        linker: &Linker<Task>,
        bytes: &[u8],
    ) -> Result<Program, LoadError> {
        let hash: [u8; 32] = Sha256::digest(bytes).into();
        if let Some(program) = self.loaded().get(&hash) {
            return Ok(program.clone());
        }
        let file = self.dir.as_ref().map(|dir| {
            dir.join(format!(
                "{}-{}.cwasm",
                hex(&hash),
                engine_fingerprint(engine)
            ))
        });
        let module = match file.as_deref().and_then(|file| Self::read(engine, file)) {
            Some(module) => module,
            None => {
                let module =
                    Module::new(engine, bytes).map_err(|e| LoadError::Compile(format!("{e:#}")))?;
                if let Some(file) = &file {
                    Self::write(&module, file);
                }
                module
            }
        };
        let program = Program::new(linker, module, hex(&hash))?;
        let mut loaded = self.loaded();
        if loaded.len() >= MEMORY_ENTRIES {
            loaded.clear();
        }
        loaded.insert(hash, program.clone());
        Ok(program)
    }

    /// A module compiled earlier, if its file is there and wasmtime accepts it.
    fn read(engine: &Engine, file: &Path) -> Option<Module> {
        let bytes = std::fs::read(file).ok()?;
        // SAFETY: `file` lies in this cache's own directory under a name only `write` gives,
        // and `write` stores only `Module::serialize` output of this wasmtime, renamed into
        // place whole (see the module docs). wasmtime checks the header and settings.
        match unsafe { Module::deserialize(engine, &bytes) } {
            Ok(module) => Some(module),
            Err(_) => {
                let _ = std::fs::remove_file(file);
                None
            }
        }
    }

    fn write(module: &Module, file: &Path) {
        let Ok(bytes) = module.serialize() else {
            return;
        };
        let Some(dir) = file.parent() else {
            return;
        };
        if std::fs::create_dir_all(dir).is_err() {
            return;
        }
        // Unique per process and thread: two writers of one module never share a temporary.
        let thread = format!("{:?}", std::thread::current().id());
        let thread: String = thread.chars().filter(char::is_ascii_digit).collect();
        let temp = dir.join(format!(
            ".{}.{}.{thread}.tmp",
            file.file_name()
                .map(|n| n.to_string_lossy())
                .unwrap_or_default(),
            std::process::id()
        ));
        let stored = std::fs::write(&temp, bytes).and_then(|()| std::fs::rename(&temp, file));
        if stored.is_err() {
            let _ = std::fs::remove_file(&temp);
        }
    }
}

impl std::fmt::Debug for ModuleCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ModuleCache")
            .field("dir", &self.dir)
            .finish()
    }
}
