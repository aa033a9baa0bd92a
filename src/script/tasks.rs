//! The Rhai door to tasks: `spawn(path)`, `spawn(path, #{...})` and the handle they return.
//! It parses a Rhai map into a [`TaskRequest`] made by the same shell function the `spawn`
//! builtin uses, and starts it with [`Tasks::spawn`](crate::task::Tasks::spawn): through
//! the scheduler's queue, in the background, its output captured.
//!
//! | Rhai | does |
//! |------|------|
//! | `spawn(path)`, `spawn(path, #{args: [..], env: #{..}, stdin: "text", share_env: false, priority: 0, deadline: "100ms", memory: "64M", fuel: 1000})` | start a task; answers its handle |
//! | `h.wait()` | wait for it; answers its `$status` (`""` on success, `"3"`, `"trap: ..."`) |
//! | `h.status()` | its state now: `running`, `completed`, `completed 3`, `failed: REASON`, `killed` |
//! | `h.stdout()`, `h.stderr()` | what it has written so far (UTF-8, invalid bytes replaced) |
//! | `h.kill()`, `h.id()` | kill it; its task id (as `ps` shows it) |
//!
//! A handle keeps at most Rhai's string limit of each stream; past it the guest's writes
//! fail. Nothing here may run a guest on the script's thread or reach the host.

use std::io::{Cursor, Write};
use std::sync::atomic::Ordering;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use rhai::{Array, Dynamic, EvalAltResult, Map};

use super::api::RunContext;
use crate::eval::program::RunOptions;
use crate::eval::{Shell, ShellError};
use crate::proc::io::{Buffer, Fd};
use crate::task::{TaskId, TaskRequest, Tasks};
use crate::units::{parse_duration, parse_size};

type RhaiResult<T> = Result<T, Box<EvalAltResult>>;

/// How often a waiting script looks at Ctrl-C.
const WAIT_SLICE: Duration = Duration::from_millis(20);

/// A running or ended task, as a script holds it.
#[derive(Clone)]
pub struct TaskHandle {
    tasks: Arc<OnceLock<Tasks>>,
    id: TaskId,
    stdout: Buffer,
    stderr: Buffer,
}

impl TaskHandle {
    fn tasks(&self) -> &Tasks {
        self.tasks.get_or_init(Tasks::from_env)
    }
}

/// Registers `spawn` and the handle's methods on `engine`, bound to `context`.
/// A task's output is kept up to `capture_limit` bytes per stream (Rhai's string limit):
/// past it, the guest's writes fail, so a chatty guest cannot fill the host's memory.
pub fn register(engine: &mut rhai::Engine, context: &Arc<RunContext>, capture_limit: usize) {
    engine.register_type_with_name::<TaskHandle>("Task");
    // `spawn` is a reserved keyword in Rhai: no function may take the name, but a custom
    // syntax may. This one reads as a call: `spawn(PATH)` or `spawn(PATH, OPTIONS)`.
    let c = Arc::clone(context);
    engine.register_custom_syntax_with_state_raw(
        "spawn",
        |symbols, look_ahead, _| {
            Ok(match symbols.len() {
                1 => Some("(".into()),
                2 | 4 if symbols.last().is_some_and(|s| s != ")") => Some("$expr$".into()),
                3 if look_ahead == "," => Some(",".into()),
                3 | 5 => Some(")".into()),
                _ => None,
            })
        },
        false,
        move |context, inputs, _| {
            let path = context.eval_expression_tree(&inputs[0])?;
            let path = path
                .into_immutable_string()
                .map_err(|kind| format!("spawn: the path must be a string, not {kind}"))?;
            let options = match inputs.get(1) {
                Some(expr) => context
                    .eval_expression_tree(expr)?
                    .try_cast::<Map>()
                    .ok_or("spawn: the options must be a map")?,
                None => Map::new(),
            };
            spawn(&c, &path, &options, capture_limit).map(Dynamic::from)
        },
    );
    let c = Arc::clone(context);
    engine.register_fn("wait", move |handle: &mut TaskHandle| wait(&c, handle));
    engine.register_fn("status", |handle: &mut TaskHandle| {
        handle
            .tasks()
            .info(handle.id)
            .map(|info| info.state.to_string())
            .unwrap_or_else(|| "forgotten".into())
    });
    engine.register_fn("stdout", |handle: &mut TaskHandle| {
        String::from_utf8_lossy(&handle.stdout.contents()).into_owned()
    });
    engine.register_fn("stderr", |handle: &mut TaskHandle| {
        String::from_utf8_lossy(&handle.stderr.contents()).into_owned()
    });
    let c = Arc::clone(context);
    engine.register_fn("kill", move |handle: &mut TaskHandle| -> RhaiResult<()> {
        handle
            .tasks()
            .kill(handle.id)
            .map_err(|source| c.raise(task_error("kill", source)))
    });
    engine.register_fn("id", |handle: &mut TaskHandle| handle.id.0 as i64);
}

