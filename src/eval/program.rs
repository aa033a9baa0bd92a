//! Programs: how the shell finds a WASI module on `$path` and runs it as a task, with the
//! command's descriptors as its standard streams. The `spawn` builtin and bare names (a
//! command that is neither a function nor a builtin) both come here, and go on to the one
//! task core ([`crate::task::Tasks`]).
//!
//! Where a guest runs: in the foreground (and in every pipeline member) on this thread,
//! outside the scheduler's limit, with Ctrl-C cancelling it; in an `&` job's own commands
//! through the scheduler's queue, in priority order under the limit. This file must never
//! run a module itself (that is the core's) nor read a host file.

use std::io::{Read, Write};
use std::sync::Arc;
use std::sync::atomic::Ordering;

use super::error::ShellError;
use super::shell::Shell;
use crate::ns::{FileKind, OpenFlags, path as ns_path};
use crate::proc::io::Io;
use crate::proc::status::Status;
use crate::task::{TaskError, TaskId, TaskRequest};
use crate::wasi::Limits;

/// How a door wants a program run, beyond its name and arguments.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RunOptions {
    pub priority: i32,
    pub limits: Limits,
    /// The guest shares the shell's `/env` (its writes change the shell's variables) rather
    /// than getting a copy: `spawn -s`, Rhai `spawn(.., #{share_env: true})`. Only trusted
    /// doors set it.
    pub share_env: bool,
}

impl Shell {
    /// The module a command name stands for: a name with a `/` is a path (relative to the
    /// cwd); any other is looked up in each directory of `$path` as `NAME.wasm`, then as
    /// `NAME` if that file starts with the WebAssembly magic. `None` when nothing is found.
    pub fn find_program(&self, name: &str) -> Option<String> {
        if name.is_empty() || name == "." || name == ".." {
            return None;
        }
        if name.contains('/') {
            return ns_path::resolve(&self.proc.cwd, name).ok();
        }
        let dirs = self.proc.vars.get("path").unwrap_or_default();
        for dir in dirs {
            let Ok(dir) = ns_path::resolve(&self.proc.cwd, dir) else {
                continue;
            };
            let with_suffix = ns_path::join(&dir, &format!("{name}.wasm"));
            if self.is_file(&with_suffix) {
                return Some(with_suffix);
            }
            let bare = ns_path::join(&dir, name);
            if self.is_file(&bare) && self.starts_with_magic(&bare) {
                return Some(bare);
            }
        }
        None
    }

    /// The module `spawn NAME` means: [`Shell::find_program`], else NAME as a path relative
    /// to the cwd (so a missing module's error names where it was looked for).
    pub fn program_path(&self, name: &str) -> Result<String, crate::ns::NsError> {
        match self.find_program(name) {
            Some(module) => Ok(module),
            None => ns_path::resolve(&self.proc.cwd, name),
        }
    }

    /// A request for `module` over this shell's namespace, cwd and variables (as the
    /// environment), its standard streams closed until the door sets them.
    pub fn task_request(&self, module: &str, args: &[String], options: RunOptions) -> TaskRequest {
        let mut request = TaskRequest::new(module, self.proc.ns.clone());
        request.args = args.to_vec();
        request.env = self.exported_env();
        request.cwd = self.proc.cwd.clone();
        request.priority = options.priority;
        request.limits = options.limits;
        // The shell published its variables to its group before this command began.
        request.env_group = Some(match options.share_env {
            true => Arc::clone(&self.proc.env),
            false => Arc::new(self.proc.env.snapshot()),
        });
        request
    }

    /// Runs `module` with `args` as a task over this shell's namespace, cwd and variables,
    /// its standard streams the command's fds 0-2; the task's `$status`. A module that
    /// cannot be loaded is an error of `cmd`, naming the path.
    pub fn run_program(
        &mut self,
        cmd: &str,
        module: &str,
        args: &[String],
        options: RunOptions,
        io: &Io,
    ) -> Result<Status, ShellError> {
        let mut request = self.task_request(module, args, options);
        request.stdin = io.get(0);
        request.stdout = io.get(1);
        request.stderr = io.get(2);
        // This command waits for it: the guest pauses while the job is stopped, and ends
        // when the job is interrupted.
        request.job = Some(Arc::clone(&self.proc.control));
        let task_error = |source: TaskError| ShellError::Task {
            cmd: cmd.to_string(),
            source,
        };
        let info = if self.proc.queue_tasks {
            let id = self.tasks().create(request);
            // Recorded before it can run, so `kill %N` never misses a running task, and
            // before `&` returns, so `ps` right after it lists the task.
            if let Some(job) = self.proc.job {
                self.engines.jobs.add_task(job, id.0, self.tasks());
            }
            let tasks = self.tasks();
            let started = tasks.start(id).map_err(task_error);
            self.proc.announce_start();
            started?;
            self.tasks().wait(id, None).map_err(task_error)?
        } else {
            let foreground = Arc::clone(&self.proc.foreground);
            let control = Arc::clone(&self.proc.control);
            let started = self.proc.started.take();
            let mut begun: Option<TaskId> = None;
            let ran = self.tasks().run(request, |id, cancel| {
                begun = Some(id);
                let mut guests = foreground.lock().unwrap_or_else(|e| e.into_inner());
                guests.push(id);
                // Ctrl-C pressed just before the guest was listed still stops it.
                if control.is_interrupted() {
                    cancel.store(true, Ordering::Release);
                }
                if let Some(started) = started {
                    let _ = started.send(());
                }
            });
            if let Some(id) = begun {
                let mut guests = foreground.lock().unwrap_or_else(|e| e.into_inner());
                guests.retain(|guest| *guest != id);
            }
            ran.map_err(task_error)?
        };
        let _ = io.stdout().flush();
        Ok(info.status())
    }

    /// The variables a guest gets as its environment: every variable with a name a C
    /// program can `getenv`, its list joined by spaces.
    fn exported_env(&self) -> Vec<(String, String)> {
        let is_name = |name: &str| {
            name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        };
        let mut env: Vec<(String, String)> = self
            .proc
            .vars
            .names()
            .into_iter()
            .filter(|name| is_name(name))
            .filter_map(|name| Some((name.to_string(), self.proc.vars.get(name)?.join(" "))))
            .collect();
        env.sort();
        env
    }

    fn is_file(&self, path: &str) -> bool {
        self.proc
            .ns
            .stat(path)
            .is_ok_and(|stat| stat.kind == FileKind::File)
    }

    pub(super) fn starts_with_magic(&self, path: &str) -> bool {
        let Ok(handle) = self.proc.ns.open(path, OpenFlags::read()) else {
            return false;
        };
        let mut head = [0u8; 4];
        let mut reader = crate::ns::HandleReader::new(handle);
        reader.read_exact(&mut head).is_ok() && head == crate::task::WASM_MAGIC
    }
}
