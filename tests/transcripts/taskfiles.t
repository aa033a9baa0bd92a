The task files: WASI tasks made, shaped, started and watched through `/task` alone, WANIX
style (all oash). The guests are the ones shipped in `/lib/oash/bin`.

### reading /task/new/wasi makes a created task and gives its id (oash)
ls /task
id=`{cat /task/new/wasi}
echo id $id
ls /task
ls /task/$id /task/$id/fd
cat /task/$id/status
cat /task/$id/exit /task/$id/cmd /task/$id/args
echo exit, cmd and args are empty
--- stdout
new
id 1
1
new
/task/1:
args
cmd
ctl
env
exit
fd
ns
status

/task/1/fd:
0
1
2
created
exit, cmd and args are empty
### echo's arguments come from the args file, its output from fd/1 (oash)
id=`{cat /task/new/wasi}
echo /lib/oash/bin/echo.wasm > /task/$id/cmd
{ echo hello; echo 'big world' } > /task/$id/args
cat /task/$id/cmd /task/$id/args
echo start > /task/$id/ctl
cat /task/$id/fd/1
cat /task/$id/status /task/$id/exit
cat /task/$id/fd/2
row=`{ps | grep echo.wasm}
echo $row(1) $row(2) $row(5) $row(6) $row(7) $row(8)
--- stdout
/lib/oash/bin/echo.wasm
hello
big world
hello big world
completed
0
1 completed /lib/oash/bin/echo.wasm hello big world
### args written with >> add to the list; env takes NAME=VALUE lines (oash)
cd /tmp
id=`{cat /task/new/wasi}
echo /lib/oash/bin/env.wasm > /task/$id/cmd
echo one > /task/$id/args
echo two >> /task/$id/args
echo 'GREETING=hi there' > /task/$id/env
echo start > /task/$id/ctl
cat /task/$id/fd/1
--- stdout
GREETING=hi there
PWD=/tmp
--
env
one
two
### upper reads what is written to fd/0; the close is its end of file (oash)
id=`{cat /task/new/wasi}
echo /lib/oash/bin/upper.wasm > /task/$id/cmd
echo start > /task/$id/ctl
{ echo 'quiet words'; echo more } > /task/$id/fd/0
cat /task/$id/fd/1
cat /task/$id/status
--- stdout
QUIET WORDS
MORE
completed
### ctl bind and mount shape the task's own namespace; ls sees it, the shell does not (oash)
mkdir /tmp/seen; echo x > /tmp/seen/a; echo y > /tmp/seen/b
cd /tmp
id=`{cat /task/new/wasi}
echo /lib/oash/bin/ls.wasm > /task/$id/cmd
echo /n > /task/$id/args
echo 'bind seen /n' > /task/$id/ctl
echo 'mount -a map ''motd=hi there'' /n' > /task/$id/ctl
cat /task/$id/ns | tail -n 2
echo start > /task/$id/ctl
cat /task/$id/fd/1
echo '-- the shell''s /n'
ls /n
bind seen /n; mount -a map 'motd=hi there' /n
ls /n
--- stdout
bind /tmp/seen /n
mount -a map 'motd=hi there' /n
a
b
motd
-- the shell's /n
a
b
motd
### a task's namespace is copied when it is made, not when it starts (oash)
mkdir /tmp/d
id=`{cat /task/new/wasi}
echo /lib/oash/bin/ls.wasm > /task/$id/cmd
echo /tmp/d > /task/$id/args
echo late > /tmp/d/file
bind /lib /tmp/d
echo start > /task/$id/ctl
cat /task/$id/fd/1
--- stdout
file
### status and exit follow the task: created, then completed with its code (oash)
id=`{cat /task/new/wasi}
echo /lib/oash/bin/exit.wasm > /task/$id/cmd
echo 3 > /task/$id/args
cat /task/$id/status
echo start > /task/$id/ctl
cat /task/$id/fd/1
cat /task/$id/status /task/$id/exit
--- stdout
created
completed 3
3
### kill stops a looping task; its status and exit say killed (oash)
id=`{cat /task/new/wasi}
echo /lib/oash/bin/loop.wasm > /task/$id/cmd
echo start > /task/$id/ctl
~ `{cat /task/$id/status} queued running && echo started
cat /task/$id/exit
echo kill > /task/$id/ctl
cat /task/$id/fd/1
cat /task/$id/status /task/$id/exit
--- stdout
started
killed
killed
### a module that cannot be loaded fails the start and the task (oash)
id=`{cat /task/new/wasi}
echo /bin/nope.wasm > /task/$id/cmd
echo start > /task/$id/ctl
cat /task/$id/status
--- stdout
failed: /bin/nope.wasm: cannot read module: /bin/nope.wasm: file does not exist
--- stderr
oash::file

  × redirection: /task/1/ctl: start: /bin/nope.wasm: cannot read module: /bin/nope.wasm: file does
  │ not exist
   ╭─[taskfiles.t:3:1]
 2 │ echo /bin/nope.wasm > /task/$id/cmd
 3 │ echo start > /task/$id/ctl
   · ─────────────┬────────────
   ·              ╰── when closing its file
 4 │ cat /task/$id/status
   ╰────
### the shape is fixed once started: cmd, start again and bind are refused (oash)
id=`{cat /task/new/wasi}
echo /lib/oash/bin/hello.wasm > /task/$id/cmd
echo start > /task/$id/ctl
cat /task/$id/fd/1
echo /lib/oash/bin/echo.wasm > /task/$id/cmd
echo start > /task/$id/ctl
echo 'bind /tmp /n' > /task/$id/ctl
--- stdout
hello
--- stderr
oash::file

  × redirection: /task/1/cmd: task 1 has already ended
   ╭─[taskfiles.t:5:1]
 4 │ cat /task/$id/fd/1
 5 │ echo /lib/oash/bin/echo.wasm > /task/$id/cmd
   · ──────────────────────┬─────────────────────
   ·                       ╰── when closing its file
 6 │ echo start > /task/$id/ctl
   ╰────
