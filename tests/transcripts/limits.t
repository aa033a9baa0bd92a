The shell's own budgets (`limits`): each one set, hit, and the shell going on after it (all oash).

### limits lists every budget as the command that sets it
limits
--- stdout
limits mem 512M          # bytes held by all mem services (/tmp, the root, every mount mem)
limits buffer 128M       # bytes one command holds whole: `{cmd} output, its arguments, a line
limits var 256M          # bytes one variable or for list holds (its words, and 8 a word)
limits jobs 256          # live pipeline members and & jobs, all forks together
limits pipeline 256      # commands in one pipeline
### limits NAME VALUE sets one and limits NAME prints it
limits jobs 64
limits mem 1G
limits jobs; limits mem
--- stdout
64
1G
### Rhai reads and sets the same budgets
rhai -c 'set_limit("jobs", 12); set_limit("buffer", "1K"); print(limits()["buffer"])'
limits jobs
rhai -c 'set_limit("cpu", 1)'
--- stdout
1024
12
--- stderr
oash::limits

  × rhai: limits: unknown limit `cpu` (line 1, position 1)
   ╭─[limits.t:3:1]
 2 │ limits jobs
 3 │ rhai -c 'set_limit("cpu", 1)'
   · ──────────────┬──────────────
   ·               ╰── in this command
   ╰────
  help: `limits` lists the budgets; sizes are bytes, or a number with K, M or G (64M)
--- status
rhai: limits: unknown limit `cpu` (line 1, position 1)
### an unknown budget is refused at its name
limits cpu 10
echo $status
--- stdout
limits: unknown limit `cpu`
--- stderr
oash::limits

  × limits: unknown limit `cpu`
   ╭─[limits.t:1:8]
 1 │ limits cpu 10
   ·        ─┬─
   ·         ╰── this setting
 2 │ echo $status
   ╰────
  help: `limits` lists the budgets; sizes are bytes, or a number with K, M or G (64M)
### a bad value is refused at the value
limits mem lots
limits jobs 0
limits jobs 1.5
--- stderr
oash::limits

  × limits: mem: `lots` is not a size in bytes, or a number with K, M or G (64M)
   ╭─[limits.t:1:12]
 1 │ limits mem lots
   ·            ──┬─
   ·              ╰── this setting
 2 │ limits jobs 0
   ╰────
  help: `limits` lists the budgets; sizes are bytes, or a number with K, M or G (64M)
oash::limits

  × limits: jobs: `0` is not a whole number above 0
   ╭─[limits.t:2:13]
 1 │ limits mem lots
 2 │ limits jobs 0
   ·             ┬
   ·             ╰── this setting
 3 │ limits jobs 1.5
   ╰────
  help: `limits` lists the budgets; sizes are bytes, or a number with K, M or G (64M)
oash::limits

  × limits: jobs: `1.5` is not a whole number above 0
   ╭─[limits.t:3:13]
 2 │ limits jobs 0
 3 │ limits jobs 1.5
   ·             ─┬─
   ·              ╰── this setting
   ╰────
  help: `limits` lists the budgets; sizes are bytes, or a number with K, M or G (64M)
--- status
limits: jobs: `1.5` is not a whole number above 0
### a substitution over the buffer budget stops the command and the next one runs
limits buffer 1K
x=`{seq 1 1000}
echo alive $#x
--- stdout
alive 0
--- stderr
oash::budget

  × the output of `{...}` is too long (the buffer budget is 1K; raise it with `limits buffer
  │ SIZE`)
   ╭─[limits.t:2:3]
 1 │ limits buffer 1K
 2 │ x=`{seq 1 1000}
   ·   ──────┬──────
   ·         ╰── this substitution
 3 │ echo alive $#x
   ╰────
  help: the buffer budget bounds bytes one command holds whole: `{cmd} output, its arguments, a
        line; `limits` lists every budget
### the producer of an endless substitution is stopped
limits buffer 64K
x=`{cat /dev/zero}
y=`{while(true) echo y}
echo alive
--- stdout
alive
--- stderr
oash::budget

  × the output of `{...}` is too long (the buffer budget is 64K; raise it with `limits buffer
  │ SIZE`)
   ╭─[limits.t:2:3]
 1 │ limits buffer 64K
 2 │ x=`{cat /dev/zero}
   ·   ────────┬───────
   ·           ╰── this substitution
 3 │ y=`{while(true) echo y}
   ╰────
  help: the buffer budget bounds bytes one command holds whole: `{cmd} output, its arguments, a
        line; `limits` lists every budget
