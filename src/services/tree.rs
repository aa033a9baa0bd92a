//! A tree of names that only ever grows, whose directories are implied by their paths,
//! shared by the static services (`map`, `func`, `dev`) and by `logs`.
//!
//! The static services build it once and never change it afterwards, so they need no locks
//! to answer `stat`, `readdir` and lookups; `logs`, whose names are only ever added, holds
//! it under a lock. Paths given to the builder are checked and cleaned here, once, so every
//! service refuses the same bad names with the same errors. It has, on purpose, no way to
//! remove or rename a name: it must never hold anything a service would need to take back.

use std::collections::BTreeMap;

use crate::ns::path;
use crate::ns::{DirEntry, FileKind, NsError, OpenFlags, Stat};

/// A name in the tree: a leaf (a service's file) or a directory.
pub enum Node<L> {
    Leaf(L),
    Dir(BTreeMap<String, Node<L>>),
}

/// What a path names, borrowed from the tree.
pub enum Found<'t, L> {
    Leaf(&'t L),
    Dir(&'t BTreeMap<String, Node<L>>),
}

/// The tree, rooted at `/`.
pub struct Tree<L> {
    root: BTreeMap<String, Node<L>>,
}

impl<L> Default for Tree<L> {
    fn default() -> Self {
        Tree {
            root: BTreeMap::new(),
        }
    }
}

/// The refusal every change to a read-only name gets.
pub fn read_only(path: &str) -> NsError {
    NsError::Denied {
        path: path.to_string(),
        reason: "read-only".into(),
    }
}

/// A builder key (`a/b`, `/a/b`, `a/b/`) as a clean service path (`/a/b`). The root itself
/// and anything `..` would lift above it are refused: they cannot name an entry.
pub fn clean_key(key: &str) -> Result<String, NsError> {
    let absolute = format!("/{}", key.trim_start_matches('/'));
    // Cleaning alone would let `a/../..` quietly name the root; a key must name an entry.
    if path::components(&absolute).any(|name| name == "..") {
        return Err(NsError::InvalidPath {
            path: key.to_string(),
            reason: "'..' in a service path".into(),
        });
    }
    let clean = path::clean(&absolute)?;
    if clean == "/" {
        return Err(NsError::InvalidPath {
            path: key.to_string(),
            reason: "names the root, not an entry".into(),
        });
    }
    Ok(clean)
}

impl<L> Tree<L> {
    /// Adds a leaf at the clean path `at`, making its missing parents. A name already taken
    /// is `Exists`; a leaf where a parent directory must be is `NotDir`.
    pub fn insert_leaf(&mut self, at: &str, leaf: L) -> Result<(), NsError> {
        let dir = self.make_parents(at)?;
        let name = path::base_name(at);
        if dir.contains_key(name) {
            return Err(NsError::Exists {
                path: at.to_string(),
            });
        }
        dir.insert(name.to_string(), Node::Leaf(leaf));
        Ok(())
    }

    /// Adds a directory at the clean path `at` and its missing parents; one already there
    /// is fine (it is only implied once more).
    pub fn insert_dir(&mut self, at: &str) -> Result<(), NsError> {
        let dir = self.make_parents(at)?;
        match dir
            .entry(path::base_name(at).to_string())
            .or_insert_with(|| Node::Dir(BTreeMap::new()))
        {
            Node::Dir(_) => Ok(()),
            Node::Leaf(_) => Err(NsError::Exists {
                path: at.to_string(),
            }),
        }
    }

    /// The directory that will hold `at`, made as needed.
    fn make_parents(&mut self, at: &str) -> Result<&mut BTreeMap<String, Node<L>>, NsError> {
        let mut dir = &mut self.root;
        for name in path::components(path::parent(at)) {
            let node = dir
                .entry(name.to_string())
                .or_insert_with(|| Node::Dir(BTreeMap::new()));
            dir = match node {
                Node::Dir(inner) => inner,
                Node::Leaf(_) => {
                    return Err(NsError::NotDir {
                        path: at.to_string(),
                    });
                }
            };
        }
        Ok(dir)
    }

    /// What the clean path `at` names. Errors name `at`.
    pub fn lookup(&self, at: &str) -> Result<Found<'_, L>, NsError> {
        let mut current = Found::Dir(&self.root);
        for name in path::components(at) {
            let Found::Dir(dir) = current else {
                return Err(NsError::NotDir {
                    path: at.to_string(),
                });
            };
            current = match dir.get(name) {
                Some(Node::Dir(inner)) => Found::Dir(inner),
                Some(Node::Leaf(leaf)) => Found::Leaf(leaf),
                None => {
                    return Err(NsError::NotFound {
                        path: at.to_string(),
                    });
                }
            };
        }
        Ok(current)
    }

    /// The leaf that opening `at` with `flags` reaches, in a tree whose names cannot be
    /// added to by `open`: a directory is `IsDir` (`Exists` for an exclusive create), a
    /// missing name is `NotFound`, or `refuse_create(at)` when `flags` would create it, and
    /// an existing leaf is `Exists` for an exclusive create.
    pub fn open_leaf(
        &self,
        at: &str,
        flags: OpenFlags,
        refuse_create: impl FnOnce(&str) -> NsError,
    ) -> Result<&L, NsError> {
        let exclusive = flags.create && flags.exclusive;
        match self.lookup(at) {
            Ok(Found::Leaf(_) | Found::Dir(_)) if exclusive => Err(NsError::Exists {
                path: at.to_string(),
            }),
            Ok(Found::Leaf(leaf)) => Ok(leaf),
            Ok(Found::Dir(_)) => Err(NsError::IsDir {
                path: at.to_string(),
            }),
            Err(NsError::NotFound { .. }) if flags.create => Err(refuse_create(at)),
            Err(e) => Err(e),
        }
    }

    /// `stat` for a tree of synthetic files (`func`, `dev`): size 0 and no time, as Plan 9's
    /// synthetic files report, since knowing either would mean computing the contents.
    /// Directories are read-only; a leaf is when `read_only` says so.
    pub fn synthetic_stat(
        &self,
        at: &str,
        read_only: impl FnOnce(&L) -> bool,
    ) -> Result<Stat, NsError> {
        let (kind, read_only) = match self.lookup(at)? {
            Found::Leaf(leaf) => (FileKind::File, read_only(leaf)),
            Found::Dir(_) => (FileKind::Dir, true),
        };
        Ok(Stat {
            name: path::base_name(at).to_string(),
            kind,
            size: 0,
            modified: None,
            read_only,
        })
    }

    /// The entries of the directory at `at`, sorted by name.
    pub fn readdir(&self, at: &str) -> Result<Vec<DirEntry>, NsError> {
        let Found::Dir(dir) = self.lookup(at)? else {
            return Err(NsError::NotDir {
                path: at.to_string(),
            });
        };
        // BTreeMap order is name order, which the trait promises.
        Ok(dir
            .iter()
            .map(|(name, node)| DirEntry {
                name: name.clone(),
                kind: match node {
                    Node::Leaf(_) => FileKind::File,
                    Node::Dir(_) => FileKind::Dir,
                },
            })
            .collect())
    }

    /// Every leaf and every empty directory, depth first in name order, with its clean
    /// path: what it takes to build the same tree again.
    pub fn walk(&self) -> Vec<(String, Option<&L>)> {
        let mut out = Vec::new();
        // An explicit stack, so a deep tree cannot overflow ours.
        let mut stack: Vec<(String, &Node<L>)> = self
            .root
            .iter()
            .rev()
            .map(|(name, node)| (path::join("/", name), node))
            .collect();
        while let Some((at, node)) = stack.pop() {
            match node {
                Node::Leaf(leaf) => out.push((at, Some(leaf))),
                Node::Dir(children) if children.is_empty() => out.push((at, None)),
                Node::Dir(children) => stack.extend(
                    children
                        .iter()
                        .rev()
                        .map(|(name, child)| (path::join(&at, name), child)),
                ),
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_cleaned_and_the_root_and_dotdot_refused() {
        assert_eq!(clean_key("a/b").unwrap(), "/a/b");
        assert_eq!(clean_key("/a//./b/").unwrap(), "/a/b");
        for bad in ["", "/", ".", "a/..", "../x", "a/../../b"] {
            assert!(
                matches!(clean_key(bad), Err(NsError::InvalidPath { .. })),
                "{bad:?} was accepted"
            );
        }
    }

    #[test]
    fn conflicts_are_refused() {
        let mut tree = Tree::default();
        tree.insert_leaf("/a", 1).unwrap();
        assert!(matches!(
            tree.insert_leaf("/a", 2),
            Err(NsError::Exists { .. })
        ));
        assert!(matches!(
            tree.insert_leaf("/a/b", 3),
            Err(NsError::NotDir { path }) if path == "/a/b"
        ));
        assert!(matches!(tree.insert_dir("/a"), Err(NsError::Exists { .. })));
        tree.insert_dir("/d").unwrap();
        tree.insert_dir("/d").unwrap();
        assert!(matches!(
            tree.insert_leaf("/d", 4),
            Err(NsError::Exists { .. })
        ));
    }

    #[test]
    fn walk_lists_leaves_and_empty_dirs_in_order() {
        let mut tree = Tree::default();
        tree.insert_leaf("/b/c", 2).unwrap();
        tree.insert_leaf("/a", 1).unwrap();
        tree.insert_dir("/e/f").unwrap();
        let walked: Vec<_> = tree
            .walk()
            .into_iter()
            .map(|(at, leaf)| (at, leaf.copied()))
            .collect();
        assert_eq!(
            walked,
            vec![
                ("/a".to_string(), Some(1)),
                ("/b/c".to_string(), Some(2)),
                ("/e/f".to_string(), None)
            ]
        );
    }
}
