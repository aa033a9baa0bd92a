Lists: the only values. A list is never re-split once made.

### a list assignment and its count
x=(a b c)
echo $x
echo $#x
--- stdout
a b c
3
### a quoted element with a blank stays one element
x=(a 'b c' d)
echo $#x
--- stdout
3
### a value with blanks is never re-split
x='a b c'
echo $#x
y=$x
echo $#y
--- stdout
1
1
### nested lists flatten and empty lists vanish
x=(a (b c) () d)
echo $#x $x
--- stdout
4 a b c d
### an unset variable is the empty list
echo $#nothing
echo [$#nothing]
--- stdout
0
[0]
### x=() empties a variable
x=(a b)
x=()
echo $#x
--- stdout
0
### $"x joins the list into one word
x=(a b c)
y=$"x
echo $#y $y
--- stdout
1 a b c
### $"x of an empty list is one empty word
x=()
y=$"x
echo $#y
--- stdout
1
### subscripts pick elements
x=(a b c d e)
echo $x(2)
echo $x(1 3)
echo $x(5 1)
--- stdout
b
a c
e a
### ranges n-m and n-
x=(a b c d e)
echo $x(2-4)
echo $x(3-)
--- stdout
b c d
c d e
### a subscript out of range is empty
x=(a b c)
y=$x(7)
echo $#y
y=$x(0)
echo $#y
--- stdout
0
0
### subscripts can come from variables
x=(a b c)
i=2
echo $x($i)
--- stdout
b
### $* and its subscripts in a function
fn f { echo $#* $*(2) $2 }
f a b c
--- stdout
3 b b
### arguments are counted, not re-split
fn f { echo $#* }
x=('a b' c)
f $x
f $"x
--- stdout
2
1
### blanks around = do not matter
x = (1 2)
y= 3
echo $x $y
--- stdout
1 2 3
### x= with nothing after the = is a syntax error
x=
--- stderr
oash::syntax

  × syntax error: unexpected newline
   ╭─[lists.t:1:3]
 1 │ x=
   ·   ┬
   ·   ╰── expected a value after `=` (`()` for the empty list)
   ╰────
--- status
syntax error: unexpected newline
### x=() is the empty list
x=(a)
x=()
echo $#x
--- stdout
0
### a newline inside a list is a syntax error
x=(a
b)
--- stderr
oash::syntax

  × syntax error: unexpected newline
   ╭─[lists.t:1:5]
 1 │ x=(a
   ·     ┬
   ·     ╰── expected `)` closing the list
 2 │ b)
   ╰────
  help: end the line with `\` to continue the list
--- status
syntax error: unexpected newline
### a backslash at the end of the line continues a list
x=(a \
b)
echo $#x
--- stdout
2
