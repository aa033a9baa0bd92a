Errors: which failures stop a script (language errors, as in rc) and which only set $status.

### an unknown command sets $status and the script goes on (oash)
nosuch
echo status: $status
--- stdout
status: nosuch: command not found
--- stderr
oash::unknown_command

  × nosuch: command not found
   ╭─[errors.t:1:1]
 1 │ nosuch
   · ───┬──
   ·    ╰── not found
 2 │ echo status: $status
   ╰────
  help: not a builtin, a function, or a program on $path; `help` lists the builtins
### a missing file sets $status and the script goes on
cat /nope
echo next
--- stdout
next
--- stderr
oash::file

  × cat: /nope: file does not exist
   ╭─[errors.t:1:5]
 1 │ cat /nope
   ·     ──┬──
   ·       ╰── this file
 2 │ echo next
   ╰────
### a failed redirection stops the script
echo x > /nodir/f
echo not reached
--- stderr
oash::file

  × redirection: /nodir/f: file does not exist
   ╭─[errors.t:1:10]
 1 │ echo x > /nodir/f
   ·          ────┬───
   ·              ╰── cannot open this file
 2 │ echo not reached
   ╰────
--- status
redirection: /nodir/f: file does not exist
### a failed redirection in a pipeline stops only that member
fn f { echo ran }
f > /nodir/f | echo piped
echo goes on
--- stdout
piped
goes on
--- stderr
oash::file

  × redirection: /nodir/f: file does not exist
   ╭─[errors.t:2:5]
 1 │ fn f { echo ran }
 2 │ f > /nodir/f | echo piped
   ·     ────┬───
   ·         ╰── cannot open this file
 3 │ echo goes on
   ╰────
### a mismatched concatenation stops the script
x=(a b)
echo $x^(1 2 3)
echo not reached
--- stderr
oash::runtime

  × mismatched list lengths in concatenation (2 and 3)
   ╭─[errors.t:2:6]
 1 │ x=(a b)
 2 │ echo $x^(1 2 3)
   ·      ─────┬────
   ·           ╰── in this concatenation
 3 │ echo not reached
   ╰────
--- status
mismatched list lengths in concatenation (2 and 3)
### a null list in concatenation stops the script
echo a^$nothing
echo not reached
--- stderr
oash::runtime

  × null list in concatenation
   ╭─[errors.t:1:6]
 1 │ echo a^$nothing
   ·      ─────┬────
   ·           ╰── in this concatenation
 2 │ echo not reached
   ╰────
--- status
null list in concatenation
### if not out of place stops the script
if not echo no
echo not reached
--- stderr
oash::runtime

  × `if not` does not follow `if(...)`
   ╭─[errors.t:1:1]
 1 │ if not echo no
   · ───────┬──────
   ·        ╰── no `if` just before this
 2 │ echo not reached
   ╰────
  help: `if not` must come right after an `if`, in the same command list
--- status
`if not` does not follow `if(...)`
### a syntax error runs nothing (oash)
echo first
echo )
--- stderr
oash::syntax

  × syntax error: unexpected `)`
   ╭─[errors.t:2:6]
 1 │ echo first
 2 │ echo )
   ·      ┬
   ·      ╰── expected a command
   ╰────
--- status
syntax error: unexpected `)`
### an unclosed brace is a syntax error
{ echo a
--- stderr
oash::syntax

  × syntax error: input ended, expected `}`
   ╭─[errors.t:1:8]
 1 │ { echo a
   ·        ┬
   ·        ╰── input ended after this
   ╰────
--- status
syntax error: input ended, expected `}`
### an unterminated quote is a syntax error
echo 'abc
--- stderr
oash::syntax

  × unterminated quote
   ╭─[errors.t:1:6]
 1 │ echo 'abc
   ·      ┬
   ·      ╰── quote opened here
   ╰────
--- status
unterminated quote
### a here document without its terminator is an error (oash; rc ends it at end of file)
cat <<EOF
body
--- stderr
oash::syntax

  × here document `EOF` is not terminated
   ╭─[errors.t:1:5]
 1 │ cat <<EOF
   ·     ──┬──
   ·       ╰── expected a line `EOF`
 2 │ body
   ╰────
--- status
here document `EOF` is not terminated
### a syntax error in eval is reported and the script goes on, as in rc
eval 'echo )'
echo goes on
--- stdout
goes on
--- stderr
oash::syntax

  × syntax error: unexpected `)`
   ╭─[eval:1:6]
 1 │ echo )
   ·      ┬
   ·      ╰── expected a command
   ╰────
### an error inside a function stops the script
fn f { echo in; echo a^$nothing }
f
echo not reached
--- stdout
in
--- stderr
oash::runtime

  × null list in concatenation
   ╭─[errors.t:1:22]
 1 │ fn f { echo in; echo a^$nothing }
   ·                      ─────┬────
   ·                           ╰── in this concatenation
 2 │ f
   ╰────
--- status
null list in concatenation
### errors in a pipeline member do not stop the rest
echo a^$nothing | cat
echo goes on
--- stdout
goes on
--- stderr
oash::runtime

  × null list in concatenation
   ╭─[errors.t:1:6]
 1 │ echo a^$nothing | cat
   ·      ─────┬────
   ·           ╰── in this concatenation
 2 │ echo goes on
   ╰────
### runaway recursion is stopped (oash)
fn f { f }
f
--- stderr
oash::runtime

  × function calls nested deeper than 400
   ╭─[errors.t:1:8]
 1 │ fn f { f }
   ·        ┬
   ·        ╰── this call
 2 │ f
   ╰────
  help: a function probably calls itself without end
--- status
function calls nested deeper than 400
### a bad subscript is an error (oash)
x=(a b)
echo $x(z)
--- stderr
oash::runtime

  × bad subscript `z`
   ╭─[errors.t:2:6]
 1 │ x=(a b)
 2 │ echo $x(z)
   ·      ──┬──
   ·        ╰── in this subscript
   ╰────
--- status
bad subscript `z`
### a redirection needs exactly one file name (oash)
echo x > (a b)
echo not reached
--- stderr
oash::command

  × redirection: needs exactly one file name, got 2
   ╭─[errors.t:1:8]
 1 │ echo x > (a b)
   ·        ───┬───
   ·           ╰── this redirection
 2 │ echo not reached
   ╰────
--- status
redirection: needs exactly one file name, got 2
### shift past the end empties $* without complaint
fn f { shift 3; echo $#* [$"*] }
f a b
echo $status
--- stdout
0 []

