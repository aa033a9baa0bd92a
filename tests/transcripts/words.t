Words: quoting, comments, and how text becomes arguments.
Cases checked against Plan 9 rc (9base) unless the name says (oash).

### echo joins its arguments with one space
echo hello    world
--- stdout
hello world
### single quotes keep blanks and special characters
echo 'a  b;c|d&e$f'
--- stdout
a  b;c|d&e$f
### a doubled quote inside quotes is a quote
echo 'it''s'
--- stdout
it's
### double quotes are ordinary characters in rc
echo "a"
--- stdout
"a"
### an empty quoted word is an argument
fn n { echo $#* }
n '' ''
--- stdout
2
### a comment runs to the end of the line
echo one # two three
--- stdout
one
### a hash inside a word starts a comment
echo a#b c
--- stdout
a
### a quoted hash is literal
echo 'a#b' c
--- stdout
a#b c
### a backslash-newline continues the line
echo a \
  b
--- stdout
a b
### a backslash is otherwise an ordinary character
echo a\b
--- stdout
a\b
### semicolons and newlines separate commands
echo a; echo b
echo c
--- stdout
a
b
c
### echo -n leaves off the newline
echo -n a; echo b
--- stdout
ab
### keywords are ordinary words after the command name
echo if for while switch fn in not
--- stdout
if for while switch fn in not
### a quoted keyword is not a keyword
fn if { echo called }
'if'
--- stdout
called
