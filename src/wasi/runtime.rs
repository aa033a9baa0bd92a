//! The [`Runtime`]: a lazily started wasmtime engine, its linker and module cache, and
//! [`Runtime::run`], which runs one guest over one namespace to an [`Outcome`].
//!
//! Nothing happens when a `Runtime` is made: the engine, the linker, the cache and the epoch
//! ticker start on the first `load` (oash's start-up must not pay for wasmtime). A run is
//! synchronous on the caller's thread; a scheduler runs guests on threads of its own. Every
//! ending of a run, including budget stops, is an `Outcome`; nothing a guest does can make
//! `run` panic or return early without one. This module must never touch the host file
//! system except through the cache, nor share one run's state with another.

use std::io::Read;
use std::sync::Arc;
use std::sync::OnceLock;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use wasmtime::{
    Config, Engine, InstanceAllocationStrategy, Linker, PoolingAllocationConfig, Store, Trap,
    UpdateDeadline,
};

use super::cache::{self, ModuleCache};
use super::limits::{Budget, Limits, Stop, Ticker};
use super::outcome::{LoadError, Outcome};
use super::preview1::{self, Exit, Task, TaskParts};
use super::program::Program;
use crate::ns::{Caller, HandleReader, Namespace, OpenFlags, path as ns_path};
use crate::proc::Control;
use crate::proc::io::Fd;

/// How the engine is built. The defaults suit the shell.
#[derive(Clone, Debug)]
pub struct RuntimeConfig {
    /// Where compiled modules are kept between processes (`None`: memory only).
    pub cache_dir: Option<std::path::PathBuf>,
    /// Count fuel, so [`Limits::fuel`] can be enforced (costs a little speed in guest loops).
    pub fuel_metering: bool,
    /// Pre-reserve instance slots (faster instantiation); this many guests may run at once.
    /// `None` allocates each instance on demand.
    pub pooling_slots: Option<u32>,
    /// Largest module file `load_path` reads, in bytes (host memory holds it while compiling).
    pub max_module_size: u64,
}

impl Default for RuntimeConfig {
    fn default() -> Self {
        RuntimeConfig {
            cache_dir: cache::default_dir(),
            fuel_metering: true,
            pooling_slots: Some(128),
            max_module_size: 256 << 20,
        }
    }
}

/// What one run needs: its process shape, its namespace, its budgets.
pub struct TaskSpec {
    /// `argv`, including `argv[0]` (the program's name).
    pub args: Vec<String>,
    /// The environment, `NAME=value` pairs in order.
    pub env: Vec<(String, String)>,
    /// The namespace the guest sees as its whole file system (preopen fd 3, `/`).
    pub ns: Namespace,
    /// The task's working directory in `ns`; exported as `PWD` unless `env` sets it.
    pub cwd: String,
    /// Descriptor 0.
    pub stdin: Fd,
    /// Descriptor 1.
    pub stdout: Fd,
    /// Descriptor 2.
    pub stderr: Fd,
    /// Fuel, memory and time the run may spend.
    pub limits: Limits,
    /// Set it (from any thread) to stop the guest: it ends [`Outcome::Killed`].
    pub cancel: Arc<AtomicBool>,
    /// The shell job it runs for, if any: the guest pauses at its next tick while the job
    /// is stopped (Ctrl-Z), and ends [`Outcome::Killed`] once the job is interrupted.
    pub job: Option<Arc<Control>>,
}

impl TaskSpec {
    /// A task over `ns` with no arguments, closed standard streams, cwd `/`, no limits.
    pub fn new(ns: Namespace) -> TaskSpec {
        TaskSpec {
            args: Vec::new(),
            env: Vec::new(),
            ns,
            cwd: "/".into(),
            stdin: Fd::Closed,
            stdout: Fd::Closed,
            stderr: Fd::Closed,
            limits: Limits::default(),
            cancel: Arc::new(AtomicBool::new(false)),
            job: None,
        }
    }
}

/// The parts made on first use.
struct Core {
    engine: Engine,
    linker: Linker<Task>,
    cache: ModuleCache,
    ticker: Ticker,
    clock_base: Instant,
}

