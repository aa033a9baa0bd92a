Job control: `&` jobs, each with its own control, listed by `jobs`, stopped with `stop`
(as Ctrl-Z stops the one in the foreground), resumed with `fg` and `bg`, interrupted by
`kill %N`, waited for with `wait`; and the tasks they run, listed by `ps` (all oash).

### a script's jobs end with it: the harness does not wait for an endless guest
spawn loop &
echo started
--- stdout
started
### jobs lists a running job with its task; ps right after & shows the task
spawn sleep 5 &
jobs
ps | grep -cE '(queued|running)  0    .*sleep.wasm 5'
kill %1
--- stdout
[1] running  spawn sleep 5  (tasks 1)
1
### jobs shows a killed job as killed, once; then it is forgotten
spawn sleep 5 &
kill %1
jobs
jobs
echo end
--- stdout
[1] killed   spawn sleep 5
end
### kill %N stops a job that runs no task: a loop of builtins
while (true) echo -n > /dev/null &
kill %1
jobs
--- stdout
[1] killed   while (true) echo -n > /dev/null
### kill %N stops a job following a file with tail -f
echo -n > /tmp/log
tail -f /tmp/log &
kill %1
jobs
--- stdout
[1] killed   tail -f /tmp/log
### a job's own & jobs are jobs too, listed with their parent, and die with it
{ spawn sleep 5 & ; spawn sleep 5 } &
jobs
kill %1
jobs
--- stdout
[1] running  { spawn sleep 5 & ; spawn sleep 5 }  (tasks 2)
[2] running  spawn sleep 5  (tasks 1; from job 1)
[1] killed   { spawn sleep 5 & ; spawn sleep 5 }
[2] killed   spawn sleep 5  (from job 1)
### wait waits for the jobs a job starts, too
{ { spawn sleep 0.2; echo inner } & ; echo outer } &
wait
jobs
--- stdout
outer
inner
### kill of a task that does not exist is a diagnostic, and $status says why
kill 99
echo $status
--- stdout
kill: no such task: 99
--- stderr
oash::task

  × kill: no such task: 99
   ╭─[jobs.t:1:6]
 1 │ kill 99
   ·      ─┬
   ·       ╰── this argument
 2 │ echo $status
   ╰────
### kill of a job that does not exist, or has ended
kill %4
echo $status
true &
wait $apid
kill %1
--- stdout
kill: no job 4
--- stderr
oash::job

  × kill: no job 4
   ╭─[jobs.t:1:6]
 1 │ kill %4
   ·      ─┬
   ·       ╰── this argument
 2 │ echo $status
   ╰────
  help: `jobs` lists the jobs
oash::job

  × kill: no job 1
   ╭─[jobs.t:5:6]
 4 │ wait $apid
 5 │ kill %1
   ·      ─┬
   ·       ╰── this argument
   ╰────
  help: `jobs` lists the jobs
--- status
kill: no job 1
### ps pads its columns to the widest cell
spawn -p 10 exit 0
spawn exit 3
ps | head -n 1
ps | grep -cE '^[12]   completed( 3|  )  (10|0 )   [0-9]\.[0-9]{3}s  /lib/oash/bin/exit\.wasm [03]$'
--- stdout
ID  STATE        PRI  TIME    COMMAND
2
### ended tasks are forgotten beyond the last 100: ps and /task stay bounded
for (i in `{seq 1 120}) spawn exit 0
ps | wc -l
ls /task | wc -l
oldest=`{ps | head -n 2 | tail -n 1}
echo $oldest(1)
cat /task/20/status
--- stdout
101
101
21
--- stderr
oash::file

  × cat: /task/20/status: file does not exist
   ╭─[jobs.t:6:5]
 5 │ echo $oldest(1)
 6 │ cat /task/20/status
   ·     ───────┬───────
   ·            ╰── this file
   ╰────
--- status
cat: /task/20/status: file does not exist
### stop stops a job, bg resumes it behind the shell
{ spawn sleep 0.3; echo resumed } &
stop %1
jobs
bg %1
jobs
wait
--- stdout
[1] stopped  { spawn sleep 0.3; echo resumed }  (tasks 1)
[1] running  { spawn sleep 0.3; echo resumed }  (tasks 1)
resumed
### a stopped guest does not run until it is resumed
spawn sleep 0.2 &
stop %1
sleep 0.4
ps | grep -c running
fg %1
echo $status
ps | grep -c completed
--- stdout
1

2
### fg resumes a stopped job in the foreground and gives its status
{ spawn sleep 0.1; echo back; exit 3 } &
stop
fg
echo $status
--- stdout
back
3
### wait for a stopped job is an error, not a wait for ever
spawn sleep 5 &
stop %1
wait %1
--- stderr
oash::job

  × wait: job 1 is stopped
   ╭─[jobs.t:3:6]
 2 │ stop %1
 3 │ wait %1
   ·      ─┬
   ·       ╰── this argument
   ╰────
  help: `fg %1` or `bg %1` resumes it
--- status
wait: job 1 is stopped
### fg and bg with no job
fg
--- stderr
oash::job

  × fg: no current job
   ╭─[jobs.t:1:1]
 1 │ fg
   · ─┬
   ·  ╰── in this command
   ╰────
  help: start one with `&`; `jobs` lists them
--- status
fg: no current job
### a killed stopped job ends killed
spawn sleep 5 &
stop %1
kill %1
jobs
--- stdout
[1] killed   spawn sleep 5
