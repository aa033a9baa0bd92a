The file services behind `mount`: `map`, a static read-only tree whose files are given as
`NAME=CONTENTS` words (all oash: rc has no namespace of its own).

### a map lists its implied directories (oash)
mkdir /n/m
mount map a=1 b/c=2 /n/m
ls /n/m
ls /n/m/b
--- stdout
a
b
c
### a map's files read back as given (oash)
mkdir /n/m
mount map a=1 b/c=2 /n/m
cat /n/m/a /n/m/b/c
echo
--- stdout
12
### contents may hold = and spaces when quoted (oash)
mkdir /n/m
mount map 'motd=hello, world=yes' /n/m
cat /n/m/motd
echo
--- stdout
hello, world=yes
### writing into a map is refused, and a failed redirection stops the script (oash)
mkdir /n/m
mount map a=1 b/c=2 /n/m
echo x > /n/m/a
echo not reached
--- stderr
oash::file

  × redirection: /n/m/a: permission denied (read-only)
   ╭─[services.t:3:10]
 2 │ mount map a=1 b/c=2 /n/m
 3 │ echo x > /n/m/a
   ·          ───┬──
   ·             ╰── cannot open this file
 4 │ echo not reached
   ╰────
--- status
redirection: /n/m/a: permission denied (read-only)
### mkdir and rm in a map are refused (oash)
mkdir /n/m
mount map a=1 b/c=2 /n/m
mkdir /n/m/d
rm /n/m/b/c
ls /n/m/b
--- stdout
c
--- stderr
oash::file

  × mkdir: /n/m/d: permission denied (read-only)
   ╭─[services.t:3:7]
 2 │ mount map a=1 b/c=2 /n/m
 3 │ mkdir /n/m/d
   ·       ───┬──
   ·          ╰── this file
 4 │ rm /n/m/b/c
   ╰────
oash::file

  × rm: /n/m/b/c: permission denied (read-only)
   ╭─[services.t:4:4]
 3 │ mkdir /n/m/d
 4 │ rm /n/m/b/c
   ·    ────┬───
   ·        ╰── this file
 5 │ ls /n/m/b
   ╰────
### ns prints the line that rebuilds a map (oash)
mkdir /n/m
mount map a=1 b/c=2 /n/m
ns
--- stdout
newns
mount mem /tmp
mount dev /dev
mount env /env
mount stdlib /lib/oash
mount task /task
mount agents /agents
mount map 'a=1' 'b/c=2' /n/m
### the line ns prints rebuilds the same map (oash)
mkdir /n/m
mount map a=1 b/c=2 e/ /n/m
ns | grep map > /tmp/again
unmount /n/m
. /tmp/again
ls /n/m /n/m/b /n/m/e
--- stdout
/n/m:
a
b
e

/n/m/b:
c

/n/m/e:
### a word that is not NAME=CONTENTS is refused (oash)
mkdir /n/m
mount map plain /n/m
--- stderr
oash::file

  × mount: map: expected NAME=CONTENTS or NAME/, got plain
   ╭─[services.t:2:7]
 1 │ mkdir /n/m
 2 │ mount map plain /n/m
   ·       ─┬─
   ·        ╰── this file
   ╰────
--- status
mount: map: expected NAME=CONTENTS or NAME/, got plain
### a name given twice is refused (oash)
mkdir /n/m
mount map a=1 a=2 /n/m
--- stderr
oash::file

  × mount: map: /a: file already exists
   ╭─[services.t:2:7]
 1 │ mkdir /n/m
 2 │ mount map a=1 a=2 /n/m
   ·       ─┬─
   ·        ╰── this file
   ╰────
--- status
mount: map: /a: file already exists
### /lib/oash is the standard library, read-only (oash)
ls /lib/oash
echo x > /lib/oash/new
--- stdout
README
bin
ns.oash
--- stderr
oash::file

  × redirection: /lib/oash/new: permission denied (read-only)
   ╭─[services.t:2:10]
 1 │ ls /lib/oash
 2 │ echo x > /lib/oash/new
   ·          ──────┬──────
   ·                ╰── cannot open this file
   ╰────
--- status
redirection: /lib/oash/new: permission denied (read-only)
### scratch runs a command with a private /tmp (oash)
. /lib/oash/ns.oash
echo kept > /tmp/kept
scratch ls /tmp
fn work { echo lost > /tmp/lost; cat /tmp/lost }
scratch work
ls /tmp
--- stdout
lost
kept
### sandbox runs a command over a cow view and lists its changes (oash)
. /lib/oash/ns.oash
mkdir /tmp/d
echo base > /tmp/d/a
fn change { rm /tmp/d/a; echo new > /tmp/d/b }
sandbox /tmp/d change
ls /tmp/d
cat /tmp/d/a
--- stdout
D /tmp/d/a
A /tmp/d/b
a
base
### the library's helpers explain their usage (oash)
. /lib/oash/ns.oash
scratch
echo $status
sandbox /tmp
echo $status
--- stdout
2
2
--- stderr
usage: scratch CMD [ARGS...]
usage: sandbox DIR CMD [ARGS...]
### a mem mounted with a size is full like a disk, and rm gives space back (oash)
mkdir /n/small
mount mem 1K /n/small
ns | grep small
cat /dev/zero | head -c 1020 > /n/small/a
echo more > /n/small/b
echo status: $status
rm /n/small/a
echo more > /n/small/b
cat /n/small/b
--- stdout
mount mem 1K /n/small
status: echo: /n/small/b: no space left (the service holds at most 1024 bytes)
more
--- stderr
oash::command

  × echo: /n/small/b: no space left (the service holds at most 1024 bytes)
   ╭─[services.t:5:1]
 4 │ cat /dev/zero | head -c 1020 > /n/small/a
 5 │ echo more > /n/small/b
   · ───────────┬──────────
   ·            ╰── in this command
 6 │ echo status: $status
   ╰────
