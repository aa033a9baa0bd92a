//! Path cleaning: the one place where `.`, `..`, `//` and relative paths are made absolute.
//!
//! Every path that reaches the namespace or a service has been through [`resolve`] or
//! [`clean`]: absolute, no empty, `.` or `..` elements, no trailing slash except for `/`
//! itself. `..` is applied lexically, as Plan 9's `cleanname` does, so it can never climb
//! above `/` and never depends on what is mounted where. This module must never consult a
//! service or the host file system, and no other module may clean paths by hand.

use std::borrow::Cow;

use super::error::NsError;

/// Longest path element accepted, in bytes (the usual `NAME_MAX`).
pub const MAX_NAME_LEN: usize = 255;
/// Longest path accepted, in bytes, before and after cleaning (the usual `PATH_MAX`).
pub const MAX_PATH_LEN: usize = 4096;

fn invalid(path: &str, reason: impl Into<String>) -> NsError {
    // A rejected path may be huge; the message only needs enough to recognise it.
    let shown: String = if path.len() > 80 {
        let cut = (0..=80)
            .rev()
            .find(|&i| path.is_char_boundary(i))
            .unwrap_or(0);
        format!("{}...", &path[..cut])
    } else {
        path.to_string()
    };
    NsError::InvalidPath {
        path: shown.replace('\0', "\\0"),
        reason: reason.into(),
    }
}

/// Rejects what no cleaning can fix: NUL bytes, over-long names, over-long paths. The
/// narrowest fault is named first: a 4 KiB name is "name too long" even when the `/`
/// before it also makes the path too long.
fn check_limits(path: &str) -> Result<(), NsError> {
    if path.contains('\0') {
        return Err(invalid(path, "contains a NUL byte"));
    }
    if path.split('/').any(|element| element.len() > MAX_NAME_LEN) {
        return Err(invalid(
            path,
            format!("name too long (over {MAX_NAME_LEN} bytes)"),
        ));
    }
    if path.len() > MAX_PATH_LEN {
        return Err(invalid(
            path,
            format!("path too long (over {MAX_PATH_LEN} bytes)"),
        ));
    }
    Ok(())
}

/// Joins `input` onto the absolute `cwd` (unless `input` is itself absolute) and cleans it.
pub fn resolve(cwd: &str, input: &str) -> Result<String, NsError> {
    if input.is_empty() {
        return Err(invalid(input, "empty path"));
    }
    check_limits(input)?;
    if input.starts_with('/') {
        return clean(input);
    }
    if !cwd.starts_with('/') {
        return Err(invalid(cwd, "working directory is not absolute"));
    }
    // The join may exceed the limit only through cwd, which was itself valid; clean checks
    // the result again.
    clean_unchecked(&format!("{cwd}/{input}"))
}

/// Cleans an absolute path (see the module docs for what clean means).
pub fn clean(path: &str) -> Result<String, NsError> {
    if !path.starts_with('/') {
        return Err(invalid(path, "not an absolute path"));
    }
    check_limits(path)?;
    clean_unchecked(path)
}

/// The path borrowed when it is already clean (the common case), else cleaned.
pub fn cleaned(path: &str) -> Result<Cow<'_, str>, NsError> {
    if is_clean(path) {
        Ok(Cow::Borrowed(path))
    } else {
        clean(path).map(Cow::Owned)
    }
}

fn clean_unchecked(path: &str) -> Result<String, NsError> {
    let mut kept: Vec<&str> = Vec::new();
    for element in path.split('/') {
        match element {
            "" | "." => {}
            // Lexical `..`: at the root it stays at the root, as in Plan 9.
            ".." => {
                kept.pop();
            }
            name => kept.push(name),
        }
    }
    let mut out = String::with_capacity(path.len());
    for name in &kept {
        out.push('/');
        out.push_str(name);
    }
    if out.is_empty() {
        out.push('/');
    }
    if out.len() > MAX_PATH_LEN {
        return Err(invalid(
            &out,
            format!("path too long (over {MAX_PATH_LEN} bytes)"),
        ));
    }
    Ok(out)
}

/// True when `path` is exactly what [`clean`] would return for it.
pub fn is_clean(path: &str) -> bool {
    if path == "/" {
        return true;
    }
    path.len() <= MAX_PATH_LEN
        && !path.contains('\0')
        && path.starts_with('/')
        && path[1..]
            .split('/')
            .all(|e| !e.is_empty() && e != "." && e != ".." && e.len() <= MAX_NAME_LEN)
}

