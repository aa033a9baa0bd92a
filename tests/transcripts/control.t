Control flow: if, if not, for, while, && || !, blocks, background jobs.

### if runs its command when the condition is true
if (true) echo yes
if (false) echo no
--- stdout
yes
--- status
1
### if not runs when the if before it failed
if (false) echo yes
if not echo no
--- stdout
no
### if not is skipped when the if succeeded
if (true) echo yes
if not echo no
--- stdout
yes
### if with a block spanning lines
x=3
if (~ $x 3) {
	echo three
	echo still
}
--- stdout
three
still
### if not after a block if
if (~ a b) { echo m }
if not { echo nm }
--- stdout
nm
### the condition is a command list; its last status decides
if (false; true) echo last wins
--- stdout
last wins
### if not inside a loop pairs with the if just before it
for (i in 1 2) {
	if (~ $i 1) echo one
	if not echo other
}
--- stdout
one
other
### if not without an if is an error
echo before
if not echo no
echo after
--- stdout
before
--- stderr
oash::runtime

  × `if not` does not follow `if(...)`
   ╭─[control.t:2:1]
 1 │ echo before
 2 │ if not echo no
   · ───────┬──────
   ·        ╰── no `if` just before this
 3 │ echo after
   ╰────
  help: `if not` must come right after an `if`, in the same command list
--- status
`if not` does not follow `if(...)`
### for loops over a list
for (i in a b c) echo $i
--- stdout
a
b
c
### for over a variable's list without re-splitting
x=('a b' c)
for (i in $x) echo [$i]
--- stdout
[a b]
[c]
### for unsets its variable afterwards
for (i in a b) echo $i
echo $#i
--- stdout
a
b
0
### for restores its variable afterwards
i=keep
for (i in x y) echo $i
echo $i
--- stdout
x
y
keep
### for(i) loops over $*
fn g { for (i) echo arg $i }
g p q
--- stdout
arg p
arg q
### for with a block body
for (i in 1 2) {
	echo a$i
	echo b$i
}
--- stdout
a1
b1
a2
b2
### for over an empty list runs nothing
for (i in) echo never
x=()
for (i in $x) echo never
echo done
--- stdout
done
### while loops until its condition fails
x=(a b c)
while (! ~ $#x 0) {
	echo $x(1)
	x=$x(2-)
}
--- stdout
a
b
c
--- status
false
### while with a false condition runs nothing
while (false) echo never
echo done
--- stdout
done
### && runs the right side only after success
true && echo yes
false && echo no
--- stdout
yes
--- status
1
### || runs the right side only after failure
true || echo no
false || echo yes
--- stdout
yes
### && and || chain left to right
false && echo a || echo b
true && echo c || echo d
--- stdout
b
c
### ! negates a pipeline
! false | false
echo [$status]
--- stdout
[]
### a newline after && continues the command
true &&
echo continued
--- stdout
continued
### a block groups commands
{ echo a; echo b } | wc -l
--- stdout
2
### a block shares the shell's variables
{ x=set }
echo $x
--- stdout
set
### @ runs a command in a copy of the shell
x=1
@{ x=2; echo in $x }
echo out $x
--- stdout
in 2
out 1
### a background job and wait
{ echo from the job } &
wait
echo after
--- stdout
from the job
after
### $apid names the last background job
{ true } &
~ $apid ?*
echo $status
wait
--- stdout

