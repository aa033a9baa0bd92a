Diagnostics quoting hostile text (oash, issue 9): control characters in names and in source
lines are shown escaped, never sent to the terminal; long names and long source lines are
cut with an ellipsis. Rhai's string escapes make the control characters here.

### escape sequences in a name are shown escaped (oash)
name=`{rhai -c 'print("/\x1b[2J\x1b]0;PWNED\x07")'}
cat $name
true
--- stderr
oash::file

  × cat: /\e[2J\e]0;PWNED\x07: file does not exist
   ╭─[hostile_diagnostics.t:2:5]
 1 │ name=`{rhai -c 'print("/\x1b[2J\x1b]0;PWNED\x07")'}
 2 │ cat $name
   ·     ──┬──
   ·       ╰── this file
 3 │ true
   ╰────
### escape sequences in a source line are shown escaped, the label under the word (oash)
name=`{rhai -c 'print("/\x1b[2J\x01\r\x7f")'}
eval 'cat '''^$name^''''
true
--- stderr
oash::file

  × cat: /\e[2J\x01\r\x7f: file does not exist
   ╭─[eval:1:5]
 1 │ cat '/\e[2J\x01\r\x7f'
   ·     ─────────┬────────
   ·              ╰── this file
   ╰────
### a long unknown command is cut in the middle (oash)
long=`{rhai -c 'let s = "start"; for i in 0..300 { s += "x"; } print(s + "end")'}
$long arg
true
--- stderr
oash::unknown_command

  × startxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…
  │ xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxend: command not found
   ╭─[hostile_diagnostics.t:2:1]
 1 │ long=`{rhai -c 'let s = "start"; for i in 0..300 { s += "x"; } print(s + "end")'}
 2 │ $long arg
   · ──┬──
   ·   ╰── not found
 3 │ true
   ╰────
  help: not a builtin, a function, or a program on $path; `help` lists the builtins
### a long source line is cut around its label (oash)
long=`{rhai -c 'let s = ""; for i in 0..300 { s += "y"; } print(s)'}
eval 'echo '^$long^' >/dev/null; nosuch; echo '^$long
true
--- stdout
yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy
--- stderr
oash::unknown_command

  × nosuch: command not found
   ╭─[eval:1:319]
 1 │ …yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy >/dev/null; nosuch; echo yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy…
   ·                                                              ───┬──
   ·                                                                 ╰── not found
   ╰────
  help: not a builtin, a function, or a program on $path; `help` lists the builtins
### a builtin's one-line warning about one of several files escapes the name (oash)
x=`{rhai -c 'print("/tmp/\x1b[2Jx")'}
cat $x /nope >[2=1]
--- stdout
cat: /tmp/\e[2Jx: file does not exist
cat: /nope: file does not exist
--- status
1
