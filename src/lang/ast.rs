//! The syntax tree of the rc-style language.
//!
//! Words are expressions that evaluate to lists of strings; commands are statements over them.
//! Every node keeps its [`Span`] so runtime errors can point at the word or command involved.
//! The tree never holds evaluated values: a function body is re-evaluated at every call.

use std::sync::Arc;

use super::source::{SourceFile, Span};

/// A parsed source: a list of commands, and the file they came from.
#[derive(Debug, Clone)]
pub struct Program {
    /// The source it was parsed from: spans in the tree index into its text.
    pub file: Arc<SourceFile>,
    /// The top-level commands, in order.
    pub body: Body,
}

/// A sequence of commands (`a; b & c`).
#[derive(Debug, Clone, Default)]
pub struct Body {
    /// The commands, run in order (a `&` one is a [`Cmd::Background`]).
    pub cmds: Vec<Cmd>,
}

/// A word: evaluates to a list of strings.
#[derive(Debug, Clone)]
pub enum Word {
    /// Literal text. Unquoted text may hold glob characters that stay active.
    Lit {
        /// The text with quotes removed.
        text: String,
        /// Whether any of it was quoted: quoted text never globs, and `''` is a word where
        /// nothing is none.
        quoted: bool,
        /// The source range it covers, for diagnostics to point at.
        span: Span,
    },
    /// `$name`, `$name(subscripts)`.
    Var {
        /// The variable's name (`*`, `1`, `status` included).
        name: String,
        /// The subscripts of `$name(...)`: 1-based indices or ranges, evaluated as words.
        index: Option<Vec<Word>>,
        /// The source range it covers, for diagnostics to point at.
        span: Span,
    },
    /// `$#name`: the number of elements.
    Count {
        /// The variable counted.
        name: String,
        /// The source range it covers, for diagnostics to point at.
        span: Span,
    },
    /// `$"name`: the elements joined with spaces into one.
    Join {
        /// The variable joined.
        name: String,
        /// The source range it covers, for diagnostics to point at.
        span: Span,
    },
    /// `$$x`, `$#$x`, `$"$x`, `$'x'`: rc's indirection, the variable named by the value
    /// of another word (which must be exactly one string when evaluated).
    Indirect {
        /// What is taken of the variable: its value, its count or its joined value.
        form: VarForm,
        /// The word whose value is the variable's name.
        name: Box<Word>,
        /// The subscripts of `$'x'(...)`, as for [`Word::Var`]; only with [`VarForm::Value`].
        index: Option<Vec<Word>>,
        /// The source range it covers, for diagnostics to point at.
        span: Span,
    },
    /// `a^b`, explicit or a free caret.
    Concat {
        /// The left operand; rc's `^` pairs lists element-wise (or distributes a single one).
        left: Box<Word>,
        /// The right operand.
        right: Box<Word>,
        /// The source range it covers, for diagnostics to point at.
        span: Span,
    },
    /// `(a b c)`.
    List {
        /// The members, each itself a list once evaluated; the result is their concatenation.
        items: Vec<Word>,
        /// The source range it covers, for diagnostics to point at.
        span: Span,
    },
    /// `` `{cmd} ``: the output of `cmd`, split on `$ifs`.
    CmdSub {
        /// The commands whose standard output becomes the words.
        body: Body,
        /// The source range it covers, for diagnostics to point at.
        span: Span,
    },
    /// `<{cmd}`: a file name whose contents are the output of `cmd`.
    ProcSub {
        /// The commands whose standard output the file yields.
        body: Body,
        /// The source range it covers, for diagnostics to point at.
        span: Span,
    },
}

impl Word {
    /// Where this word is in the source.
    pub fn span(&self) -> Span {
        match self {
            Word::Lit { span, .. }
            | Word::Var { span, .. }
            | Word::Count { span, .. }
            | Word::Join { span, .. }
            | Word::Indirect { span, .. }
            | Word::Concat { span, .. }
            | Word::List { span, .. }
            | Word::CmdSub { span, .. }
            | Word::ProcSub { span, .. } => *span,
        }
    }
}

/// What a `$` form takes of a variable: `$x`, `$#x` or `$"x`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VarForm {
    /// `$x`: the list itself.
    Value,
    /// `$#x`: the number of its elements.
    Count,
    /// `$"x`: its elements joined with spaces into one.
    Join,
}

