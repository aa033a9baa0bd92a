//! The temporary host area every case runs over, and its snapshot.
//!
//! `area/root/` is what the `host` service mounts; everything else in `area/` is outside and
//! must never be read, listed, changed or added to: `secret` holds [`MARKER`], and a file
//! named [`NAME_MARKER`] shows in any listing of the area. The links inside the root are the escape routes
//! a host directory offers: a relative link out (`out -> ../secret`), an absolute one
//! (`abs -> AREA/secret`), a link to the directory holding the root (`up -> ..`), a link to
//! itself (`loop`) and a two-link cycle (`a -> b -> a`); and two that stay inside: `subl ->
//! sub`, which a recursive remove must take away without emptying `sub`, and `absin ->
//! AREA/root/f`, absolute and so refused like every absolute link.

use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};

use tempfile::TempDir;

/// What each case's secret holds; seeing it anywhere means something escaped.
pub const MARKER: &str = "ESCAPED-9f3c61d2-SECRET";

/// The name of a file beside the root: seeing it means a listing escaped.
pub const NAME_MARKER: &str = "ESCAPED-NAME-5b1e07";

/// What `f` and `sub/g` hold in every service: a line `. f` can run and `grep x` finds.
pub const CONTENTS: &str = "echo x\n";

/// One name in the area as it was seen: enough to tell any change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Node {
    Dir,
    File(Vec<u8>),
    Link(PathBuf),
    Other,
}

/// Names outside the root, as [`Area::outside`] records them.
pub type Snapshot = BTreeMap<PathBuf, Node>;

pub struct Area {
    dir: TempDir,
}

impl Area {
    pub fn new() -> Area {
        let dir = tempfile::tempdir().expect("tempdir");
        let area = dir.path();
        let root = area.join("root");
        fs::create_dir_all(root.join("sub")).expect("root/sub");
        fs::write(root.join("f"), CONTENTS).expect("f");
        fs::write(root.join("sub/g"), CONTENTS).expect("g");
        fs::write(area.join("secret"), format!("{MARKER}\n")).expect("secret");
        fs::write(area.join(NAME_MARKER), "").expect("name marker");
        symlink("../secret", root.join("out")).expect("out");
        symlink(area.join("secret"), root.join("abs")).expect("abs");
        symlink("..", root.join("up")).expect("up");
        symlink("sub", root.join("subl")).expect("subl");
        symlink(root.join("f"), root.join("absin")).expect("absin");
        symlink("loop", root.join("loop")).expect("loop");
        symlink("b", root.join("a")).expect("a");
        symlink("a", root.join("b")).expect("b");
        Area { dir }
    }

    /// The area itself (the directory holding `root/` and `secret`).
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn root(&self) -> String {
        self.dir
            .path()
            .join("root")
            .to_str()
            .expect("a UTF-8 temp path")
            .to_string()
    }

    /// Every name in the area outside `root/` (the root directory itself included), never
    /// following a link.
    pub fn outside(&self) -> BTreeMap<PathBuf, Node> {
        let mut seen = BTreeMap::new();
        walk(self.dir.path(), self.dir.path(), &mut |rel, node| {
            if !rel.starts_with("root") || rel == Path::new("root") {
                seen.insert(rel.to_path_buf(), node);
            }
        });
        seen
    }

    /// Every name in the area, the root's included, never following a link: a run that
    /// must not reach the host at all leaves this identical.
    pub fn everything(&self) -> Snapshot {
        let mut seen = BTreeMap::new();
        walk(self.dir.path(), self.dir.path(), &mut |rel, node| {
            seen.insert(rel.to_path_buf(), node);
        });
        seen
    }

    /// Whether `root/sub/g` is still there (only a case naming it may remove it).
    pub fn has_sub_g(&self) -> bool {
        self.dir.path().join("root/sub/g").is_file()
    }

    /// The regular files inside `root/` that hold the marker: a copy of the secret.
    pub fn copies_of_secret(&self) -> Vec<PathBuf> {
        let mut found = Vec::new();
        let root = self.dir.path().join("root");
        walk(&root, &root, &mut |rel, node| {
            if let Node::File(bytes) = &node
                && contains(bytes, MARKER.as_bytes())
            {
                found.push(rel.to_path_buf());
            }
        });
        found
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// Visits every name under `dir`, depth first, links as links.
fn walk(base: &Path, dir: &Path, visit: &mut dyn FnMut(&Path, Node)) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let rel = path.strip_prefix(base).unwrap_or(&path).to_path_buf();
        let Ok(meta) = fs::symlink_metadata(&path) else {
            continue;
        };
        let node = if meta.file_type().is_symlink() {
            Node::Link(fs::read_link(&path).unwrap_or_default())
        } else if meta.is_dir() {
            Node::Dir
        } else if meta.is_file() {
            Node::File(fs::read(&path).unwrap_or_default())
        } else {
            Node::Other
        };
        let is_dir = node == Node::Dir;
        visit(&rel, node);
        if is_dir {
            walk(base, &path, visit);
        }
    }
}
