switch/case: the first case with a matching pattern runs.

### switch picks the matching case
switch (b) {
case a
	echo A
case b
	echo B
case *
	echo other
}
--- stdout
B
### the first matching case wins
switch (abc) {
case a*
	echo first
case *c
	echo second
}
--- stdout
first
### a case can list several patterns
switch (pear) {
case apple pear
	echo fruit
case *
	echo other
}
--- stdout
fruit
### no matching case runs nothing
switch (z) {
case a
	echo a
}
echo done
--- stdout
done
### case * is the default
x=zzz
switch ($x) {
case a
	echo a
case *
	echo default $x
}
--- stdout
default zzz
### case bodies hold several commands
switch (c) {
case c
	echo one; echo two
	echo three
}
--- stdout
one
two
three
### the subject is a list joined by spaces
x=(a b)
switch ($x) {
case a b
	echo element
case 'a b'
	echo joined
}
--- stdout
joined
### an empty subject matches the empty string
switch () {
case ''
	echo empty
}
--- stdout
empty
### the subject needs no parentheses
x=y
switch $x {
case y
	echo yes
}
--- stdout
yes
### switch on one line
switch(c){case a; echo a; case c; echo c}
--- stdout
c
### wildcards in the subject value are literal
x='*'
switch ($x) {
case a
	echo a
case '*'
	echo star
}
--- stdout
star
