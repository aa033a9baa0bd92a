//! The line being edited, read as rc reads words, for the completer: the words of the simple
//! command the cursor is in, the word being typed (its value with the quotes taken off, and
//! whether it is quoted or still inside an open quote), and where that command's output goes.
//!
//! The lexer cannot be used here: the line is unfinished (an open quote is the normal case
//! while completing `'/tmp/my d`), and the lexer rejects it. This reader is forgiving instead:
//! it never fails, and whatever it cannot make sense of only makes completion offer less.
//! It knows rc's quoting (`'...'`, `''` for a quote inside), the characters that end a word,
//! the separators that start a new simple command, `name=value` prefixes and redirections.

use crate::lang::lexer::is_word_break;

/// What the completer needs to know about the line at the cursor.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Cursor {
    /// The words of the current simple command before the word being typed, unquoted;
    /// assignments and redirection targets left out.
    pub words: Vec<String>,
    /// Byte offset where the word being typed begins (the cursor, when none is begun).
    pub start: usize,
    /// The word typed so far, quotes removed.
    pub value: String,
    /// Whether the word has a quote in it: its completions are quoted too.
    pub quoted: bool,
    /// Whether the word is the target of a redirection (`> /ta<TAB>`).
    pub redirect_target: bool,
    /// The targets of the output redirections of the current simple command, on either side
    /// of the cursor (`echo k<TAB> > /task/1/ctl`).
    pub outputs: Vec<String>,
}

/// Where a word being read is going.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    Operand,
    /// The value of `name=`: not an operand of the command.
    Assigned,
    /// The target of `<`.
    Input,
    /// The target of `>`, `>>` or `<>` (which writes too).
    Output,
}

/// What an open `(` began.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Paren {
    /// `if(`, `while(`, `for(`, `switch(`: a command (or loop head) of its own inside, and a
    /// command after the `)`.
    Head,
    /// A list, `echo (a b)`: its words are the command's.
    List,
    /// The list of `x=(a b)`: its words are no one's, and a command may follow it.
    Assigned,
}

struct Reader {
    words: Vec<String>,
    outputs: Vec<String>,
    /// The word being read: where it began, its value, whether quoted.
    word: Option<(usize, String, bool)>,
    role: Role,
    next_role: Role,
    parens: Vec<Paren>,
}

impl Reader {
    /// Ends the word being read, filing it by its role.
    fn end_word(&mut self) {
        if let Some((_, value, _)) = self.word.take() {
            match self.role {
                Role::Operand if self.parens.last() == Some(&Paren::Assigned) => {}
                Role::Operand => self.words.push(value),
                Role::Output => self.outputs.push(value),
                Role::Assigned | Role::Input => {}
            }
            self.role = Role::Operand;
        }
    }

    fn begin_word(&mut self, at: usize) {
        if self.word.is_none() {
            self.role = std::mem::replace(&mut self.next_role, Role::Operand);
            self.word = Some((at, String::new(), false));
        }
    }

    fn push(&mut self, c: char) {
        if let Some((_, value, _)) = &mut self.word {
            value.push(c);
        }
    }

    /// A new simple command starts: nothing before it counts (but the parentheses it is in).
    fn separate(&mut self) {
        self.word = None;
        self.words.clear();
        self.outputs.clear();
        self.role = Role::Operand;
        self.next_role = Role::Operand;
    }
}

/// Reads `line` with the cursor at byte `pos` (a char boundary within the line).
pub fn read(line: &str, pos: usize) -> Cursor {
    let mut r = Reader {
        words: Vec::new(),
        outputs: Vec::new(),
        word: None,
        role: Role::Operand,
        next_role: Role::Operand,
        parens: Vec::new(),
    };
    let mut at_cursor: Option<Cursor> = None;
    let mut in_quote = false;
    let mut chars = line.char_indices().peekable();
    loop {
        let next = chars.peek().copied();
        if at_cursor.is_none() && next.is_none_or(|(i, _)| i >= pos) {
            at_cursor = Some(snapshot(&r, pos));
        }
        let Some((i, c)) = chars.next() else { break };
        if in_quote {
            if c == '\'' {
                if chars.peek().is_some_and(|&(_, n)| n == '\'') {
                    chars.next();
                    r.push('\'');
                } else {
                    in_quote = false;
                }
            } else {
                r.push(c);
            }
            continue;
        }
        match c {
            '\'' => {
                r.begin_word(i);
                if let Some((_, _, quoted)) = &mut r.word {
                    *quoted = true;
                }
                in_quote = true;
            }
            '(' => {
                let assigned = r.word.is_none() && r.next_role == Role::Assigned;
                r.end_word();
                let head = matches!(
                    r.words.as_slice(),
                    [w] if matches!(w.as_str(), "if" | "while" | "for" | "switch")
                );
                let paren = match (head, assigned) {
                    (true, _) => Paren::Head,
                    (false, true) => Paren::Assigned,
                    (false, false) => Paren::List,
                };
                if paren == Paren::Head {
                    r.separate();
                }
                r.next_role = Role::Operand;
                r.parens.push(paren);
            }
            ')' => {
                r.end_word();
                if r.parens.pop() == Some(Paren::Head) {
                    if at_cursor.is_some() {
                        break;
                    }
                    r.separate();
                }
            }
            '$' => {
                r.end_word();
                // `$#name` counts: this `#` starts no comment.
                if chars.peek().is_some_and(|&(_, n)| n == '#') {
                    chars.next();
                }
            }
            ';' | '&' | '|' | '{' | '}' | '\n' | '`' => {
                // The end of this simple command: the cursor's is complete once past it.
                if at_cursor.is_some() {
                    r.end_word();
                    break;
                }
                r.separate();
            }
            '#' => {
                r.end_word();
                // A comment runs to the end of the line.
                while chars.peek().is_some_and(|&(_, n)| n != '\n') {
                    chars.next();
                }
            }
            '=' if r.role == Role::Operand && r.words.is_empty() && r.word.is_some() => {
                // `name=value cmd`: neither is an argument of the command.
                r.word = None;
                r.next_role = Role::Assigned;
            }
            '<' | '>' => {
                r.end_word();
                // `>>` appends and `<>` reads and writes: both write.
                let writes = c == '>' || chars.peek().is_some_and(|&(_, n)| n == '>');
                if chars.peek().is_some_and(|&(_, n)| n == '>') {
                    chars.next();
                }
                // `>[2]`, `>[2=1]`: the descriptor part belongs to the operator.
                if chars.peek().is_some_and(|&(_, n)| n == '[') {
                    for (_, n) in chars.by_ref() {
                        if n == ']' {
                            break;
                        }
                    }
                }
                r.next_role = if writes { Role::Output } else { Role::Input };
            }
            c if is_word_break(c) => r.end_word(),
            c => {
                r.begin_word(i);
                r.push(c);
            }
        }
    }
    r.end_word();
    let mut cursor = at_cursor.unwrap_or_else(|| snapshot(&r, pos));
    cursor.outputs = r.outputs;
    cursor
}

