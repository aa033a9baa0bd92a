//! The `oash` command: the REPL, a script, `-c`, `-n`, or `oash test`.
//!
//! Start-up does as little as possible (no engine starts here): parse the arguments, build
//! the default namespace, run. Arguments are bytes on Unix and need not be UTF-8: a path (the
//! script, `-n FILE`, `--host DIR`, a test path) is used as the bytes it is, so a file with
//! any name runs; text (the `-c` command, the script's arguments) is decoded lossily with one
//! warning line. Nothing here may panic on what the command line holds, and a panic anywhere
//! else ends as one line and exit code 70 (see `oash::diag::panic`).
//!
//! On Linux with glibc the process starts at a C `main` of its own rather than through
//! Rust's runtime start (`no_main`): that start asks glibc for the main thread's stack
//! bounds, which reads and parses `/proc/self/maps` (a sixth of `oash -c 'echo hi'`'s
//! instructions, and a dozen system calls with the alternate signal stack it sets up) only
//! to print "has overflowed its stack" should the main thread ever overflow it. The shell
//! grows its stack on demand and bounds its nesting (see `Shell::run_cmd`), so an overflow
//! would be a bug either way; without that handler it ends as a plain SIGSEGV. What the
//! runtime start does that matters is done here: standard descriptors that are closed are
//! opened on `/dev/null`, SIGPIPE is ignored (a write to a pipe whose reader left is an
//! error, not death), and standard output is flushed at the end. The arguments reach
//! `std::env::args_os` as usual (glibc hands them to the standard library's initialiser).

#![cfg_attr(all(target_os = "linux", target_env = "gnu", not(test)), no_main)]

use std::ffi::{OsStr, OsString};
use std::fmt::Write as _;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use clap::error::ErrorKind;
use clap::{CommandFactory, FromArgMatches, Parser};
use oash::agent::StateDir;
use oash::diag::escape;
use oash::diag::panic::EXIT_INTERNAL;
use oash::eval::{Io, Located, Shell, ShellError};
use oash::lang::SourceFile;

#[derive(Parser, Debug)]
#[command(name = "oash", version, about = "An rc-style agent shell over a Plan 9-style namespace", long_about = None)]
#[command(
    after_help = "Subcommands:\n  oash test [-t DURATION] PATH...   run test scripts and transcripts (see the book's \"Testing\" chapter)\n\nWith no FILE and no -c, oash starts the interactive REPL."
)]
struct Cli {
    /// Run COMMAND and exit.
    #[arg(short = 'c', value_name = "COMMAND", conflicts_with = "parse_only", value_parser = clap::value_parser!(OsString))]
    command: Option<OsString>,
    /// Parse FILE and report syntax errors without running anything.
    #[arg(short = 'n', value_name = "FILE")]
    parse_only: Option<PathBuf>,
    /// Mount the host directory DIR at /n/host (confined to it) and start there.
    #[arg(long, value_name = "DIR")]
    host: Option<PathBuf>,
    /// Run with no access to the host at all: no host mount, and the namespace no-attach
    /// (`rfork m`), so nothing run here can mount one (or anything else).
    #[arg(long, conflicts_with = "host")]
    sandbox: bool,
    /// Keep agents in DIR (default: $OASH_STATE, else $XDG_DATA_HOME/oash, else
    /// ~/.local/share/oash). Nothing is opened until an agent is used.
    #[arg(long, value_name = "DIR", conflicts_with = "ephemeral")]
    state: Option<PathBuf>,
    /// Keep agents in memory only: they are gone when oash exits.
    #[arg(long)]
    ephemeral: bool,
    /// A script to run (a host file), then its arguments ($1, $2, ... and $*).
    #[arg(value_name = "FILE", value_parser = clap::value_parser!(OsString))]
    file: Option<OsString>,
    #[arg(
        value_name = "ARGS",
        trailing_var_arg = true,
        allow_hyphen_values = true,
        value_parser = clap::value_parser!(OsString)
    )]
    args: Vec<OsString>,
}

/// Set to `1` (panic on the main thread) or `thread` (on another thread, after which the
/// command runs as usual), this makes oash panic on purpose. For the tests of the panic
/// hook only; it is not a feature.
const TEST_PANIC_VAR: &str = "OASH_TEST_PANIC";

