//! The embedded scheduler against its promises: the limit holds, priorities order the queue,
//! kill/deadline/panic end jobs with the right state, wait times out, history is bounded.
//!
//! Jobs are held and released with channels, never with sleeps, so these tests do not depend
//! on the machine's speed; every blocking receive has a generous timeout so that a broken
//! scheduler fails a test instead of hanging it.

// Test code: a set-up step that fails should stop the test loudly, helpers included.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use oash::eval::Status;
use oash::sched::{
    Failure, JobCtx, JobId, JobResult, JobSpec, JobState, Resource, SchedError, Scheduler,
};

/// Long enough that only a broken scheduler ever reaches it.
const PATIENCE: Duration = Duration::from_secs(30);

fn done() -> JobResult {
    JobResult::Completed(Status::ok())
}

/// A job that says it started, then waits for its gate to open (or to be dropped).
fn gated(
    started: &Sender<JobId>,
    gate: Receiver<()>,
) -> impl FnOnce(&JobCtx) -> JobResult + Send + use<> {
    let started = started.clone();
    move |ctx: &JobCtx| {
        let _ = started.send(ctx.id());
        let _ = gate.recv_timeout(PATIENCE);
        done()
    }
}

/// A job that says it started, then polls its cancel flag (as a runtime would) until it is set.
fn until_cancelled(started: Sender<()>) -> impl FnOnce(&JobCtx) -> JobResult + Send + use<> {
    move |ctx: &JobCtx| {
        let _ = started.send(());
        while !ctx.is_cancelled() {
            std::thread::sleep(Duration::from_millis(1));
        }
        done()
    }
}

/// Submits a job that holds a slot until the returned sender opens its gate, and waits until
/// it is running.
fn occupy(sched: &Scheduler) -> (JobId, Sender<()>) {
    let (started, started_rx) = mpsc::channel();
    let (open, gate) = mpsc::channel();
    let blocker = sched.submit(JobSpec::named("blocker"), gated(&started, gate));
    assert_eq!(started_rx.recv_timeout(PATIENCE), Ok(blocker));
    (blocker, open)
}

fn state(sched: &Scheduler, id: JobId) -> JobState {
    sched.wait(id, Some(PATIENCE)).expect("job ends").state
}

#[test]
fn a_thousand_jobs_never_exceed_a_limit_of_four_and_all_complete() {
    let sched = Scheduler::with_limit(4);
    let running = Arc::new(AtomicUsize::new(0));
    let most = Arc::new(AtomicUsize::new(0));
    let ran = Arc::new(AtomicUsize::new(0));
    for n in 0..1000 {
        let (running, most, ran) = (running.clone(), most.clone(), ran.clone());
        sched.submit(JobSpec::named(format!("job {n}")), move |_| {
            let now = running.fetch_add(1, Ordering::SeqCst) + 1;
            most.fetch_max(now, Ordering::SeqCst);
            std::thread::sleep(Duration::from_micros(200));
            running.fetch_sub(1, Ordering::SeqCst);
            ran.fetch_add(1, Ordering::SeqCst);
            done()
        });
    }
    sched.wait_all(Some(PATIENCE)).expect("all end");
    let ended = sched.list();
    assert_eq!(ended.len(), 1000);
    assert!(
        ended
            .iter()
            .all(|info| info.state == JobState::Completed(Status::ok()))
    );
    assert_eq!(ran.load(Ordering::SeqCst), 1000);
    let most = most.load(Ordering::SeqCst);
    assert!(most <= 4, "{most} jobs ran at once with a limit of 4");
    assert!(most > 1, "the jobs never ran side by side");
    assert!(sched.stats().workers <= 4);
}

