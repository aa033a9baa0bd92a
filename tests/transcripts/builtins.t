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
flags:
  -n  no newline at the end
examples:
  ; echo hello world
  hello world
  ; echo -n a; echo b
  ab
### help for the language builtins (oash)
for (b in . eval exit return shift true false wait jobs whatis help) help $b | grep -v '^usage'
--- stdout
. - run a script file from the namespace in this shell
examples:
  ; echo 'echo hi $1' > /tmp/s; . /tmp/s there
  hi there
eval - run the arguments, joined by spaces, as shell input
examples:
  ; cmd='echo a; echo b'; eval $cmd
  a
  b
exit - leave the shell or script with a status
examples:
  ; @{ exit 3 }; echo $status
  3
return - leave the current function with a status
examples:
  ; fn f { return 2; echo never }; f; echo $status
  2
shift - drop the first N arguments from $* (all, if fewer)
examples:
  ; *=(a b c); shift 2; echo $*
  c
  ; *=(a b); shift 5; echo $#*
  0
true - do nothing, successfully
examples:
  ; true && echo yes
  yes
false - do nothing, unsuccessfully
examples:
  ; false || echo no
  no
wait - wait for the running jobs (all, or the ones given) and forget them
examples:
  ; echo hi > /tmp/j &; wait; cat /tmp/j
  hi
jobs - list the jobs: running, stopped, and those that ended since the last look
examples:
  ; spawn sleep 5 &; jobs; kill %1; jobs
  [1] running  spawn sleep 5  (tasks 1)
  [1] killed   spawn sleep 5
whatis - show what names are: variables, functions, builtins
examples:
  ; x=(a 'b c'); fn f { echo }; whatis x f cat
  x=(a 'b c')
  fn f { echo }
  builtin cat
help - list the builtins, or show one's synopsis, usage, flags and examples
examples:
  ; help true
  true - do nothing, successfully
  usage: true
  examples:
    ; true && echo yes
    yes
### help for the text builtins (oash)
for (b in seq wc head tail grep sort tee) help $b | grep -v '^usage'
--- stdout
seq - print a sequence of numbers (integers or decimals)
flags:
  -w      pad the numbers with zeros to one width
  -s SEP  put SEP between the numbers instead of a newline
examples:
  ; seq 3
  1
  2
  3
  ; seq -w 8 2 12
  08
  10
  12
  ; seq -s ' ' -2 2
  -2 -1 0 1 2
wc - count lines, words and bytes (single-space separated, in that order)
flags:
  -l  count lines
  -w  count words
  -c  count bytes
examples:
  ; echo one two | wc
  1 2 8
  ; seq 10 | wc -l
  10
head - print the first lines (10 unless told), or -c N bytes, of each input
flags:
  -n N  print the first N lines (-N says the same)
  -c N  print the first N bytes instead of lines
examples:
  ; seq 5 | head -n 2
  1
  2
  ; echo hello | head -c 4; echo
  hell
tail - print the last lines (10 unless told) of each input, or from line +N on; -f follows a file
flags:
  -f    follow the file as it grows, until Ctrl-C (or -m)
  -m N  with -f: stop once N lines were printed in all
  -n N  the last N lines (-N says the same); +N: from line N on
examples:
  ; seq 5 | tail -n 2
  4
  5
  ; seq 5 | tail -n +4
  4
  5
grep - print lines that match a pattern (POSIX basic regex; -E extended, -F fixed)
flags:
  -v      print the lines that do not match
  -i      ignore case
  -c      print how many lines match, not the lines
  -n      put each line's number before it
  -l      print only the names of files with a match
  -q      print nothing: the status says whether a line matched
  -s      say nothing about files that cannot be read
  -x      match whole lines only
  -w      match whole words only
  -F      the patterns are fixed strings
  -E      the patterns are extended regular expressions
  -h      never put the file's name before a line
  -H      always put the file's name before a line
  -e PAT  a pattern (several -e: a line matching any)
examples:
  ; seq 12 | grep 1
  1
  10
  11
  12
  ; seq 12 | grep -c -e 2 -e 3
  3
sort - sort lines (stable; -n numeric, -k N[,M] fields, -t separator)
flags:
  -r        reverse the order
  -n        compare as numbers
  -u        keep one of each run of equal lines
  -f        fold lower case to upper case when comparing
  -k N[,M]  compare fields N to M (counted from 1; M: to the end)
  -t SEP    fields are separated by the one character SEP (blanks unless told)
examples:
  ; {echo 10; echo 9; echo 100} | sort -n
  9
  10
  100
  ; seq 3 | sort -r
  3
  2
  1
tee - copy standard input to standard output and to each file
flags:
  -a  append to the files instead of truncating them
examples:
  ; echo hi | tee /tmp/copy; cat /tmp/copy
  hi
  hi
### help for the file builtins (oash)
for (b in cd pwd cat ls mkdir rm mv cp) help $b | grep -v '^usage'
--- stdout
cd - change the working directory ($home when none is given)
examples:
  ; cd /tmp; pwd
  /tmp
pwd - print the working directory
examples:
  ; cd /; pwd
  /
cat - copy each file (standard input when none, or for -) to standard output
examples:
  ; echo a > /tmp/a; echo b | cat /tmp/a -
  a
  b