/// The directory holding a clean path; `/` is its own parent.
pub fn parent(path: &str) -> &str {
    match path.rfind('/') {
        Some(0) | None => "/",
        Some(i) => &path[..i],
    }
}

/// The last element of a clean path; `/` for the root.
pub fn base_name(path: &str) -> &str {
    match path.rfind('/') {
        Some(i) if i + 1 < path.len() => &path[i + 1..],
        _ => "/",
    }
}

/// A clean directory path plus one element name.
pub fn join(dir: &str, name: &str) -> String {
    if dir.ends_with('/') {
        format!("{dir}{name}")
    } else {
        format!("{dir}/{name}")
    }
}

/// The elements of a clean path, outermost first; none for `/`.
pub fn components(path: &str) -> impl Iterator<Item = &str> {
    path.split('/').filter(|element| !element.is_empty())
}

/// True when `path` is `prefix` or lies inside it, comparing whole elements (`/ab` is not
/// under `/a`). Both must be clean.
pub fn is_under(path: &str, prefix: &str) -> bool {
    strip_prefix(path, prefix).is_some()
}

/// `path` as seen from `prefix` taken as a root: `/a/b/c` from `/a` is `/b/c`, `/a` from
/// `/a` is `/`. `None` when `path` is not under `prefix`. Both must be clean.
pub fn strip_prefix<'p>(path: &'p str, prefix: &str) -> Option<&'p str> {
    if prefix == "/" {
        return Some(path);
    }
    let rest = path.strip_prefix(prefix)?;
    if rest.is_empty() {
        Some("/")
    } else if rest.starts_with('/') {
        Some(rest)
    } else {
        None
    }
}

