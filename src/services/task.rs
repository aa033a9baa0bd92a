//! `task`: WASI tasks as files, WANIX-style, mounted at `/task` in the default namespace.
//!
//! The file door to the task core ([`crate::task::Tasks`]): the `spawn` builtin, the Rhai
//! `spawn` and these files all create, start, kill and watch tasks through that one core.
//!
//! # The protocol
//! ```text
//! /task/new/wasi        read: allocates a task and gives its id and a newline
//! /task/<id>/cmd        write: the module's path in the task's namespace; read it back
//! /task/<id>/args       write: the arguments, one a line (argv[0] is made from cmd)
//! /task/<id>/env        write: the environment, NAME=VALUE lines
//! /task/<id>/ctl        write one command: start | kill | bind [-abc] NEW OLD |
//!                       mount [-abc] SERVICE [ARGS...] POINT | unmount [NEW] OLD
//! /task/<id>/status     read: created | queued | running | completed | completed N (N != 0) |
//!                       failed: REASON | killed (the core's words, as `ps` shows them)
//! /task/<id>/exit       read: empty until the task ends; then N, the failure, or killed
//! /task/<id>/fd/0       write: the task's stdin; the first close is its end-of-file
//! /task/<id>/fd/1, fd/2 read: all the task wrote to stdout, stderr (waits while it runs)
//! /task/<id>/ns         read: the task's namespace, in the form `ns` prints
//! ```
//! - **Allocation.** Reading `new/wasi` (opening it, in fact) makes a `created` task whose
//!   namespace is a copy of the reader's at that moment and whose working directory is the
//!   reader's (the thread's [`Caller`]: the shell command, or the WASI guest, that reads).
//!   Nothing runs and nothing is loaded until `start`. Its environment starts empty (the
//!   `env` file sets it; `spawn` exports the shell's variables instead), with `PWD` added
//!   by the runtime.
//! - **Writes are messages.** A write to `cmd`, `args`, `env` or `ctl` is taken whole when
//!   its handle closes, as Plan 9's control files take theirs (`echo start > ctl` is one
//!   message); an error fails that close, so the shell command that wrote fails with it.
//!   `args` and `env` written in append mode (`>>`) add to the list; otherwise they replace
//!   it, and an empty `> args` clears it. All three, and `bind`, `mount` and `unmount`,
//!   are refused once the task has started: its shape is fixed from then on.
//! - **`ctl`** takes one command a message, in the shell's word syntax (`'quoted words'`,
//!   `#` comments); `bind`, `mount` and `unmount` are the builtins' verbs, flags and cores,
//!   applied to the task's own namespace relative to its working directory. `start` loads the
//!   module and queues the task: a module that cannot be loaded fails the write *and* the
//!   task (`failed: PATH: cannot read module: ...`). Reading `ctl` shows the verbs.
//! - **Streams.** `fd/1` and `fd/2` keep everything the task wrote (up to
//!   [`streams::OUTPUT_LIMIT`] each); every reader starts at the beginning; a read that
//!   reaches what has been written waits until more comes or the task ends, so `cat fd/1`
//!   after `start` ends when the task does (Ctrl-C stops the wait). `fd/0` is a pipe: an unstarted task's input
//!   waits for it; the first close of `fd/0` is end-of-file. A task that nobody gives input
//!   reads nothing until `fd/0` is written and closed, or it is killed. See `streams`.
//! - **Which tasks.** `ls /task` lists `new` and every task the core still knows, however it
//!   was made (`spawn`, `&`, Rhai): each has `status`, `exit` and `ctl` (for `kill`); those
//!   made here also have `cmd`, `args`, `env`, `ns` and `fd/`. An id the core does not know
//!   (never made, or forgotten from its history) is a file that does not exist.
//! - **A capability.** `/task` in a namespace lets whoever sees it make tasks in the shell's
//!   core, without the budgets of the task that asks; `ctl unmount /task` before `start`
//!   takes it out of a task's namespace.
//!
//! This service owns no task: it holds the shell's [`TaskRoot`], that is its [`TaskTable`]
//! (the core, made on first use, so mounting `/task` costs nothing at start-up) and the
//! streams of the tasks made through the files, forgotten when the core forgets the task.
//! It must never run a guest itself.

