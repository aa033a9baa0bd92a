//! Our preview1 imports against wasmtime-wasi's: the same names with the same signatures.
//!
//! A guest imports only what it uses, so a wrong signature would go unnoticed until some
//! program needed that import (and failed to link). wasmtime-wasi is a dev-dependency only,
//! for this comparison; oash itself defines every import (see `oash::wasi`).

use std::collections::BTreeMap;
use std::sync::Arc;

use oash::ns::Namespace;
use oash::services::mem::MemService;
use oash::wasi::preview1::{self, Task};
use wasmtime::{Engine, Extern, Linker, Store};

/// `module.name` → the function type, as text, of every function a linker defines.
fn signatures<T>(linker: &Linker<T>, store: &mut Store<T>) -> BTreeMap<String, String> {
    linker
        .iter(&mut *store)
        .filter_map(|(module, name, item)| match item {
            Extern::Func(func) => Some((format!("{module}.{name}"), func)),
            _ => None,
        })
        .collect::<Vec<_>>()
        .into_iter()
        .map(|(key, func)| (key, format!("{}", func.ty(&*store))))
        .collect()
}

#[test]
fn every_preview1_import_matches_wasmtime_wasi() {
    let engine = Engine::default();

    let mut ours = Linker::<Task>::new(&engine);
    preview1::add_to_linker(&mut ours).expect("our imports");
    let ns = Namespace::new(Arc::new(MemService::new()));
    let mut our_store = Store::new(&engine, Task::empty(ns));
    let our_signatures = signatures(&ours, &mut our_store);

    let mut theirs = Linker::<wasmtime_wasi::p1::WasiP1Ctx>::new(&engine);
    wasmtime_wasi::p1::add_to_linker_sync(&mut theirs, |ctx| ctx).expect("wasmtime-wasi");
    let context = wasmtime_wasi::WasiCtxBuilder::new().build_p1();
    let mut their_store = Store::new(&engine, context);
    let their_signatures = signatures(&theirs, &mut their_store);

    let preview1: BTreeMap<_, _> = their_signatures
        .into_iter()
        .filter(|(name, _)| name.starts_with("wasi_snapshot_preview1."))
        .collect();
    assert_eq!(
        preview1.len(),
        46,
        "wasmtime-wasi's preview1 has 46 imports"
    );
    assert_eq!(our_signatures, preview1);
}
