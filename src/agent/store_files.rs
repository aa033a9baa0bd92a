//! The agent's own file trees, `memory/` and `goals/`, kept in its database.
//!
//! Each tree is rows of (tree, path, dir, data): paths are clean and absolute within the
//! tree (`/notes/today`), the root `/` exists without a row, and a name's parent must be a
//! directory row (or the root), as in any file system. Each operation is one transaction,
//! so a crash leaves a file as it was before the write or after it, never half of it.

use rusqlite::{OptionalExtension, params};

use super::error::AgentError;
use super::store::{Store, now_millis};

/// The trees an agent has.
pub const TREES: &[&str] = &["memory", "goals"];

/// One name of a tree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Node {
    /// A directory (else a file).
    pub dir: bool,
    /// A file's length.
    pub size: u64,
    /// Last change, ms since the epoch.
    pub modified: i64,
}

/// Why a tree operation failed: the core's error, or a file-system answer the file door
/// turns into its own error for the path.
#[derive(Debug)]
pub enum TreeError {
    /// Nothing at the path.
    NotFound,
    /// The parent is missing.
    NoParent,
    /// A name used as a directory is a file.
    NotDir,
    /// A directory moved into itself.
    IntoItself,
    /// Something is there already.
    Exists,
    /// A directory that still has entries.
    NotEmpty,
    /// A file operation on a directory.
    IsDir,
    /// The database failed.
    Db(AgentError),
}

impl From<AgentError> for TreeError {
    fn from(e: AgentError) -> Self {
        TreeError::Db(e)
    }
}

fn parent(path: &str) -> &str {
    match path.rfind('/') {
        Some(0) | None => "/",
        Some(i) => &path[..i],
    }
}

impl Store {
    /// The node at `path` of `tree` (the root is always a directory).
    pub fn node(&self, tree: &str, path: &str) -> Result<Option<Node>, AgentError> {
        if path == "/" {
            return Ok(Some(Node {
                dir: true,
                size: 0,
                modified: 0,
            }));
        }
        self.conn
            .query_row(
                "SELECT dir, length(data), modified FROM files WHERE tree = ?1 AND path = ?2",
                [tree, path],
                |r| {
                    Ok(Node {
                        dir: r.get(0)?,
                        size: r.get(1)?,
                        modified: r.get(2)?,
                    })
                },
            )
            .optional()
            .map_err(|e| self.db(e))
    }

