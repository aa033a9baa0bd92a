Concatenation: `^` and the free carets rc inserts between glued pieces.

### explicit caret joins two words
echo a^b
--- stdout
ab
### a single element distributes over a list
x=(a b c)
echo $x^1
echo pre-^$x
--- stdout
a1 b1 c1
pre-a pre-b pre-c
### two lists of the same length pair up
echo (a b c)^(1 2 3)
--- stdout
a1 b2 c3
### caret binds left to right
echo (a b)^-^(1 2)
--- stdout
a-1 b-2
### free caret after a variable
x=(main util)
echo $x.c
--- stdout
main.c util.c
### free caret before a variable
x=(a b)
echo pre$x
--- stdout
prea preb
### free caret between quoted and unquoted text
echo 'a'b c'd'
--- stdout
ab cd
### a word glued to a list joins it (oash)
echo x(1 2)
--- stdout
x1 x2
### free caret between two variables
a=(1 2)
b=(x y)
echo $a$b
--- stdout
1x 2y
### no free caret after a subscript, a list or a substitution
x=(1 2)
echo $x(1)b
echo (a b)c
echo `{echo a}b
--- stdout
1 b
a b c
a b
### no free caret before <{cmd}
echo a<{echo b} | wc -w
--- stdout
2
### an explicit caret joins what a free caret would not
x=(1 2)
echo $x(1)^b (a b)^c
--- stdout
1b ac bc
### a blank after a caret still joins
echo a^ b
--- stdout
ab
### caret of a variable with itself
x=(a b)
echo $x^$x
--- stdout
aa bb
### $#x and $"x concatenate too
x=(a b)
echo n$#x $"x^!
--- stdout
n2 a b!
### lists of different lengths are an error
x=(a b)
echo $x^(1 2 3)
echo not reached
--- stderr
oash::runtime

  × mismatched list lengths in concatenation (2 and 3)
   ╭─[carets.t:2:6]
 1 │ x=(a b)
 2 │ echo $x^(1 2 3)
   ·      ─────┬────
   ·           ╰── in this concatenation
 3 │ echo not reached
   ╰────
--- status
mismatched list lengths in concatenation (2 and 3)
### a null list in concatenation is an error
x=()
echo a^$x
echo not reached
--- stderr
oash::runtime

  × null list in concatenation
   ╭─[carets.t:2:6]
 1 │ x=()
 2 │ echo a^$x
   ·      ──┬─
   ·        ╰── in this concatenation
 3 │ echo not reached
   ╰────
--- status
null list in concatenation
### two empty lists concatenate to the empty list
x=()
y=()
z=$x^$y
echo $#z
echo $nothing^$nothing
--- stdout
0

### an unset variable glued to text is an error
echo a$nothing
--- stderr
oash::runtime

  × null list in concatenation
   ╭─[carets.t:1:6]
 1 │ echo a$nothing
   ·      ────┬────
   ·          ╰── in this concatenation
   ╰────
--- status
null list in concatenation