/// The process's entry point in C's terms (see the module doc); the arguments are read
/// through `std::env::args_os`.
#[cfg(all(target_os = "linux", target_env = "gnu", not(test)))]
#[unsafe(no_mangle)]
extern "C" fn main(_argc: libc::c_int, _argv: *const *const libc::c_char) -> libc::c_int {
    open_closed_standard_fds();
    // SAFETY: setting a signal's disposition to SIG_IGN runs no code of ours in a handler,
    // and nothing else runs yet.
    unsafe { libc::signal(libc::SIGPIPE, libc::SIG_IGN) };
    let status = entry();
    // The runtime start would have flushed it; a reader that left is no error at exit.
    let _ = std::io::stdout().flush();
    libc::c_int::from(status)
}

#[cfg(any(test, not(all(target_os = "linux", target_env = "gnu"))))]
fn main() -> std::process::ExitCode {
    std::process::ExitCode::from(entry())
}

/// Opens `/dev/null` on any of descriptors 0, 1 and 2 that is closed, as Rust's runtime start
/// does: otherwise the first file the shell opened would become standard output. One `poll`
/// asks about all three; should it fail, each is asked alone.
#[cfg(all(target_os = "linux", target_env = "gnu", not(test)))]
fn open_closed_standard_fds() {
    let mut fds = [0, 1, 2].map(|fd| libc::pollfd {
        fd,
        events: 0,
        revents: 0,
    });
    // SAFETY: `poll` writes only into the three entries it is given; `fcntl(F_GETFD)` only
    // reads a descriptor's flags; `open` gets a NUL-terminated path. No other thread exists.
    unsafe {
        let polled = libc::poll(fds.as_mut_ptr(), 3, 0) != -1;
        for pfd in fds {
            let closed = if polled {
                pfd.revents & libc::POLLNVAL != 0
            } else {
                libc::fcntl(pfd.fd, libc::F_GETFD) == -1
                    && std::io::Error::last_os_error().raw_os_error() == Some(libc::EBADF)
            };
            if closed {
                libc::open(c"/dev/null".as_ptr(), libc::O_RDWR);
            }
        }
    }
}

/// Runs oash; its exit code.
fn entry() -> u8 {
    oash::diag::panic::install();
    // The hook has printed the one line; what is left is the exit code. Unwinding (rather
    // than exiting from the hook) lets destructors run, the terminal's mode among them.
    std::panic::catch_unwind(start).unwrap_or(EXIT_INTERNAL)
}

fn start() -> u8 {
    let argv: Vec<OsString> = std::env::args_os().collect();
    test_panic();
    if argv.get(1).is_some_and(|a| a == "test") {
        return code(oash::harness::runner::main(&argv[2..]));
    }
    let cli = match plain_command_line(&argv).map(Ok).unwrap_or_else(|| {
        Cli::command()
            .try_get_matches_from(&argv)
            .and_then(|m| Cli::from_arg_matches(&m))
    }) {
        Ok(cli) => cli,
        Err(e) => return usage_error(e),
    };
    // The interpreter grows its stack on demand (see `Shell::run_cmd`), so it runs right
    // here: no thread to start, which is a good part of start-up time.
    code(run(cli))
}

/// The command lines most runs have, `oash -c COMMAND [ARG...]` and `oash FILE [ARG...]`
/// with no word after the first starting with `-`, read without clap: building clap's parser
/// was a seventh of `oash -c 'echo hi'`. Any other line (options, help, mistakes) goes to
/// clap, and `tests::plain_lines_read_as_clap_reads_them` holds the two to the same answer.
fn plain_command_line(argv: &[OsString]) -> Option<Cli> {
    let starts_with_dash = |a: &OsString| a.as_encoded_bytes().first() == Some(&b'-');
    let plain = |words: &[OsString]| !words.iter().any(starts_with_dash);
    let cli = |command: Option<&OsString>, words: &[OsString]| Cli {
        command: command.cloned(),
        parse_only: None,
        host: None,
        sandbox: false,
        state: None,
        ephemeral: false,
        file: words.first().cloned(),
        args: words.get(1..).unwrap_or_default().to_vec(),
    };
    match argv.get(1..)? {
        [flag, command, words @ ..] if flag == "-c" && plain(std::slice::from_ref(command)) => {
            plain(words).then(|| cli(Some(command), words))
        }
        words @ [_, ..] if plain(words) => Some(cli(None, words)),
        _ => None,
    }
}