oash::budget

  × the output of `{...}` is too long (the buffer budget is 64K; raise it with `limits buffer
  │ SIZE`)
   ╭─[limits.t:3:3]
 2 │ x=`{cat /dev/zero}
 3 │ y=`{while(true) echo y}
   ·   ──────────┬──────────
   ·             ╰── this substitution
 4 │ echo alive
   ╰────
  help: the buffer budget bounds bytes one command holds whole: `{cmd} output, its arguments, a
        line; `limits` lists every budget
### a variable over the var budget is refused at its assignment
limits var 100
x=`{seq 1 100}
x=`{seq 1 10}
echo $#x
x=($x $x $x $x $x $x $x $x $x $x)
echo $#x
--- stdout
10
10
--- stderr
oash::budget

  × the value of `x` is too big (the var budget is 100; raise it with `limits var SIZE`)
   ╭─[limits.t:2:1]
 1 │ limits var 100
 2 │ x=`{seq 1 100}
   · ───────┬──────
   ·        ╰── this assignment
 3 │ x=`{seq 1 10}
   ╰────
  help: the var budget bounds bytes one variable or for list holds (its words, and 8 a word);
        `limits` lists every budget
oash::budget

  × the value of `x` is too big (the var budget is 100; raise it with `limits var SIZE`)
   ╭─[limits.t:5:1]
 4 │ echo $#x
 5 │ x=($x $x $x $x $x $x $x $x $x $x)
   · ────────────────┬────────────────
   ·                 ╰── this assignment
 6 │ echo $#x
   ╰────
  help: the var budget bounds bytes one variable or for list holds (its words, and 8 a word);
        `limits` lists every budget
### a for list over the var budget is refused at the loop
limits var 1K
for (i in `{seq 1 1000}) echo $i
echo alive
--- stdout
alive
--- stderr
oash::budget

  × the list of this `for` is too big (the var budget is 1K; raise it with `limits var SIZE`)
   ╭─[limits.t:2:1]
 1 │ limits var 1K
 2 │ for (i in `{seq 1 1000}) echo $i
   · ────────────────┬───────────────
   ·                 ╰── this loop
 3 │ echo alive
   ╰────
  help: the var budget bounds bytes one variable or for list holds (its words, and 8 a word);
        `limits` lists every budget
### arguments are held to the buffer budget, each word with its bookkeeping
limits buffer 1K
x=`{seq 1 100}
echo $#x
echo $x
echo $x(1-10)
echo alive
--- stdout
100
1 2 3 4 5 6 7 8 9 10
alive
--- stderr
oash::budget

  × this expands to 101 words (196 bytes), too many to hold (the buffer budget is 1K; raise it
  │ with `limits buffer SIZE`)
   ╭─[limits.t:4:6]
 3 │ echo $#x
 4 │ echo $x
   ·      ─┬
   ·       ╰── this word
 5 │ echo $x(1-10)
   ╰────
  help: the buffer budget bounds bytes one command holds whole: `{cmd} output, its arguments, a
        line; `limits` lists every budget
### a stop ends the whole command it happened in, loops included, with one diagnostic
limits buffer 10
for (i in 1 2 3) { echo $i; x=`{seq 1 100} }
echo after $i
--- stderr
oash::budget

  × this expands to 1 words (4 bytes), too many to hold (the buffer budget is 10; raise it with
  │ `limits buffer SIZE`)
   ╭─[limits.t:2:20]
 1 │ limits buffer 10
 2 │ for (i in 1 2 3) { echo $i; x=`{seq 1 100} }
   ·                    ──┬─
   ·                      ╰── this word
 3 │ echo after $i
   ╰────
  help: the buffer budget bounds bytes one command holds whole: `{cmd} output, its arguments, a
        line; `limits` lists every budget
oash::budget

  × this expands to 1 words (4 bytes), too many to hold (the buffer budget is 10; raise it with
  │ `limits buffer SIZE`)
   ╭─[limits.t:3:1]
 2 │ for (i in 1 2 3) { echo $i; x=`{seq 1 100} }
 3 │ echo after $i
   · ──┬─
   ·   ╰── this word
   ╰────
  help: the buffer budget bounds bytes one command holds whole: `{cmd} output, its arguments, a
        line; `limits` lists every budget
--- status
this expands to 1 words (4 bytes), too many to hold (the buffer budget is 10; raise it with `limits buffer SIZE`)
### a pipeline over the pipeline budget is refused before any of it runs
limits pipeline 3
echo ran > /tmp/f | cat | cat | cat
cat /tmp/f
echo alive
--- stdout
alive
--- stderr
oash::budget

  × a pipeline of 4 commands is too long (the pipeline budget is 3; raise it with `limits pipeline
  │ N`)
   ╭─[limits.t:2:1]
 1 │ limits pipeline 3
 2 │ echo ran > /tmp/f | cat | cat | cat
   · ─────────────────┬─────────────────
   ·                  ╰── this pipeline
 3 │ cat /tmp/f
   ╰────
  help: the pipeline budget bounds commands in one pipeline; `limits` lists every budget
oash::file

  × cat: /tmp/f: file does not exist
   ╭─[limits.t:3:5]
 2 │ echo ran > /tmp/f | cat | cat | cat
 3 │ cat /tmp/f
   ·     ───┬──
   ·        ╰── this file
 4 │ echo alive
   ╰────
### a fork bomb stops at the jobs budget with one diagnostic
limits jobs 8
fn f { f | f }
f
echo alive
--- stdout
alive
--- stderr
oash::budget

  × too many live pipeline members and jobs (the jobs budget is 8; raise it with `limits jobs N`)
   ╭─[limits.t:2:8]
 1 │ limits jobs 8
 2 │ fn f { f | f }
   ·        ──┬──
   ·          ╰── this pipeline
 3 │ f
   ╰────
  help: the jobs budget bounds live pipeline members and & jobs, all forks together; `limits`
        lists every budget
### jobs count while they run, and give their place back when done
limits jobs 2
sleep 0.2 & sleep 0.2 &
sleep 0.2 &
wait
sleep 0.01 &
wait
echo $status
--- stdout

--- stderr
oash::budget

  × too many live pipeline members and jobs (the jobs budget is 2; raise it with `limits jobs N`)
   ╭─[limits.t:3:1]
 2 │ sleep 0.2 & sleep 0.2 &
 3 │ sleep 0.2 &
   · ─────┬─────
   ·      ╰── this job
 4 │ wait
   ╰────
  help: the jobs budget bounds live pipeline members and & jobs, all forks together; `limits`
        lists every budget
### a full mem budget fails the write, like a full disk, for all mem mounts together
limits mem 64K
mkdir /n/a /n/b
mount mem /n/a; mount mem /n/b
seq 1 10000 > /n/a/f
seq 1 10000 > /n/b/f
echo status $status
rm /n/a/f
seq 1 10000 > /n/b/f && echo room again
--- stdout
status seq: /n/b/f: no space left (all the shell's mem services together hold at most 64K: the `mem` budget; raise it with `limits mem SIZE`)
room again
--- stderr
oash::command

  × seq: /n/b/f: no space left (all the shell's mem services together hold at most 64K: the `mem`
  │ budget; raise it with `limits mem SIZE`)
   ╭─[limits.t:5:1]
 4 │ seq 1 10000 > /n/a/f
 5 │ seq 1 10000 > /n/b/f
   · ──────────┬─────────
   ·           ╰── in this command
 6 │ echo status $status
   ╰────
### sort holds at most the buffer budget of its input
limits buffer 1K
seq 1 1000 | sort
echo alive
--- stdout
alive
--- stderr
oash::budget

  × sort's input is too long (the buffer budget is 1K; raise it with `limits buffer SIZE`)
   ╭─[limits.t:2:14]
 1 │ limits buffer 1K
 2 │ seq 1 1000 | sort
   ·              ──┬─
   ·                ╰── in this command
 3 │ echo alive
   ╰────
  help: the buffer budget bounds bytes one command holds whole: `{cmd} output, its arguments, a
        line; `limits` lists every budget
### a line longer than the buffer budget stops grep
limits buffer 1K
cat /dev/zero | grep x
echo alive
--- stdout
alive
--- stderr
oash::budget

  × a line is too long (the buffer budget is 1K; raise it with `limits buffer SIZE`)
   ╭─[limits.t:2:17]
 1 │ limits buffer 1K
 2 │ cat /dev/zero | grep x
   ·                 ───┬──
   ·                    ╰── in this command
 3 │ echo alive
   ╰────
  help: the buffer budget bounds bytes one command holds whole: `{cmd} output, its arguments, a
        line; `limits` lists every budget
### help limits describes every budget
help limits
--- stdout
limits - list or set the shell's own budgets (memory, threads, pipeline length)
usage: limits [NAME [VALUE]]
examples:
  ; limits jobs 64; limits jobs
  64
The shell's own budgets, shared by every fork of it (pipeline members, & jobs):
  mem        512M  bytes held by all mem services (/tmp, the root, every mount mem)
  buffer     128M  bytes one command holds whole: `{cmd} output, its arguments, a line
  var        256M  bytes one variable or for list holds (its words, and 8 a word)
  jobs        256  live pipeline members and & jobs, all forks together
  pipeline    256  commands in one pipeline
Sizes are bytes, or a number with K, M or G. Going over a budget stops the whole command
with one diagnostic naming it, and the next command runs; a full mem budget fails the
write instead, as a full disk does. Set them at start-up with OASH_LIMITS='mem=256M jobs=64'.
### a budget met in a pipeline member stops the pipeline with one diagnostic
limits buffer 1K
seq 1 1000 | sort | cat
echo alive
--- stdout
alive
--- stderr
oash::budget

  × sort's input is too long (the buffer budget is 1K; raise it with `limits buffer SIZE`)
   ╭─[limits.t:2:14]
 1 │ limits buffer 1K
 2 │ seq 1 1000 | sort | cat
   ·              ──┬─
   ·                ╰── in this command
 3 │ echo alive
   ╰────
  help: the buffer budget bounds bytes one command holds whole: `{cmd} output, its arguments, a
        line; `limits` lists every budget
### a budget met in a background job is reported once, by the shell that waits
limits buffer 1K
{ x=`{seq 1 1000}; echo not reached } &
wait
echo alive
--- stdout
alive
--- stderr
oash::budget

  × the output of `{...}` is too long (the buffer budget is 1K; raise it with `limits buffer
  │ SIZE`)
   ╭─[limits.t:2:5]
 1 │ limits buffer 1K
 2 │ { x=`{seq 1 1000}; echo not reached } &
   ·     ──────┬──────
   ·           ╰── this substitution
 3 │ wait
   ╰────
  help: the buffer budget bounds bytes one command holds whole: `{cmd} output, its arguments, a
        line; `limits` lists every budget
### <{cmd} is held to the buffer budget too
limits buffer 1K
cat <{seq 1 1000}
echo alive
--- stdout
alive
--- stderr
oash::budget

  × the output of `{...}` is too long (the buffer budget is 1K; raise it with `limits buffer
  │ SIZE`)
   ╭─[limits.t:2:5]
 1 │ limits buffer 1K
 2 │ cat <{seq 1 1000}
   ·     ──────┬──────
   ·           ╰── this substitution
 3 │ echo alive
   ╰────
  help: the buffer budget bounds bytes one command holds whole: `{cmd} output, its arguments, a
        line; `limits` lists every budget
### a budget met in a function called through eval stops its whole top-level command
limits var 10
fn f { eval 'x=`{seq 1 100}'; echo not reached }
f; echo the next command runs
echo alive
--- stdout
the next command runs
alive
--- stderr
oash::budget

  × the value of `x` is too big (the var budget is 10; raise it with `limits var SIZE`)
   ╭─[eval:1:1]
 1 │ x=`{seq 1 100}
   · ───────┬──────
   ·        ╰── this assignment
   ╰────
  help: the var budget bounds bytes one variable or for list holds (its words, and 8 a word);
        `limits` lists every budget
