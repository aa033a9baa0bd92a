//! The agent builtins: `agent` (make, remove, list) and `send`. Thin doors over
//! [`crate::agent`]: each parses its own arguments and calls the one core that Rhai's
//! `agent_new`/`send` and the `/agents` files call too. Nothing here may sign, store or
//! deliver anything itself.

use std::io::Write;

use super::{Builtin, Ctx, Example, args};
use crate::agent::envelope::DEFAULT_TYPE;
use crate::eval::{ShellError, Status};
use crate::flags::{Flag, Spec, Undeclared};

pub const BUILTINS: &[Builtin] = &[
    Builtin::new(
        "agent",
        "make (new), remove (rm) or list (ls, the default) the agents of the state directory",
        agent,
    )
    .operands("[new NAME... | rm NAME... | ls]")
    .examples(&[Example {
        script: "agent new alice bob; agent ls; agent rm bob; ls /agents",
        output: "alice\nbob\nalice\nnew\n",
    }]),
    Builtin::new(
        "send",
        "sign an envelope and deliver it to TO's inbox (an agent, an npub or a hex key); prints its id",
        send,
    )
    .flags(Spec::new(&[
        Flag::valued('f', "FROM", "the sending agent (default: the shell's own identity)"),
        Flag::valued('t', "TYPE", "the envelope's type (default: text)"),
    ]))
    .operands("TO BODY...")
    .examples(&[Example {
        script: "agent new bob; id=`{send bob hello}; cat /agents/bob/inbox/$id | grep -c hello",
        output: "2\n",
    }]),
];

fn agent(ctx: &mut Ctx<'_>, argv: &[String]) -> Result<Status, ShellError> {
    let first = args::none(ctx, argv)?;
    let argv = &argv[first..];
    let agents = ctx
        .shell
        .engines
        .agents
        .agents()
        .map_err(|e| ShellError::agent("agent", e))?;
    match argv {
        [] => list(ctx, &agents),
        [verb] if verb == "ls" => list(ctx, &agents),
        [verb, names @ ..] if (verb == "new" || verb == "rm") && !names.is_empty() => {
            for (i, name) in names.iter().enumerate() {
                let done = match verb.as_str() {
                    "new" => agents.create(name).map(drop),
                    _ => agents.remove(name),
                };
                done.map_err(|e| ShellError::agent("agent", e).at_arg(first + 1 + i))?;
            }
            Ok(Status::ok())
        }
        [verb, ..] if verb == "new" || verb == "rm" => {
            Err(ctx.usage(format!("{verb} needs at least one NAME")))
        }
        [verb, ..] => Err(ctx
            .usage(format!("unknown verb `{verb}`: say new, rm or ls"))
            .at_arg(first)),
    }
}

fn list(ctx: &Ctx<'_>, agents: &crate::agent::Agents) -> Result<Status, ShellError> {
    let names = agents.names().map_err(|e| ShellError::agent("agent", e))?;
    let mut out = ctx.out();
    for name in names {
        let _ = writeln!(out, "{name}");
    }
    Ok(Status::ok())
}

fn send(ctx: &mut Ctx<'_>, argv: &[String]) -> Result<Status, ShellError> {
    let (mut from, mut ty) = (None, DEFAULT_TYPE.to_string());
    let first = args::parse(ctx, argv, |letter, value| {
        match (letter, value) {
            ('f', Some(v)) => from = Some(v.to_string()),
            ('t', Some(v)) => ty = v.to_string(),
            _ => return Err(Undeclared(letter).into()),
        }
        Ok(())
    })?;
    let operands = &argv[first..];
    let [to, body @ ..] = operands else {
        return Err(ctx.usage("needs TO and a BODY"));
    };
    if body.is_empty() {
        return Err(ctx.usage("needs a BODY after TO"));
    }
    let agents = ctx
        .shell
        .engines
        .agents
        .agents()
        .map_err(|e| ShellError::agent("send", e))?;
    let id = agents
        .send(from.as_deref(), to, &ty, &body.join(" "))
        .map_err(|e| ShellError::agent("send", e).at_arg(first))?;
    let _ = writeln!(ctx.out(), "{id}");
    Ok(Status::ok())
}
