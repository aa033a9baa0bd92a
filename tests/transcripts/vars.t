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
### a pipeline is true only when every member is (oash; rc gives |)
true | true
echo [$status]
--- stdout
[]
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
