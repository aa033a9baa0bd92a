//! Tests of the `logs` service: one record per write, the fields it owns, every refusal,
//! followers, and trajectories.

use std::io::Read;
use std::thread;
use std::time::UNIX_EPOCH;

use super::*;
use crate::ns::HandleReader;

/// A service whose clock always reads 2026-11-24T13:20:00.123Z.
fn fixed_logs() -> LogsService {
    LogsService::with_clock(Arc::new(|| {
        UNIX_EPOCH + Duration::from_millis(1_795_526_400_123)
    }))
}

fn append(logs: &LogsService, at: &str, record: &str) -> Result<(), NsError> {
    let mut handle = logs.open(at, OpenFlags::write().create().append())?;
    handle.write(record.as_bytes())?;
    handle.close()
}

fn contents(logs: &LogsService, at: &str) -> String {
    let mut text = String::new();
    HandleReader::new(logs.open(at, OpenFlags::read()).expect("opens"))
        .read_to_string(&mut text)
        .expect("reads");
    text
}

#[test]
fn timestamps_are_rfc3339_utc_with_milliseconds() {
    let at = |ms: u64| rfc3339_millis(UNIX_EPOCH + Duration::from_millis(ms));
    assert_eq!(at(0), "1970-01-01T00:00:00.000Z");
    assert_eq!(at(951_782_400_000), "2000-02-29T00:00:00.000Z");
    assert_eq!(at(1_709_164_800_000), "2024-02-29T00:00:00.000Z");
    assert_eq!(at(1_764_000_000_500), "2025-11-24T16:00:00.500Z");
    assert_eq!(at(4_102_444_799_999), "2099-12-31T23:59:59.999Z");
    assert_eq!(
        rfc3339_millis(UNIX_EPOCH - Duration::from_secs(5)),
        "1970-01-01T00:00:00.000Z"
    );
}