    /// A file's bytes.
    pub fn read_file(&self, tree: &str, path: &str) -> Result<Vec<u8>, TreeError> {
        let row: Option<(bool, Vec<u8>)> = self
            .conn
            .query_row(
                "SELECT dir, data FROM files WHERE tree = ?1 AND path = ?2",
                [tree, path],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(|e| self.db(e))?;
        match row {
            None => Err(TreeError::NotFound),
            Some((true, _)) => Err(TreeError::IsDir),
            Some((false, data)) => Ok(data),
        }
    }

    /// The names in a directory with whether each is one, sorted.
    pub fn list(&self, tree: &str, dir: &str) -> Result<Vec<(String, bool)>, TreeError> {
        match self.node(tree, dir)? {
            None => return Err(TreeError::NotFound),
            Some(node) if !node.dir => return Err(TreeError::NotDir),
            Some(_) => {}
        }
        let prefix = if dir == "/" {
            "/".to_string()
        } else {
            format!("{dir}/")
        };
        let mut stmt = self
            .conn
            .prepare_cached("SELECT path, dir FROM files WHERE tree = ?1 AND substr(path, 1, length(?2)) = ?2 ORDER BY path")
            .map_err(|e| self.db(e))?;
        let rows = stmt
            .query_map([tree, &prefix], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, bool>(1)?))
            })
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            .map_err(|e| self.db(e))?;
        Ok(rows
            .into_iter()
            .filter_map(|(path, dir)| {
                let rest = &path[prefix.len()..];
                (!rest.is_empty() && !rest.contains('/')).then(|| (rest.to_string(), dir))
            })
            .collect())
    }

    fn parent_is_dir(&self, tree: &str, path: &str) -> Result<(), TreeError> {
        match self.node(tree, parent(path))? {
            Some(node) if node.dir => Ok(()),
            Some(_) => Err(TreeError::NotDir),
            None => Err(TreeError::NoParent),
        }
    }

    /// Writes a whole file (made if missing; its parent must be a directory).
    pub fn write_file(&mut self, tree: &str, path: &str, data: &[u8]) -> Result<(), TreeError> {
        if let Some(node) = self.node(tree, path)? {
            if node.dir {
                return Err(TreeError::IsDir);
            }
        } else {
            self.parent_is_dir(tree, path)?;
        }
        let now = now_millis();
        self.write(|tx| {
            tx.execute(
                "INSERT INTO files (tree, path, dir, data, modified) VALUES (?1, ?2, 0, ?3, ?4)
                 ON CONFLICT (tree, path) DO UPDATE SET data = excluded.data, modified = excluded.modified",
                params![tree, path, data, now],
            )
            .map(drop)
        })?;
        Ok(())
    }

    /// Makes a directory.
    pub fn make_dir(&mut self, tree: &str, path: &str) -> Result<(), TreeError> {
        if self.node(tree, path)?.is_some() {
            return Err(TreeError::Exists);
        }
        self.parent_is_dir(tree, path)?;
        let now = now_millis();
        self.write(|tx| {
            tx.execute(
                "INSERT INTO files (tree, path, dir, modified) VALUES (?1, ?2, 1, ?3)",
                params![tree, path, now],
            )
            .map(drop)
        })?;
        Ok(())
    }

    /// Removes a file or an empty directory.
    pub fn remove_node(&mut self, tree: &str, path: &str) -> Result<(), TreeError> {
        match self.node(tree, path)? {
            None => return Err(TreeError::NotFound),
            Some(node) if node.dir && !self.list(tree, path)?.is_empty() => {
                return Err(TreeError::NotEmpty);
            }
            Some(_) => {}
        }
        self.write(|tx| {
            tx.execute(
                "DELETE FROM files WHERE tree = ?1 AND path = ?2",
                [tree, path],
            )
            .map(drop)
        })?;
        Ok(())
    }

    /// Renames `from` to `to` within `tree`, a directory with all it holds. `to` must not
    /// be an existing directory, nor lie inside `from`.
    pub fn rename_node(&mut self, tree: &str, from: &str, to: &str) -> Result<(), TreeError> {
        let Some(node) = self.node(tree, from)? else {
            return Err(TreeError::NotFound);
        };
        if from == to {
            return Ok(());
        }
        if to.starts_with(&format!("{from}/")) {
            return Err(TreeError::IntoItself);
        }
        match self.node(tree, to)? {
            Some(target) if target.dir => return Err(TreeError::IsDir),
            Some(_) if node.dir => return Err(TreeError::Exists),
            _ => {}
        }
        self.parent_is_dir(tree, to)?;
        self.write(|tx| {
            tx.execute(
                "DELETE FROM files WHERE tree = ?1 AND path = ?2",
                [tree, to],
            )?;
            tx.execute(
                "UPDATE files SET path = ?3 || substr(path, length(?2) + 1)
                 WHERE tree = ?1 AND (path = ?2 OR substr(path, 1, length(?2) + 1) = ?2 || '/')",
                [tree, from, to],
            )
            .map(drop)
        })?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn files_and_directories_live_in_their_tree() {
        let mut s = Store::memory("a").unwrap();
        s.make_dir("memory", "/notes").unwrap();
        s.write_file("memory", "/notes/today", b"hi").unwrap();
        s.write_file("goals", "/g", b"win").unwrap();
        assert_eq!(s.list("memory", "/").unwrap(), vec![("notes".into(), true)]);
        assert_eq!(
            s.list("memory", "/notes").unwrap(),
            vec![("today".into(), false)]
        );
        assert_eq!(s.read_file("memory", "/notes/today").unwrap(), b"hi");
        assert!(matches!(
            s.write_file("memory", "/nope/x", b""),
            Err(TreeError::NoParent)
        ));
        assert!(matches!(
            s.remove_node("memory", "/notes"),
            Err(TreeError::NotEmpty)
        ));
        s.rename_node("memory", "/notes", "/old").unwrap();
        assert_eq!(s.read_file("memory", "/old/today").unwrap(), b"hi");
        assert!(matches!(
            s.read_file("memory", "/notes/today"),
            Err(TreeError::NotFound)
        ));
        s.remove_node("memory", "/old/today").unwrap();
        s.remove_node("memory", "/old").unwrap();
        assert!(s.list("memory", "/").unwrap().is_empty());
        assert_eq!(s.list("goals", "/").unwrap(), vec![("g".into(), false)]);
    }
}
