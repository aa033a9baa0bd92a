//! The three tables the cross product is made of: services, hostile path forms and doors.
//!
//! Every service is mounted so that `f` (holding `echo x`) and, where the service has
//! directories, `sub/g` lie in the directory a script starts in. A form is written relative
//! to that directory or to its mount point, and says where the namespace must take it once
//! cleaned (`lands`), or that it must be refused outright, and why. A door is one way a
//! path reaches the namespace: a builtin, a redirection, or a Rhai function.

/// A service as a script mounts it. `setup` mounts it (`ROOT` stands for the host root) and
/// leaves the shell in `point`, where `f` is.
pub struct Service {
    pub name: &'static str,
    pub point: &'static str,
    pub setup: &'static str,
    /// The files the setup leaves, relative to the point: reading them must work.
    pub files: &'static [&'static str],
    /// Whether a new name may be made: creating one must then work.
    pub writable: bool,
    /// Whether it holds endless files (`/dev/zero`): then doors that copy a whole
    /// directory (`cp -r`, `mv`) or overlay it (`mount cow`, whose landing is checked by
    /// reading what it shows) are left out, as copying the point itself never ends.
    pub endless: bool,
    /// Whether its files can hold the `echo x` the content-minded doors expect (`. P`,
    /// `grep x P`, appending `x`); a `logs` file holds JSON records only.
    pub plain: bool,
}

pub const SERVICES: &[Service] = &[
    Service {
        name: "host",
        point: "/n/h",
        setup: "mkdir /n/h; mount host 'ROOT' /n/h; cd /n/h",
        files: &["/f", "/sub/g"],
        writable: true,
        endless: false,
        plain: true,
    },
    Service {
        name: "mem",
        point: "/n/h",
        setup: "mkdir /n/h; mount mem /n/h; cd /n/h; echo 'echo x' > f; mkdir sub; echo 'echo x' > sub/g",
        files: &["/f", "/sub/g"],
        writable: true,
        endless: false,
        plain: true,
    },
    Service {
        name: "map",
        point: "/n/h",
        setup: "mkdir /n/h; mount map 'f=echo x\n' 'sub/g=echo x\n' /n/h; cd /n/h",
        files: &["/f", "/sub/g"],
        writable: false,
        endless: false,
        plain: true,
    },
    Service {
        name: "cow over host",
        point: "/n/h",
        setup: "mkdir /n/b /n/h; mount host 'ROOT' /n/b; mount cow /n/b /n/h; cd /n/h",
        files: &["/f", "/sub/g"],
        writable: true,
        endless: false,
        plain: true,
    },
    Service {
        name: "cow over mem",
        point: "/n/h",
        setup: "mkdir /n/b /n/h; mount mem /n/b; echo 'echo x' > /n/b/f; mkdir /n/b/sub; echo 'echo x' > /n/b/sub/g; mount cow /n/b /n/h; cd /n/h",
        files: &["/f", "/sub/g"],
        writable: true,
        endless: false,
        plain: true,
    },
    Service {
        name: "env",
        point: "/env",
        setup: "f='echo x'; cd /env",
        files: &["/f"],
        writable: false,
        endless: false,
        plain: true,
    },
    Service {
        name: "dev",
        point: "/dev",
        setup: "cd /dev",
        files: &[],
        writable: false,
        endless: true,
        plain: true,
    },
    Service {
        name: "stdlib",
        point: "/lib/oash",
        setup: "cd /lib/oash",
        files: &[],
        writable: false,
        endless: false,
        plain: true,
    },
    // New names are logs, and `echo x` is no JSON record: nothing new can be written.
    Service {
        name: "logs",
        point: "/n/h",
        setup: r#"mkdir /n/h; mount logs /n/h; cd /n/h; echo '{"a":1}' > f; mkdir sub; echo '{"a":2}' > sub/g"#,
        files: &[],
        writable: false,
        endless: false,
        plain: false,
    },
    Service {
        name: "func",
        point: "/n/h",
        setup: r#"mkdir /n/h; rhai -c 'mount_func("/n/h", #{ f: || "echo x", "sub/g": || "echo x" })'; cd /n/h"#,
        files: &["/f", "/sub/g"],
        writable: false,
        endless: false,
        plain: true,
    },
];

