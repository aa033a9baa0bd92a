Redirections: > >> < >[n] >[n=m] >[n=], and on blocks.

### > writes a file
echo hello > /tmp/f
cat /tmp/f
--- stdout
hello
### > truncates
echo long line > /tmp/f
echo short > /tmp/f
cat /tmp/f
--- stdout
short
### >> appends
echo one > /tmp/f
echo two >> /tmp/f
cat /tmp/f
--- stdout
one
two
### >> creates a missing file
echo new >> /tmp/g
cat /tmp/g
--- stdout
new
### < reads standard input from a file
echo from file > /tmp/f
cat < /tmp/f
--- stdout
from file
### a redirection can come before the command name
>/tmp/f echo early
cat /tmp/f
--- stdout
early
### a relative name is under the working directory
cd /tmp
echo rel > f
cat /tmp/f
--- stdout
rel
### >[2] redirects standard error
{ echo out; echo err >[1=2] } >[2] /tmp/e
echo then
cat /tmp/e
--- stdout
out
then
err
### >[2=1] sends standard error where standard output goes
{ echo err >[1=2] } >[2=1] | cat
--- stdout
err
### redirections apply left to right
{ echo err >[1=2] } >[2=1] >/tmp/f
cat /tmp/f
--- stdout
err
### >[1=2] sends output to standard error
echo to err >[1=2] >[2]/tmp/e
cat /tmp/e
--- stderr
to err
### a block with redirections
{ echo one; echo two } > /tmp/g
cat /tmp/g
--- stdout
one
two
### a redirection on a for loop body
for (i in a b) echo $i >> /tmp/f
cat /tmp/f
--- stdout
a
b
### a redirection target from a variable
f=/tmp/out
echo via var > $f
cat $f
--- stdout
via var
### the target word is globbed
echo a > /tmp/only.txt
echo b > /tmp/*.txt
cat /tmp/only.txt
--- stdout
b
### >[2=] closes standard error
cat /nope >[2=]
echo next
--- stdout
next
### >[2] sends errors into a file
cat /nope >[2] /tmp/err
echo next
--- stdout
next
### >[1=] closes standard output (oash)
echo closed >[1=]
--- stderr
oash::command

  × echo: fd 1 is not open for writing
   ╭─[redirection.t:1:1]
 1 │ echo closed >[1=]
   · ────────┬────────
   ·         ╰── in this command
   ╰────
--- status
echo: fd 1 is not open for writing
