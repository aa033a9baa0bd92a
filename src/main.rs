//! The `oash` command: the REPL, a script, `-c`, `-n`, or `oash test`.
//!
//! Start-up does as little as possible (no engine starts here): parse the arguments, build
//! the default namespace, run.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::Parser;
use oash::eval::{Io, Located, Shell, ShellError};
use oash::lang::SourceFile;

#[derive(Parser, Debug)]
#[command(name = "oash", version, about = "An rc-style agent shell over a Plan 9-style namespace", long_about = None)]
#[command(
    after_help = "Subcommands:\n  oash test PATH...   run test scripts and transcripts (see the book's \"Testing\" chapter)\n\nWith no FILE and no -c, oash starts the interactive REPL."
)]
struct Cli {
    /// Run COMMAND and exit.
    #[arg(short = 'c', value_name = "COMMAND", conflicts_with = "parse_only")]
    command: Option<String>,
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
    /// A script to run (a host file), then its arguments ($1, $2, ... and $*).
    #[arg(value_name = "FILE")]
    file: Option<String>,
    #[arg(
        value_name = "ARGS",
        trailing_var_arg = true,
        allow_hyphen_values = true
    )]
    args: Vec<String>,
}

fn main() -> ExitCode {
    let argv: Vec<String> = std::env::args().collect();
    if argv.get(1).map(String::as_str) == Some("test") {
        return code(oash::harness::runner::main(&argv[2..]));
    }
    // The interpreter grows its stack on demand (see `Shell::run_cmd`), so it runs right
    // here: no thread to start, which is a good part of start-up time.
    code(run(Cli::parse()))
}

fn code(n: i32) -> ExitCode {
    ExitCode::from(n.clamp(0, 255) as u8)
}

fn run(cli: Cli) -> i32 {
    let mut shell = Shell::new();
    shell.color = oash::diag::color_wanted(std::io::stderr().is_terminal());
    let io = Io::stdio();
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
        let Some(file) = read_host_script(&mut shell, &io, &path.to_string_lossy()) else {
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
        let mut args = cli.args;
        if let Some(f) = cli.file {
            args.insert(0, f);
        }
        shell.vars.set("*", args);
        let status = shell.run_script(Arc::new(SourceFile::new("-c", text)), &io);
        shell.jobs.wait_all();
        return status.exit_code();
    }
    if let Some(path) = cli.file {
        let Some(file) = read_host_script(&mut shell, &io, &path) else {
            return 1;
        };
        shell.vars.set("0", vec![path]);
        shell.vars.set("*", cli.args);
        let status = shell.run_script(file, &io);
        shell.jobs.wait_all();
        return status.exit_code();
    }
    oash::repl::run(&mut shell)
}

/// `--host DIR`: the one way the user's own files enter the namespace at start-up.
fn mount_host(shell: &mut Shell, dir: &std::path::Path) -> Result<(), ShellError> {
    const POINT: &str = "/n/host";
    oash::nsops::mkdir(shell, POINT, true)?;
    let dir = dir.to_string_lossy().into_owned();
    oash::nsops::mount(shell, "host", &[dir], POINT, Default::default())?;
    shell.cwd = POINT.to_string();
    Ok(())
}

/// Reads a script named on the command line. This is the host file the user asked to run,
/// not a namespace access: scripts live on the host. A `#!` first line is skipped by the
/// lexer as a comment.
fn read_host_script(shell: &mut Shell, io: &Io, path: &str) -> Option<Arc<SourceFile>> {
    match std::fs::read(path) {
        Ok(bytes) => Some(Arc::new(SourceFile::new(
            path,
            String::from_utf8_lossy(&bytes).into_owned(),
        ))),
        Err(e) => {
            let err = ShellError::failed("oash", format!("{path}: {e}"));
            shell.report(&Located::bare(err), io);
            None
        }
    }
}