fn spawn(
    context: &RunContext,
    path: &str,
    options: &Map,
    capture_limit: usize,
) -> RhaiResult<TaskHandle> {
    let (stdout, stderr) = (Buffer::new(), Buffer::new());
    let (out, err) = (stdout.clone(), stderr.clone());
    let (tasks, id) = context.call(move |shell| {
        let module = shell
            .program_path(path)
            .map_err(|e| ShellError::ns("spawn", e))?;
        let mut request = request_of(shell, &module, options)?;
        request.stdout = Fd::writer(Capture::new(out, capture_limit));
        request.stderr = Fd::writer(Capture::new(err, capture_limit));
        let id = shell
            .tasks()
            .spawn(request)
            .map_err(|source| task_error("spawn", source))?;
        Ok((Arc::clone(&shell.engines.tasks), id))
    })?;
    Ok(TaskHandle {
        tasks,
        id,
        stdout,
        stderr,
    })
}

/// A task's error as the `cmd` builtin's (`oash::task`).
fn task_error(cmd: &str, source: crate::task::TaskError) -> ShellError {
    ShellError::Task {
        cmd: cmd.into(),
        source,
    }
}

/// A [`Buffer`] that takes at most `room` more bytes, then refuses writes.
struct Capture {
    buffer: Buffer,
    room: usize,
}

impl Capture {
    fn new(buffer: Buffer, limit: usize) -> Capture {
        Capture {
            buffer,
            room: limit,
        }
    }
}

impl Write for Capture {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        if bytes.len() > self.room {
            return Err(std::io::Error::other(
                "captured output over Rhai's string limit",
            ));
        }
        self.room -= bytes.len();
        self.buffer.write(bytes)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Waits in slices, so Ctrl-C stops the script (and kills the task) while it waits.
fn wait(context: &RunContext, handle: &TaskHandle) -> RhaiResult<String> {
    let interrupt = context.interrupt();
    loop {
        match handle.tasks().wait(handle.id, Some(WAIT_SLICE)) {
            Ok(info) => return Ok(info.status().as_str().to_string()),
            Err(crate::task::TaskError::TimedOut(_)) => {}
            Err(error) => return Err(context.raise(task_error("wait", error))),
        }
        if interrupt.load(Ordering::Relaxed) {
            let _ = handle.tasks().kill(handle.id);
            return Err("interrupted".into());
        }
    }
}

/// The request a Rhai options map describes.
fn request_of(shell: &Shell, module: &str, options: &Map) -> Result<TaskRequest, ShellError> {
    let bad = |message: String| ShellError::failed("spawn", message);
    let mut args = Vec::new();
    let mut run = RunOptions::default();
    let mut env = Vec::new();
    let mut stdin = None;
    for (key, value) in options {
        match key.as_str() {
            "args" => {
                let list = value.clone().try_cast::<Array>();
                let list = list.ok_or_else(|| bad("args must be an array".into()))?;
                args = list.iter().map(Dynamic::to_string).collect();
            }
            "env" => {
                let map = value.clone().try_cast::<Map>();
                let map = map.ok_or_else(|| bad("env must be a map".into()))?;
                env = map
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect();
            }
            "stdin" => stdin = Some(value.to_string().into_bytes()),
            "share_env" => {
                run.share_env = value
                    .as_bool()
                    .map_err(|_| bad("share_env must be true or false".into()))?;
            }
            "priority" => {
                let priority = value
                    .as_int()
                    .map_err(|_| bad("priority must be an int".into()))?;
                run.priority =
                    i32::try_from(priority).map_err(|_| bad("priority too large".into()))?;
            }
            "deadline" => {
                run.limits.deadline =
                    Some(parse_duration(&value.to_string()).map_err(|e| bad(e.to_string()))?)
            }
            "memory" => {
                run.limits.memory =
                    Some(parse_size(&value.to_string()).map_err(|e| bad(e.to_string()))?)
            }
            "fuel" => {
                let fuel = value.as_int().ok().and_then(|n| u64::try_from(n).ok());
                run.limits.fuel = Some(fuel.ok_or_else(|| bad("fuel must be a count".into()))?);
            }
            other => return Err(bad(format!("unknown option `{other}`"))),
        }
    }
    let mut request = shell.task_request(module, &args, run);
    if !env.is_empty() {
        request.env = env;
    }
    request.stdin = Fd::reader(Cursor::new(stdin.unwrap_or_default()));
    Ok(request)
}
