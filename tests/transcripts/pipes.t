Pipelines and substitution: |, |[n], `{cmd}, <{cmd}.

### a pipeline connects standard output to standard input
echo hello | cat
--- stdout
hello
### a three-stage pipeline
seq 5 | grep -v 3 | wc -l
--- stdout
4
### |[2] pipes standard error
{ echo out; echo err >[1=2] } |[2] grep err
--- stdout
out
err
### a block in a pipeline
{ echo b; echo a } | sort
--- stdout
a
b
### the last member of a pipeline runs in the shell itself
echo x | x=`{cat}
echo $x
seq 3 | y=`{cat}
echo $y
--- stdout
x
1 2 3
### earlier members run in copies of the shell
x=1
x=2 | cat
echo $x
--- stdout
1
### exit as the last member of a pipeline exits
seq 100 | exit 3
echo not reached
--- status
3
### exit in an earlier member ends only that member
exit 3 | echo x
echo [$status]
--- stdout
x
[3|]
### a pipeline member that is a loop
for (i in 3 1 2) echo $i | sort
--- stdout
3
1
2
### a loop whose output is piped
{ for (i in 3 1 2) echo $i } | sort
--- stdout
1
2
3
### a function in a pipeline
fn up { grep -v x }
echo x | up; echo a | up
--- stdout
a
### a newline after | continues the pipeline
echo piped |
cat
--- stdout
piped
### backquote substitution splits output on $ifs
x=`{echo a b; echo c}
echo $#x $x
--- stdout
3 a b c
### backquote substitution with a different $ifs
ifs=:
x=`{echo -n a:b c:d}
echo $#x $x(2)
--- stdout
3 b c
### backquote output drops empty fields
x=`{echo; echo; echo a}
echo $#x
--- stdout
1
### backquote in arguments
echo `{seq 3} | wc -w
--- stdout
3
### backquote joined to text
echo x`{echo a b}
--- stdout
xa xb
### backquote values are not globbed again
echo a > /tmp/x.txt
x=`{echo '/tmp/*'}
echo $x
--- stdout
/tmp/*
### <{cmd} gives a file holding the command's output
cat <{echo proc; echo sub}
--- stdout
proc
sub
### <{cmd} as one argument among others
cat <{echo a} <{echo b}
--- stdout
a
b
### <{cmd} leaves no file behind (oash)
cat <{echo x}
ls /tmp
--- stdout
x