oash::file

  × redirection: /task/1/ctl: start: task 1 has already ended
   ╭─[taskfiles.t:6:1]
 5 │ echo /lib/oash/bin/echo.wasm > /task/$id/cmd
 6 │ echo start > /task/$id/ctl
   · ─────────────┬────────────
   ·              ╰── when closing its file
 7 │ echo 'bind /tmp /n' > /task/$id/ctl
   ╰────
oash::file

  × redirection: /task/1/ctl: bind: task 1 has already ended
   ╭─[taskfiles.t:7:1]
 6 │ echo start > /task/$id/ctl
 7 │ echo 'bind /tmp /n' > /task/$id/ctl
   · ─────────────────┬─────────────────
   ·                  ╰── when closing its file
   ╰────
--- status
redirection: /task/1/ctl: bind: task 1 has already ended
### bad control messages and bad ids are clear errors (oash)
id=`{cat /task/new/wasi}
echo start > /task/$id/ctl
echo frob > /task/$id/ctl
echo 'bind /nope /n' > /task/$id/ctl
echo 'bind $home /n' > /task/$id/ctl
cat /task/999/status
cat /task/$id/status
--- stdout
created
--- stderr
oash::file

  × redirection: /task/1/ctl: start: no module: write its path to cmd first
   ╭─[taskfiles.t:2:1]
 1 │ id=`{cat /task/new/wasi}
 2 │ echo start > /task/$id/ctl
   · ─────────────┬────────────
   ·              ╰── when closing its file
 3 │ echo frob > /task/$id/ctl
   ╰────
oash::file

  × redirection: /task/1/ctl: unknown command 'frob' (one of: start | kill | bind [-abc] NEW OLD |
  │ mount [-abc] SERVICE [ARGS...] POINT | unmount [NEW] OLD | rfork [Nm])
   ╭─[taskfiles.t:3:1]
 2 │ echo start > /task/$id/ctl
 3 │ echo frob > /task/$id/ctl
   · ────────────┬────────────
   ·             ╰── when closing its file
 4 │ echo 'bind /nope /n' > /task/$id/ctl
   ╰────
oash::file

  × redirection: /task/1/ctl: bind: /nope: file does not exist
   ╭─[taskfiles.t:4:1]
 3 │ echo frob > /task/$id/ctl
 4 │ echo 'bind /nope /n' > /task/$id/ctl
   · ──────────────────┬─────────────────
   ·                   ╰── when closing its file
 5 │ echo 'bind $home /n' > /task/$id/ctl
   ╰────
oash::file

  × redirection: /task/1/ctl: '$' is not allowed here: only words and 'quoted words'
   ╭─[taskfiles.t:5:1]
 4 │ echo 'bind /nope /n' > /task/$id/ctl
 5 │ echo 'bind $home /n' > /task/$id/ctl
   · ──────────────────┬─────────────────
   ·                   ╰── when closing its file
 6 │ cat /task/999/status
   ╰────
oash::file

  × cat: /task/999/status: file does not exist
   ╭─[taskfiles.t:6:5]
 5 │ echo 'bind $home /n' > /task/$id/ctl
 6 │ cat /task/999/status
   ·     ────────┬───────
   ·             ╰── this file
 7 │ cat /task/$id/status
   ╰────
### a task made by spawn is listed too, with status, exit and ctl (oash)
spawn /lib/oash/bin/echo.wasm hi
ls /task /task/1
cat /task/1/status
help task | head -n 1
--- stdout
hi
/task:
1
new

/task/1:
ctl
exit
status
completed
/task: WASI tasks as files (WANIX style). The same tasks as spawn, ps, kill and Rhai's spawn.
### a guest drives the task files too: its task copies the guest's namespace (oash)
spawn cat /task/new/wasi
spawn write /task/2/cmd /lib/oash/bin/echo.wasm
spawn write /task/2/args from a guest
spawn write /task/2/ctl start
cat /task/2/fd/1
ls /task
--- stdout
2
from a guest
1
2
3
4
5
new
### the kill builtin stops a task that waits for input on fd/0 (oash)
id=`{cat /task/new/wasi}
echo /lib/oash/bin/upper.wasm > /task/$id/cmd
echo start > /task/$id/ctl
~ `{cat /task/$id/status} queued running && echo waiting
kill $id
cat /task/$id/fd/1
cat /task/$id/status
--- stdout
waiting
killed
### a new mount of task after newns shows the same tasks and their files (oash)
id=`{cat /task/new/wasi}
echo /lib/oash/bin/hello.wasm > /task/$id/cmd
newns
ls /
mount task /task
echo start > /task/$id/ctl
cat /task/$id/fd/1 /task/$id/status
--- stdout
agents
bin
dev
env
lib
n
task
tmp
hello
completed
### ctl unmount /task takes the task files out of a task's namespace (oash)
id=`{cat /task/new/wasi}
echo /lib/oash/bin/ls.wasm > /task/$id/cmd
echo /task > /task/$id/args
echo 'unmount /task' > /task/$id/ctl
echo start > /task/$id/ctl
cat /task/$id/fd/1
echo ---
spawn ls /task
--- stdout
---
1
2
new
