Redirections: > >> < <> >[n] >[n=m] >[n=], and on blocks.

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
### <> opens a file for reading and writing, one offset for both
echo hello > /tmp/rw
{echo -n XY >[1=0]; cat} <>/tmp/rw
cat /tmp/rw
--- stdout
llo
XYllo
### <>[n] neither truncates the file nor moves its offset to the end
echo abcdef > /tmp/rw
echo XY <>[1]/tmp/rw
cat /tmp/rw
--- stdout
XY
def
### copies of <>[n] share its offset
echo 12345 > /tmp/rw
{echo -n ab >[1=3]; cat >[0=3]} <>[3] /tmp/rw
cat /tmp/rw
--- stdout
345
ab345
### <> does not create a missing file
cat <>/tmp/none >[2]/dev/null | echo piped
ls /tmp/none >[2]/dev/null || echo not created
--- stdout
piped
not created
--- stderr
oash::file

  × redirection: /tmp/none: file does not exist
   ╭─[redirection.t:1:7]
 1 │ cat <>/tmp/none >[2]/dev/null | echo piped
   ·       ────┬────
   ·           ╰── cannot open this file
 2 │ ls /tmp/none >[2]/dev/null || echo not created
   ╰────
### whatis prints <> back as written (oash)
fn ask { {echo -n $1 >[1=0]; cat} <>[0] $2 }
whatis ask
--- stdout
fn ask { {echo -n $1 >[1=0]; cat} <>[0] $2 }
### <>[n=m] is not a redirection (oash)
echo x <>[1=2]
--- stderr
oash::syntax

  × `<>[n=m]` is not a redirection
   ╭─[redirection.t:1:8]
 1 │ echo x <>[1=2]
   ·        ┬
   ·        ╰── use `>[n=m]`
   ╰────
--- status
`<>[n=m]` is not a redirection
