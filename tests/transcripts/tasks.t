WASI tasks: guests (tests/wasm, shipped in /lib/oash/bin) run by `spawn` or by bare name
found on $path, inside the shell's namespace, with limits, in pipelines and in the
background (all oash).

### spawn runs a guest with its arguments
spawn echo hello   world
--- stdout
hello world
### a bare name is looked up on $path, NAME.wasm first
hello
whatis hello
echo $path
--- stdout
hello
/lib/oash/bin/hello.wasm
/bin /lib/oash/bin
### a module given by its path, relative to the cwd
cd /lib/oash/bin
./hello.wasm
spawn hello.wasm
--- stdout
hello
hello
### a file without .wasm is found on $path when it starts with the wasm magic
cat /lib/oash/bin/hello.wasm > /bin/greet
greet
echo not wasm > /bin/text
text
--- stdout
hello
--- stderr
oash::unknown_command

  × text: command not found
   ╭─[tasks.t:4:1]
 3 │ echo not wasm > /bin/text
 4 │ text
   · ──┬─
   ·   ╰── not found
   ╰────
  help: not a builtin, a function, or a program on $path; `help` lists the builtins
--- status
text: command not found
### /bin comes first on $path: a module there hides the shipped one
cat /lib/oash/bin/echo.wasm > /bin/hello.wasm
hello from bin
--- stdout
from bin
### a guest reads and writes files in mem
echo abc > /tmp/f
spawn cat /tmp/f
spawn write /tmp/w written by a guest
cat /tmp/w
spawn write -a /tmp/w again
spawn wc /tmp/w
--- stdout
abc
written by a guest
2 5 25 /tmp/w
### a guest makes, renames and removes files the shell then sees
fsops mkdir /tmp/d
fsops stat /tmp/d
spawn write /tmp/d/x one
fsops mv /tmp/d/x /tmp/d/y
ls /tmp/d
fsops rm /tmp/d/y
fsops rmdir /tmp/d
ls /tmp
--- stdout
dir 0
y
### the ls guest lists what the ls builtin lists
mkdir -p /tmp/d/sub
echo 1 > /tmp/d/b; echo 2 > /tmp/d/a; echo 3 > /tmp/d/.hidden
spawn ls /tmp/d
ls /tmp/d
x=`{spawn ls /tmp/d}; y=`{ls /tmp/d}; ~ $"x $"y && echo same
--- stdout
a
b
sub
a
b
sub
same
### guests inside a cow directory: writes land in the upper layer
mkdir -p /tmp/src /tmp/c
echo original > /tmp/src/f
mount cow /tmp/src /tmp/c
spawn cat /tmp/c/f
spawn write /tmp/c/f changed by a guest
spawn cat /tmp/c/f
cat /tmp/src/f
cowdiff /tmp/c
--- stdout
original
changed by a guest
original
M /tmp/c/f
### guests inside a union directory
mkdir -p /tmp/a /tmp/b /tmp/u
echo from a > /tmp/a/x
echo from b > /tmp/b/y
bind /tmp/a /tmp/u
bind -a /tmp/b /tmp/u
spawn ls /tmp/u
spawn cat /tmp/u/x /tmp/u/y
x=`{spawn ls /tmp/u}; y=`{ls /tmp/u}; ~ $"x $"y && echo same
--- stdout
x
y
from a
from b
same
### a guest's exit code becomes $status
spawn exit 3
echo $status
exit.wasm 0
echo [$status]
spawn exit 255
echo $status
--- stdout
3
[]
255
### a trap is a failed status carrying the trap message, and the shell goes on
spawn exit trap
echo $status
echo still here
--- stdout
trap: wasm trap: wasm `unreachable` instruction executed
still here
### a missing module is an error naming the path
spawn nothing-here
echo $status
spawn /tmp/missing.wasm a b
--- stdout
spawn: /nothing-here: cannot read module: /nothing-here: file does not exist
--- stderr
oash::task

  × spawn: /nothing-here: cannot read module: /nothing-here: file does not exist
   ╭─[tasks.t:1:7]
 1 │ spawn nothing-here
   ·       ──────┬─────
   ·             ╰── this argument
 2 │ echo $status
   ╰────
oash::task

  × spawn: /tmp/missing.wasm: cannot read module: /tmp/missing.wasm: file does not exist
   ╭─[tasks.t:3:7]
 2 │ echo $status
 3 │ spawn /tmp/missing.wasm a b
   ·       ────────┬────────
   ·               ╰── this argument
   ╰────
