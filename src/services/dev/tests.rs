//! Tests of the `dev` service: each file's reads and writes, the console, and every refusal.

use std::io::Cursor;
use std::time::Duration;

use super::*;
use crate::eval::Buffer;
use crate::ns::FileKind;

/// A console output whose descriptor is closed.
struct Closed;

impl Write for Closed {
    fn write(&mut self, _: &[u8]) -> io::Result<usize> {
        Err(io::Error::from_raw_os_error(9))
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

fn dev_with(input: &str) -> (DevService, Buffer) {
    let screen = Buffer::new();
    let console = Console::new(Cursor::new(input.as_bytes().to_vec()), screen.clone());
    (DevService::with_console(Arc::new(console)), screen)
}

fn read_some(dev: &DevService, at: &str, len: usize) -> Result<Vec<u8>, NsError> {
    let mut handle = dev.open(at, OpenFlags::read())?;
    let mut buf = vec![0xAA; len];
    let n = handle.read(&mut buf)?;
    buf.truncate(n);
    Ok(buf)
}

fn write_once(dev: &DevService, at: &str, bytes: &[u8]) -> Result<usize, NsError> {
    let mut handle = dev.open(at, OpenFlags::write().create().truncate())?;
    let n = handle.write(bytes)?;
    handle.close()?;
    Ok(n)
}

#[test]
fn lists_exactly_the_five_files() {
    let (dev, _) = dev_with("");
    let names: Vec<(String, FileKind)> = dev
        .readdir("/")
        .unwrap()
        .into_iter()
        .map(|e| (e.name, e.kind))
        .collect();
    let expected: Vec<(String, FileKind)> = ["cons", "null", "random", "time", "zero"]
        .iter()
        .map(|n| (n.to_string(), FileKind::File))
        .collect();
    assert_eq!(names, expected);
    assert!(matches!(dev.readdir("/null"), Err(NsError::NotDir { .. })));
    assert!(matches!(
        dev.readdir("/nope"),
        Err(NsError::NotFound { .. })
    ));
}

#[test]
fn null_reads_nothing_and_swallows_writes() {
    let (dev, screen) = dev_with("typed");
    assert_eq!(read_some(&dev, "/null", 16).unwrap(), b"");
    assert_eq!(write_once(&dev, "/null", b"gone").unwrap(), 4);
    assert_eq!(read_some(&dev, "/null", 16).unwrap(), b"");
    assert!(screen.contents().is_empty());
}

#[test]
fn zero_reads_zeros_without_end_and_swallows_writes() {
    let (dev, _) = dev_with("");
    let mut handle = dev.open("/zero", OpenFlags::read()).unwrap();
    for _ in 0..3 {
        let mut buf = [0xFFu8; 4096];
        assert_eq!(handle.read(&mut buf).unwrap(), 4096);
        assert!(buf.iter().all(|&b| b == 0));
    }
    assert_eq!(write_once(&dev, "/zero", b"x").unwrap(), 1);
}

#[test]
fn random_reads_differ_and_writes_are_refused() {
    let (dev, _) = dev_with("");
    let first = read_some(&dev, "/random", 64).unwrap();
    let second = read_some(&dev, "/random", 64).unwrap();
    assert_eq!((first.len(), second.len()), (64, 64));
    // Two equal 64-byte draws would mean the generator is not being asked at all.
    assert_ne!(first, second);
    let err = write_once(&dev, "/random", b"seed").unwrap_err();
    assert_eq!(err.to_string(), "/random: permission denied (read-only)");
}

#[test]
fn cons_writes_to_the_console_and_reads_from_it() {
    let (dev, screen) = dev_with("typed line\n");
    write_once(&dev, "/cons", b"hi\n").unwrap();
    write_once(&dev, "/cons", b"there\n").unwrap();
    assert_eq!(screen.contents(), b"hi\nthere\n");
    assert_eq!(read_some(&dev, "/cons", 64).unwrap(), b"typed line\n");
    assert_eq!(read_some(&dev, "/cons", 64).unwrap(), b"");
}

#[test]
fn cons_opened_for_writing_only_does_not_read() {
    let (dev, _) = dev_with("typed");
    let mut handle = dev.open("/cons", OpenFlags::write()).unwrap();
    let err = handle.read(&mut [0; 4]).unwrap_err();
    assert!(matches!(err, NsError::Denied { .. }), "{err}");
}

#[test]
fn a_closed_console_is_an_error_not_a_panic() {
    let console = Console::new(io::empty(), Closed);
    let dev = DevService::with_console(Arc::new(console));
    let err = write_once(&dev, "/cons", b"hi").unwrap_err();
    assert!(
        matches!(&err, NsError::Io { path, .. } if path == "/cons"),
        "{err}"
    );
}

#[test]
fn time_is_seconds_and_nanoseconds_since_the_epoch() {
    let before = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
    let line = String::from_utf8(read_some(&dev_with("").0, "/time", 128).unwrap()).unwrap();
    let after = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
    let fields: Vec<u128> = line
        .strip_suffix('\n')
        .expect("newline-terminated")
        .split(' ')
        .map(|f| f.parse().expect("a number"))
        .collect();
    let [seconds, nanos] = fields[..] else {
        panic!("two fields expected: {line:?}")
    };
    assert_eq!(seconds, nanos / 1_000_000_000);
    assert!(before.as_nanos() <= nanos && nanos <= after.as_nanos());
    assert_eq!(
        time_line(UNIX_EPOCH + Duration::new(12, 345)),
        "12 12000000345\n"
    );
    assert_eq!(
        time_line(UNIX_EPOCH - Duration::from_secs(1)),
        "0 0\n",
        "a clock before 1970 reads as the epoch"
    );
}

#[test]
fn time_is_read_only_and_one_snapshot_per_open() {
    let (dev, _) = dev_with("");
    let mut handle = dev.open("/time", OpenFlags::read()).unwrap();
    let mut first = [0u8; 5];
    assert_eq!(handle.read(&mut first).unwrap(), 5);
    handle.seek(SeekFrom::Start(0)).unwrap();
    let mut again = [0u8; 5];
    handle.read(&mut again).unwrap();
    assert_eq!(first, again);
    assert!(matches!(
        dev.open("/time", OpenFlags::write()),
        Err(NsError::Denied { .. })
    ));
    assert!(dev.stat("/time").unwrap().read_only);
    assert!(!dev.stat("/null").unwrap().read_only);
}

#[test]
fn the_set_of_files_is_fixed() {
    let (dev, _) = dev_with("");
    let fixed = "permission denied (the dev files are fixed)";
    let create = dev.open("/new", OpenFlags::write().create()).err().unwrap();
    assert_eq!(create.to_string(), format!("/new: {fixed}"));
    assert_eq!(
        dev.mkdir("/d").unwrap_err().to_string(),
        format!("/d: {fixed}")
    );
    assert_eq!(
        dev.remove("/null").unwrap_err().to_string(),
        format!("/null: {fixed}")
    );
    assert_eq!(
        dev.rename("/zero", "/z").unwrap_err().to_string(),
        format!("/zero: {fixed}")
    );
    assert!(matches!(
        dev.open("/null", OpenFlags::write().create().exclusive()),
        Err(NsError::Exists { .. })
    ));
    assert!(matches!(
        dev.open("/nope", OpenFlags::read()),
        Err(NsError::NotFound { .. })
    ));
    assert!(matches!(
        dev.open("/", OpenFlags::read()),
        Err(NsError::IsDir { .. })
    ));
    assert!(matches!(
        dev.open("/null/x", OpenFlags::read()),
        Err(NsError::NotDir { .. })
    ));
}

#[test]
fn builds_through_the_registry() {
    let service = crate::services::build("dev", &[]).expect("dev builds");
    assert_eq!(service.kind(), "dev");
    assert!(service.mount_args().is_empty());
    assert!(matches!(
        crate::services::build("dev", &["x".to_string()]),
        Err(NsError::BadArgs { .. })
    ));
}

/// Runs `script` in a fresh shell whose Ctrl-C is pressed after 100 ms; what it printed on
/// standard error, or `None` if it did not stop within five seconds or ended on its own.
fn interrupted(script: &str) -> Option<String> {
    use crate::eval::{Io, Shell};
    use crate::lang::SourceFile;
    let mut shell = Shell::new();
    // Endless lines would otherwise meet the `buffer` budget before Ctrl-C comes.
    assert!(shell.engines.budgets.set("buffer", "64G").is_ok());
    let ctrl_c = shell.engines.front_interrupter();
    let pressed = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(100));
        ctrl_c.fire();
    });
    let err = Buffer::new();
    let io = Io::buffers(Buffer::new(), err.clone());
    let started = std::time::Instant::now();
    let status = shell.run_script(Arc::new(SourceFile::new("t", script)), &io);
    let _ = pressed.join();
    let stopped = started.elapsed() < Duration::from_secs(5) && !status.is_ok();
    stopped.then(|| String::from_utf8_lossy(&err.take()).into_owned())
}

#[test]
fn ctrl_c_stops_every_reader_of_an_endless_device() {
    for script in [
        "cat /dev/zero > /dev/null",
        "tail /dev/zero",
        "tail -f /dev/zero",
        "head -n 1 /dev/zero",
        "wc -c /dev/random",
        "grep x /dev/zero",
    ] {
        let err = interrupted(&format!("{script}; echo not reached"));
        let err = err.unwrap_or_else(|| panic!("{script}: did not stop on Ctrl-C"));
        assert!(err.contains("interrupted"), "{script}: {err}");
    }
}
