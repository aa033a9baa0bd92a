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
    pub file: Arc<SourceFile>,
    pub body: Body,
}

/// A sequence of commands (`a; b & c`).
#[derive(Debug, Clone, Default)]
pub struct Body {
    pub cmds: Vec<Cmd>,
}

/// A word: evaluates to a list of strings.
#[derive(Debug, Clone)]
pub enum Word {
    /// Literal text. Unquoted text may hold glob characters that stay active.
    Lit {
        text: String,
        quoted: bool,
        span: Span,
    },
    /// `$name`, `$name(subscripts)`.
    Var {
        name: String,
        index: Option<Vec<Word>>,
        span: Span,
    },
    /// `$#name`: the number of elements.
    Count { name: String, span: Span },
    /// `$"name`: the elements joined with spaces into one.
    Join { name: String, span: Span },
    /// `a^b`, explicit or a free caret.
    Concat {
        left: Box<Word>,
        right: Box<Word>,
        span: Span,
    },
    /// `(a b c)`.
    List { items: Vec<Word>, span: Span },
    /// `` `{cmd} ``: the output of `cmd`, split on `$ifs`.
    CmdSub { body: Body, span: Span },
    /// `<{cmd}`: a file name whose contents are the output of `cmd`.
    ProcSub { body: Body, span: Span },
}

impl Word {
    pub fn span(&self) -> Span {
        match self {
            Word::Lit { span, .. }
            | Word::Var { span, .. }
            | Word::Count { span, .. }
            | Word::Join { span, .. }
            | Word::Concat { span, .. }
            | Word::List { span, .. }
            | Word::CmdSub { span, .. }
            | Word::ProcSub { span, .. } => *span,
        }
    }
}

/// `name=value` before a command (local to it) or alone (global).
#[derive(Debug, Clone)]
pub struct Assign {
    pub name: String,
    /// `None` for `x=` and `x=()`: the empty list.
    pub value: Option<Word>,
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
    /// `>[fd=to]`: fd becomes a copy of `to`.
    Dup(u32),
    /// `>[fd=]`: fd is closed.
    Close,
    /// `<<tag` here document; `quoted` (`<<'tag'`) turns off `$` substitution.
    HereDoc { body: String, quoted: bool },
}

#[derive(Debug, Clone)]
pub struct Redir {
    pub fd: u32,
    pub op: RedirOp,
    pub span: Span,
}

/// One arm of a `switch`: `case patterns` followed by its commands.
#[derive(Debug, Clone)]
pub struct Case {
    pub patterns: Vec<Word>,
    pub body: Body,
    pub span: Span,
}

/// One `|` between pipeline members: `|[left=right]`, by default `|[1=0]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PipeFds {
    pub left: u32,
    pub right: u32,
}

#[derive(Debug, Clone)]
pub enum Cmd {
    /// Assignments, words and redirections. With no words, the assignments are global.
    Simple {
        assigns: Vec<Assign>,
        words: Vec<Word>,
        redirs: Vec<Redir>,
        span: Span,
    },
    /// `{ body } redirs`
    Block {
        body: Body,
        redirs: Vec<Redir>,
        span: Span,
    },
    /// `@ cmd`: run with a copy of the variables and namespace.
    Subshell { cmd: Box<Cmd>, span: Span },
    /// `if(cond) cmd`
    If {
        cond: Body,
        then: Box<Cmd>,
        span: Span,
    },
    /// `if not cmd`: runs when the most recent `if` condition was false.
    IfNot { then: Box<Cmd>, span: Span },
    /// `for(name in words) cmd`; `words` is `None` for `for(name)`, which loops over `$*`.
    For {
        var: String,
        words: Option<Vec<Word>>,
        body: Box<Cmd>,
        span: Span,
    },
    /// `while(cond) cmd`
    While {
        cond: Body,
        body: Box<Cmd>,
        span: Span,
    },
    /// `switch(word){ case pats; cmds ... }`
    Switch {
        subject: Word,
        cases: Vec<Case>,
        span: Span,
    },
    /// `~ subject patterns...`
    Match {
        subject: Word,
        patterns: Vec<Word>,
        span: Span,
    },
    /// `! cmd`
    Not { cmd: Box<Cmd>, span: Span },
    /// `fn name { body }`; `body` is `None` for `fn name`, which deletes the function.
    FnDef {
        names: Vec<Word>,
        body: Option<Arc<FnBody>>,
        span: Span,
    },
    /// `a | b | c`; `pipes[i]` joins `cmds[i]` and `cmds[i+1]`.
    Pipeline {
        cmds: Vec<Cmd>,
        pipes: Vec<PipeFds>,
        span: Span,
    },
    And {
        left: Box<Cmd>,
        right: Box<Cmd>,
        span: Span,
    },
    Or {
        left: Box<Cmd>,
        right: Box<Cmd>,
        span: Span,
    },
    /// `cmd &`
    Background { cmd: Box<Cmd>, span: Span },
    /// `x=v {...}`, `x=v if(...) ...`: assignments local to a compound command (rc allows an
    /// assignment before any command; before a simple command they stay in [`Cmd::Simple`]).
    Local {
        assigns: Vec<Assign>,
        cmd: Box<Cmd>,
        span: Span,
    },
}

/// A function body with the source it was written in (functions outlive their parse).
#[derive(Debug)]
pub struct FnBody {
    pub file: Arc<SourceFile>,
    pub body: Body,
    /// The body's source text, as `whatis` prints it.
    pub text: String,
}

impl Cmd {
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
