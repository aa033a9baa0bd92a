Variables: assignment, local assignment, $status.

### assignment then use
x=hello
echo $x
--- stdout
hello
### x=v cmd assigns for that command only
x=outer
x=inner echo $x
echo $x
--- stdout
inner
outer
### x=v cmd unsets again when x was unset
x=1 echo $x
echo $#x
--- stdout
1
0
### x=v cmd assigns before the arguments are evaluated
y=(a b c)
y=$y(2) echo $y
echo $y
--- stdout
b
a b c
### several local assignments
x=7 y=8 echo $x $y
echo $#x $#y
--- stdout
7 8
0 0
### a local assignment reaches functions called by the command
fn show { echo x is $x }
x=local show
show
--- stdout
x is local
x is
### a local assignment before a block
x=out
x=in { echo $x }
echo $x
--- stdout
in
out
### a local assignment in a pipeline stays with its command
x=1
x=2 echo $x | x=3 cat
echo $x
--- stdout
2
1
### assignment values are globbed
echo a > /tmp/p.txt
echo b > /tmp/q.txt
x=/tmp/*.txt
echo $#x
--- stdout
2
### variable names may hold underscores and digits
my_var2=ok
echo $my_var2
--- stdout
ok
### a name ends at the first non-name character
x=val
echo $x-y $x.z $x/w
--- stdout
val-y val.z val/w
### $status is empty after success
true
echo [$status]
--- stdout
[]
### $status of false
false
echo $status
--- stdout
1
### ! true gives false
! true
echo $status
--- stdout
false
### ! false is true
! false
echo [$status]
--- stdout
[]
### a pipeline's status lists every member
false | true
echo $status
true | false
echo $status
--- stdout
1|
|1
### the status of a pipeline of true commands is | and counts as true
true | true
echo [$status]
if (true | true) echo if takes it as true
true | true && echo so does and
--- stdout
[|]
if takes it as true
so does and
### a pipeline of three joins three statuses (oash; 9base joins two, see differences.md)
true | true | true
echo [$status]
false | true | false
echo [$status]
--- stdout
[||]
[1||1]
### a pipeline ending in a false command is false
true | false
if (true | false) echo true
if not echo false
--- stdout
false
### $status of a failed match is no match
~ a b
echo $status
--- stdout
no match
### backquote substitution sets $status
false
x=`{echo hi}
echo [$status]
x=`{false}
echo $status
--- stdout
[]
1
### $status can be assigned and is a list
status=(a b)
echo $#status
--- stdout
2
### the last command sets the script's status
false
--- status
1
### $ifs holds blank, tab and newline (oash)
echo $#ifs
--- stdout
1
### $home and $path have defaults (oash)
echo $home $path
--- stdout
/tmp /bin /lib/oash/bin
### $$x is the variable whose name is the value of x
y=(a b)
x=y
echo $$x
echo $#$x $"$x
--- stdout
a b
2 a b
### indirection goes as deep as it is written
y=(a b)
x=y
z=x
echo $$$z
--- stdout
a b
### a free caret joins after an indirection
y=1
x=y
echo $$x.c
echo pre$$x
--- stdout
1.c
pre1
### a quoted name, a list and a substitution can name the variable too
y=(a b c)
echo $'y' $(y) $`{echo y}
echo $'y'(2)
--- stdout
a b c a b c a b c
b
### in $$x(2) the subscript is the inner variable's
x=(y z)
z=(1 2)
echo $$x(2)
--- stdout
1 2
### an indirection through an empty list is an error
x=()
echo $$x
echo not reached
--- stderr
oash::runtime

  × a variable name must be one word, not the empty list
   ╭─[vars.t:2:6]
 1 │ x=()
 2 │ echo $$x
   ·      ─┬─
   ·       ╰── this names the variable
 3 │ echo not reached
   ╰────
--- status
a variable name must be one word, not the empty list
### an indirection through a list of two is an error
x=(a b)
echo $#$x
--- stderr
oash::runtime

  × a variable name must be one word, not a list of 2
   ╭─[vars.t:2:6]
 1 │ x=(a b)
 2 │ echo $#$x
   ·      ──┬─
   ·        ╰── this names the variable
   ╰────
--- status
a variable name must be one word, not a list of 2
### $ must be glued to the word that names the variable (oash; 9base reads $ x as $x)
x=1
echo $ x
--- stderr
oash::syntax

  × `$` must be followed by a variable name
   ╭─[vars.t:2:6]
 1 │ x=1
 2 │ echo $ x
   ·      ┬
   ·      ╰── no name here
   ╰────
--- status
`$` must be followed by a variable name