/// The ancestors of a clean path, the path itself first and `/` last.
pub fn ancestors(path: &str) -> impl Iterator<Item = &str> {
    let mut next = Some(path);
    std::iter::from_fn(move || {
        let current = next?;
        next = if current == "/" {
            None
        } else {
            Some(parent(current))
        };
        Some(current)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ok(cwd: &str, input: &str) -> String {
        match resolve(cwd, input) {
            Ok(path) => path,
            Err(e) => panic!("resolve({cwd:?}, {input:?}) failed: {e}"),
        }
    }

    #[test]
    fn resolve_joins_relative_onto_cwd() {
        assert_eq!(ok("/usr", "lib"), "/usr/lib");
        assert_eq!(ok("/", "lib"), "/lib");
        assert_eq!(ok("/usr", "/etc"), "/etc");
        assert_eq!(ok("/usr/lib", "."), "/usr/lib");
        assert_eq!(ok("/usr/lib", ".."), "/usr");
    }

    #[test]
    fn resolve_collapses_slashes_and_dots() {
        assert_eq!(ok("/", "//a///b/./c/"), "/a/b/c");
        assert_eq!(ok("/", "a/b/../c"), "/a/c");
        assert_eq!(ok("/", "./a/./"), "/a");
    }

    #[test]
    fn trailing_slashes_are_dropped_except_for_root() {
        assert_eq!(ok("/", "/a/"), "/a");
        assert_eq!(ok("/", "/a//"), "/a");
        assert_eq!(ok("/x", "/"), "/");
        assert_eq!(ok("/x", "///"), "/");
    }

    #[test]
    fn dot_dot_at_root_stays_at_root() {
        assert_eq!(ok("/", ".."), "/");
        assert_eq!(ok("/", "../../.."), "/");
        assert_eq!(ok("/a", "../../b"), "/b");
        assert_eq!(ok("/", "/../etc"), "/etc");
    }

    #[test]
    fn resolve_rejects_bad_input() {
        let reason = |r: Result<String, NsError>| match r {
            Err(NsError::InvalidPath { reason, .. }) => reason,
            other => panic!("expected InvalidPath, got {other:?}"),
        };
        assert!(reason(resolve("/", "")).contains("empty"));
        assert!(reason(resolve("/", "a\0b")).contains("NUL"));
        let long_name = "x".repeat(MAX_NAME_LEN + 1);
        assert!(reason(resolve("/", &long_name)).contains("name too long"));
        assert_eq!(ok("/", &"x".repeat(MAX_NAME_LEN)).len(), MAX_NAME_LEN + 1);
        let long_path = "/ab".repeat(MAX_PATH_LEN / 3 + 1);
        assert!(reason(resolve("/", &long_path)).contains("path too long"));
        assert!(reason(clean("relative")).contains("absolute"));
    }

    #[test]
    fn the_narrowest_fault_is_named() {
        let reason = |r: Result<String, NsError>| match r {
            Err(NsError::InvalidPath { reason, .. }) => reason,
            other => panic!("expected InvalidPath, got {other:?}"),
        };
        // One 4 KiB name after a `/` is over both limits; the name is what to fix.
        let name = "x".repeat(MAX_PATH_LEN);
        assert!(reason(resolve("/", &format!("/{name}"))).starts_with("name too long"));
        assert!(reason(clean(&format!("/a/{name}/b"))).starts_with("name too long"));
        assert!(reason(clean(&format!("/{name}\0"))).contains("NUL"));
    }

    #[test]
    fn resolve_rejects_a_join_that_grows_too_long() {
        let cwd = format!("/{}", vec!["d".repeat(200); 20].join("/"));
        assert!(cwd.len() <= MAX_PATH_LEN);
        assert!(matches!(
            resolve(&cwd, &"e".repeat(200)),
            Err(NsError::InvalidPath { .. })
        ));
    }

    #[test]
    fn long_rejected_paths_are_shortened_in_messages() {
        let long_path = "/é".repeat(MAX_PATH_LEN);
        match clean(&long_path) {
            Err(NsError::InvalidPath { path, .. }) => assert!(path.len() < 100),
            other => panic!("expected InvalidPath, got {other:?}"),
        }
    }

    #[test]
    fn parent_and_base_name() {
        assert_eq!(parent("/a/b"), "/a");
        assert_eq!(parent("/a"), "/");
        assert_eq!(parent("/"), "/");
        assert_eq!(base_name("/a/b"), "b");
        assert_eq!(base_name("/a"), "a");
        assert_eq!(base_name("/"), "/");
    }

    #[test]
    fn join_and_components() {
        assert_eq!(join("/", "a"), "/a");
        assert_eq!(join("/a", "b"), "/a/b");
        assert_eq!(components("/a/b/c").collect::<Vec<_>>(), ["a", "b", "c"]);
        assert_eq!(components("/").count(), 0);
    }

    #[test]
    fn is_under_compares_whole_elements() {
        assert!(is_under("/a/b", "/a"));
        assert!(is_under("/a", "/a"));
        assert!(is_under("/a", "/"));
        assert!(is_under("/", "/"));
        assert!(!is_under("/ab", "/a"));
        assert!(!is_under("/a", "/a/b"));
        assert!(!is_under("/", "/a"));
    }

    #[test]
    fn strip_prefix_gives_the_mounted_view() {
        assert_eq!(strip_prefix("/a/b/c", "/a"), Some("/b/c"));
        assert_eq!(strip_prefix("/a", "/a"), Some("/"));
        assert_eq!(strip_prefix("/a/b", "/"), Some("/a/b"));
        assert_eq!(strip_prefix("/ab", "/a"), None);
    }

    #[test]
    fn ancestors_run_from_the_path_to_the_root() {
        assert_eq!(ancestors("/a/b").collect::<Vec<_>>(), ["/a/b", "/a", "/"]);
        assert_eq!(ancestors("/").collect::<Vec<_>>(), ["/"]);
    }

    #[test]
    fn is_clean_matches_clean() {
        for p in [
            "/", "/a", "/a/b", "/a/", "//a", "/a/./b", "/a/../b", "/..", "a", "",
        ] {
            assert_eq!(is_clean(p), clean(p).ok().as_deref() == Some(p), "{p:?}");
        }
    }

    proptest! {
        #[test]
        fn clean_is_idempotent_absolute_and_free_of_dots(
            elements in proptest::collection::vec("(\\.|\\.\\.|[a-z]{1,3}|)", 0..12)
        ) {
            let input = format!("/{}", elements.join("/"));
            let once = clean(&input)?;
            prop_assert!(once.starts_with('/'));
            prop_assert!(components(&once).all(|e| e != ".." && e != "."));
            prop_assert!(once == "/" || !once.ends_with('/'));
            prop_assert!(is_clean(&once));
            prop_assert_eq!(clean(&once)?, once.clone());
            prop_assert!(matches!(cleaned(&once), Ok(Cow::Borrowed(_))));
        }

        #[test]
        fn relative_input_never_climbs_above_root(
            cwd in "(/[a-z]{1,3}){0,4}",
            input in "(\\.\\./|[a-z]/){1,8}",
        ) {
            let cwd = if cwd.is_empty() { "/".to_string() } else { cwd };
            let resolved = resolve(&cwd, &input)?;
            prop_assert!(resolved.starts_with('/'));
            prop_assert!(components(&resolved).all(|e| e != ".."));
        }
    }
}