#[test]
fn each_write_is_one_record_with_seq_and_ts_first() {
    let logs = fixed_logs();
    append(&logs, "/x", "{\"a\":1}\n").unwrap();
    append(&logs, "/x", r#"{"z":[1,2], "b": {"c":null}}"#).unwrap();
    assert_eq!(
        contents(&logs, "/x"),
        concat!(
            r#"{"seq":1,"ts":"2026-11-24T13:20:00.123Z","a":1}"#,
            "\n",
            r#"{"seq":2,"ts":"2026-11-24T13:20:00.123Z","z":[1,2],"b":{"c":null}}"#,
            "\n"
        )
    );
    // Several writes through one handle are several records.
    let mut handle = logs.open("/y", OpenFlags::write().create()).unwrap();
    handle.write(b"{}").unwrap();
    handle.write(b"{\"n\":2}").unwrap();
    assert_eq!(handle.write(b"").unwrap(), 0, "an empty write is no record");
    let text = contents(&logs, "/y");
    assert_eq!(text.lines().count(), 2);
    assert!(text.starts_with("{\"seq\":1,") && text.contains("{\"seq\":2,"));
    assert_eq!(logs.stat("/y").unwrap().size, text.len() as u64);
}

#[test]
fn a_bad_record_is_refused_and_loses_nothing() {
    let logs = fixed_logs();
    append(&logs, "/x", "{\"ok\":true}").unwrap();
    let before = contents(&logs, "/x");
    let cases = [
        (
            "not json",
            "/x: not JSON: expected ident at line 1 column 2",
        ),
        (
            "{\"a\":1",
            "/x: not JSON: EOF while parsing an object at line 1 column 6",
        ),
        ("[1,2]", "/x: not a JSON object: got an array"),
        ("\"text\"", "/x: not a JSON object: got a string"),
        (
            "{\"a\":1}\n{\"b\":2}\n",
            "/x: not JSON: trailing characters at line 2 column 1",
        ),
        (
            "{\"seq\":9}",
            "/x: \"seq\" is set by the log, not by the writer",
        ),
        (
            "{\"ts\":\"now\"}",
            "/x: \"ts\" is set by the log, not by the writer",
        ),
    ];
    for (record, expected) in cases {
        let err = append(&logs, "/x", record).unwrap_err();
        assert!(matches!(err, NsError::Io { .. }), "{record}: {err:?}");
        assert_eq!(err.to_string(), expected, "{record}");
    }
    assert_eq!(contents(&logs, "/x"), before);
    // The numbering goes on from the last good record.
    append(&logs, "/x", "{}").unwrap();
    assert!(contents(&logs, "/x").contains("{\"seq\":2,"));
}

#[test]
fn a_record_too_large_is_refused() {
    let logs = fixed_logs();
    let big = format!("{{\"a\":\"{}\"}}", "x".repeat(MAX_RECORD_SIZE));
    let err = append(&logs, "/x", &big).unwrap_err();
    assert!(err.to_string().contains("record over"), "{err}");
    assert_eq!(contents(&logs, "/x"), "");
}

#[test]
fn truncate_offsets_remove_and_rename_are_refused() {
    let logs = fixed_logs();
    // Truncating a new (empty) log is how `>` makes one: allowed.
    let mut fresh = logs
        .open("/x", OpenFlags::write().create().truncate())
        .unwrap();
    fresh.write(b"{}").unwrap();
    fresh.write(b"{}").unwrap();
    let Err(err) = logs.open("/x", OpenFlags::write().create().truncate()) else {
        panic!("truncated a log with records")
    };
    assert_eq!(
        err.to_string(),
        "/x: permission denied (append-only: truncating would lose records (use >>))"
    );
    let mut stale = logs.open("/x", OpenFlags::write()).unwrap();
    assert_eq!(
        stale.write(b"{}").unwrap_err().to_string(),
        "/x: permission denied (append-only: writes go at the end (84), not at 0 (use >>))"
    );
    stale.seek(SeekFrom::End(0)).unwrap();
    stale.write(b"{}").unwrap();
    assert_eq!(
        logs.remove("/x").unwrap_err().to_string(),
        "/x: permission denied (append-only: nothing in a logs service is removed)"
    );
    assert_eq!(
        logs.rename("/x", "/y").unwrap_err().to_string(),
        "/x: permission denied (append-only: nothing in a logs service is renamed)"
    );
    assert!(matches!(
        logs.remove("/nope"),
        Err(NsError::NotFound { .. })
    ));
    assert_eq!(contents(&logs, "/x").lines().count(), 3);
}

#[test]
fn directories_hold_logs_and_are_only_made_by_mkdir() {
    let logs = fixed_logs();
    assert!(matches!(
        append(&logs, "/agent/a", "{}"),
        Err(NsError::NotFound { .. })
    ));
    logs.mkdir("/agent").unwrap();
    append(&logs, "/agent/a", "{}").unwrap();
    append(&logs, "/b", "{}").unwrap();
    let names: Vec<_> = logs
        .readdir("/")
        .unwrap()
        .into_iter()
        .map(|e| (e.name, e.kind))
        .collect();
    assert_eq!(
        names,
        [
            ("agent".to_string(), FileKind::Dir),
            ("b".to_string(), FileKind::File)
        ]
    );
    assert!(matches!(logs.mkdir("/agent"), Err(NsError::Exists { .. })));
    assert!(matches!(logs.mkdir("/b"), Err(NsError::Exists { .. })));
    assert!(matches!(logs.mkdir("/b/c"), Err(NsError::NotDir { .. })));
    assert!(matches!(logs.mkdir("/p/q"), Err(NsError::NotFound { .. })));
    assert!(matches!(
        logs.open("/agent", OpenFlags::read()),
        Err(NsError::IsDir { .. })
    ));
    assert!(matches!(
        logs.open("/b", OpenFlags::write().create().exclusive()),
        Err(NsError::Exists { .. })
    ));
    assert!(matches!(
        logs.open("/none", OpenFlags::read()),
        Err(NsError::NotFound { .. })
    ));
}

#[test]
fn a_follower_gets_every_record_once_in_order() {
    const RECORDS: usize = 200;
    let logs = Arc::new(LogsService::new());
    let reader = logs.open("/f", OpenFlags::read().create()).unwrap();
    let follower = thread::spawn(move || {
        let mut reader = reader;
        let (mut text, mut buf) = (Vec::new(), [0u8; 7]);
        let mut idle = 0;
        while text.iter().filter(|&&b| b == b'\n').count() < RECORDS && idle < 100 {
            match reader.read(&mut buf).unwrap() {
                0 => {
                    idle += 1;
                    reader.wait_for_more(Duration::from_millis(100)).unwrap();
                }
                n => {
                    idle = 0;
                    text.extend_from_slice(&buf[..n]);
                }
            }
        }
        String::from_utf8(text).unwrap()
    });
    let writer_logs = Arc::clone(&logs);
    let writer = thread::spawn(move || {
        let mut handle = writer_logs.open("/f", OpenFlags::write().append()).unwrap();
        for n in 1..=RECORDS {
            handle.write(format!("{{\"n\":{n}}}").as_bytes()).unwrap();
            if n % 20 == 0 {
                thread::sleep(Duration::from_millis(5));
            }
        }
    });
    writer.join().unwrap();
    let text = follower.join().unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), RECORDS);
    for (i, line) in lines.iter().enumerate() {
        let value: Value = serde_json::from_str(line).unwrap();
        assert_eq!(value["seq"], i as u64 + 1, "{line}");
        assert_eq!(value["n"], i as u64 + 1, "{line}");
    }
}