mod ctl;
mod files;
mod streams;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use super::func::MessageHandle;
use super::map::MapHandle;
use super::tree;
use crate::agent::AgentRoot;
use crate::ns::{
    Caller, DirEntry, FileHandle, FileKind, FileService, Namespace, NsError, OpenFlags, Stat,
};
use crate::sched::JobId;
use crate::task::{TaskId, Tasks};
use files::{TaskFiles, control, ended_test, exit_text, status_text};

pub use ctl::Command;
pub use ctl::usage as ctl_usage;
pub use files::TaskTable;
pub use streams::{INPUT_LIMIT, OUTPUT_LIMIT};

/// The files of a task directory made through `/task/new`.
const MADE_FILES: &[(&str, FileKind)] = &[
    ("args", FileKind::File),
    ("cmd", FileKind::File),
    ("ctl", FileKind::File),
    ("env", FileKind::File),
    ("exit", FileKind::File),
    ("fd", FileKind::Dir),
    ("ns", FileKind::File),
    ("status", FileKind::File),
];
/// The files of a task made another way (`spawn`, `&`, Rhai).
const OTHER_FILES: &[&str] = &["ctl", "exit", "status"];

/// One name under `/task`, as the path says it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Node {
    Root,
    NewDir,
    NewWasi,
    TaskDir(TaskId),
    FdDir(TaskId),
    /// A task's file: one of [`FILE_NAMES`].
    File(TaskId, &'static str),
}

/// Every name a task's file can have (`fd/N` as `N`).
const FILE_NAMES: &[&str] = &[
    "args", "cmd", "ctl", "env", "exit", "ns", "status", "0", "1", "2",
];

impl Node {
    /// Parses a clean service path; `None` for a name that cannot exist.
    fn parse(at: &str) -> Option<Node> {
        let parts: Vec<&str> = at.split('/').filter(|p| !p.is_empty()).collect();
        let id = |text: &str| {
            // Canonical decimal only: `/task/01` and `/task/+1` are not task 1.
            let id = text.parse::<u64>().ok()?;
            (id.to_string() == text).then_some(JobId(id))
        };
        let name = |text: &str| FILE_NAMES.iter().find(|name| **name == text).copied();
        Some(match parts.as_slice() {
            [] => Node::Root,
            ["new"] => Node::NewDir,
            ["new", "wasi"] => Node::NewWasi,
            [task] => Node::TaskDir(id(task)?),
            [task, "fd"] => Node::FdDir(id(task)?),
            [task, "fd", n @ ("0" | "1" | "2")] => Node::File(id(task)?, name(n)?),
            [_, "0" | "1" | "2"] => return None,
            [task, file] => Node::File(id(task)?, name(file)?),
            _ => return None,
        })
    }
}

/// How a task's ctl applies a namespace verb (`bind`, `mount`, `unmount`, `rfork`) to the
/// task's namespace and working directory. The verbs' one core is the shell's namespace
/// operations, a layer above the file services, so the shell hands it in rather than this
/// service importing it (see the layers in `lib.rs`).
pub type ShapeFn = fn(&Namespace, &str, &TaskRoot, &Command) -> Result<Namespace, NsError>;

/// A shell's task files: its task core, and the streams of the tasks made through
/// `/task/new`. Every `/task` mount the shell makes shares one (so `newns; mount task /task`
/// finds its tasks again), as do its forks and the namespaces of its tasks.
#[derive(Clone)]
pub struct TaskRoot {
    table: TaskTable,
    /// Runs a namespace verb of a task's ctl (see [`ShapeFn`]).
    shape: ShapeFn,
    /// The tasks made through `new/wasi`, by id.
    made: Arc<Mutex<BTreeMap<TaskId, Arc<TaskFiles>>>>,
    /// The shell's agents, so `mount agents` in a task's ctl serves the same ones.
    agents: AgentRoot,
}

impl TaskRoot {
    /// The task files over `table`, the shell's task core (made on first use), whose ctl
    /// files run their namespace verbs with `shape` (the shell passes
    /// `crate::nsops::task_verb`).
    pub fn new(table: TaskTable, shape: ShapeFn, agents: AgentRoot) -> TaskRoot {
        TaskRoot {
            table,
            shape,
            made: Arc::default(),
            agents,
        }
    }

    /// The agents of the shell these task files belong to.
    pub fn agents(&self) -> &AgentRoot {
        &self.agents
    }

    fn tasks(&self) -> &Tasks {
        self.table.get_or_init(Tasks::from_env)
    }
}