/// `name=value` before a command (local to it) or alone (global).
#[derive(Debug, Clone)]
pub struct Assign {
    /// The variable assigned.
    pub name: String,
    /// The value (`()` for the empty list: a bare `x=` is a syntax error, as in rc).
    pub value: Word,
    /// The source range it covers, for diagnostics to point at.
    pub span: Span,
}

/// What a redirection does to a descriptor.
#[derive(Debug, Clone)]
pub enum RedirOp {
    /// `>[fd] file`
    Write(Word),
    /// `>>[fd] file`
    Append(Word),
    /// `<[fd] file`
    Read(Word),
    /// `<>[fd] file`: open for reading and writing, one handle with one offset (the file
    /// must exist and is not truncated).
    ReadWrite(Word),
    /// `>[fd=to]`: fd becomes a copy of `to`.
    Dup(u32),
    /// `>[fd=]`: fd is closed.
    Close,
    /// `<<tag` here document; `quoted` (`<<'tag'`) turns off `$` substitution.
    HereDoc {
        /// The document's lines, up to but not including the tag line.
        body: String,
        /// `<<'tag'`: the body is taken literally, with no `$` substitution.
        quoted: bool,
    },
}

/// One redirection: which descriptor, and what happens to it.
#[derive(Debug, Clone)]
pub struct Redir {
    /// The descriptor redirected: 1 for `>` and 0 for `<` unless `[fd]` says otherwise.
    pub fd: u32,
    /// What is done to it.
    pub op: RedirOp,
    /// The source range it covers, for diagnostics to point at.
    pub span: Span,
}

/// One arm of a `switch`: `case patterns` followed by its commands.
#[derive(Debug, Clone)]
pub struct Case {
    /// The patterns matched against the `switch` subject, as `~` matches them.
    pub patterns: Vec<Word>,
    /// The commands run when one matches.
    pub body: Body,
    /// The source range it covers, for diagnostics to point at.
    pub span: Span,
}

/// One `|` between pipeline members: `|[left=right]`, by default `|[1=0]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PipeFds {
    /// The left member's descriptor that writes into the pipe.
    pub left: u32,
    /// The right member's descriptor that reads from it.
    pub right: u32,
}