/// Runs WASI preview1 commands over namespaces. Cheap to make; starts its engine on first use.
pub struct Runtime {
    config: RuntimeConfig,
    core: OnceLock<Result<Core, LoadError>>,
}

impl Runtime {
    /// A runtime with `config`; the engine itself starts on first use.
    pub fn new(config: RuntimeConfig) -> Runtime {
        Runtime {
            config,
            core: OnceLock::new(),
        }
    }

    /// Whether the engine has been started (by a `load`).
    pub fn is_started(&self) -> bool {
        self.core.get().is_some()
    }

    /// The configuration it was made with.
    pub fn config(&self) -> &RuntimeConfig {
        &self.config
    }

    fn core(&self) -> Result<&Core, LoadError> {
        self.core
            .get_or_init(|| start(&self.config))
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Compiles (or finds in the cache) a command module: wasm bytes, or WAT text.
    pub fn load(&self, bytes: &[u8]) -> Result<Program, LoadError> {
        let core = self.core()?;
        core.cache.load(&core.engine, &core.linker, bytes)
    }

    /// [`Runtime::load`] of the file at `path` (relative to `cwd`) in `ns`.
    pub fn load_path(&self, ns: &Namespace, cwd: &str, path: &str) -> Result<Program, LoadError> {
        let read_error = |source| LoadError::Read {
            path: path.to_string(),
            source,
        };
        let full = ns_path::resolve(cwd, path).map_err(read_error)?;
        let limit = self.config.max_module_size;
        let too_large = |size| LoadError::TooLarge {
            path: path.to_string(),
            size,
            limit,
        };
        let size = ns.stat(&full).map_err(read_error)?.size;
        if size > limit {
            return Err(too_large(size));
        }
        let handle = ns.open(&full, OpenFlags::read()).map_err(read_error)?;
        // Read one byte past the limit, so a file that grew since `stat` is caught too.
        let mut reader = HandleReader::new(handle).take(limit + 1);
        let mut bytes = Vec::new();
        reader
            .read_to_end(&mut bytes)
            .map_err(|err| read_error(crate::ns::stream::ns_error(&err, &full)))?;
        if bytes.len() as u64 > limit {
            return Err(too_large(bytes.len() as u64));
        }
        self.load(&bytes)
    }

    /// Runs `program` to its end on this thread.
    pub fn run(&self, program: &Program, spec: TaskSpec) -> Outcome {
        let core = match self.core() {
            Ok(core) => core,
            Err(err) => return Outcome::LoadError(err),
        };
        if !Engine::same(program.instance_pre().module().engine(), &core.engine) {
            return Outcome::Failed("the program was loaded by another runtime".into());
        }
        let limits = spec.limits;
        if limits.fuel.is_some() && !self.config.fuel_metering {
            return Outcome::Failed("a fuel limit needs a runtime with fuel metering".into());
        }
        let started = Instant::now();
        // Whatever the guest makes through its files (`/task/new/wasi`) copies the guest's
        // view, and waits on its behalf stop when it is killed.
        let _caller = Caller::scoped(Caller {
            ns: spec.ns.clone(),
            cwd: spec.cwd.clone(),
            interrupt: Some(Arc::clone(&spec.cancel)),
        });
        let mut env = spec.env;
        if !env.iter().any(|(key, _)| key == "PWD") {
            env.push(("PWD".into(), spec.cwd));
        }
        let task = Task::new(TaskParts {
            args: spec.args,
            env,
            ns: spec.ns,
            stdin: spec.stdin,
            stdout: spec.stdout,
            stderr: spec.stderr,
            budget: Budget::new(started, limits.deadline, spec.cancel).of_job(spec.job),
            memory_cap: limits.memory,
            clock_base: core.clock_base,
        });
        let mut store = Store::new(&core.engine, task);
        store.limiter(|task| &mut task.limiter);
        if self.config.fuel_metering
            && let Err(err) = store.set_fuel(limits.fuel.unwrap_or(u64::MAX))
        {
            return Outcome::Failed(format!("{err:#}"));
        }
        store.set_epoch_deadline(1);
        store.epoch_deadline_callback(|context| {
            context
                .data()
                .budget
                .check()
                .map_err(wasmtime::Error::new)?;
            Ok(UpdateDeadline::Continue(1))
        });
        let _ticking = core.ticker.enter();
        let instance = match program.instance_pre().instantiate(&mut store) {
            Ok(instance) => instance,
            // A budget or a trap (a start section) ends the run as usual; anything else is
            // the host's refusal (say, every pooled instance slot taken).
            Err(err) if err.is::<Stop>() || err.is::<Trap>() || err.is::<Exit>() => {
                return classify(&err, limits);
            }
            Err(err) => return Outcome::Failed(format!("{err:#}")),
        };
        store.data_mut().memory = instance.get_memory(&mut store, "memory");
        let ended = instance
            .get_typed_func::<(), ()>(&mut store, "_start")
            .and_then(|start| start.call(&mut store, ()));
        match ended {
            Ok(()) => Outcome::Exited(0),
            Err(err) => classify(&err, limits),
        }
    }
}

impl std::fmt::Debug for Runtime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Runtime")
            .field("config", &self.config)
            .field("started", &self.is_started())
            .finish()
    }
}