/// The reader's state with the cursor at `pos`.
fn snapshot(r: &Reader, pos: usize) -> Cursor {
    let (start, value, quoted, role) = match &r.word {
        Some((start, value, quoted)) => (*start, value.clone(), *quoted, r.role),
        None => (pos, String::new(), false, r.next_role),
    };
    Cursor {
        words: r.words.clone(),
        start,
        value,
        quoted,
        redirect_target: matches!(role, Role::Input | Role::Output),
        outputs: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at_end(line: &str) -> Cursor {
        read(line, line.len())
    }

    #[test]
    fn a_plain_word_and_the_words_before_it() {
        let c = at_end("echo x; cat -n /tmp/ab");
        assert_eq!(c.words, ["cat", "-n"]);
        assert_eq!(
            (c.start, c.value.as_str(), c.quoted),
            (15, "/tmp/ab", false)
        );
        let c = at_end("cat ");
        assert_eq!((c.start, c.value.as_str()), (4, ""));
    }

    #[test]
    fn quotes_are_taken_off_and_an_open_quote_is_part_of_the_word() {
        let c = at_end("cat '/tmp/my d");
        assert_eq!(
            (c.start, c.value.as_str(), c.quoted),
            (4, "/tmp/my d", true)
        );
        let c = at_end("cat '/tmp/my dir/'");
        assert_eq!(
            (c.start, c.value.as_str(), c.quoted),
            (4, "/tmp/my dir/", true)
        );
        let c = at_end("cat 'it''s'x");
        assert_eq!(c.value, "it'sx");
        // A separator inside quotes separates nothing.
        let c = at_end("echo 'a; b");
        assert_eq!(
            (c.words, c.value.as_str()),
            (vec!["echo".to_string()], "a; b")
        );
    }

    #[test]
    fn assignments_and_redirections_are_not_operands() {
        let c = at_end("x=1 spawn -p 3 ");
        assert_eq!(c.words, ["spawn", "-p", "3"]);
        let c = at_end("x=(a b) y=c spawn ");
        assert_eq!(c.words, ["spawn"]);
        assert_eq!(at_end("echo (a b) ").words, ["echo", "a", "b"]);
        assert!(at_end("if(test -f x) ").words.is_empty());
        assert_eq!(at_end("if(test -f ").words, ["test", "-f"]);
        assert_eq!(at_end("echo $#pa").value, "pa");
        let c = at_end("echo hi >[2] /task/");
        assert!(c.redirect_target && c.words == ["echo", "hi"]);
        assert_eq!(c.value, "/task/");
    }

    #[test]
    fn output_targets_on_both_sides_of_the_cursor() {
        let line = "echo  > /task/1/ctl; echo b > other";
        let c = read(line, 5);
        assert_eq!(
            (c.words.as_slice(), c.value.as_str()),
            (&["echo".to_string()][..], "")
        );
        assert_eq!(c.outputs, ["/task/1/ctl"]);
        assert!(!c.redirect_target);
        let c = at_end("cat <[0] in <>[3] /agents/a/ctl ");
        assert_eq!(
            (c.words.as_slice(), c.outputs.as_slice()),
            (&["cat".to_string()][..], &["/agents/a/ctl".to_string()][..])
        );
    }

    #[test]
    fn comments_and_odd_lines_never_fail() {
        let c = at_end("echo # a comment 'x");
        assert_eq!(c.value, "");
        for line in ["'", "''", ">", ">[", "=", "a=", "é'", "\n"] {
            let _ = at_end(line);
        }
    }
}
