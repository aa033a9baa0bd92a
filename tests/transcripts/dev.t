The `dev` service, mounted at `/dev` in every shell: Plan 9's console device trimmed to
`null`, `zero`, `random`, `cons` and `time` (all oash: rc has no namespace of its own). In
these transcripts the console is the case's own standard output, with nothing to read.

### /dev lists exactly its five files (oash)
ls /dev
--- stdout
cons
null
random
time
zero
### the default namespace mounts dev at /dev (oash)
ns
--- stdout
newns
mount mem /tmp
mount dev /dev
mount env /env
mount stdlib /lib/oash
mount task /task
mount agents /agents
### writes to /dev/null vanish and reading it gives nothing (oash)
echo gone > /dev/null
echo gone too >> /dev/null
cat /dev/null
wc -c < /dev/null
--- stdout
0
### /dev/zero streams zeros without end: head -c ends the pipeline (oash)
cat /dev/zero | head -c 10 | wc -c
cat /dev/zero | head -c 100000 | grep -c x
--- stdout
10
0
--- status
||1
### /dev/random gives as many bytes as asked (oash)
cat /dev/random | head -c 32 | wc -c
--- stdout
32
### /dev/random is read-only (oash)
echo seed >> /dev/random
echo not reached
--- stderr
oash::file

  × redirection: /dev/random: permission denied (read-only)
   ╭─[dev.t:1:14]
 1 │ echo seed >> /dev/random
   ·              ─────┬─────
   ·                   ╰── cannot open this file
 2 │ echo not reached
   ╰────
--- status
redirection: /dev/random: permission denied (read-only)
### /dev/time is read-only (oash)
echo 0 > /dev/time
--- stderr
oash::file

  × redirection: /dev/time: permission denied (read-only)
   ╭─[dev.t:1:10]
 1 │ echo 0 > /dev/time
   ·          ────┬────
   ·              ╰── cannot open this file
   ╰────
--- status
redirection: /dev/time: permission denied (read-only)
### /dev/time is seconds and nanoseconds since 1970 (oash)
t=`{cat /dev/time}
echo $#t
~ $t(1) [1-9]*[0-9] && echo seconds
~ $t(2) $t(1)^[0-9]*[0-9] && echo nanoseconds, from the same second
--- stdout
2
seconds
nanoseconds, from the same second
### /dev/cons is the terminal, whatever standard output is (oash)
echo hi > /dev/cons
{ echo to the terminal > /dev/cons; echo to null } > /dev/null
--- stdout
hi
to the terminal
### reading /dev/cons reads the terminal, empty here (oash)
cat /dev/cons && echo cat ended at once
--- stdout
cat ended at once
### the dev files are fixed: no new files, directories, removals or renames (oash)
echo x > /dev/new
--- stderr
oash::file

  × redirection: /dev/new: permission denied (the dev files are fixed)
   ╭─[dev.t:1:10]
 1 │ echo x > /dev/new
   ·          ────┬───
   ·              ╰── cannot open this file
   ╰────
--- status
redirection: /dev/new: permission denied (the dev files are fixed)
### mkdir, rm and mv in /dev are refused (oash)
mkdir /dev/d
rm /dev/null
mv /dev/zero /dev/z
ls /dev
--- stdout
cons
null
random
time
zero
--- stderr
oash::file

  × mkdir: /dev/d: permission denied (the dev files are fixed)
   ╭─[dev.t:1:7]
 1 │ mkdir /dev/d
   ·       ───┬──
   ·          ╰── this file
 2 │ rm /dev/null
   ╰────
oash::file

  × rm: /dev/null: permission denied (the dev files are fixed)
   ╭─[dev.t:2:4]
 1 │ mkdir /dev/d
 2 │ rm /dev/null
   ·    ────┬────
   ·        ╰── this file
 3 │ mv /dev/zero /dev/z
   ╰────
oash::file

  × mv: /dev/zero: permission denied (the dev files are fixed)
   ╭─[dev.t:3:4]
 2 │ rm /dev/null
 3 │ mv /dev/zero /dev/z
   ·    ────┬────
   ·        ╰── this file
 4 │ ls /dev
   ╰────