ls - list each directory's entries (the working directory's by default), or name files
flags:
  -a  show names that start with .
  -d  list a directory itself, not its entries
  -l  kind, permissions, size and time before each name
  -p  put / after each directory's name
  -F  the same as -p
  -t  sort by modification time, newest first
  -r  reverse the order of the sort
  -1  one name per line (the only layout)
examples:
  ; mkdir /tmp/d; echo > /tmp/f; ls -p /tmp
  d/
  f
  ; ls -d /tmp
  /tmp
mkdir - make directories (-p: with their parents, quietly if they exist)
flags:
  -p  make missing parents too; a directory that exists is fine
examples:
  ; mkdir -p /tmp/a/b; ls /tmp/a
  b
rm - remove files (-r: directories and their contents; -f: missing is fine)
flags:
  -r  remove directories and everything in them
  -R  the same as -r
  -f  a file that does not exist is not an error
examples:
  ; mkdir -p /tmp/d/e; rm -r /tmp/d; ls /tmp
mv - rename SRC to DST, or move each SRC into the directory DST
flags:
  -f  accepted for habit: mv never asks before replacing
examples:
  ; echo hi > /tmp/a; mv /tmp/a /tmp/b; ls /tmp
  b
cp - copy files (-r: directories too); into DST when it is a directory
flags:
  -r  copy directories and everything in them
  -R  the same as -r
examples:
  ; echo hi > /tmp/a; cp /tmp/a /tmp/b; cat /tmp/b
  hi
### help for the namespace builtins (oash)
for (b in mount unmount ns rhai) help $b | grep -v '^usage'
--- stdout
mount - mount a service on a directory (-b/-a: union before/after, -c: new files go here)
flags:
  -a  union: searched after what is there
  -b  union: searched before what is there
  -c  new files made in the union go here
examples:
  ; mkdir /n/m; mount mem /n/m; echo hi > /n/m/f; ls /n/m
  f
  ; mkdir /n/m; mount map 'motd=hello' /n/m; cat /n/m/motd; echo
  hello
unmount - undo the most recent mount or bind on OLD, or with NEW only what came from NEW
examples:
  ; mkdir /n/m; mount mem /n/m; echo hi > /n/m/f; unmount /n/m; ls /n/m
ns - print the mount table as the newns, mount and bind commands that rebuild it
examples:
  ; newns; mount -c mem /tmp; ns
  newns
  mount -c mem /tmp
rhai - run Rhai code (inline, from a namespace file, or from standard input) against the namespace
flags:
  -c CODE  run CODE rather than a file or standard input
examples:
  ; rhai { let x = 1 + 2; print(`x is ${x}`) }
  x is 3
  ; rhai -c 'print(ARGS[0] + "!")' hi
  hi!
  ; rhai -c 'write("/tmp/x", "made by rhai")'; cat /tmp/x; echo
  made by rhai
functions (besides Rhai's standard library):
  spawn(string) -> Task, spawn(string, map) -> Task   (see help tasks)
  Task.id() -> i64
  Task.kill()
  Task.status() -> string
  Task.stderr() -> string
  Task.stdout() -> string
  Task.wait() -> string
  agent_new() -> string
  agent_new(string) -> string
  agent_rm(string)
  agents() -> array
  append(string, string)
  bind(string, string)
  bind(string, string, string)
  cowdiff(string) -> string
  cwd() -> string
  limits() -> map
  ls() -> array
  ls(string) -> array
  mkdir(string)
  mkdir(string, bool)
  mount(string, array, string)
  mount(string, array, string, string)
  mount(string, string)
  mount_func(string, map)
  mount_map(string, map)
  newns()
  ns() -> string
  read(string) -> string
  rfork(string)
  rm(string)
  rm(string, bool)
  send(string, string) -> string
  send(string, string, map) -> string
  send_all(array) -> array
  set_limit(string, i64)
  set_limit(string, string)
  unmount(string)
  unmount(string, string)
  with_ns(Fn) -> any
  write(string, string)
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
### the language's keywords are help topics (oash)
for (k in if for while switch case fn '~' '!' '@' '@{' 'if not' test) help $k | head -n 1
--- stdout
if - run a command when a condition is true
for - run a command once for each word of a list
while - run a command as long as a condition is true
switch - run the commands of the first case whose pattern matches a word
switch - run the commands of the first case whose pattern matches a word
fn - define a function, or delete one
~ - match a word against patterns
! - run a command and invert its status
@ - run a command in a copy of the shell
@ - run a command in a copy of the shell
if - run a command when a condition is true
test - the files `oash test` runs: transcripts, test scripts and book chapters
### help on a keyword shows its forms, what it means and examples (oash)
help while
--- stdout
while - run a command as long as a condition is true
usage: while (LIST) CMD
LIST runs before every turn; the loop ends the first time its status is false.
examples:
  ; n=()
  ; while (! ~ $#n 3) n=($n x)
  ; echo $#n
  3
### help lists the keyword topics (oash)
help | grep '^keywords:\|^tests:'
--- stdout
keywords: help if, for, while, switch, fn, ~, !, @
tests: `help test` (the files `oash test` runs)
