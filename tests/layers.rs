//! Dependencies point down: every `use` and path of the library's own code is checked against
//! the layers listed in `src/lib.rs`'s doc ("# Layers"), the one place they are written.
//!
//! The source is parsed with `syn`, so comments and doc links are not imports, and items
//! under `#[cfg(test)]` (test modules, test-only files) are skipped: tests may reach
//! anything. A path is placed by its module: `crate::services::env::EnvService` belongs to
//! `services`, `super::x` to the parent module of the file it is in. The test fails on an
//! edge to a later layer or between two doors (unless lib.rs names it as one of the few
//! allowed edges), and on a module lib.rs declares but the list does not place.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test's failures are its panics

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use syn::visit::Visit;

/// The layers as lib.rs lists them: each module's layer index, which layer is the doors',
/// and the few edges lib.rs names as allowed against the rule.
struct Layers {
    layer_of: BTreeMap<String, usize>,
    names: Vec<String>,
    doors: Option<usize>,
    allowed: BTreeSet<(String, String)>,
}

fn code_spans(line: &str) -> Vec<String> {
    line.split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

fn read_layers(lib: &str) -> Layers {
    let doc: Vec<&str> = lib
        .lines()
        .filter_map(|l| l.strip_prefix("//!"))
        .map(str::trim)
        .collect();
    let start = doc
        .iter()
        .position(|l| *l == "# Layers")
        .expect("lib.rs has a '# Layers' section");
    let mut layers = Layers {
        layer_of: BTreeMap::new(),
        names: Vec::new(),
        doors: None,
        allowed: BTreeSet::new(),
    };
    for line in doc[start + 1..].iter().take_while(|l| !l.starts_with("# ")) {
        let numbered = line
            .split_once(". ")
            .filter(|(n, _)| n.parse::<usize>().is_ok());
        if let Some((_, rest)) = numbered {
            let (name, modules) = rest
                .split_once(':')
                .expect("a layer line is 'N. name: ...'");
            let modules = modules.split('—').next().unwrap_or("");
            let index = layers.names.len();
            layers.names.push(name.to_string());
            if name == "doors" {
                layers.doors = Some(index);
            }
            for module in code_spans(modules) {
                layers.layer_of.insert(module, index);
            }
        }
    }
    // "`a` → `b`" anywhere in the section names an edge allowed against the rule.
    let section = doc[start + 1..]
        .iter()
        .take_while(|l| !l.starts_with("# "))
        .copied()
        .collect::<Vec<_>>()
        .join(" ");
    let mut rest = section.as_str();
    while let Some(arrow) = rest.find("` → `") {
        let from = rest[..arrow].rsplit('`').next().unwrap_or("").to_string();
        let after = &rest[arrow + "` → `".len()..];
        let to = after.split('`').next().unwrap_or("").to_string();
        layers.allowed.insert((from, to));
        rest = after;
    }
    layers
}

/// Whether an item's attributes put it under `#[cfg(test)]`.
fn is_test_only(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("cfg")
            && a.meta
                .require_list()
                .is_ok_and(|list| list.tokens.to_string() == "test")
    })
}

/// The crate-relative module paths each non-test item of a file reaches.
struct Imports {
    /// The module path of the file (`["services", "task", "files"]`).
    module: Vec<String>,
    found: Vec<Vec<String>>,
}

impl Imports {
    fn absolute(&self, segments: &[String]) -> Option<Vec<String>> {
        match segments.first()?.as_str() {
            "crate" => Some(segments[1..].to_vec()),
            "super" => {
                let mut base = self.module.clone();
                let mut rest = segments;
                while rest.first().map(String::as_str) == Some("super") {
                    base.pop();
                    rest = &rest[1..];
                }
                base.extend(rest.iter().cloned());
                Some(base)
            }
            _ => None,
        }
    }

    fn use_tree(&mut self, prefix: &mut Vec<String>, tree: &syn::UseTree) {
        match tree {
            syn::UseTree::Path(p) => {
                prefix.push(p.ident.to_string());
                self.use_tree(prefix, &p.tree);
                prefix.pop();
            }
            syn::UseTree::Name(n) => self.record(prefix, Some(n.ident.to_string())),
            syn::UseTree::Rename(r) => self.record(prefix, Some(r.ident.to_string())),
            syn::UseTree::Glob(_) => self.record(prefix, None),
            syn::UseTree::Group(g) => {
                for item in &g.items {
                    self.use_tree(prefix, item);
                }
            }
        }
    }

    fn record(&mut self, prefix: &[String], last: Option<String>) {
        let mut segments = prefix.to_vec();
        segments.extend(last.filter(|l| l != "self"));
        if let Some(path) = self.absolute(&segments) {
            self.found.push(path);
        }
    }
}

impl<'ast> Visit<'ast> for Imports {
    fn visit_item(&mut self, item: &'ast syn::Item) {
        let attrs = match item {
            syn::Item::Mod(m) => &m.attrs,
            syn::Item::Fn(f) => &f.attrs,
            syn::Item::Use(u) => &u.attrs,
            syn::Item::Impl(i) => &i.attrs,
            syn::Item::Const(c) => &c.attrs,
            syn::Item::Static(s) => &s.attrs,
            syn::Item::Struct(s) => &s.attrs,
            syn::Item::Enum(e) => &e.attrs,
            syn::Item::Macro(m) => &m.attrs,
            _ => return syn::visit::visit_item(self, item),
        };
        if is_test_only(attrs) {
            return;
        }
        if let syn::Item::Use(u) = item {
            self.use_tree(&mut Vec::new(), &u.tree);
            return;
        }
        syn::visit::visit_item(self, item);
    }

