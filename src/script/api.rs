//! The namespace API a Rhai script sees: thin doors over [`crate::nsops`].
//!
//! Each function parses its Rhai arguments and calls the same core operation the shell's
//! builtins call, on the shell of the run in progress ([`RunContext`]), so a `mount` in Rhai
//! is in the shell's namespace afterwards and a later `ls` in the shell sees it. A failed
//! operation raises a Rhai runtime error carrying oash's own message (`read: /x: file does
//! not exist`), which a script may `try`/`catch` (the caught value is that string). The
//! core's typed error is kept beside it (see [`Raised`]), so one the script does not catch
//! ends the `rhai` command with the core's own diagnostic code (`oash::file`), as the same
//! failure in the shell would. Nothing here may keep state between runs or reach anything
//! but the run's namespace and descriptors.
//!
//! | Rhai | does |
//! |------|------|
//! | `read(path) -> string` | a file's contents (UTF-8) |
//! | `write(path, text)`, `append(path, text)` | create or truncate / append |
//! | `ls()`, `ls(path) -> array` | the names in a directory |
//! | `mkdir(path)`, `mkdir(path, parents)` | make a directory (`parents`: `mkdir -p`) |
//! | `rm(path)`, `rm(path, recursive)` | remove a file or directory |
//! | `mount(kind, point)`, `mount(kind, args, point)`, `mount(kind, args, point, flags)` | mount a service; `flags` as the builtin's: `"-b"`, `"-a"`, `"-c"`, `"-bc"` |
//! | `mount_map(point, #{...})` | mount a read-only `map`: string values are files, map values directories |
//! | `bind(new, old)`, `bind(new, old, flags)` | make `old` show what `new` shows; `flags` as `mount`'s |
//! | `unmount(point)`, `unmount(new, old)` | undo the last mount or bind at `point` / take what came from `new` out of `old` |
//! | `newns()` | a fresh bare namespace: the default root, nothing mounted |
//! | `ns() -> string` | the mount table as `newns`, `mount` and `bind` commands |
//! | `cwd() -> string` | the shell's working directory |
//! | `mount_func(point, #{...})` | mount a `func` tree of closures (see [`super::func`]) |
//! | `with_ns(\|\| ...)` | runs the closure on a copy of the shell, as `@{ }` does: its mounts vanish after it; answers the closure's value |
//! | `limits() -> map` | the shell's budgets, name to value (bytes or a count), as `limits` lists them |
//! | `set_limit(name, value)` | set one, as `limits NAME VALUE` (value a string such as `"64M"`, or a number) |
//! | `print(x)`, `debug(x)` | a line on the command's fd 1 / fd 2 |
//! | `exit()`, `throw x` | end the script: status true / fail with `x` as the message |

use std::collections::VecDeque;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex, PoisonError};

use rhai::{Array, Dynamic, EvalAltResult, FnPtr, Map, NativeCallContext, Position};

use super::engine::Limits;
use crate::eval::{Io, Shell, ShellError};
use crate::ns::MOUNT_FLAGS;
use crate::nsops::{self, MountFlags};
use crate::services::map::{MapEntry, MapService};

/// The state one run works on: a copy of the shell, copied back when the run ends, and the
/// command's descriptors.
pub struct RunContext {
    pub shell: Mutex<Shell>,
    pub io: Io,
    /// The script's own functions (closures included), for what outlives the run: the
    /// closures of `mount_func` are called long after it.
    pub functions: Mutex<rhai::AST>,
    /// The core errors raised into the script lately, for their codes.
    pub raised: Mutex<Raised>,
}

/// How many raised errors a run remembers. A script that catches errors in a loop must not
/// grow this; an error thrown again long after it was caught just loses its code (it is
/// then reported as a plain Rhai error, `oash::rhai`, as every error was before).
const RAISED_KEPT: usize = 16;

