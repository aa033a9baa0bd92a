`/env`: shell variables as files, Plan 9's environment device (all oash: rc on Unix has no
`/env`). One word reads as itself; other lists as NUL-ended words.

### a variable reads as a file (oash)
x=1
cat /env/x
echo
--- stdout
1
### a write sets the variable, less one trailing newline (oash)
echo hello > /env/y
echo $y $#y
--- stdout
hello 1
### a list reads as NUL-ended words (oash)
path=(/bin /lib)
cat /env/path | wc -c
list=()
cat /env/list | wc -c
--- stdout
10
0
### NUL-ended words written back make a list (oash)
path=(/bin '' 'a b')
cat /env/path > /env/copy
echo $#copy
echo $copy(3)
--- stdout
3
a b
### ls /env lists the variables (oash)
x=1
ls /env | grep -x x
--- stdout
x
### x=v cmd shows v to cmd, and x is restored after (oash)
x=global
x=local cat /env/x
echo
echo $x
--- stdout
local
global
### rm unsets, > alone empties (oash)
a=1 b=2
rm /env/a
echo $#a
> /env/b
echo $#b
--- stdout
0
0
### appending adds bytes to the one word (oash)
x=a
echo b >> /env/x
echo $x
--- stdout
ab
### a block's redirection lands once the block ends (oash)
{ echo one; echo two } > /env/b
echo $#b $b
--- stdout
1 one
two
### @{ } has its own environment (oash)
x=1
@{ echo sub > /env/x; echo inside $x }
echo outside $x
--- stdout
inside sub
outside 1
### a pipeline member writes only its own copy (oash)
x=1
echo piped > /env/x | cat
echo $x
--- stdout
1
### the for variable is visible through /env at each turn (oash)
for (i in a b) cat /env/i
echo
--- stdout
ab
### Rhai reads and writes the same variables (oash)
rhai -c 'write("/env/r", "from rhai"); print(read("/env/home"))'
echo $r
--- stdout
/tmp
from rhai
### /env has no directories (oash)
mkdir /env/d
--- stderr
oash::file

  × mkdir: /env/d: permission denied (/env holds variables, not directories)
   ╭─[env.t:1:7]
 1 │ mkdir /env/d
   ·       ───┬──
   ·          ╰── this file
   ╰────
--- status
mkdir: /env/d: permission denied (/env holds variables, not directories)
### an unset variable is no file (oash)
cat /env/nope
--- stderr
oash::file

  × cat: /env/nope: file does not exist
   ╭─[env.t:1:5]
 1 │ cat /env/nope
   ·     ────┬────
   ·         ╰── this file
   ╰────
--- status
cat: /env/nope: file does not exist
