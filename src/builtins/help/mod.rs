//! Help on what is not a builtin: the language's keywords (`if`, `for`, `fn`, `~`, ...),
//! the test file format of `oash test`, and the longer guides to the language, the
//! namespace, tasks and agents.
//!
//! Keywords are data, as builtins are: each [`Topic`] declares its names, a synopsis, its
//! forms and examples in one place; `help NAME` prints it as it prints a builtin, `help`
//! lists them, and the test suite runs every example. The guides are plain text files
//! beside this one. Nothing here runs anything.

use super::{Example, render_examples};

/// A keyword of the language (or a file format) as a help topic.
pub struct Topic {
    /// The names `help` finds it by; the first is the one it is shown under.
    pub names: &'static [&'static str],
    /// One line: what it does.
    pub synopsis: &'static str,
    /// Its forms, one a line, as a usage line shows a builtin's.
    pub forms: &'static [&'static str],
    /// A few lines on what it means, rc's rules included.
    pub text: &'static str,
    /// Examples, run by the test suite.
    pub examples: &'static [Example],
    /// A test file shown whole (empty for none); the test suite runs it as a transcript.
    pub sample: &'static str,
}

impl Topic {
    /// What `help NAME` prints: the synopsis, the forms, the text, the examples.
    pub fn help(&self) -> String {
        let name = self.names.first().copied().unwrap_or_default();
        let mut text = format!("{name} - {}\n", self.synopsis);
        for (i, form) in self.forms.iter().enumerate() {
            let lead = if i == 0 { "usage: " } else { "       " };
            text.push_str(lead);
            text.push_str(form);
            text.push('\n');
        }
        text.push_str(self.text);
        render_examples(self.examples, &mut text);
        if !self.sample.is_empty() {
            text.push_str("example, a file cases.t:\n");
            for line in self.sample.lines() {
                text.push_str("  ");
                text.push_str(line);
                text.push('\n');
            }
        }
        text
    }
}