#[test]
fn priorities_order_the_queue_fifo_within_a_priority() {
    let sched = Scheduler::with_limit(1);
    let (_blocker, open) = occupy(&sched);

    let order = Arc::new(Mutex::new(Vec::new()));
    for (name, priority) in [
        ("a0", 0),
        ("b5", 5),
        ("c0", 0),
        ("d10", 10),
        ("e5", 5),
        ("f-1", -1),
    ] {
        let order = order.clone();
        sched.submit(JobSpec::named(name).priority(priority), move |_| {
            order.lock().unwrap().push(name);
            done()
        });
    }
    assert_eq!(sched.stats().queued, 6);
    open.send(()).unwrap();
    sched.wait_all(Some(PATIENCE)).unwrap();
    assert_eq!(
        *order.lock().unwrap(),
        ["d10", "b5", "e5", "a0", "c0", "f-1"]
    );
}

#[test]
fn killing_a_queued_job_ends_it_at_once_and_drops_its_work() {
    let sched = Scheduler::with_limit(1);
    let (blocker, open) = occupy(&sched);

    let held = Arc::new(());
    let ran = Arc::new(AtomicBool::new(false));
    let (held2, ran2) = (held.clone(), ran.clone());
    let victim = sched.submit(JobSpec::named("victim"), move |_| {
        let _keep = held2;
        ran2.store(true, Ordering::SeqCst);
        done()
    });
    assert_eq!(sched.get(victim).unwrap().state, JobState::Queued);
    sched.kill(victim).unwrap();
    let info = sched.get(victim).unwrap();
    assert_eq!(info.state, JobState::Killed);
    assert!(info.ended.is_some() && info.started.is_none());
    assert_eq!(
        Arc::strong_count(&held),
        1,
        "the killed job's work is dropped"
    );
    assert_eq!(sched.stats().queued, 0);

    open.send(()).unwrap();
    assert_eq!(state(&sched, blocker), JobState::Completed(Status::ok()));
    assert!(!ran.load(Ordering::SeqCst));
    assert_eq!(sched.kill(victim), Err(SchedError::Ended(victim)));
    assert_eq!(
        sched.kill(JobId(999)),
        Err(SchedError::NoSuchJob(JobId(999)))
    );
}

#[test]
fn killing_a_running_job_sets_its_flag_and_it_ends_killed() {
    let sched = Scheduler::with_limit(2);
    let (started, started_rx) = mpsc::channel();
    // What it returns when it stops no longer matters: it was killed.
    let id = sched.submit(JobSpec::named("poller"), until_cancelled(started));
    started_rx.recv_timeout(PATIENCE).unwrap();
    assert_eq!(sched.get(id).unwrap().state, JobState::Running);
    sched.kill(id).unwrap();
    let info = sched.wait(id, Some(PATIENCE)).unwrap();
    assert_eq!(info.state, JobState::Killed);
    assert!(info.started.is_some() && info.ended.is_some());
    assert_eq!(info.state.to_string(), "killed");
}

#[test]
fn a_job_that_ignores_its_deadline_fails_and_its_late_result_is_discarded() {
    let sched = Scheduler::with_limit(1);
    let (flag_tx, flag_rx) = mpsc::channel();
    let (open, gate) = mpsc::channel::<()>();
    let spec = JobSpec::named("sleeper").deadline(Duration::from_millis(50));
    let id = sched.submit(spec, move |ctx| {
        let _ = flag_tx.send((ctx.cancel_flag(), ctx.deadline()));
        let _ = gate.recv_timeout(PATIENCE); // ignores the flag
        done()
    });
    let (flag, deadline) = flag_rx.recv_timeout(PATIENCE).unwrap();
    assert!(deadline.is_some());
    let info = sched.wait(id, Some(PATIENCE)).unwrap();
    assert_eq!(
        info.state,
        JobState::Failed(Failure::Exhausted(Resource::Deadline))
    );
    assert_eq!(info.reason().as_deref(), Some("deadline exceeded"));
    assert!(flag.load(Ordering::SeqCst), "the cancel flag is set");

    // Its thread still runs the work, so the slot stays taken: the next job waits.
    let (started, started_rx) = mpsc::channel();
    let next = sched.submit(JobSpec::named("next"), move |_| {
        let _ = started.send(());
        done()
    });
    assert_eq!(sched.stats().running, 1);
    assert!(started_rx.recv_timeout(Duration::from_millis(100)).is_err());
    open.send(()).unwrap();
    assert_eq!(state(&sched, next), JobState::Completed(Status::ok()));
    assert_eq!(
        sched.get(id).unwrap().state,
        info.state,
        "the late result is discarded"
    );
}