/// Why a form must be refused: words of the reason and a piece of the path it shows.
pub struct Refusal {
    pub reason: &'static str,
    pub shown: &'static str,
}

pub struct Form {
    pub name: &'static str,
    pub text: String,
    /// The clean namespace path the form names, or `None` when no cleaning can save it.
    pub lands: Result<String, Refusal>,
}

/// The hostile forms, for a service mounted at `point`.
pub fn forms(point: &str) -> Vec<Form> {
    let base = point.rsplit('/').next().unwrap_or_default();
    let at = |rest: &str| format!("{point}{rest}");
    let lands = |name: &'static str, text: String, path: String| Form {
        name,
        text,
        lands: Ok(path),
    };
    let refused = |name: &'static str, text: String, reason, shown| Form {
        name,
        text,
        lands: Err(Refusal { reason, shown }),
    };
    vec![
        lands(
            "dot-dot chain",
            "../../../../secret".into(),
            "/secret".into(),
        ),
        lands(
            "dot-dot after the point",
            at("/../../..//secret"),
            "/secret".into(),
        ),
        lands(
            "dot-dot through sub",
            "sub/../../../secret".into(),
            "/secret".into(),
        ),
        lands("double slash and dot", at("//sub/./g"), at("/sub/g")),
        lands("dot slashes", ".//./f".into(), at("/f")),
        lands(
            "out and back in",
            at(&format!("/../{base}/new")),
            at("/new"),
        ),
        lands("back to the point", at("/sub/.."), point.to_string()),
        lands(
            "dot-dot above the root",
            format!("/../..{point}/f"),
            at("/f"),
        ),
        lands(
            "4 KiB of dot elements",
            format!("{}f", "./".repeat(2047)),
            at("/f"),
        ),
        refused("NUL in a name", "f\0x".into(), "NUL byte", "f\\0x"),
        refused(
            "4 KiB name",
            "x".repeat(4096),
            "name too long",
            "xxxxxxxxxxxxxxxx",
        ),
        refused(
            "4 KiB name after the point",
            at(&format!("/{}", "x".repeat(4096))),
            "name too long",
            "xxxxxxxxxxxxxxxx",
        ),
        refused(
            "4 KiB path",
            format!("{}g", "sub/".repeat(1024)),
            "path too long",
            "sub/sub/sub/sub",
        ),
        lands("relative link out", "out".into(), at("/out")),
        lands("absolute link out", "abs".into(), at("/abs")),
        lands("link to the parent", "up/secret".into(), at("/up/secret")),
        lands("link to itself", "loop".into(), at("/loop")),
        lands("link cycle", "a".into(), at("/a")),
        lands("link to a directory inside", "subl".into(), at("/subl")),
        lands("absolute link inside", "absin".into(), at("/absin")),
    ]
}

/// What a successful door did at the path, so a probe can check where it landed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Effect {
    /// Reads the file at the path: a clean path to an existing file must work.
    ReadsFile,
    /// Only looks at the path: nothing to check beyond the output.
    Reads,
    /// The path exists afterwards; a new name in a writable service must work.
    Creates,
    /// The path is gone afterwards.
    Removes,
    /// The working directory is the path afterwards.
    Enters,
    /// The path is a mount point afterwards.
    Mounts,
    /// Expands a pattern under the path: no match leaves the word as it was (rc's rule),
    /// so it never fails; only what it lists matters.
    Globs,
    /// The path was copied or moved to this name; what it holds is printed.
    CopiesTo(&'static str),
    /// The path is overlaid at `/n/c`, whose files are printed.
    Overlays,
}