/// Builds the engine: epoch interruption always (deadlines, cancel), fuel when configured,
/// the pooling allocator when configured and the host allows its reservation.
fn start(config: &RuntimeConfig) -> Result<Core, LoadError> {
    let mut wasm = Config::new();
    wasm.epoch_interruption(true);
    wasm.consume_fuel(config.fuel_metering);
    let engine = match config.pooling_slots {
        Some(slots) => {
            let mut pool = PoolingAllocationConfig::default();
            pool.total_core_instances(slots);
            pool.total_memories(slots);
            pool.total_tables(slots);
            let mut pooled = wasm.clone();
            pooled.allocation_strategy(InstanceAllocationStrategy::Pooling(pool));
            // A host that refuses the up-front reservation still gets a working engine.
            Engine::new(&pooled).or_else(|_| Engine::new(&wasm))
        }
        None => Engine::new(&wasm),
    }
    .map_err(|e| LoadError::Engine(format!("{e:#}")))?;
    let mut linker = Linker::new(&engine);
    preview1::add_to_linker(&mut linker).map_err(|e| LoadError::Engine(format!("{e:#}")))?;
    let ticker = Ticker::start(&engine).map_err(|e| LoadError::Engine(e.to_string()))?;
    Ok(Core {
        engine,
        linker,
        cache: ModuleCache::new(config.cache_dir.clone()),
        ticker,
        clock_base: Instant::now(),
    })
}

/// The outcome an error out of wasmtime stands for.
fn classify(err: &wasmtime::Error, limits: Limits) -> Outcome {
    if let Some(Exit(code)) = err.downcast_ref::<Exit>() {
        return Outcome::Exited(*code);
    }
    match err.downcast_ref::<Stop>() {
        Some(Stop::Killed) => return Outcome::Killed,
        Some(Stop::Deadline(limit)) => return Outcome::DeadlineExceeded(*limit),
        Some(Stop::MemoryCap(cap)) => return Outcome::MemoryCap(*cap),
        None => {}
    }
    match err.downcast_ref::<Trap>() {
        Some(Trap::OutOfFuel) => Outcome::FuelExhausted(limits.fuel.unwrap_or(u64::MAX)),
        Some(trap) => Outcome::Trapped(trap_message(trap, err)),
        None => Outcome::Trapped(format!("{err:#}")),
    }
}

/// The trap, and the innermost named function it happened in.
fn trap_message(trap: &Trap, err: &wasmtime::Error) -> String {
    let place = err
        .downcast_ref::<wasmtime::WasmBacktrace>()
        .and_then(|trace| {
            trace
                .frames()
                .iter()
                .find_map(|frame| frame.func_name().map(str::to_string))
        });
    match place {
        Some(function) => format!("{trap} (in {function})"),
        None => trap.to_string(),
    }
}