#[test]
fn a_job_reporting_exhaustion_fails_with_that_reason() {
    let sched = Scheduler::with_limit(1);
    let fuel = sched.submit(JobSpec::named("fuel"), |_| {
        JobResult::Failed(Failure::Exhausted(Resource::Fuel))
    });
    let memory = sched.submit(JobSpec::named("memory"), |_| {
        JobResult::Failed(Failure::Exhausted(Resource::Memory))
    });
    let exit = sched.submit(JobSpec::named("exit 3"), |_| {
        JobResult::Completed(Status::code(3))
    });
    let fuel = sched.wait(fuel, Some(PATIENCE)).unwrap();
    assert_eq!(fuel.reason().as_deref(), Some("out of fuel"));
    assert_eq!(fuel.state.to_string(), "failed: out of fuel");
    let memory = sched.wait(memory, Some(PATIENCE)).unwrap();
    assert_eq!(memory.reason().as_deref(), Some("memory cap exceeded"));
    let exit = sched.wait(exit, Some(PATIENCE)).unwrap();
    assert_eq!(exit.state, JobState::Completed(Status::code(3)));
    assert_eq!(exit.state.to_string(), "completed 3");
}

#[test]
fn a_panicking_job_fails_and_the_scheduler_goes_on() {
    let sched = Scheduler::with_limit(1);
    let bad = sched.submit(JobSpec::named("bad"), |_| panic!("boom"));
    let formatted = sched.submit(JobSpec::named("bad2"), |ctx| {
        panic!("job {} broke", ctx.id())
    });
    let good = sched.submit(JobSpec::named("good"), |_| done());
    let info = sched.wait(bad, Some(PATIENCE)).unwrap();
    assert_eq!(
        info.state,
        JobState::Failed(Failure::Panicked("boom".into()))
    );
    assert_eq!(info.reason().as_deref(), Some("panicked: boom"));
    let info = sched.wait(formatted, Some(PATIENCE)).unwrap();
    assert_eq!(
        info.reason(),
        Some(format!("panicked: job {formatted} broke"))
    );
    assert_eq!(state(&sched, good), JobState::Completed(Status::ok()));
}

#[test]
fn wait_times_out_on_a_job_that_has_not_ended() {
    let sched = Scheduler::with_limit(1);
    let (started, started_rx) = mpsc::channel();
    let (open, gate) = mpsc::channel();
    let id = sched.submit(JobSpec::named("held"), gated(&started, gate));
    started_rx.recv_timeout(PATIENCE).unwrap();
    assert_eq!(
        sched.wait(id, Some(Duration::from_millis(20))),
        Err(SchedError::TimedOut(id))
    );
    assert_eq!(
        sched.wait_all(Some(Duration::from_millis(20))),
        Err(SchedError::TimedOut(id))
    );
    open.send(()).unwrap();
    assert_eq!(
        sched.wait(id, None).unwrap().state,
        JobState::Completed(Status::ok())
    );
    assert_eq!(
        sched.wait(JobId(42), None),
        Err(SchedError::NoSuchJob(JobId(42)))
    );
}

