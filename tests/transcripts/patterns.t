Patterns: ~ matching and globbing over the namespace.

### ~ matches a subject against patterns
~ abc a*
echo [$status]
~ abc x* *c
echo [$status]
--- stdout
[]
[]
### ~ fails with no match
~ abc x*
echo $status
--- stdout
no match
### ? and [...] in patterns
~ cat c?t && echo q
~ cat [bc]at && echo class
~ cat [a-c]at && echo range
~ cat [~c]at || echo negated
--- stdout
q
class
range
negated
### quoted wildcards are literal
~ abc 'a*' || echo literal
~ 'a*' 'a*' && echo same
--- stdout
literal
same
### wildcards from a variable's value are literal
x='a*'
~ abc $x || echo no
~ 'a*' $x && echo yes
--- stdout
no
yes
### the subject is the joined list
x=(a b)
~ $x b || echo not b
~ $x 'a b' && echo joined
~ b $x && echo any pattern
--- stdout
not b
joined
any pattern
### an empty subject matches only the empty string
x=()
~ $x '' && echo empty
~ $x * && echo star
--- stdout
empty
star
### ~ with no patterns fails
~ a
echo $status
--- stdout
no match
### globbing expands over the namespace
echo a > /tmp/x.txt
echo b > /tmp/y.txt
echo c > /tmp/z.log
echo /tmp/*.txt
echo /tmp/?.log
echo /tmp/[xz]*
--- stdout
/tmp/x.txt /tmp/y.txt
/tmp/z.log
/tmp/x.txt /tmp/z.log
### a glob that matches nothing stays as written
echo /tmp/*.none
--- stdout
/tmp/*.none
### a glob relative to the working directory
echo a > /tmp/m.txt
echo b > /tmp/n.txt
cd /tmp
echo *.txt
--- stdout
m.txt n.txt
### globbed names come out sorted
echo > /tmp/c; echo > /tmp/a; echo > /tmp/b
echo /tmp/?
--- stdout
/tmp/a /tmp/b /tmp/c
### a quoted star does not glob
echo a > /tmp/x.txt
echo '/tmp/*.txt' /tmp/'*'.txt
--- stdout
/tmp/*.txt /tmp/*.txt
### a star from a variable does not glob
echo a > /tmp/x.txt
x=/tmp/*
y='/tmp/*'
echo $x $y
--- stdout
/tmp/x.txt /tmp/*
### glob pieces joined by carets
echo a > /tmp/x.txt
d=/tmp
echo $d/*.txt
--- stdout
/tmp/x.txt
### a star does not match a leading dot
echo a > /tmp/.hidden
echo a > /tmp/shown
echo /tmp/*
--- stdout
/tmp/.hidden /tmp/shown
