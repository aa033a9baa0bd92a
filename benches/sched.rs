//! Scheduler overhead (issue 5): what it costs to run an empty job, from `submit` to `wait`
//! returning its final state, with the worker already started; and a batch of 100 empty jobs
//! submitted together and waited for, which measures the queue and the hand-off between
//! workers rather than one round trip. This file must only measure; it never asserts on a
//! timing.

// A bench's set-up failing is a broken bench: stopping loudly is the right report.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use oash::eval::Status;
use oash::sched::{JobResult, JobSpec, Scheduler};

fn empty_job(sched: &Scheduler) -> oash::sched::JobId {
    sched.submit(JobSpec::named("empty"), |_| {
        JobResult::Completed(Status::ok())
    })
}

fn bench_submit_to_complete(c: &mut Criterion) {
    let mut group = c.benchmark_group("sched");
    let sched = Scheduler::with_limit(1);
    sched.set_history_limit(1024);
    // Warm: the worker thread starts with the first job.
    let first = empty_job(&sched);
    sched.wait(first, None).expect("warm-up job");
    group.bench_function("submit_wait_empty_job", |b| {
        b.iter(|| {
            let id = empty_job(&sched);
            black_box(sched.wait(id, None).expect("job ends"))
        })
    });
    let pool = Scheduler::new();
    pool.set_history_limit(1024);
    group.bench_function("submit_100_then_wait_all", |b| {
        b.iter(|| {
            for _ in 0..100 {
                empty_job(&pool);
            }
            black_box(pool.wait_all(None).expect("jobs end"))
        })
    });
    group.finish();
}

criterion_group!(benches, bench_submit_to_complete);
criterion_main!(benches);
