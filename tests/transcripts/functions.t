Functions: fn, $*, $1, $#*, shift, return.

### a function sees its arguments
fn f { echo $#* args: $* first: $1 }
f a b c
--- stdout
3 args: a b c first: a
### $1 is the first argument
fn f { echo $1 }
f x
--- stdout
x
### shift drops the first argument
fn f { shift; echo $* }
f a b c
--- stdout
b c
### shift n drops n arguments
fn f { shift 2; echo $* }
f 1 2 3 4
--- stdout
3 4
### the caller's $* is restored after a call
fn f { echo in $* }
fn g { f x y; echo out $* }
g a b
--- stdout
in x y
out a b
### a function's status is its last command's
fn f { false }
f
echo $status
--- stdout
1
### fn name deletes a function
fn f { echo hi }
f
fn f
whatis f
--- stdout
hi
--- stderr
whatis: f: not found
--- status
1
### one fn can define several names
fn a b { echo same }
a
b
--- stdout
same
same
### functions can recurse
fn count {
	if (! ~ $#* 0) {
		echo $1
		shift
		count $*
	}
}
count 1 2 3
--- stdout
1
2
3
--- status
false
### a function redefines a builtin
fn echo { builtin echo wrapped $* }
echo x
--- stdout
wrapped x
### variables set in a function are global
fn f { inner=set }
f
echo $inner
--- stdout
set
### a function body is evaluated at each call
x=1
fn f { echo $x }
x=2
f
--- stdout
2
### return leaves a function with a status (oash)
fn f { echo before; return 3; echo after }
f
echo $status
--- stdout
before
3
### return with no status is true (oash)
fn f { false; return }
f
echo [$status]
--- stdout
[1]
### exit inside a function ends the script
fn f { echo bye; exit 4 }
f
echo not reached
--- stdout
bye
--- status
4