pub struct Door {
    /// `{P}` stands for the path; `{R}` marks a Rhai door (the code is passed to `rhai -c`).
    pub template: &'static str,
    pub effect: Effect,
    /// The message prefix of this door's errors.
    pub command: &'static str,
    /// Other paths the door names (`{M}` is the mount point): an error may name them instead.
    pub operands: &'static [&'static str],
}

const fn door(template: &'static str, effect: Effect, command: &'static str) -> Door {
    Door {
        template,
        effect,
        command,
        operands: &[],
    }
}

const fn with(
    template: &'static str,
    effect: Effect,
    command: &'static str,
    operands: &'static [&'static str],
) -> Door {
    Door {
        template,
        effect,
        command,
        operands,
    }
}

use Effect::*;

pub const DOORS: &[Door] = &[
    door("cat {P}", ReadsFile, "cat"),
    door("ls {P}", ReadsFile, "ls"),
    door("cd {P}", Enters, "cd"),
    door("echo {P}^/*", Globs, "echo"),
    door("mkdir {P}", Creates, "mkdir"),
    door("mkdir -p {P}", Creates, "mkdir"),
    door("rm {P}", Removes, "rm"),
    door("rm -r {P}", Removes, "rm"),
    with("mv f {P}", Creates, "mv", &["{M}/f"]),
    with("mv {P} g", CopiesTo("g"), "mv", &["{M}/g"]),
    with("cp f {P}", Creates, "cp", &["{M}/f"]),
    with("cp {P} g", CopiesTo("g"), "cp", &["{M}/g"]),
    with("cp -r {P} /tmp/c", CopiesTo("/tmp/c"), "cp", &["/tmp/c"]),
    with("mv {P} /tmp/m", CopiesTo("/tmp/m"), "mv", &["/tmp/m"]),
    door("echo x | tee {P}", Creates, "tee"),
    door("head {P}", ReadsFile, "head"),
    door("tail {P}", ReadsFile, "tail"),
    door("wc {P}", ReadsFile, "wc"),
    door("grep x {P}", ReadsFile, "grep"),
    door("sort {P}", ReadsFile, "sort"),
    door("echo x > {P}", Creates, "redirection"),
    door("echo x >> {P}", Creates, "redirection"),
    door("cat < {P}", ReadsFile, "redirection"),
    door(". {P}", ReadsFile, "."),
    door("mount mem {P}", Mounts, "mount"),
    door("unmount {P}", Reads, "unmount"),
    door("cowdiff {P}", Reads, "cowdiff"),
    with(
        "mkdir /n/c; mount cow {P} /n/c",
        Overlays,
        "mount",
        &["/n/c"],
    ),
    door("{R}print(read({P}))", ReadsFile, "read"),
    door("{R}write({P}, \"x\")", Creates, "write"),
    door("{R}print(ls({P}))", Reads, "ls"),
    door("{R}mkdir({P})", Creates, "mkdir"),
    door("{R}rm({P})", Removes, "rm"),
    door("{R}append({P}, \"x\")", Creates, "append"),
    door("{R}mount(\"mem\", {P})", Mounts, "mount"),
    door("{R}unmount({P})", Reads, "unmount"),
    door("{R}print(cowdiff({P}))", Reads, "cowdiff"),
    door("rhai {P}", Reads, "rhai"),
    door("echo x | tee -a {P}", Creates, "tee"),
];

/// `text` as one rc word.
pub fn rc_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// `text` as a Rhai string literal.
pub fn rhai_quote(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\0' => out.push_str("\\x00"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The command line of `door` applied to `path`.
pub fn command_line(door: &Door, path: &str) -> String {
    match door.template.strip_prefix("{R}") {
        Some(code) => {
            let code = code.replace("{P}", &rhai_quote(path));
            format!("rhai -c {}", rc_quote(&code))
        }
        None => door.template.replace("{P}", &rc_quote(path)),
    }
}
