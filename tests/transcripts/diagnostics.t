Golden diagnostics (oash): the full miette rendering, with file:line:col and a label.

### a syntax error (oash)
echo a
if (true { echo b }
--- stderr
oash::syntax

  × syntax error: unexpected `{`
   ╭─[diagnostics.t:2:10]
 1 │ echo a
 2 │ if (true { echo b }
   ·          ┬
   ·          ╰── expected `)`, `;`, `&` or a newline
   ╰────
--- status
syntax error: unexpected `{`
### an unexpected closing brace (oash)
echo }
--- stderr
oash::syntax

  × syntax error: unexpected `}`
   ╭─[diagnostics.t:1:6]
 1 │ echo }
   ·      ┬
   ·      ╰── expected a command
   ╰────
--- status
syntax error: unexpected `}`
### an unknown command (oash)
x=1
nosuchcmd a b
--- stderr
oash::unknown_command

  × nosuchcmd: command not found
   ╭─[diagnostics.t:2:1]
 1 │ x=1
 2 │ nosuchcmd a b
   · ────┬────
   ·     ╰── not found
   ╰────
  help: not a builtin, a function, or a program on $path; `help` lists the builtins
--- status
nosuchcmd: command not found
### a missing file (oash)
cat /nope
--- stderr
oash::file

  × cat: /nope: file does not exist
   ╭─[diagnostics.t:1:5]
 1 │ cat /nope
   ·     ──┬──
   ·       ╰── this file
   ╰────
--- status
cat: /nope: file does not exist
### a missing file among others is a one-line warning (oash)
echo hi > /tmp/a
cat /tmp/a /nope
--- stdout
hi
--- stderr
cat: /nope: file does not exist
--- status
1
### a bad redirection (oash)
echo x > /nodir/f
--- stderr
oash::file

  × redirection: /nodir/f: file does not exist
   ╭─[diagnostics.t:1:10]
 1 │ echo x > /nodir/f
   ·          ────┬───
   ·              ╰── cannot open this file
   ╰────
--- status
redirection: /nodir/f: file does not exist
### a bad input redirection (oash)
cat < /nope
--- stderr
oash::file

  × redirection: /nope: file does not exist
   ╭─[diagnostics.t:1:7]
 1 │ cat < /nope
   ·       ──┬──
   ·         ╰── cannot open this file
   ╰────
--- status
redirection: /nope: file does not exist
### a mismatched concatenation (oash)
x=(a b)
y=(1 2 3)
echo $x^$y
--- stderr
oash::runtime

  × mismatched list lengths in concatenation (2 and 3)
   ╭─[diagnostics.t:3:6]
 2 │ y=(1 2 3)
 3 │ echo $x^$y
   ·      ──┬──
   ·        ╰── in this concatenation
   ╰────
--- status
mismatched list lengths in concatenation (2 and 3)
### a null list in concatenation (oash)
echo pre^$nothing
--- stderr
oash::runtime

  × null list in concatenation
   ╭─[diagnostics.t:1:6]
 1 │ echo pre^$nothing
   ·      ──────┬─────
   ·            ╰── in this concatenation
   ╰────
--- status
null list in concatenation
### if not out of place (oash)
echo start
if not echo no
--- stdout
start
--- stderr
oash::runtime

  × `if not` does not follow `if(...)`
   ╭─[diagnostics.t:2:1]
 1 │ echo start
 2 │ if not echo no
   · ───────┬──────
   ·        ╰── no `if` just before this
   ╰────
  help: `if not` must come right after an `if`, in the same command list
--- status
`if not` does not follow `if(...)`
### an error inside a function points into its body (oash)
fn f {
	cat /nope
}
f
--- stderr
oash::file

  × cat: /nope: file does not exist
   ╭─[diagnostics.t:2:6]
 1 │ fn f {
 2 │     cat /nope
   ·         ──┬──
   ·           ╰── this file
 3 │ }
   ╰────
--- status
cat: /nope: file does not exist
### a usage error (oash)
head -n
--- stderr
oash::usage

  × head: flag -n needs a value
   ╭─[diagnostics.t:1:6]
 1 │ head -n
   ·      ─┬
   ·       ╰── bad usage
   ╰────
  help: usage: head [-n N | -N] [-c N] [FILE...]