/// clap's own report of a bad command line. Help and version print as clap made them; an
/// error quotes the offending argument, so it is escaped and cut like a diagnostic.
fn usage_error(e: clap::Error) -> u8 {
    if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
        e.exit();
    }
    let text = e.render().to_string();
    let shown: Vec<String> = text.lines().map(escape::message).collect();
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "{}", shown.join("\n"));
    code(e.exit_code())
}

/// `OASH_TEST_PANIC`: see [`TEST_PANIC_VAR`].
fn test_panic() {
    match std::env::var_os(TEST_PANIC_VAR) {
        Some(v) if v == "1" => panic!("panic requested by {TEST_PANIC_VAR}=1 \u{1b}[2J"),
        Some(v) if v == "thread" => {
            let member = std::thread::Builder::new()
                .name("test-panic".into())
                .spawn(|| panic!("panic requested by {TEST_PANIC_VAR}=thread"));
            // Joined as a pipeline member is: its panic is an error value here.
            let _ = member.map(|h| h.join());
        }
        _ => {}
    }
}

fn code(n: i32) -> u8 {
    n.clamp(0, 255) as u8
}

fn run(cli: Cli) -> i32 {
    let mut shell = Shell::new();
    shell.proc.color = oash::diag::color_wanted(std::io::stderr().is_terminal());
    let io = Io::terminal(shell.engines.terminal_stop());
    if cli.ephemeral {
        shell.engines.agents.set_state(StateDir::Ephemeral);
    } else if let Some(dir) = cli.state {
        shell.engines.agents.set_state(StateDir::Dir(dir));
    }
    if cli.sandbox {
        shell.sandbox();
    }
    if let Some(dir) = &cli.host
        && let Err(e) = mount_host(&mut shell, dir)
    {
        shell.report(&Located::bare(e), &io);
        return 1;
    }
    if let Some(path) = cli.parse_only {
        let Some(file) = read_host_script(&mut shell, &io, &path) else {
            return 1;
        };
        return match oash::lang::parse(file) {
            Ok(_) => 0,
            Err(e) => {
                shell.report(&Located::bare(ShellError::Parse(e)), &io);
                1
            }
        };
    }
    if let Some(text) = cli.command {
        // `oash -c CMD a b`: `a` is `$1`, as in `sh -c` minus its `$0`.
        let args: Vec<OsString> = cli.file.into_iter().chain(cli.args).collect();
        let mut bad = Vec::new();
        let text = decode(&text, "the -c command", &mut bad);
        let args = decode_args(&args, &mut bad);
        warn_not_utf8(&bad);
        shell.proc.vars.set("*", args);
        let status = shell.run_script(Arc::new(SourceFile::new("-c", text)), &io);
        shell.end_jobs();
        return leave(shell, &status);
    }
    if let Some(path) = cli.file {
        let path = PathBuf::from(path);
        let Some(file) = read_host_script(&mut shell, &io, &path) else {
            return 1;
        };
        let mut bad = Vec::new();
        let args = decode_args(&cli.args, &mut bad);
        warn_not_utf8(&bad);
        shell
            .proc
            .vars
            .set("0", vec![path.to_string_lossy().into_owned()]);
        shell.proc.vars.set("*", args);
        let status = shell.run_script(file, &io);
        shell.end_jobs();
        return leave(shell, &status);
    }
    oash::repl::run(&mut shell)
}

/// The exit code of a script or `-c` that has run to its end, its jobs waited for. The shell
/// is not taken apart: the process ends now and gives its memory back whole, and dropping
/// the namespace, the services and the variables one allocation at a time was a sixth of
/// `oash -c 'echo hi'`. Files are closed after each command, never at exit.
fn leave(shell: Shell, status: &oash::eval::Status) -> i32 {
    std::mem::forget(shell);
    status.exit_code()
}

