Transcript tests for `oash test`: each case is a script and what it must print.
Lines before the first `### name` are a comment. A missing `--- status` section means
the script must end true (an empty status); a missing stdout or stderr, no output.

### a list counts its words
x=(apple banana cherry)
echo $#x $x(2)
--- stdout
3 banana
### ^ pastes pairwise, and a word onto every word
echo (a b)^(1 2) x^(1 2 3)
--- stdout
a1 b2 x1 x2 x3
### for puts its variable back
i=kept
for (i in 1 2) echo $i
echo $i
--- stdout
1
2
kept
### a quoted word is never split again
x='two words'
y=$x
echo $#y
--- stdout
1
### here documents substitute variables
who=tester
cat <<EOF
dear $who
EOF
--- stdout
dear tester
### switch picks the first matching case
fn kind { switch ($1) { case *.c; echo C; case *; echo other } }
kind x.c; kind x.md
--- stdout
C
other
### files written to /tmp are read back
echo one > /tmp/f
echo two >> /tmp/f
wc -l /tmp/f
sort -r /tmp/f
--- stdout
2 /tmp/f
two
one
### a failing command reports on stderr and sets the status
cat /tmp/missing
--- stderr
oash::file

  × cat: /tmp/missing: file does not exist
   ╭─[basics.t:1:5]
 1 │ cat /tmp/missing
   ·     ──────┬─────
   ·           ╰── this file
   ╰────
--- status
cat: /tmp/missing: file does not exist
### exit sets the final status
echo leaving
exit 3
echo not reached
--- stdout
leaving
--- status
3