--- status
head: flag -n needs a value
### an unterminated quote (oash)
echo 'abc
--- stderr
oash::syntax

  × unterminated quote
   ╭─[diagnostics.t:1:6]
 1 │ echo 'abc
   ·      ┬
   ·      ╰── quote opened here
   ╰────
--- status
unterminated quote
### a syntax error in a file run by . names that file (oash)
echo 'echo (' > /tmp/bad.rc
. /tmp/bad.rc
--- stderr
oash::syntax

  × syntax error: unexpected newline
   ╭─[/tmp/bad.rc:1:7]
 1 │ echo (
   ·       ┬
   ·       ╰── expected `)` closing the list
   ╰────
  help: end the line with `\` to continue the list
--- status
syntax error: unexpected newline
### a syntax error inside eval (oash)
eval 'if (true'
--- stderr
oash::syntax

  × syntax error: input ended, expected `)`
   ╭─[eval:1:8]
 1 │ if (true
   ·        ┬
   ·        ╰── input ended after this
   ╰────
--- status
syntax error: input ended, expected `)`
### an unknown command in a pipeline (oash)
echo a | frob | cat
echo $status
--- stdout
|frob: command not found|
--- stderr
oash::unknown_command

  × frob: command not found
   ╭─[diagnostics.t:1:10]
 1 │ echo a | frob | cat
   ·          ──┬─
   ·            ╰── not found
 2 │ echo $status
   ╰────
  help: not a builtin, a function, or a program on $path; `help` lists the builtins
### a bad subscript (oash)
x=(a b)
echo $x(one)
--- stderr
oash::runtime

  × bad subscript `one`
   ╭─[diagnostics.t:2:6]
 1 │ x=(a b)
 2 │ echo $x(one)
   ·      ───┬───
   ·         ╰── in this subscript
   ╰────
--- status
bad subscript `one`
### a bad descriptor in a redirection (oash)
echo x >[a] /tmp/f
--- stderr
oash::syntax

  × bad descriptor spec `[a]`
   ╭─[diagnostics.t:1:8]
 1 │ echo x >[a] /tmp/f
   ·        ──┬─
   ·          ╰── expected [n], [n=m] or [n=]
   ╰────
--- status
bad descriptor spec `[a]`
### a missing here document terminator (oash)
cat <<END
text
--- stderr
oash::syntax

  × here document `END` is not terminated
   ╭─[diagnostics.t:1:5]
 1 │ cat <<END
   ·     ──┬──
   ·       ╰── expected a line `END`
 2 │ text
   ╰────
--- status
here document `END` is not terminated
### a file name that is a list (oash)
echo x > (a b)
--- stderr
oash::command

  × redirection: needs exactly one file name, got 2
   ╭─[diagnostics.t:1:8]
 1 │ echo x > (a b)
   ·        ───┬───
   ·           ╰── this redirection
   ╰────
--- status
redirection: needs exactly one file name, got 2
### a bad flag value points at the value (oash)
head -n x
--- stderr
oash::usage

  × head: -n: not a count: 'x'
   ╭─[diagnostics.t:1:9]
 1 │ head -n x
   ·         ┬
   ·         ╰── bad usage
   ╰────
  help: usage: head [-n N | -N] [-c N] [FILE...]
--- status
head: -n: not a count: 'x'
### a bad attached flag value points at its argument (oash)
tail -nx
--- stderr
oash::usage

  × tail: -n: not a count: 'x'
   ╭─[diagnostics.t:1:6]
 1 │ tail -nx
   ·      ─┬─
   ·       ╰── bad usage
   ╰────
  help: usage: tail [-n N | -N] [FILE...] | tail -f [-m N] [-n N | -N] FILE
--- status
tail: -n: not a count: 'x'
### a bad sort key points at the key (oash)
sort -r -k q
--- stderr
oash::usage

  × sort: -k: expected a field N or N,M (counted from 1), not 'q'
   ╭─[diagnostics.t:1:12]
 1 │ sort -r -k q
   ·            ┬
   ·            ╰── bad usage
   ╰────
  help: usage: sort [-rnuf] [-k N[,M]]... [-t SEP] [FILE...]
--- status
sort: -k: expected a field N or N,M (counted from 1), not 'q'
### a separator that is not one character points at it (oash)
sort -t ab
--- stderr
oash::usage

  × sort: -t: the separator must be one character, not 'ab'
   ╭─[diagnostics.t:1:9]
 1 │ sort -t ab
   ·         ─┬
   ·          ╰── bad usage
   ╰────
  help: usage: sort [-rnuf] [-k N[,M]]... [-t SEP] [FILE...]
--- status
sort: -t: the separator must be one character, not 'ab'
### a flag without its value points at the flag (oash)
seq -w -s
--- stderr
oash::usage

  × seq: flag -s needs a value
   ╭─[diagnostics.t:1:8]
 1 │ seq -w -s
   ·        ─┬
   ·         ╰── bad usage
   ╰────
  help: usage: seq [-w] [-s SEP] [FIRST [INCR]] LAST
--- status
seq: flag -s needs a value
### an unknown flag in a cluster points at its argument (oash)
mount -bz mem /n
--- stderr
oash::usage

  × mount: unknown flag -z
   ╭─[diagnostics.t:1:7]
 1 │ mount -bz mem /n
   ·       ─┬─
   ·        ╰── bad usage
   ╰────
  help: usage: mount [-abc] SERVICE [ARGS...] POINT (mem: [SIZE]; dev, env, logs, stdlib: no ARGS;
        map: NAME=CONTENTS... NAME/...; cow: SOURCE; host: DIR)
--- status
mount: unknown flag -z
### a bad spawn deadline points at the deadline (oash)
spawn -s -t xyz hello
--- stderr
oash::usage

  × spawn: not a duration: 'xyz' (say 100ms, 2s, 1m)
   ╭─[diagnostics.t:1:13]
 1 │ spawn -s -t xyz hello
   ·             ─┬─
   ·              ╰── bad usage
   ╰────
  help: usage: spawn [-s] [-p PRIORITY] [-t DEADLINE] [-m MEMORY] [-f FUEL] MODULE [ARG...]
--- status
spawn: not a duration: 'xyz' (say 100ms, 2s, 1m)
### a bad fuel count points at the count (oash)
spawn -f lots hello
--- stderr
oash::usage

  × spawn: -f: not a count: 'lots'
   ╭─[diagnostics.t:1:10]
 1 │ spawn -f lots hello
   ·          ──┬─
   ·            ╰── bad usage
   ╰────
  help: usage: spawn [-s] [-p PRIORITY] [-t DEADLINE] [-m MEMORY] [-f FUEL] MODULE [ARG...]
--- status
spawn: -f: not a count: 'lots'
### after --, -s is an operand: a bad number, pointed at (oash)
seq -- -s
--- stderr
oash::usage

  × seq: invalid number: '-s'
   ╭─[diagnostics.t:1:8]
 1 │ seq -- -s
   ·        ─┬
   ·         ╰── bad usage
   ╰────
  help: usage: seq [-w] [-s SEP] [FIRST [INCR]] LAST
--- status
seq: invalid number: '-s'
### spawn of a missing module points at the module (oash)
spawn -s nosuch a b
--- stderr
oash::task

  × spawn: /nosuch: cannot read module: /nosuch: file does not exist
   ╭─[diagnostics.t:1:10]
 1 │ spawn -s nosuch a b
   ·          ───┬──
   ·             ╰── this argument
   ╰────
--- status
spawn: /nosuch: cannot read module: /nosuch: file does not exist
### rfork points at the letters it refuses (oash)
rfork m E
--- stderr
oash::usage

  × rfork: -E is not supported (a clean environment is not available in oash)
   ╭─[diagnostics.t:1:9]
 1 │ rfork m E
   ·         ┬
   ·         ╰── bad usage
   ╰────
  help: usage: rfork [nNesfm] (no letters: ensm; n e s f are already so in oash)
--- status
rfork: -E is not supported (a clean environment is not available in oash)