/// The core errors lately raised into a script: each is a Rhai string (its message) tagged
/// with a number that finds its [`ShellError`] here. The tag rides along wherever Rhai
/// moves the value (a `catch` variable, a `throw` of it again); a string the script makes
/// is untagged, and a tag a script sets by hand finds nothing unless the message matches.
#[derive(Default)]
pub struct Raised {
    /// The tag of the last raised error (0, Rhai's default, is never used; the count wraps
    /// within the range of a tag on every platform).
    last: i16,
    /// Tag, message, error; the oldest first.
    recent: VecDeque<(i16, String, ShellError)>,
}

impl Raised {
    /// Keeps `error` and answers the Rhai error that carries its message.
    fn raise(&mut self, error: ShellError) -> Box<EvalAltResult> {
        let message = error.to_string();
        self.last = self.last.checked_add(1).unwrap_or(1);
        let mut value = Dynamic::from(message.clone());
        value.set_tag(self.last.into());
        if self.recent.len() == RAISED_KEPT {
            self.recent.pop_front();
        }
        self.recent.push_back((self.last, message, error));
        EvalAltResult::ErrorRuntime(value, Position::NONE).into()
    }

    /// The core error a thrown `value` carries, if it is one raised here and unchanged.
    pub fn take(&mut self, value: &Dynamic) -> Option<ShellError> {
        let tag = i64::from(value.tag());
        let text = value.read_lock::<rhai::ImmutableString>()?;
        let at = self.recent.iter().position(|(t, message, _)| {
            i64::from(*t) == tag && message.as_str() == text.as_str()
        })?;
        self.recent.remove(at).map(|(_, _, error)| error)
    }
}

impl RunContext {
    /// The interrupt flag of the shell's job (Ctrl-C, `kill %N`), which stops the script at
    /// its next operation.
    pub fn interrupt(&self) -> Arc<AtomicBool> {
        self.with_shell_ref(|shell| Arc::clone(shell.proc.control.flag()))
    }

    fn with_shell_ref<T>(&self, f: impl FnOnce(&mut Shell) -> T) -> T {
        let mut shell = self.shell.lock().unwrap_or_else(PoisonError::into_inner);
        f(&mut shell)
    }

    /// Runs one operation on the shell, turning its error into a Rhai runtime error.
    pub(crate) fn call<T>(
        &self,
        f: impl FnOnce(&mut Shell) -> Result<T, ShellError>,
    ) -> Result<T, Box<EvalAltResult>> {
        // This runs on the script's own thread: `/env` there is the shell's.
        self.with_shell_ref(|shell| {
            shell.env_out();
            f(shell)
        })
        .map_err(|e| self.raise(e))
    }

    /// A core's error as the Rhai runtime error a script sees: its message, a string, with
    /// the error kept for its code (see [`Raised`]).
    pub(crate) fn raise(&self, error: ShellError) -> Box<EvalAltResult> {
        let mut raised = self.raised.lock().unwrap_or_else(PoisonError::into_inner);
        raised.raise(error)
    }
}

type RhaiResult<T> = Result<T, Box<EvalAltResult>>;