/// A command: what the evaluator runs. Compound commands hold their parts; every variant
/// keeps its span for diagnostics.
#[derive(Debug, Clone)]
pub enum Cmd {
    /// Assignments, words and redirections. With no words, the assignments are global.
    Simple {
        /// `name=value` words before the command: local to it, or global when there are no words.
        assigns: Vec<Assign>,
        /// The command name and its arguments, unevaluated.
        words: Vec<Word>,
        /// Redirections applied around the command, in order.
        redirs: Vec<Redir>,
        /// The source range it covers, for diagnostics to point at.
        span: Span,
    },
    /// `{ body } redirs`
    Block {
        /// The commands inside the braces.
        body: Body,
        /// Redirections applied around the command, in order.
        redirs: Vec<Redir>,
        /// The source range it covers, for diagnostics to point at.
        span: Span,
    },
    /// `@ cmd`: run with a copy of the variables and namespace.
    Subshell {
        /// The command run in the copy.
        cmd: Box<Cmd>,
        /// The source range it covers, for diagnostics to point at.
        span: Span,
    },
    /// `if(cond) cmd`
    If {
        /// The condition: its status, true or not, picks whether `then` runs.
        cond: Body,
        /// The command run when the condition holds.
        then: Box<Cmd>,
        /// The source range it covers, for diagnostics to point at.
        span: Span,
    },
    /// `if not cmd`: runs when the most recent `if` condition was false.
    IfNot {
        /// The command run when the condition holds.
        then: Box<Cmd>,
        /// The source range it covers, for diagnostics to point at.
        span: Span,
    },
    /// `for(name in words) cmd`; `words` is `None` for `for(name)`, which loops over `$*`.
    For {
        /// The loop variable, set to each word in turn.
        var: String,
        /// The words looped over; `None` for `for(name)`, which loops over `$*`.
        words: Option<Vec<Word>>,
        /// The loop's body.
        body: Box<Cmd>,
        /// The source range it covers, for diagnostics to point at.
        span: Span,
    },
    /// `while(cond) cmd`
    While {
        /// Re-run before every iteration; the loop ends when its status is false.
        cond: Body,
        /// The loop's body.
        body: Box<Cmd>,
        /// The source range it covers, for diagnostics to point at.
        span: Span,
    },
    /// `switch(word){ case pats; cmds ... }`
    Switch {
        /// The word matched against each case's patterns.
        subject: Word,
        /// The arms, tried in order; the first that matches runs.
        cases: Vec<Case>,
        /// The source range it covers, for diagnostics to point at.
        span: Span,
    },
    /// `~ subject patterns...`
    Match {
        /// The word tested.
        subject: Word,
        /// The glob patterns; the status is true when any matches.
        patterns: Vec<Word>,
        /// The source range it covers, for diagnostics to point at.
        span: Span,
    },
    /// `! cmd`
    Not {
        /// The command whose status is inverted.
        cmd: Box<Cmd>,
        /// The source range it covers, for diagnostics to point at.
        span: Span,
    },
    /// `fn name { body }`; `body` is `None` for `fn name`, which deletes the function.
    FnDef {
        /// The functions defined (rc allows several at once).
        names: Vec<Word>,
        /// The shared body; `None` deletes the functions.
        body: Option<Arc<FnBody>>,
        /// The source range it covers, for diagnostics to point at.
        span: Span,
    },
    /// `a | b | c`; `pipes[i]` joins `cmds[i]` and `cmds[i+1]`.
    Pipeline {
        /// The members, left to right, each run concurrently.
        cmds: Vec<Cmd>,
        /// The descriptors each pipe joins: `pipes[i]` is between `cmds[i]` and `cmds[i+1]`.
        pipes: Vec<PipeFds>,
        /// The source range it covers, for diagnostics to point at.
        span: Span,
    },
    /// `a && b`: `b` runs only if `a` succeeded.
    And {
        /// The command run first.
        left: Box<Cmd>,
        /// The command run depending on the first one's status.
        right: Box<Cmd>,
        /// The source range it covers, for diagnostics to point at.
        span: Span,
    },
    /// `a || b`: `b` runs only if `a` failed.
    Or {
        /// The command run first.
        left: Box<Cmd>,
        /// The command run depending on the first one's status.
        right: Box<Cmd>,
        /// The source range it covers, for diagnostics to point at.
        span: Span,
    },
    /// `cmd &`
    Background {
        /// The command run as a job.
        cmd: Box<Cmd>,
        /// The source range it covers, for diagnostics to point at.
        span: Span,
    },
    /// `x=v {...}`, `x=v if(...) ...`: assignments local to a compound command (rc allows an
    /// assignment before any command; before a simple command they stay in [`Cmd::Simple`]).
    Local {
        /// The assignments, undone when the command ends.
        assigns: Vec<Assign>,
        /// The compound command they apply to.
        cmd: Box<Cmd>,
        /// The source range it covers, for diagnostics to point at.
        span: Span,
    },
}

/// A function body with the source it was written in (functions outlive their parse).
#[derive(Debug)]
pub struct FnBody {
    /// The source the body was parsed from: its spans index into this, not the caller's.
    pub file: Arc<SourceFile>,
    /// The commands, re-evaluated at every call.
    pub body: Body,
    /// The body's source text, as `whatis` prints it.
    pub text: String,
}

impl Cmd {
    /// Where this command is in the source.
    pub fn span(&self) -> Span {
        match self {
            Cmd::Simple { span, .. }
            | Cmd::Block { span, .. }
            | Cmd::Subshell { span, .. }
            | Cmd::If { span, .. }
            | Cmd::IfNot { span, .. }
            | Cmd::For { span, .. }
            | Cmd::While { span, .. }
            | Cmd::Switch { span, .. }
            | Cmd::Match { span, .. }
            | Cmd::Not { span, .. }
            | Cmd::FnDef { span, .. }
            | Cmd::Pipeline { span, .. }
            | Cmd::And { span, .. }
            | Cmd::Or { span, .. }
            | Cmd::Background { span, .. }
            | Cmd::Local { span, .. } => *span,
        }
    }
}