#[test]
fn raising_the_limit_at_runtime_starts_queued_jobs_and_lowering_it_holds_new_ones() {
    let sched = Scheduler::with_limit(1);
    let (started, started_rx) = mpsc::channel();
    let mut gates = Vec::new();
    let mut ids = Vec::new();
    for n in 0..3 {
        let (open, gate) = mpsc::channel();
        gates.push(open);
        ids.push(sched.submit(JobSpec::named(format!("g{n}")), gated(&started, gate)));
    }
    assert_eq!(started_rx.recv_timeout(PATIENCE), Ok(ids[0]));
    assert_eq!(sched.stats().queued, 2);
    sched.set_limit(3);
    assert_eq!(sched.limit(), 3);
    // All three are running at once now: none has been let go yet.
    let mut rest = vec![
        started_rx.recv_timeout(PATIENCE).unwrap(),
        started_rx.recv_timeout(PATIENCE).unwrap(),
    ];
    rest.sort();
    assert_eq!(rest, ids[1..]);
    assert_eq!(sched.stats().running, 3);

    // Lowered to 1 with 3 running: nothing new starts until none of the three is left.
    sched.set_limit(1);
    let (late_open, late_gate) = mpsc::channel();
    let late = sched.submit(JobSpec::named("late"), gated(&started, late_gate));
    gates[0].send(()).unwrap();
    gates[1].send(()).unwrap();
    sched.wait(ids[1], Some(PATIENCE)).unwrap();
    sched.wait(ids[0], Some(PATIENCE)).unwrap();
    assert_eq!(sched.get(late).unwrap().state, JobState::Queued);
    gates[2].send(()).unwrap();
    assert_eq!(started_rx.recv_timeout(PATIENCE), Ok(late));
    late_open.send(()).unwrap();
    assert_eq!(state(&sched, late), JobState::Completed(Status::ok()));
    sched.set_limit(0);
    assert_eq!(sched.limit(), 1, "a limit of 0 counts as 1");
}

#[test]
fn history_keeps_only_the_newest_ended_jobs() {
    let sched = Scheduler::with_limit(1);
    sched.set_history_limit(3);
    let ids: Vec<JobId> = (0..10)
        .map(|n| sched.submit(JobSpec::named(format!("j{n}")), |_| done()))
        .collect();
    sched.wait(ids[9], Some(PATIENCE)).unwrap();
    let kept: Vec<JobId> = sched.list().into_iter().map(|info| info.id).collect();
    assert_eq!(kept, ids[7..]);
    assert_eq!(sched.get(ids[0]), None);
    assert!(sched.get(ids[9]).unwrap().state.is_ended());
}

#[test]
fn a_created_job_waits_for_start_and_can_be_killed_before() {
    let sched = Scheduler::with_limit(1);
    let id = sched.create(JobSpec::named("task"));
    let info = sched.get(id).unwrap();
    assert_eq!((info.state.clone(), info.queued), (JobState::Created, None));
    assert_eq!(
        sched.wait_all(Some(PATIENCE)).unwrap(),
        [],
        "created jobs are not waited for"
    );
    let (started, started_rx) = mpsc::channel();
    let (open, gate) = mpsc::channel();
    sched.start(id, gated(&started, gate)).unwrap();
    assert_eq!(
        sched.start(id, |_| done()),
        Err(SchedError::AlreadyStarted(id))
    );
    started_rx.recv_timeout(PATIENCE).unwrap();
    open.send(()).unwrap();
    let info = sched.wait(id, Some(PATIENCE)).unwrap();
    assert_eq!(info.state.to_string(), "completed");
    assert!(info.created <= info.queued.unwrap() && info.queued <= info.started);
    assert!(info.started <= info.ended);

    let failing = sched.submit(JobSpec::named("missing"), |_| {
        JobResult::Failed(Failure::Error("no such module".into()))
    });
    let failing = sched.wait(failing, Some(PATIENCE)).unwrap();
    assert_eq!(failing.state.to_string(), "failed: no such module");

    let other = sched.create(JobSpec::named("never"));
    sched.kill(other).unwrap();
    assert_eq!(sched.get(other).unwrap().state, JobState::Killed);
    assert_eq!(
        sched.start(other, |_| done()),
        Err(SchedError::Ended(other))
    );
}