    fn visit_impl_item_fn(&mut self, f: &'ast syn::ImplItemFn) {
        if !is_test_only(&f.attrs) {
            syn::visit::visit_impl_item_fn(self, f);
        }
    }

    fn visit_path(&mut self, path: &'ast syn::Path) {
        let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        if let Some(p) = self.absolute(&segments) {
            self.found.push(p);
        }
        syn::visit::visit_path(self, path);
    }
}

/// The library's non-test source files, found by following `mod` declarations from lib.rs
/// (a `#[cfg(test)] mod x;` is not followed), each with its module path.
fn library_files(src: &Path) -> Vec<(PathBuf, Vec<String>)> {
    let mut files = Vec::new();
    let mut todo = vec![(src.join("lib.rs"), Vec::<String>::new())];
    while let Some((file, module)) = todo.pop() {
        let text = std::fs::read_to_string(&file).unwrap();
        let parsed = syn::parse_file(&text).unwrap();
        // A module's children live beside `x.rs` in `x/`, or beside `mod.rs`/`lib.rs`.
        let dir = match file.file_name().and_then(|n| n.to_str()) {
            Some("lib.rs") | Some("mod.rs") => file.parent().unwrap().to_path_buf(),
            _ => file.with_extension(""),
        };
        for item in &parsed.items {
            let syn::Item::Mod(m) = item else { continue };
            if m.content.is_some() || is_test_only(&m.attrs) {
                continue;
            }
            let name = m.ident.to_string();
            let mut child = module.clone();
            child.push(name.clone());
            let flat = dir.join(format!("{name}.rs"));
            let nested = dir.join(&name).join("mod.rs");
            let path = if flat.exists() { flat } else { nested };
            todo.push((path, child));
        }
        files.push((file, module));
    }
    files
}

/// The node a module path belongs to: the longest module the layers place.
fn place<'a>(layers: &'a Layers, path: &[String]) -> Option<&'a str> {
    (1..=path.len())
        .rev()
        .map(|n| path[..n].join("::"))
        .find_map(|p| layers.layer_of.get_key_value(&p).map(|(k, _)| k.as_str()))
}

#[test]
fn dependencies_point_down() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let lib = std::fs::read_to_string(root.join("src/lib.rs")).unwrap();
    let layers = read_layers(&lib);
    assert!(layers.names.len() >= 5, "lib.rs lists the layers");
    assert!(layers.doors.is_some(), "lib.rs names the doors layer");

    let mut problems = BTreeSet::new();
    let mut edges = BTreeSet::new();
    for (file, module) in library_files(&root.join("src")) {
        if module.is_empty() {
            continue; // lib.rs itself declares the modules
        }
        let from = place(&layers, &module)
            .unwrap_or_else(|| panic!("{}: module {} is in no layer", file.display(), module[0]));
        let text = std::fs::read_to_string(&file).unwrap();
        let mut imports = Imports {
            module: module.clone(),
            found: Vec::new(),
        };
        imports.visit_file(&syn::parse_file(&text).unwrap());
        for path in imports.found {
            let Some(to) = place(&layers, &path) else {
                continue; // an item of lib.rs itself, or a path not into the crate
            };
            if to == from {
                continue;
            }
            edges.insert((from.to_string(), to.to_string()));
            let (lf, lt) = (layers.layer_of[from], layers.layer_of[to]);
            let allowed = layers.allowed.contains(&(from.into(), to.into()));
            let upward = lt > lf;
            let door_to_door = lt == lf && Some(lf) == layers.doors;
            if (upward || door_to_door) && !allowed {
                problems.insert(format!(
                    "{}: `{from}` ({}) imports `{}` ({}){}",
                    file.strip_prefix(root).unwrap_or(&file).display(),
                    layers.names[lf],
                    path.join("::"),
                    layers.names[lt],
                    if door_to_door {
                        ": a door imports another door"
                    } else {
                        ""
                    },
                ));
            }
        }
    }
    assert!(problems.is_empty(), "imports against the layers:\n{}", {
        problems.into_iter().collect::<Vec<_>>().join("\n")
    });
    // Every allowed edge is still used, so the list cannot go stale.
    for (from, to) in &layers.allowed {
        assert!(
            edges.contains(&(from.clone(), to.clone())),
            "lib.rs allows `{from}` → `{to}`, which nothing uses any more: strike it"
        );
    }
}

#[test]
fn the_layer_list_is_read_as_written() {
    let layers = read_layers(
        "//! # Layers\n//! 1. low: `a`, `b` — words\n//! 2. doors: `c`, `d`\n\
         //! One edge: `a` → `c`.\n//! # Next\n//! 3. not: `e`\n",
    );
    assert_eq!(layers.names, ["low", "doors"]);
    assert_eq!(layers.layer_of["b"], 0);
    assert_eq!(layers.layer_of["d"], 1);
    assert!(!layers.layer_of.contains_key("e"));
    assert_eq!(layers.doors, Some(1));
    assert!(layers.allowed.contains(&("a".into(), "c".into())));
}
