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
//! cat`). They are about 350 KiB of bytes in the binary, copied into the tree at start-up
//! (tens of microseconds); nothing is compiled until one runs.

use super::map::MapService;
use crate::ns::NsError;

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
    fn is_read_only_and_named_stdlib() {
        let lib = service().expect("the stdlib builds");
        assert_eq!(lib.kind(), "stdlib");
        assert!(lib.mount_args().is_empty());
        assert!(lib.open("/README", OpenFlags::read()).is_ok());
        assert!(lib.open("/README", OpenFlags::write()).is_err());
        assert!(lib.mkdir("/x").is_err());
    }
}