/// The language's keywords and the test format, in the order `help` lists them.
pub const TOPICS: &[Topic] = &[
    Topic {
        names: &["if", "if not", "not"],
        synopsis: "run a command when a condition is true",
        forms: &["if (LIST) CMD", "if not CMD"],
        text: "LIST runs; when its status is true (empty, or only `|` and `0`), CMD runs.\n\
               `if not CMD` must come straight after an `if` and runs CMD when that\n\
               condition was false. CMD may be a `{ }` block spanning lines.\n",
        examples: &[
            Example {
                script: "if (~ a a) echo same",
                output: "same\n",
            },
            Example {
                script: "x=3\nif (~ $x 1 2) echo small\nif not echo big",
                output: "big\n",
            },
        ],
        sample: "",
    },
    Topic {
        names: &["for"],
        synopsis: "run a command once for each word of a list",
        forms: &["for (NAME in WORD...) CMD", "for (NAME) CMD"],
        text: "NAME is set to each word in turn; the list is made once, before the first\n\
               turn, and never split again. Without `in`, the words are `$*`. Afterwards\n\
               NAME is put back as it was (or unset).\n",
        examples: &[
            Example {
                script: "for (i in a 'b c') echo [$i]",
                output: "[a]\n[b c]\n",
            },
            Example {
                script: "*=(x y); for (w) echo $w",
                output: "x\ny\n",
            },
        ],
        sample: "",
    },
    Topic {
        names: &["while"],
        synopsis: "run a command as long as a condition is true",
        forms: &["while (LIST) CMD"],
        text: "LIST runs before every turn; the loop ends the first time its status is false.\n",
        examples: &[Example {
            script: "n=()\nwhile (! ~ $#n 3) n=($n x)\necho $#n",
            output: "3\n",
        }],
        sample: "",
    },
    Topic {
        names: &["switch", "case"],
        synopsis: "run the commands of the first case whose pattern matches a word",
        forms: &["switch (WORD) { case PATTERN...; CMDS ... }"],
        text: "The cases are tried in order, with the patterns of `~`; the commands after\n\
               the first `case` that matches run, up to the next `case`. `case *` matches\n\
               anything. No case matching leaves `$status` as it was.\n",
        examples: &[Example {
            script: "switch (main.c) { case *.h; echo header; case *.c; echo source }",
            output: "source\n",
        }],
        sample: "",
    },
    Topic {
        names: &["fn", "return"],
        synopsis: "define a function, or delete one",
        forms: &["fn NAME... { BODY }", "fn NAME..."],
        text: "A function is called as a command; its arguments are `$*` (`$1`, `$2`, ...\n\
               one by one), restored when it returns. Its status is that of the last\n\
               command it ran, or what `return STATUS` gives. `fn NAME` without a body\n\
               deletes it; `whatis NAME` prints it.\n",
        examples: &[
            Example {
                script: "fn greet { echo hello $1; echo $#* arguments: $* }\ngreet world",
                output: "hello world\n1 arguments: world\n",
            },
            Example {
                script: "fn check { if (~ $1 ok) return; return 'not ok' }\ncheck bad; echo $status",
                output: "not ok\n",
            },
        ],
        sample: "",
    },
    Topic {
        names: &["~", "match"],
        synopsis: "match a word against patterns",
        forms: &["~ SUBJECT PATTERN..."],
        text: "True when the subject, the first word after `~`, matches any of the\n\
               patterns: `*` any text, `?` one character, `[abc]`, `[a-z]`, `[~a-z]` one of\n\
               a set (or not of it). Patterns are not globbed against files. A pattern\n\
               character that is quoted or comes from a variable matches only itself.\n\
               False leaves `no match` in `$status`.\n",
        examples: &[
            Example {
                script: "~ main.c *.c && echo a C file",
                output: "a C file\n",
            },
            Example {
                script: "~ main.c '*.c'; echo $status",
                output: "no match\n",
            },
        ],
        sample: "",
    },
    Topic {
        names: &["!"],
        synopsis: "run a command and invert its status",
        forms: &["! CMD"],
        text: "True when CMD is false; false (`false`) when CMD is true.\n",
        examples: &[Example {
            script: "! ~ a b && echo they differ",
            output: "they differ\n",
        }],
        sample: "",
    },
    Topic {
        names: &["@", "@{"],
        synopsis: "run a command in a copy of the shell",
        forms: &["@ CMD", "@{ CMDS }"],
        text: "The copy has the shell's variables, functions, directory and namespace;\n\
               whatever the command changes in them is gone when it ends.\n",
        examples: &[Example {
            script: "x=outer; @{ x=inner; cd /tmp; echo $x `{pwd} }; echo $x `{pwd}",
            output: "inner /tmp\nouter /\n",
        }],
        sample: "",
    },
    Topic {
        names: &["test", "transcript", ".t"],
        synopsis: "the files `oash test` runs: transcripts, test scripts and book chapters",
        forms: &["oash test [-t DURATION] PATH..."],
        text: include_str!("test.txt"),
        examples: &[],
        sample: "### a list counts its words\n\
                 x=(a 'b c')\n\
                 echo $#x\n\
                 --- stdout\n\
                 2\n\
                 ### a failed match leaves its status\n\
                 ~ abc a*d\n\
                 --- status\n\
                 no match\n",
    },
];

/// The longer guides: the language in brief, the namespace, tasks, the task files, the
/// agent files, the prompt.
const GUIDES: &[(&[&str], &str)] = &[
    (&["rc", "syntax", "language"], include_str!("rc.txt")),
    (&["ns", "namespace"], include_str!("ns.txt")),
    (&["tasks", "programs", "wasi"], include_str!("tasks.txt")),
    (&["task", "/task"], include_str!("task.txt")),
    (&["agents", "/agents"], include_str!("agents.txt")),
    (&["repl", "prompt"], include_str!("repl.txt")),
];

/// The keyword topic called `name`, if there is one.
pub fn topic(name: &str) -> Option<&'static Topic> {
    TOPICS.iter().find(|t| t.names.contains(&name))
}

/// What `help NAME` prints for a name that is not a builtin, if anything.
pub fn text(name: &str) -> Option<String> {
    if let Some(topic) = topic(name) {
        return Some(topic.help());
    }
    GUIDES
        .iter()
        .find(|(names, _)| names.contains(&name))
        .map(|(_, text)| (*text).to_string())
}

#[cfg(test)]
mod tests;
