//! `stdlib`: oash's standard library (the repository's `stdlib/` directory), built into the
//! binary and mounted read-only at `/lib/oash` in the default namespace.
//!
//! It is a [`MapService`] of the files below, named `stdlib` so that `ns` prints `mount
//! stdlib /lib/oash` rather than every file's contents. [`FILES`] must list exactly what is
//! in `stdlib/`: a unit test compares the two, so a file added there and forgotten here
//! fails the build's tests.
//!
//! `bin/` holds the WASI guests shipped with oash (copies of `tests/wasm/*.wasm`, made by
//! `scripts/build-wasm`); the default `$path` is `(/bin /lib/oash/bin)`, so they run by
//! name after anything the user puts in `/bin` (`upper`, `hello`) or through `spawn` where a builtin has the name (`spawn
//! cat`). They are about 350 KiB of bytes in the binary, copied into the tree only when the
//! library is first touched ([`StdlibService`]), so start-up pays nothing for them; nothing
//! is compiled until one runs.

use std::sync::OnceLock;

use super::map::MapService;
use crate::ns::{DirEntry, FileHandle, FileService, NsError, OpenFlags, Stat};

/// A shipped guest: `stdlib/bin/NAME.wasm`.
macro_rules! shipped {
    ($name:literal) => {
        (
            concat!("bin/", $name, ".wasm"),
            include_bytes!(concat!("../../stdlib/bin/", $name, ".wasm")),
        )
    };
}

/// Every file of `stdlib/`, by its path there.
pub const FILES: &[(&str, &[u8])] = &[
    ("README", include_bytes!("../../stdlib/README")),
    shipped!("cat"),
    shipped!("echo"),
    shipped!("env"),
    shipped!("escape"),
    shipped!("exit"),
    shipped!("fsops"),
    shipped!("hello"),
    shipped!("loop"),
    shipped!("ls"),
    shipped!("membomb"),
    shipped!("sleep"),
    shipped!("upper"),
    shipped!("wc"),
    shipped!("write"),
    ("ns.oash", include_bytes!("../../stdlib/ns.oash")),
];

/// The library as a read-only tree.
pub fn service() -> Result<MapService, NsError> {
    Ok(
        MapService::from_entries(FILES.iter().map(|(at, bytes)| (*at, bytes.to_vec())))?
            .named("stdlib"),
    )
}

/// The library as a service that builds its tree on first use.
#[derive(Default)]
pub struct StdlibService {
    tree: OnceLock<Result<MapService, NsError>>,
}

impl StdlibService {
    /// The service over the embedded library.
    pub fn new() -> StdlibService {
        StdlibService::default()
    }

    fn tree(&self) -> Result<&MapService, NsError> {
        self.tree
            .get_or_init(service)
            .as_ref()
            .map_err(Clone::clone)
    }
}

impl FileService for StdlibService {
    fn kind(&self) -> &str {
        "stdlib"
    }
    fn open(&self, path: &str, flags: OpenFlags) -> Result<Box<dyn FileHandle>, NsError> {
        self.tree()?.open(path, flags)
    }
    fn stat(&self, path: &str) -> Result<Stat, NsError> {
        self.tree()?.stat(path)
    }
    fn readdir(&self, path: &str) -> Result<Vec<DirEntry>, NsError> {
        self.tree()?.readdir(path)
    }
    fn mkdir(&self, path: &str) -> Result<(), NsError> {
        self.tree()?.mkdir(path)
    }
    fn remove(&self, path: &str) -> Result<(), NsError> {
        self.tree()?.remove(path)
    }
    fn rename(&self, from: &str, to: &str) -> Result<(), NsError> {
        self.tree()?.rename(from, to)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ns::{FileService, OpenFlags};

    #[test]
    fn lists_exactly_the_files_of_the_stdlib_directory() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("stdlib");
        let mut on_disk: Vec<(String, Vec<u8>)> = Vec::new();
        let mut stack = vec![dir.clone()];
        while let Some(at) = stack.pop() {
            for entry in std::fs::read_dir(&at).into_iter().flatten().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    stack.push(path);
                } else if let Ok(rel) = path.strip_prefix(&dir) {
                    let bytes = std::fs::read(&path).unwrap_or_default();
                    on_disk.push((rel.to_string_lossy().into_owned(), bytes));
                }
            }
        }
        on_disk.sort();
        let mut built: Vec<(String, Vec<u8>)> = FILES
            .iter()
            .map(|(at, b)| (at.to_string(), b.to_vec()))
            .collect();
        built.sort();
        assert_eq!(built, on_disk);
    }

    #[test]
    fn the_lazy_service_answers_as_the_tree_does() {
        let lazy = StdlibService::new();
        assert_eq!((lazy.kind(), lazy.mount_args()), ("stdlib", Vec::new()));
        let tree = service().expect("the stdlib builds");
        assert_eq!(lazy.readdir("/").ok(), tree.readdir("/").ok());
        // Both trees were built just now, at slightly different times: compare the rest.
        let shape =
            |stat: Result<Stat, NsError>| stat.map(|s| (s.name, s.kind, s.size, s.read_only)).ok();
        assert_eq!(
            shape(lazy.stat("/bin/hello.wasm")),
            shape(tree.stat("/bin/hello.wasm"))
        );
        assert!(lazy.open("/README", OpenFlags::write()).is_err());
    }

    #[test]
    fn is_read_only_and_named_stdlib() {
        let lib = service().expect("the stdlib builds");
        assert_eq!(lib.kind(), "stdlib");
        assert!(lib.mount_args().is_empty());
        assert!(lib.open("/README", OpenFlags::read()).is_ok());
        assert!(lib.open("/README", OpenFlags::write()).is_err());
        assert!(lib.mkdir("/x").is_err());
    }
}
