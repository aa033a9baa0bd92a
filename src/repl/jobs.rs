//! Job control at the terminal: what the REPL adds to the job table of every shell. Each
//! entered text runs as the foreground job on a thread of its own, so Ctrl-Z can stop it
//! and give the prompt back; a notice tells of each job that ended, before the next prompt;
//! Ctrl-D with jobs still running or stopped warns once instead of quitting.
//!
//! The terminal sends Ctrl-Z as SIGTSTP to the shell's process group while a command runs
//! (the line editor's raw mode is off then); a handler thread turns it into a stop of the
//! job in the foreground ([`Engines::front_interrupter`]), and the shell is never
//! suspended. At the prompt, Ctrl-Z does nothing. A stopped entry becomes a job (see
//! [`crate::eval::jobs::Jobs::adopt`]) and the REPL goes on with the shell as it was
//! before that entry, as it would after an `&`: what the stopped entry changes (variables,
//! the working directory) from then on is its own, as a forked job's are. This file must
//! never run a command itself: the REPL hands it a closure that does.

use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Duration;

use crate::eval::exec::STACK_SIZE;
use crate::eval::{Engines, Io, Shell, Status};
use crate::proc::Control;

/// How often the REPL looks whether the running entry was stopped.
const STOP_POLL: Duration = Duration::from_millis(20);

/// The REPL's side of job control: whether an entry runs (Ctrl-Z means something only
/// then), and whether Ctrl-D has warned about live jobs since the last entry.
pub(crate) struct JobControl {
    running: Arc<AtomicBool>,
    warned: bool,
}

impl JobControl {
    /// Starts listening for Ctrl-Z (SIGTSTP) on a thread of its own; a warning on `io` if
    /// the signal cannot be caught (then Ctrl-Z suspends the whole shell, as before).
    pub(crate) fn install(engines: &Arc<Engines>, io: &Io) -> JobControl {
        let running = Arc::new(AtomicBool::new(false));
        if let Err(e) = listen_for_stop(engines, &running) {
            let _ = writeln!(
                io.stderr(),
                "oash: warning: Ctrl-Z will suspend the shell: {e}"
            );
        }
        JobControl {
            running,
            warned: false,
        }
    }

    /// Runs `run` on `shell` as the foreground job: on its own thread, with Ctrl-C and
    /// Ctrl-Z reaching it. Returns what `run` returned, or `None` once the entry was stopped
    /// (it is then job `%N`, and `shell` is the shell as it was before the entry).
    pub(crate) fn run(
        &mut self,
        shell: &mut Shell,
        text: &str,
        io: &Io,
        run: impl FnOnce(&mut Shell) -> Option<i32> + Send + 'static,
    ) -> Option<i32> {
        self.warned = false;
        // A Ctrl-Z or Ctrl-C that came as the last entry ended has nothing left to act on.
        shell.proc.control.lower();
        shell.proc.control.resume();
        let parts = shell.proc.job_parts();
        shell.engines.set_front(parts.clone());
        // What the prompt goes on with if the entry is stopped: the shell before it.
        let before = shell.fork();
        let entry = std::mem::replace(shell, before);
        let (done, finished) = mpsc::channel();
        let slot = Arc::new(std::sync::Mutex::new(Some((entry, run))));
        let taken = Arc::clone(&slot);
        let thread = std::thread::Builder::new()
            .name("oash-entry".into())
            .stack_size(STACK_SIZE)
            .spawn(move || {
                let Some((mut entry, run)) = lock(&taken).take() else {
                    return Status::ok();
                };
                let code = run(&mut entry);
                let status = entry.status();
                let _ = done.send((entry, code));
                status
            });
        let thread = match thread {
            Ok(thread) => thread,
            // No thread: run it here, where Ctrl-Z cannot stop it.
            Err(_) => {
                let (entry, run) = lock(&slot).take()?;
                *shell = entry;
                return run(shell);
            }
        };
        self.running.store(true, Ordering::Release);
        let ended = loop {
            match finished.recv_timeout(STOP_POLL) {
                Ok((entry, code)) => {
                    *shell = entry;
                    let _ = thread.join();
                    break code;
                }
                Err(RecvTimeoutError::Timeout) if parts.control.is_stopped() => {
                    let id = shell
                        .engines
                        .jobs
                        .adopt(text.trim().to_string(), parts, thread);
                    self.detached(shell, id, io);
                    break None;
                }
                Err(RecvTimeoutError::Timeout) => {}
                // The entry's thread died without a word: go on with the shell before it.
                Err(RecvTimeoutError::Disconnected) => {
                    let _ = thread.join();
                    shell.set_status(&Status::failure("the command panicked"));
                    break None;
                }
            }
        };
        self.running.store(false, Ordering::Release);
        ended
    }

    /// After Ctrl-Z made the entry job `id`: the prompt's shell gets a job of its own (the
    /// stopped one keeps the old control), and the user is told.
    fn detached(&self, shell: &mut Shell, id: u64, io: &Io) {
        shell.proc.control = Control::new();
        shell.proc.foreground = Default::default();
        shell.engines.set_front(shell.proc.job_parts());
        let tasks = shell.engines.tasks.get();
        if let Some(job) = shell.engines.jobs.info(id, tasks) {
            let _ = writeln!(io.stderr(), "\n{job}");
        }
        shell.set_status(&Status::failure(format!("job {id} stopped")));
    }

    /// Before a prompt: one line for each job that ended since the last prompt, as `jobs`
    /// shows it (`[1] done     spawn sleep 1`). Told once, then forgotten.
    pub(crate) fn notices(&self, shell: &Shell, io: &Io) {
        let ended = shell.engines.jobs.take_ended();
        if ended.is_empty() {
            return;
        }
        let mut err = io.stderr();
        for job in ended {
            let _ = writeln!(err, "{job}");
        }
        let _ = err.flush();
    }

    /// At Ctrl-D: whether to quit. With jobs running or stopped, the first Ctrl-D warns
    /// (they end with the shell) and the next one quits, as in bash and fish.
    pub(crate) fn may_quit(&mut self, shell: &Shell, io: &Io) -> bool {
        let live = shell.engines.jobs.live();
        if live == 0 || self.warned {
            return true;
        }
        self.warned = true;
        let jobs = if live == 1 {
            "1 job is".to_string()
        } else {
            format!("{live} jobs are")
        };
        let _ = writeln!(
            io.stderr(),
            "oash: {jobs} running or stopped (`jobs` lists them); Ctrl-D again to quit and end them"
        );
        false
    }
}

/// The SIGTSTP handler thread: a stop of the foreground job while an entry runs, nothing
/// at the prompt.
fn listen_for_stop(engines: &Arc<Engines>, running: &Arc<AtomicBool>) -> std::io::Result<()> {
    let mut signals = signal_hook::iterator::Signals::new([signal_hook::consts::SIGTSTP])?;
    let front = engines.front_interrupter();
    let running = Arc::clone(running);
    std::thread::Builder::new()
        .name("oash-ctrl-z".into())
        .spawn(move || {
            for _ in signals.forever() {
                if running.load(Ordering::Acquire) {
                    front.stop();
                }
            }
        })?;
    Ok(())
}

fn lock<T>(mutex: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}