/// The `/task` file service.
pub struct TaskService {
    root: TaskRoot,
}

impl TaskService {
    /// The `/task` tree of the tasks under `root`.
    pub fn new(root: TaskRoot) -> TaskService {
        TaskService { root }
    }

    fn tasks(&self) -> &Tasks {
        self.root.tasks()
    }

    fn made(&self) -> MutexGuard<'_, BTreeMap<TaskId, Arc<TaskFiles>>> {
        self.root
            .made
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// The files of a task made here, if it was.
    fn files(&self, id: TaskId) -> Option<Arc<TaskFiles>> {
        self.made().get(&id).cloned()
    }

    /// Whether the core knows `id`, without making the core just to ask.
    fn known(&self, id: TaskId) -> bool {
        self.root
            .table
            .get()
            .is_some_and(|tasks| tasks.info(id).is_some())
    }

    /// `new/wasi`: a task over a copy of the caller's namespace, in the caller's directory.
    fn allocate(&self, at: &str) -> Result<TaskId, NsError> {
        let caller = Caller::current().ok_or_else(|| NsError::Io {
            path: at.to_string(),
            message: "no caller whose namespace the task could copy".into(),
        })?;
        let tasks = self.tasks();
        let files = TaskFiles::create(tasks, caller.ns, caller.cwd);
        let id = files.id;
        let mut made = self.made();
        // What the core has forgotten, this service forgets too (its output with it).
        made.retain(|id, _| tasks.info(*id).is_some());
        made.insert(id, Arc::new(files));
        Ok(id)
    }

    /// Whether `name` (one `Node::parse` let through) is a file of task `id`'s directory:
    /// all are, for a task made here.
    fn has_file(&self, id: TaskId, name: &str) -> bool {
        self.known(id) && (self.files(id).is_some() || OTHER_FILES.contains(&name))
    }

    /// Checks that `at` names something; what kind it is and whether it can be written.
    fn lookup(&self, at: &str) -> Result<(Node, FileKind, bool), NsError> {
        let missing = || NsError::NotFound {
            path: at.to_string(),
        };
        let node = Node::parse(at).ok_or_else(missing)?;
        let (kind, writable) = match node {
            Node::Root | Node::NewDir => (FileKind::Dir, false),
            Node::NewWasi => (FileKind::File, false),
            Node::TaskDir(id) if self.known(id) => (FileKind::Dir, false),
            Node::FdDir(id) if self.known(id) && self.files(id).is_some() => (FileKind::Dir, false),
            Node::File(id, name) if self.has_file(id, name) => (
                FileKind::File,
                matches!(name, "cmd" | "args" | "env" | "ctl" | "0"),
            ),
            _ => return Err(missing()),
        };
        Ok((node, kind, writable))
    }
}

/// A snapshot handle: the bytes computed at open.
fn snapshot(at: &str, text: String) -> Box<dyn FileHandle> {
    Box::new(MapHandle {
        bytes: Arc::from(text.into_bytes()),
        offset: 0,
        path: at.to_string(),
    })
}

impl FileService for TaskService {
    fn kind(&self) -> &str {
        "task"
    }

    fn open(&self, at: &str, flags: OpenFlags) -> Result<Box<dyn FileHandle>, NsError> {
        let (node, kind, writable) = self.lookup(at)?;
        if kind == FileKind::Dir {
            return Err(NsError::IsDir {
                path: at.to_string(),
            });
        }
        let writes = flags.write || flags.truncate || flags.append;
        if writes && !writable {
            return Err(tree::read_only(at));
        }
        if flags.exclusive {
            return Err(NsError::Exists {
                path: at.to_string(),
            });
        }
        let Node::File(id, name) = node else {
            // `new/wasi`, the only file that is not a task's.
            let id = self.allocate(at)?;
            return Ok(snapshot(at, format!("{id}\n")));
        };
        let tasks = self.tasks();
        let info = tasks.info(id).ok_or_else(|| NsError::NotFound {
            path: at.to_string(),
        })?;
        let files = self.files(id);
        let made = || {
            files.clone().ok_or_else(|| NsError::NotFound {
                path: at.to_string(),
            })
        };
        let handle: Box<dyn FileHandle> = match name {
            "status" => snapshot(at, status_text(&info)),
            "exit" => snapshot(at, exit_text(&info)),
            "ns" => snapshot(at, made()?.ns_text(tasks)),
            "1" | "2" => {
                let files = made()?;
                let output = if name == "1" {
                    &files.stdout
                } else {
                    &files.stderr
                };
                Box::new(output.reader(at, ended_test(&self.root.table, id)))
            }
            "0" if !writes => {
                return Err(NsError::Denied {
                    path: at.to_string(),
                    reason: "the task's input is write-only".into(),
                });
            }
            "0" => Box::new(made()?.stdin.writer(at, ended_test(&self.root.table, id))?),
            _ => message_handle(self, at, id, name, files, flags)?,
        };
        Ok(handle)
    }