#[test]
fn waiting_returns_at_once_when_there_is_more_and_after_the_timeout_when_not() {
    let logs = fixed_logs();
    append(&logs, "/w", "{}").unwrap();
    let mut reader = logs.open("/w", OpenFlags::read()).unwrap();
    let started = std::time::Instant::now();
    reader.wait_for_more(Duration::from_secs(5)).unwrap();
    assert!(started.elapsed() < Duration::from_secs(1));
    reader.seek(SeekFrom::End(0)).unwrap();
    let started = std::time::Instant::now();
    reader.wait_for_more(Duration::from_millis(50)).unwrap();
    assert!(started.elapsed() >= Duration::from_millis(50));
}

#[test]
fn trajectories_take_steps_only() {
    let logs = fixed_logs();
    append(
        &logs,
        "/run.atif",
        r#"{"source":"user","message":"list /tmp"}"#,
    )
    .unwrap();
    append(
        &logs,
        "/run.atif",
        r#"{"source":"agent","message":"ok","tool_calls":[{"id":"c1","name":"ls","arguments":{}}]}"#,
    )
    .unwrap();
    let err = append(&logs, "/run.atif", r#"{"source":"agent","message":7}"#).unwrap_err();
    assert_eq!(
        err.to_string(),
        "/run.atif: not an ATIF step: message: invalid type: integer `7`, expected a string at line 1 column 29"
    );
    assert_eq!(
        contents(&logs, "/run.atif"),
        concat!(
            r#"{"step_id":1,"timestamp":"2026-11-24T13:20:00.123Z","source":"user","message":"list /tmp"}"#,
            "\n",
            r#"{"step_id":2,"timestamp":"2026-11-24T13:20:00.123Z","source":"agent","message":"ok","tool_calls":[{"id":"c1","name":"ls","arguments":{}}]}"#,
            "\n"
        )
    );
    // The same record is a fine plain log record.
    append(&logs, "/run.json", r#"{"source":"agent","message":7}"#).unwrap();
}

#[test]
fn builds_through_the_registry() {
    let service = crate::services::build("logs", &[]).expect("logs builds");
    assert_eq!(service.kind(), "logs");
    assert!(matches!(
        crate::services::build("logs", &["x".to_string()]),
        Err(NsError::BadArgs { .. })
    ));
}