#[test]
fn shutdown_fails_queued_jobs_kills_running_ones_and_joins() {
    let sched = Scheduler::with_limit(1);
    let (started, started_rx) = mpsc::channel();
    let running = sched.submit(JobSpec::named("running"), until_cancelled(started));
    started_rx.recv_timeout(PATIENCE).unwrap();
    let queued = sched.submit(JobSpec::named("queued"), |_| done());
    sched.shutdown();
    assert_eq!(sched.get(running).unwrap().state, JobState::Killed);
    assert_eq!(
        sched.get(queued).unwrap().state,
        JobState::Failed(Failure::ShutDown)
    );
    let after = sched.submit(JobSpec::named("after"), |_| done());
    assert_eq!(
        sched.get(after).unwrap().reason().as_deref(),
        Some("scheduler shut down")
    );
    sched.shutdown(); // idempotent
}

#[test]
fn jobs_may_call_the_scheduler_and_hold_its_last_handle() {
    let sched = Scheduler::with_limit(2);
    let inner_sched = sched.clone();
    let (tx, rx) = mpsc::channel();
    sched.submit(JobSpec::named("outer"), move |_| {
        // The lock is not held while a job runs, so this cannot deadlock.
        let child = inner_sched.submit(JobSpec::named("child"), |_| done());
        let child_state = inner_sched
            .wait(child, Some(PATIENCE))
            .map(|info| info.state);
        let _ = tx.send((child_state, inner_sched.list().len()));
        // `inner_sched` is dropped when this returns; if it is the last handle, the worker
        // must shut the scheduler down without trying to join itself.
        done()
    });
    drop(sched);
    let (child_state, known) = rx.recv_timeout(PATIENCE).unwrap();
    assert_eq!(child_state, Ok(JobState::Completed(Status::ok())));
    assert_eq!(known, 2);
}

#[test]
fn the_deadline_counts_from_the_start_not_from_the_queue() {
    let sched = Scheduler::with_limit(1);
    let (_blocker, open) = occupy(&sched);
    // Queued longer than its deadline, then run: an empty job has a whole second to finish.
    let patient = sched.submit(
        JobSpec::named("patient").deadline(Duration::from_secs(1)),
        |_| done(),
    );
    std::thread::sleep(Duration::from_millis(1300));
    assert_eq!(sched.get(patient).unwrap().state, JobState::Queued);
    open.send(()).unwrap();
    assert_eq!(state(&sched, patient), JobState::Completed(Status::ok()));
}

#[test]
fn a_created_then_started_job_with_a_deadline_is_watched_too() {
    let sched = Scheduler::with_limit(1);
    let id = sched.create(JobSpec::named("task").deadline(Duration::from_millis(20)));
    let (open, gate) = mpsc::channel::<()>();
    sched
        .start(id, move |_| {
            let _ = gate.recv_timeout(PATIENCE);
            done()
        })
        .unwrap();
    assert_eq!(
        state(&sched, id),
        JobState::Failed(Failure::Exhausted(Resource::Deadline))
    );
    open.send(()).unwrap();
}

#[test]
fn concurrent_submitters_and_killers_keep_every_promise() {
    fn assert_send_sync<T: Send + Sync + Clone>() {}
    assert_send_sync::<Scheduler>();

    let sched = Scheduler::with_limit(3);
    let running = Arc::new(AtomicUsize::new(0));
    let most = Arc::new(AtomicUsize::new(0));
    let ran = Arc::new(Mutex::new(Vec::new()));
    let submitters: Vec<_> = (0..4)
        .map(|t| {
            let (sched, running, most, ran) =
                (sched.clone(), running.clone(), most.clone(), ran.clone());
            std::thread::spawn(move || {
                let mut killed = Vec::new();
                for n in 0..250 {
                    let (running, most, ran) = (running.clone(), most.clone(), ran.clone());
                    let spec = JobSpec::named(format!("t{t} n{n}")).priority(n % 3);
                    let id = sched.submit(spec, move |ctx| {
                        let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                        most.fetch_max(now, Ordering::SeqCst);
                        ran.lock().unwrap().push(ctx.id());
                        std::thread::yield_now();
                        running.fetch_sub(1, Ordering::SeqCst);
                        done()
                    });
                    // Every fifth job is killed at once, whatever state it has reached.
                    if n % 5 == 0 && sched.kill(id).is_ok() {
                        killed.push(id);
                    }
                }
                killed
            })
        })
        .collect();
    let killed: Vec<JobId> = submitters
        .into_iter()
        .flat_map(|s| s.join().unwrap())
        .collect();
    sched.wait_all(Some(PATIENCE)).unwrap();
    let all = sched.list();
    assert_eq!(all.len(), 1000);
    assert!(most.load(Ordering::SeqCst) <= 3);
    let ran = ran.lock().unwrap();
    for info in &all {
        if killed.contains(&info.id) {
            assert_eq!(info.state, JobState::Killed, "{}", info.name);
        } else {
            assert_eq!(
                info.state,
                JobState::Completed(Status::ok()),
                "{}",
                info.name
            );
            assert!(
                ran.contains(&info.id),
                "{} completed without running",
                info.name
            );
        }
        // A job killed before it started never ran.
        if info.state == JobState::Killed && info.started.is_none() {
            assert!(
                !ran.contains(&info.id),
                "{} ran after being killed",
                info.name
            );
        }
    }
}