--- status
spawn: /tmp/missing.wasm: cannot read module: /tmp/missing.wasm: file does not exist
### a file that is not WebAssembly is refused after its first bytes
echo not wasm > /tmp/bad.wasm
spawn /tmp/bad.wasm
spawn /dev/zero
echo '(module)' > /tmp/empty.wat
spawn /tmp/empty.wat
--- stderr
oash::task

  × spawn: /tmp/bad.wasm: not a valid WebAssembly module: it does not start with the WebAssembly
  │ magic \0asm
   ╭─[tasks.t:2:7]
 1 │ echo not wasm > /tmp/bad.wasm
 2 │ spawn /tmp/bad.wasm
   ·       ──────┬──────
   ·             ╰── this argument
 3 │ spawn /dev/zero
   ╰────
oash::task

  × spawn: /dev/zero: not a valid WebAssembly module: it does not start with the WebAssembly magic
  │ \0asm
   ╭─[tasks.t:3:7]
 2 │ spawn /tmp/bad.wasm
 3 │ spawn /dev/zero
   ·       ────┬────
   ·           ╰── this argument
 4 │ echo '(module)' > /tmp/empty.wat
   ╰────
oash::task

  × spawn: /tmp/empty.wat: not a WASI command: no `_start` export
   ╭─[tasks.t:5:7]
 4 │ echo '(module)' > /tmp/empty.wat
 5 │ spawn /tmp/empty.wat
   ·       ───────┬──────
   ·              ╰── this argument
   ╰────
--- status
spawn: /tmp/empty.wat: not a WASI command: no `_start` export
### a deadline stops an endless loop, and the shell goes on
spawn -t 50ms loop
echo $status
echo still here
--- stdout
deadline exceeded
still here
### a memory cap stops a memory bomb, and the shell goes on
spawn -m 8M membomb
echo $status
spawn echo still here
--- stdout
memory cap exceeded
still here
### fuel runs out
spawn -f 100000 loop
echo $status
--- stdout
out of fuel
### bad limits are usage errors
spawn -t soon loop
spawn -m lots membomb
--- stderr
oash::usage

  × spawn: not a duration: 'soon' (say 100ms, 2s, 1m)
   ╭─[tasks.t:1:10]
 1 │ spawn -t soon loop
   ·          ──┬─
   ·            ╰── bad usage
 2 │ spawn -m lots membomb
   ╰────
  help: usage: spawn [-s] [-p PRIORITY] [-t DEADLINE] [-m MEMORY] [-f FUEL] MODULE [ARG...]
oash::usage

  × spawn: not a size: 'lots' (say 65536, 64k, 64M, 1G)
   ╭─[tasks.t:2:10]
 1 │ spawn -t soon loop
 2 │ spawn -m lots membomb
   ·          ──┬─
   ·            ╰── bad usage
   ╰────
  help: usage: spawn [-s] [-p PRIORITY] [-t DEADLINE] [-m MEMORY] [-f FUEL] MODULE [ARG...]
--- status
spawn: not a size: 'lots' (say 65536, 64k, 64M, 1G)
### the escape guest finds every way out denied
spawn escape
--- stdout
preopens: 3=/
read fds 3..64 never opened: denied (Bad file descriptor)
write to fd 99: denied (Bad file descriptor)
open ../../etc/passwd: denied (No such file or directory)
open /etc/passwd: denied (No such file or directory)
open /../../../etc/passwd: denied (No such file or directory)
open ../ x 64 + etc/passwd: denied (No such file or directory)
raw path_open(3, ../etc/passwd): denied (No such file or directory)
raw path_open(3, /etc/passwd): denied (Capabilities insufficient)
chdir /.. then open etc/passwd: denied (No such file or directory)
opendir /.. for names other than /'s: denied (same names as /)
close stderr, then write to fd 2: denied (Bad file descriptor)
reopen after closing stderr, write to the new fd: denied (fd 2: Bad file descriptor)
escaped: 0 of 12
### builtin | guest | builtin
seq 3 | spawn cat | sort -r
echo hello | upper | wc
echo mixed Case | upper | spawn wc -c
--- stdout
3
2
1
1 1 6
11
### guest | guest | guest, and a guest reading a redirection
echo one two > /tmp/in
spawn cat /tmp/in | upper | spawn wc
upper < /tmp/in
--- stdout
1 2 8
ONE TWO
### a pipeline status lists each member's
spawn exit 2 | spawn exit 0 | upper
echo $status
--- stdout
2||
### a background guest, then wait and ps
spawn echo background > /tmp/bg &
wait
cat /tmp/bg
ps | grep -c completed
--- stdout
background
1
### kill stops a background guest; ps shows it killed
spawn sleep 10 &
while (! ps | grep -q running) true
kill 1
wait
echo $status
ps | grep -c killed
--- stdout
killed
1
### kill %N kills the tasks of & job N; jobs shows them
spawn sleep 10 &
while (! ps | grep -q running) true
jobs
kill %$apid
wait $apid
echo $status
kill %7
--- stdout
[1] running  spawn sleep 10  (tasks 1)
killed
--- stderr
oash::job

  × kill: no job 7
   ╭─[tasks.t:7:6]
 6 │ echo $status
 7 │ kill %7
   ·      ─┬
   ·       ╰── this argument
   ╰────
  help: `jobs` lists the jobs
