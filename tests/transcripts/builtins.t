The language's builtins: eval . exit shift wait whatis help true false.

### eval runs its arguments as shell input
x=(a b)
eval echo '$x' hi
--- stdout
a b hi
### eval sees and sets the shell's variables
eval 'y=3'
echo $y
--- stdout
3
### eval of a compound command
eval 'for (i in 1 2) echo $i'
--- stdout
1
2
### . runs a file in this shell with arguments
echo 'echo sourced $1 $#*; z=set' > /tmp/s.rc
. /tmp/s.rc A B
echo $z
--- stdout
sourced A 2
set
### exit with a status
echo before
exit 3
echo not reached
--- stdout
before
--- status
3
### exit with no status keeps the last status
false
exit
--- status
1
### exit 0 is true
exit 0
### exit from a subshell ends only the subshell
@{ exit 2 }
echo $status
--- stdout
2
### exit inside . ends the script
echo 'exit 5' > /tmp/e.rc
. /tmp/e.rc
echo not reached
--- status
5
### wait for several background jobs
{ echo a > /tmp/a } &
{ echo b > /tmp/b } &
wait
cat /tmp/a /tmp/b
--- stdout
a
b
### whatis a variable
x=(a b 'c d')
whatis x
--- stdout
x=(a b 'c d')
### whatis a one-element variable
z=one
whatis z
--- stdout
z=one
### whatis a builtin
whatis cd
--- stdout
builtin cd
### whatis a function (oash)
fn f { echo hi; echo $1 }
whatis f
--- stdout
fn f { echo hi; echo $1 }
### whatis an empty variable (oash)
y=()
whatis y
--- stdout
y=()
### whatis several names (oash)
x=1
fn g { }
whatis x g echo
--- stdout
x=1
fn g { }
builtin echo
### whatis an unknown name (oash)
whatis nosuch
--- stderr
whatis: nosuch: not found
--- status
1
### true and false
true && echo t
false || echo f
--- stdout
t
f
### help lists the builtins (oash)
help | grep '^  echo '
--- stdout
  echo     print the arguments, separated by spaces
### help NAME gives a builtin's synopsis and usage (oash)
help echo
--- stdout
echo - print the arguments, separated by spaces
usage: echo [-n] [ARG...]
### help for the language builtins (oash)
for (b in . eval exit return shift true false wait jobs whatis help) help $b | grep -v '^usage'
--- stdout
. - run a script file from the namespace in this shell
eval - run the arguments, joined by spaces, as shell input
exit - leave the shell or script with a status
return - leave the current function with a status
shift - drop the first N arguments from $*
true - do nothing, successfully
false - do nothing, unsuccessfully
wait - wait for background jobs (all, or the one given)
jobs - list background jobs
whatis - show what names are: variables, functions, builtins
help - list the builtins, or show one's synopsis and usage
### help for the text builtins (oash)
for (b in seq wc head tail grep sort tee) help $b | grep -v '^usage'
--- stdout
seq - print a sequence of numbers (integers or decimals)
wc - count lines, words and bytes (single-space separated, in that order)
head - print the first lines (10 unless told), or -c N bytes, of each input
tail - print the last lines (10 unless told) of each input, or from line +N on; -f follows a file
grep - print lines that match a pattern (POSIX basic regex; -E extended, -F fixed)
sort - sort lines (stable; -n numeric, -k N[,M] fields, -t separator)
tee - copy standard input to standard output and to each file
### help for the file builtins (oash)
for (b in cd pwd cat ls mkdir rm mv cp) help $b | grep -v '^usage'
--- stdout
cd - change the working directory ($home when none is given)
pwd - print the working directory
cat - copy each file (standard input when none, or for -) to standard output
ls - list each directory's entries (the working directory's by default), or name files
mkdir - make directories (-p: with their parents, quietly if they exist)
rm - remove files (-r: directories and their contents; -f: missing is fine)
mv - rename SRC to DST, or move each SRC into the directory DST
cp - copy files (-r: directories too); into DST when it is a directory
### help for the namespace builtins (oash)
for (b in mount unmount ns rhai) help $b | grep -v '^usage'
--- stdout
mount - mount a service on a directory (-b/-a: union before/after, -c: new files go here)
unmount - undo the most recent mount or bind on OLD, or with NEW only what came from NEW
ns - print the mount table as the newns, mount and bind commands that rebuild it
rhai - run Rhai code (inline, from a namespace file, or from standard input) against the namespace
### every builtin has a help entry (oash)
ifs='
'
for (line in `{help | grep '^  '}) {
	ifs=' ' { w=`{echo $line} }
	help $w(1) > /tmp/h || echo no help for $w(1)
}
### help of an unknown name fails (oash)
help nosuch
--- stderr
help: no help for `nosuch`
--- status
1