#[test]
fn run_here_jobs_take_no_slot_but_are_listed_and_killable() {
    let scheduler = Scheduler::with_limit(1);
    let (started, on_start) = mpsc::channel();
    let (open, gate) = mpsc::channel::<()>();
    let blocker = scheduler.submit(JobSpec::named("blocker"), gated(&started, gate));
    assert_eq!(on_start.recv_timeout(PATIENCE), Ok(blocker));
    // The one slot is taken, yet a job run here starts at once.
    let mut seen = None;
    let info = scheduler.run_here(
        JobSpec::named("here"),
        |id| seen = Some(id),
        |ctx| {
            let listed = scheduler.get(ctx.id()).map(|info| info.state);
            assert_eq!(listed, Some(JobState::Running));
            // A kill from elsewhere reaches its cancel flag.
            let _ = scheduler.kill(ctx.id());
            assert!(ctx.is_cancelled());
            done()
        },
    );
    assert_eq!(Some(info.id), seen);
    assert_eq!(info.state, JobState::Killed);
    assert_eq!(scheduler.stats().running, 1);
    let failed = scheduler.run_here(JobSpec::named("boom"), |_| {}, |_| panic!("boom"));
    assert_eq!(
        failed.state,
        JobState::Failed(Failure::Panicked("boom".into()))
    );
    drop(open);
    assert!(scheduler.wait(blocker, Some(PATIENCE)).is_ok());
}

#[test]
fn a_created_job_can_be_respecified_or_failed_until_it_starts() {
    let sched = Scheduler::with_limit(1);
    let (_busy, release) = occupy(&sched);
    let id = sched.create(JobSpec::named(""));
    assert_eq!(
        sched.respec(id, JobSpec::named("echo hi").priority(3)),
        Ok(())
    );
    let info = sched.get(id).map(|info| (info.name, info.priority));
    assert_eq!(info, Some(("echo hi".to_string(), 3)));
    // The limit is full, yet a job that cannot start fails at once, not when a slot frees.
    let broken = sched.create(JobSpec::named("nope"));
    assert_eq!(
        sched.fail(broken, Failure::Error("cannot load".into())),
        Ok(())
    );
    assert_eq!(
        state(&sched, broken),
        JobState::Failed(Failure::Error("cannot load".into()))
    );
    assert_eq!(
        sched.fail(broken, Failure::ShutDown),
        Err(SchedError::Ended(broken))
    );
    assert_eq!(sched.start(id, |_| done()), Ok(()));
    assert_eq!(
        sched.respec(id, JobSpec::named("late")),
        Err(SchedError::AlreadyStarted(id))
    );
    assert_eq!(
        sched.respec(JobId(999), JobSpec::named("x")),
        Err(SchedError::NoSuchJob(JobId(999)))
    );
    let _ = release.send(());
    let ended = sched.wait(id, Some(PATIENCE)).map(|info| info.state);
    assert_eq!(ended, Ok(JobState::Completed(Status::ok())));
}