/// Registers the namespace API on `engine`, bound to `context`.
pub fn register(engine: &mut rhai::Engine, context: &Arc<RunContext>, limits: &Limits) {
    let max_string = limits.string_size;
    register_isolation(engine, context);
    let c = Arc::clone(context);
    engine.register_fn("read", move |path: &str| -> RhaiResult<String> {
        let bytes = c.call(|shell| nsops::read(shell, path))?;
        // Checked here rather than left to Rhai, so the message names the file.
        if bytes.len() > max_string {
            let message = format!(
                "read: {path}: {} bytes is over the string limit of {max_string}",
                bytes.len()
            );
            return Err(message.into());
        }
        String::from_utf8(bytes).map_err(|_| format!("read: {path}: not UTF-8 text").into())
    });
    let c = Arc::clone(context);
    engine.register_fn("write", move |path: &str, text: &str| {
        c.call(|shell| nsops::write(shell, path, text.as_bytes(), false))
    });
    let c = Arc::clone(context);
    engine.register_fn("append", move |path: &str, text: &str| {
        c.call(|shell| nsops::write(shell, path, text.as_bytes(), true))
    });
    let c = Arc::clone(context);
    engine.register_fn("ls", move |path: &str| list(&c, path));
    let c = Arc::clone(context);
    engine.register_fn("ls", move || list(&c, "."));
    let c = Arc::clone(context);
    engine.register_fn("mkdir", move |path: &str| {
        c.call(|shell| nsops::mkdir(shell, path, false))
    });
    let c = Arc::clone(context);
    engine.register_fn("mkdir", move |path: &str, parents: bool| {
        c.call(|shell| nsops::mkdir(shell, path, parents))
    });
    let c = Arc::clone(context);
    engine.register_fn("rm", move |path: &str| {
        c.call(|shell| nsops::remove(shell, path, false))
    });
    let c = Arc::clone(context);
    engine.register_fn("rm", move |path: &str, recursive: bool| {
        c.call(|shell| nsops::remove(shell, path, recursive))
    });
    register_mount(engine, context);
    let c = Arc::clone(context);
    engine.register_fn("unmount", move |point: &str| {
        c.call(|shell| nsops::unmount(shell, point))
    });
    let c = Arc::clone(context);
    engine.register_fn("unmount", move |new: &str, old: &str| {
        c.call(|shell| nsops::unmount_bound(shell, new, old))
    });
    let c = Arc::clone(context);
    engine.register_fn("newns", move || c.with_shell_ref(nsops::newns));
    let c = Arc::clone(context);
    engine.register_fn("rfork", move |letters: &str| {
        c.call(|shell| {
            let flags =
                nsops::RforkFlags::parse(letters).map_err(|e| ShellError::ns("rfork", e))?;
            nsops::rfork(shell, flags);
            Ok(())
        })
    });
    let c = Arc::clone(context);
    engine.register_fn("ns", move || {
        c.with_shell_ref(|shell| nsops::ns_text(shell))
    });
    let c = Arc::clone(context);
    engine.register_fn("cowdiff", move |point: &str| {
        c.call(|shell| nsops::cow_diff_text(shell, point))
    });
    let c = Arc::clone(context);
    engine.register_fn("cwd", move || {
        c.with_shell_ref(|shell| shell.proc.cwd.clone())
    });
    register_limits(engine, context);
}

/// `limits()` and `set_limit()`: doors on [`crate::eval::budget::Budgets`], as the
/// `limits` builtin is.
fn register_limits(engine: &mut rhai::Engine, context: &Arc<RunContext>) {
    let c = Arc::clone(context);
    engine.register_fn("limits", move || -> Map {
        c.with_shell_ref(|shell| {
            let list = shell.engines.budgets.list().into_iter();
            list.map(|l| (l.budget.name().into(), Dynamic::from(l.value as i64)))
                .collect()
        })
    });
    let set = |shell: &mut Shell, name: &str, value: &str| {
        let set = shell.engines.budgets.set(name, value);
        set.map(drop)
            .map_err(|source| ShellError::Limit { source, arg: None })
    };
    let c = Arc::clone(context);
    engine.register_fn("set_limit", move |name: &str, value: &str| {
        c.call(|shell| set(shell, name, value))
    });
    let c = Arc::clone(context);
    engine.register_fn("set_limit", move |name: &str, value: i64| {
        c.call(|shell| set(shell, name, &value.to_string()))
    });
}