    /// Every file reports size 0, as Plan 9's synthetic files do.
    fn stat(&self, at: &str) -> Result<Stat, NsError> {
        let (_, kind, writable) = self.lookup(at)?;
        Ok(Stat {
            name: crate::ns::path::base_name(at).to_string(),
            kind,
            size: 0,
            modified: None,
            read_only: !writable,
        })
    }

    fn readdir(&self, at: &str) -> Result<Vec<DirEntry>, NsError> {
        let (node, kind, _) = self.lookup(at)?;
        if kind != FileKind::Dir {
            return Err(NsError::NotDir {
                path: at.to_string(),
            });
        }
        let entry = |name: &str, kind| DirEntry {
            name: name.to_string(),
            kind,
        };
        let mut entries: Vec<DirEntry> = match node {
            Node::Root => {
                let ids = self.root.table.get().map(Tasks::list).unwrap_or_default();
                let mut entries = vec![entry("new", FileKind::Dir)];
                entries.extend(
                    ids.iter()
                        .map(|info| entry(&info.id.to_string(), FileKind::Dir)),
                );
                entries
            }
            Node::NewDir => vec![entry("wasi", FileKind::File)],
            Node::TaskDir(id) if self.files(id).is_some() => MADE_FILES
                .iter()
                .map(|(name, kind)| entry(name, *kind))
                .collect(),
            Node::TaskDir(_) => OTHER_FILES
                .iter()
                .map(|name| entry(name, FileKind::File))
                .collect(),
            _ => ["0", "1", "2"]
                .iter()
                .map(|name| entry(name, FileKind::File))
                .collect(),
        };
        entries.sort();
        Ok(entries)
    }

    fn mkdir(&self, at: &str) -> Result<(), NsError> {
        Err(tree::read_only(at))
    }

    fn remove(&self, at: &str) -> Result<(), NsError> {
        Err(tree::read_only(at))
    }

    fn rename(&self, from: &str, _to: &str) -> Result<(), NsError> {
        Err(tree::read_only(from))
    }
}

/// `cmd`, `args`, `env` and `ctl`: a snapshot to read, and a message taken on close.
fn message_handle(
    service: &TaskService,
    at: &str,
    id: TaskId,
    name: &'static str,
    files: Option<Arc<TaskFiles>>,
    flags: OpenFlags,
) -> Result<Box<dyn FileHandle>, NsError> {
    let tasks = service.tasks();
    let shown = match (name, &files) {
        ("ctl", _) => format!("{}\n", ctl_usage()),
        ("cmd", Some(files)) => files.cmd_text(tasks),
        ("args", Some(files)) => files.args_text(tasks),
        ("env", Some(files)) => files.env_text(tasks),
        _ => {
            return Err(NsError::NotFound {
                path: at.to_string(),
            });
        }
    };
    let reader = MapHandle {
        bytes: Arc::from(shown.into_bytes()),
        offset: 0,
        path: at.to_string(),
    };
    if !(flags.write || flags.truncate || flags.append) {
        return Ok(Box::new(reader));
    }
    let root = service.root.clone();
    let append = flags.append;
    let deliver = move |message: &[u8]| -> Result<(), NsError> {
        let tasks = root.tasks();
        match (name, &files) {
            ("ctl", files) => control(&root, id, files.as_deref(), message),
            ("cmd", Some(files)) => files.set_cmd(tasks, message),
            ("args", Some(files)) => files.set_args(tasks, message, append),
            ("env", Some(files)) => files.set_env(tasks, message, append),
            _ => Ok(()),
        }
    };
    // `> args` alone clears the list; an empty message to `ctl` is no command.
    let send_empty = flags.truncate && name != "ctl";
    Ok(Box::new(MessageHandle::new(
        reader,
        flags.read,
        Arc::new(deliver),
        send_empty,
    )))
}

#[cfg(test)]
mod tests;
