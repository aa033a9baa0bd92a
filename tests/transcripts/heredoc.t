Here documents: <<tag feeds the lines up to `tag` to standard input.

### a here document
cat <<EOF
line one
line two
EOF
--- stdout
line one
line two
### variables are substituted
x=world
cat <<EOF
hello $x
EOF
--- stdout
hello world
### a list is joined with spaces
x=(a b c)
cat <<EOF
[$x]
EOF
--- stdout
[a b c]
### a caret ends a name and is dropped
x=file
cat <<EOF
$x^s $x.c
EOF
--- stdout
files file.c
### $$ is a dollar sign
cat <<EOF
cost: $$5
EOF
--- stdout
cost: $5
### a dollar with no name is dropped
x=(a b)
cat <<EOF
$#x $ end
EOF
--- stdout
#x  end
### only $name is substituted, not other syntax
x=(a b)
cat <<EOF
$x(1) 'q' `{echo no} {}
EOF
--- stdout
a b(1) 'q' `{echo no} {}
### $1 and $* in a function (oash; 9base rc loses here documents in functions)
fn f {
	cat <<EOF
first $1 all $*
EOF
}
f a b
--- stdout
first a all a b
### substitution happens when the command runs (oash; rc substitutes as it reads the lines)
for (i in 1 2) cat <<EOF
line $i
EOF
--- stdout
line 1
line 2
### a quoted tag turns substitution off
x=world
cat <<'EOF'
hello $x $$
EOF
--- stdout
hello $x $$
### an unset variable gives nothing
cat <<EOF
[$unset]
EOF
--- stdout
[]
### a here document in a pipeline
cat <<EOF | wc -l
1
2
3
EOF
--- stdout
3
### two here documents on one line
cat <<A; cat <<B
one
A
two
B
--- stdout
one
two
### here documents on a block and inside it
{ cat; cat <<X } <<Y
x
X
y
Y
--- stdout
y
x
### commands after the here document run
cat <<EOF
body
EOF
echo after
--- stdout
body
after
### an empty here document
cat <<EOF
EOF
echo done
--- stdout
done