fn register_mount(engine: &mut rhai::Engine, context: &Arc<RunContext>) {
    let c = Arc::clone(context);
    engine.register_fn("mount", move |kind: &str, point: &str| {
        c.call(|shell| nsops::mount(shell, kind, &[], point, MountFlags::default()))
    });
    let c = Arc::clone(context);
    engine.register_fn("mount", move |kind: &str, args: Array, point: &str| {
        let args = strings(&args);
        c.call(|shell| nsops::mount(shell, kind, &args, point, MountFlags::default()))
    });
    let c = Arc::clone(context);
    engine.register_fn(
        "mount",
        move |kind: &str, args: Array, point: &str, flags: &str| {
            let parsed = c.flags_of("mount", "mount(kind, args, point, flags)", flags)?;
            let args = strings(&args);
            c.call(|shell| nsops::mount(shell, kind, &args, point, parsed))
        },
    );
    let c = Arc::clone(context);
    engine.register_fn("bind", move |new: &str, old: &str| {
        c.call(|shell| nsops::bind(shell, new, old, MountFlags::default()))
    });
    let c = Arc::clone(context);
    engine.register_fn("bind", move |new: &str, old: &str, flags: &str| {
        let parsed = c.flags_of("bind", "bind(new, old, flags)", flags)?;
        c.call(|shell| nsops::bind(shell, new, old, parsed))
    });
    let c = Arc::clone(context);
    engine.register_fn("mount_map", move |point: &str, contents: Map| {
        let service = MapService::from_tree(map_entries(&contents)?)
            .map_err(|e| c.raise(ShellError::ns("mount_map", e)))?;
        c.call(|shell| nsops::mount_service(shell, Arc::new(service), point, MountFlags::default()))
    });
}

impl RunContext {
    /// `mount`'s and `bind`'s flags string (`"-bc"`); a bad one is a usage error named after
    /// the function, as the builtins' is (`oash::usage`), its help the function's signature.
    fn flags_of(&self, function: &str, signature: &str, flags: &str) -> RhaiResult<MountFlags> {
        MountFlags::parse(flags).map_err(|e| {
            self.raise(ShellError::Usage {
                cmd: function.to_string(),
                message: e.to_string(),
                usage: format!("{signature}, flags {}", flag_letters()),
            })
        })
    }
}

/// The mount flags as a Rhai flags string spells them: `"-a", "-b", "-c"`.
fn flag_letters() -> String {
    let letters = MOUNT_FLAGS
        .flags
        .iter()
        .map(|f| format!("\"-{}\"", f.letter));
    letters.collect::<Vec<_>>().join(", ")
}

/// A nested Rhai map as `map` entries: strings are files, maps directories (an empty one is
/// kept as an empty directory). Walked with a stack, so nesting cannot overflow ours.
fn map_entries(contents: &Map) -> RhaiResult<Vec<(String, MapEntry)>> {
    let mut entries = Vec::new();
    let mut pending = vec![(String::new(), contents.clone())];
    while let Some((prefix, map)) = pending.pop() {
        if map.is_empty() && !prefix.is_empty() {
            entries.push((prefix.clone(), MapEntry::Dir));
        }
        for (name, value) in map {
            let at = format!("{prefix}/{name}");
            let type_name = value.type_name();
            if value.is_string() {
                entries.push((at, MapEntry::File(value.to_string().into_bytes())));
            } else if let Some(inner) = value.try_cast::<Map>() {
                pending.push((at, inner));
            } else {
                let message =
                    format!("mount_map: {at}: a value must be a string or a map, not {type_name}");
                return Err(message.into());
            }
        }
    }
    Ok(entries)
}

fn list(context: &RunContext, path: &str) -> RhaiResult<Array> {
    let entries = context.call(|shell| nsops::list(shell, path))?;
    Ok(entries
        .into_iter()
        .map(|entry| Dynamic::from(entry.name))
        .collect())
}

/// Mount arguments as words: strings as they are, anything else as Rhai prints it.
fn strings(values: &Array) -> Vec<String> {
    values.iter().map(|value| value.to_string()).collect()
}

/// `with_ns(f)`: `f` runs on [`Shell::fork`], the same copy `@{ }` runs on, which then
/// gives way to the shell as it was, so whatever `f` mounted or bound is gone. Its errors
/// pass through (after the shell is back).
fn register_isolation(engine: &mut rhai::Engine, context: &Arc<RunContext>) {
    let c = Arc::clone(context);
    engine.register_fn(
        "with_ns",
        move |ctx: NativeCallContext, f: FnPtr| -> RhaiResult<Dynamic> {
            let outer = c.with_shell_ref(|shell| {
                let copy = shell.fork();
                std::mem::replace(shell, copy)
            });
            let result = f.call_within_context::<Dynamic>(&ctx, ());
            c.with_shell_ref(|shell| *shell = outer);
            result
        },
    );
}
