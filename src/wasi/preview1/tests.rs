//! Hostile input: every import, called with arbitrary arguments over arbitrary memory,
//! answers an errno or a trap and never panics.

use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use proptest::prelude::*;
use wasmtime::{Engine, Extern, Linker, Memory, MemoryType, Store, Val, ValType};

use super::{Task, TaskParts, add_to_linker};
use crate::ns::{MountFlag, Namespace, OpenFlags};
use crate::proc::io::Fd;
use crate::services::mem::MemService;
use crate::wasi::limits::Budget;

fn namespace() -> Namespace {
    let ns = Namespace::new(Arc::new(MemService::with_dirs(&["/tmp", "/d/e"])));
    let ns = ns
        .mount("/d", Arc::new(MemService::new()), MountFlag::After, false)
        .unwrap_or_else(|_| ns.clone());
    if let Ok(mut file) = ns.open("/tmp/a", OpenFlags::write().create()) {
        let _ = file.write(b"0123456789");
        let _ = file.close();
    }
    ns
}

/// Small numbers (fds, flags, whence), addresses inside the page, and anything at all.
fn argument() -> impl Strategy<Value = u64> {
    prop_oneof![0u64..8, 0u64..70_000, any::<u64>()]
}

fn store(engine: &Engine, bytes: &[u8]) -> Store<Task> {
    let task = Task::new(TaskParts {
        args: vec!["fuzz".into(), "ü".into()],
        env: vec![("K".into(), "v".into())],
        ns: namespace(),
        stdin: Fd::reader(std::io::empty()),
        stdout: Fd::writer(std::io::sink()),
        stderr: Fd::Closed,
        // Any sleep in poll_oneoff ends quickly.
        budget: Budget::new(
            Instant::now(),
            Some(Duration::from_millis(5)),
            Arc::new(AtomicBool::new(false)),
        ),
        memory_cap: None,
        clock_base: Instant::now(),
    });
    let mut store = Store::new(engine, task);
    if let Ok(memory) = Memory::new(&mut store, MemoryType::new(1, Some(1))) {
        let data = memory.data_mut(&mut store);
        let n = bytes.len().min(data.len());
        data[..n].copy_from_slice(&bytes[..n]);
        store.data_mut().memory = Some(memory);
    }
    store
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn no_import_panics_on_any_arguments(
        bytes in proptest::collection::vec(any::<u8>(), 0..4096),
        args in proptest::collection::vec(argument(), 9),
    ) {
        let engine = Engine::default();
        let mut linker = Linker::new(&engine);
        add_to_linker(&mut linker).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let mut store = store(&engine, &bytes);
        let imports: Vec<(String, wasmtime::Func)> = linker
            .iter(&mut store)
            .filter_map(|(_, name, item)| match item {
                Extern::Func(func) => Some((name.to_string(), func)),
                _ => None,
            })
            .collect();
        prop_assert_eq!(imports.len(), 46);
        for (name, func) in imports {
            let ty = func.ty(&store);
            let params: Vec<Val> = ty
                .params()
                .zip(&args)
                .map(|(param, &arg)| match param {
                    ValType::I64 => Val::I64(arg as i64),
                    _ => Val::I32(arg as i32),
                })
                .collect();
            let mut results = vec![Val::I32(0); ty.results().len()];
            // An errno, or a trap (proc_exit, a budget stop): either is an answer.
            let answer = func.call(&mut store, &params, &mut results);
            if answer.is_ok() && name != "proc_exit" {
                let errno = results.first().and_then(Val::i32).unwrap_or(-1);
                prop_assert!((0..=76).contains(&errno), "{name} answered {errno}");
            }
        }
    }
}