--- status
kill: no job 7
### kill of an unknown or ended task
kill 99
spawn echo x
kill 1
kill x
--- stdout
x
--- stderr
oash::task

  × kill: no such task: 99
   ╭─[tasks.t:1:6]
 1 │ kill 99
   ·      ─┬
   ·       ╰── this argument
 2 │ spawn echo x
   ╰────
oash::task

  × kill: task 1 has already ended
   ╭─[tasks.t:3:6]
 2 │ spawn echo x
 3 │ kill 1
   ·      ┬
   ·      ╰── this argument
 4 │ kill x
   ╰────
oash::usage

  × kill: `x` is not a task id or %job
   ╭─[tasks.t:4:6]
 3 │ kill 1
 4 │ kill x
   ·      ┬
   ·      ╰── bad usage
   ╰────
  help: usage: kill ID|%JOB...
--- status
kill: `x` is not a task id or %job
### tasklimit sets how many queued tasks run at once
tasklimit 2
tasklimit
tasklimit 0
--- stdout
2
--- stderr
oash::usage

  × tasklimit: `0` is not a positive count
   ╭─[tasks.t:3:11]
 2 │ tasklimit
 3 │ tasklimit 0
   ·           ┬
   ·           ╰── bad usage
   ╰────
  help: usage: tasklimit [N]
--- status
tasklimit: `0` is not a positive count
### the Rhai spawn runs the same core: same output, same status
echo one two | spawn wc
rhai -c 'let h = spawn("wc", #{stdin: "one two\n"}); print(h.wait() == ""); print(h.stdout())'
spawn exit trap
echo $status
rhai -c 'let h = spawn("exit", #{args: ["trap"]}); print(h.wait()); print(h.status())'
--- stdout
1 2 8
true
1 2 8

trap: wasm trap: wasm `unreachable` instruction executed
trap: wasm trap: wasm `unreachable` instruction executed
failed: trap: wasm trap: wasm `unreachable` instruction executed
### a module in WebAssembly text runs too
echo '(module (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))' > /tmp/seven.wat
echo '(memory (export "memory") 1) (func (export "_start") (call $exit (i32.const 7))))' >> /tmp/seven.wat
spawn /tmp/seven.wat
echo $status
--- stdout
7
### help tasks and help spawn
help tasks | head -1
help spawn
--- stdout
Programs are WebAssembly (WASI preview1) modules that run inside the shell's namespace.
spawn - run a WASI module as a task in the foreground, with limits
usage: spawn [-s] [-p PRIORITY] [-t DEADLINE] [-m MEMORY] [-f FUEL] MODULE [ARG...]
flags:
  -s           share the shell's environment with the task
  -p PRIORITY  the scheduler's priority (higher runs first)
  -t DEADLINE  kill the task after this long (100ms, 2s, 1m)
  -m MEMORY    the most memory it may grow to (64k, 64M, 1G)
  -f FUEL      the most instructions (fuel units) it may run
examples:
  ; spawn -t xyz hello || echo refused
  refused
### a Rhai handle keeps at most the string limit of a guest's output
rhai -c 'let h = spawn("cat", #{args: ["/dev/zero"]}); print(h.wait()); print(h.stdout().len()); print(h.stderr())'
--- stdout
1
1048576
cat: write error: I/O error