/// `text` as UTF-8, invalid bytes as U+FFFD; when there were any, `role` joins `bad`.
fn decode(text: &OsStr, role: &str, bad: &mut Vec<String>) -> String {
    let decoded = text.to_string_lossy();
    if let std::borrow::Cow::Owned(_) = decoded {
        bad.push(role.to_string());
    }
    decoded.into_owned()
}

/// The script's arguments, decoded; each one that was not UTF-8 is named by its `$n`.
fn decode_args(args: &[OsString], bad: &mut Vec<String>) -> Vec<String> {
    args.iter()
        .enumerate()
        .map(|(i, a)| decode(a, &format!("${}", i + 1), bad))
        .collect()
}

/// One line for all the arguments that were not UTF-8 (a few named, the rest counted), so
/// a command line of garbage gives one warning, not one per argument.
fn warn_not_utf8(bad: &[String]) {
    const NAMED: usize = 5;
    if bad.is_empty() {
        return;
    }
    let mut which = bad[..bad.len().min(NAMED)].join(", ");
    if bad.len() > NAMED {
        let _ = write!(which, " and {} more", bad.len() - NAMED);
    }
    let verb = if bad.len() == 1 { "is" } else { "are" };
    let mut err = std::io::stderr().lock();
    let _ = writeln!(
        err,
        "oash: warning: {which} {verb} not UTF-8; invalid bytes shown as U+FFFD"
    );
}

/// `--host DIR`: the one way the user's own files enter the namespace at start-up.
fn mount_host(shell: &mut Shell, dir: &std::path::Path) -> Result<(), ShellError> {
    const POINT: &str = "/n/host";
    oash::nsops::mkdir(shell, POINT, true)?;
    // The namespace names things in UTF-8: a lossy name would mount some other directory.
    let Some(dir) = dir.to_str().map(str::to_string) else {
        let shown = escape::name(&dir.to_string_lossy());
        return Err(ShellError::failed(
            "oash",
            format!("--host {shown}: the directory's name is not UTF-8"),
        ));
    };
    oash::nsops::mount(shell, "host", &[dir], POINT, Default::default())?;
    shell.proc.cwd = POINT.to_string();
    Ok(())
}

/// Reads a script named on the command line. This is the host file the user asked to run,
/// not a namespace access: scripts live on the host. The path is used as the bytes it is; its
/// text is decoded lossily (a script is text, and the lexer works on `str`). A `#!` first
/// line is skipped by the lexer as a comment.
fn read_host_script(shell: &mut Shell, io: &Io, path: &Path) -> Option<Arc<SourceFile>> {
    let name = path.to_string_lossy();
    match std::fs::read(path) {
        Ok(bytes) => Some(Arc::new(SourceFile::new(
            &name,
            String::from_utf8_lossy(&bytes).into_owned(),
        ))),
        Err(e) => {
            let err = ShellError::failed("oash", format!("{name}: {e}"));
            shell.report(&Located::bare(err), io);
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_lines_read_as_clap_reads_them() {
        let lines: &[&[&str]] = &[
            &["oash", "-c", "echo hi"],
            &["oash", "-c", "echo $*", "a", "b c"],
            &["oash", "-c", ""],
            &["oash", "script.rc"],
            &["oash", "script.rc", "x", "y"],
            &["oash", ""],
        ];
        for line in lines {
            let argv: Vec<OsString> = line.iter().map(OsString::from).collect();
            let by_clap = Cli::command()
                .try_get_matches_from(&argv)
                .and_then(|m| Cli::from_arg_matches(&m));
            let quick = plain_command_line(&argv);
            assert_eq!(
                format!("{quick:?}"),
                format!("{:?}", by_clap.ok()),
                "{line:?}"
            );
        }
    }

    #[test]
    fn other_lines_are_left_to_clap() {
        let lines: &[&[&str]] = &[
            &["oash"],
            &["oash", "-c"],
            &["oash", "-c", "-x"],
            &["oash", "-c", "echo", "--host", "/tmp"],
            &["oash", "--host", "/tmp", "-c", "echo"],
            &["oash", "script.rc", "-x"],
            &["oash", "--help"],
            &["oash", "-n", "f"],
        ];
        for line in lines {
            let argv: Vec<OsString> = line.iter().map(OsString::from).collect();
            assert!(plain_command_line(&argv).is_none(), "{line:?}");
        }
    }
}
