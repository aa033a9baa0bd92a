The `rhai { CODE }` block (all oash): where a command starts, the text between the braces
is Rhai, passed to the `rhai` builtin untouched, as `rhai -c CODE` would pass it.

### a one-line block
rhai { let x = 1 + 2; print(x) }
--- stdout
3
### a block spans lines, and braces in strings, characters and comments do not close it
rhai {
    let m = #{ open: "{", close: '}' };
    // a } in a comment
    /* and { in /* a nested */ one */
    print(`${m.open}${m.close} and ${ if true { "nested" } else { "}" } }`);
}
echo after
--- stdout
{} and nested
after
### $ and ' mean nothing to rc inside the block
x=shell
rhai { let x = "rhai's"; print(x + " $x") }
--- stdout
rhai's $x
### words after the block are ARGS; redirections and pipes apply to it
rhai { print(ARGS.len()); print(ARGS[1]) } one two > /tmp/out
cat /tmp/out
rhai { print("b"); print("a") } | sort
--- stdout
2
two
a
b
### after if, &&, ! and inside a function
if (~ a a) rhai { print("if") }
true && rhai { print("and") }
! rhai { throw "no" } >[2]/dev/null && echo negated
fn f { rhai { print(`in f with ${ARGS[0]}`) } $1 }
f arg
whatis f
--- stdout
if
and
negated
in f with arg
fn f { rhai { print(`in f with ${ARGS[0]}`) } $1 }
### a block not closed is a syntax error
rhai { print("}")
echo not reached
--- stderr
oash::syntax

  × the rhai block is not closed
   ╭─[rhai_block.t:1:6]
 1 │ rhai { print("}")
   ·      ┬
   ·      ╰── opened here
 2 │ echo not reached
   ╰────
--- status
the rhai block is not closed
### a Rhai error in the block fails the command, as rhai -c does
rhai { let x = ; }
echo $status
--- stdout
rhai: syntax error: Unexpected ';' (line 1, position 10)
--- stderr
oash::rhai

  × rhai: syntax error: Unexpected ';' (line 1, position 10)
   ╭─[rhai_block.t:1:1]
 1 │ rhai { let x = ; }
   · ─────────┬────────
   ·          ╰── in this command
 2 │ echo $status
   ╰────
### an argument rhai followed by a brace is still rc
echo rhai { x }
--- stderr
oash::syntax

  × syntax error: unexpected `{`
   ╭─[rhai_block.t:1:11]
 1 │ echo rhai { x }
   ·           ┬
   ·           ╰── expected `;`, `&` or a newline
   ╰────
--- status
syntax error: unexpected `{`
### fn rhai defines a function, not a block
fn rhai { echo shadowed $* }
rhai -c x
--- stdout
shadowed -c x
