Plan 9 `bind NEW OLD`: OLD shows what NEW shows now. `-b`/`-a` make a union with NEW
searched before/after what was there, `-c` marks where new files go, `unmount [NEW] OLD`
undoes one bind, and `ns` prints the table as the commands that rebuild it (all oash: rc
has no namespace of its own).

### bind replaces what OLD showed (oash)
mkdir /tmp/a
echo one > /tmp/a/f
bind /tmp/a /n
ls /n
cat /n/f
echo through n > /n/g
cat /tmp/a/g
--- stdout
f
one
through n
### bind -a searches NEW after the directory, which wins a name (oash)
mkdir /tmp/a /tmp/u
echo from a > /tmp/a/f
echo a only > /tmp/a/g
echo from u > /tmp/u/f
bind -a /tmp/a /tmp/u
ls /tmp/u
cat /tmp/u/f /tmp/u/g
--- stdout
f
g
from u
a only
### bind -b searches NEW first, so its file wins the name (oash)
mkdir /tmp/a /tmp/u
echo from a > /tmp/a/f
echo from u > /tmp/u/f
bind -b /tmp/a /tmp/u
cat /tmp/u/f
rm /tmp/u/f
cat /tmp/u/f
--- stdout
from a
from u
### a new file goes to the -c member, an existing one stays where it is (oash)
mkdir /tmp/a /tmp/b /tmp/u
echo old > /tmp/a/f
bind -a /tmp/a /tmp/u
bind -a -c /tmp/b /tmp/u
echo new > /tmp/u/made
echo changed > /tmp/u/f
ls /tmp/b
cat /tmp/a/f
--- stdout
made
changed
### without -c the first member receives new files (oash)
mkdir /tmp/a /tmp/u
bind -b /tmp/a /tmp/u
echo new > /tmp/u/made
ls /tmp/a
--- stdout
made
### unmount NEW OLD takes one member out of the middle (oash)
mkdir /tmp/a /tmp/b /tmp/c
echo a > /tmp/a/x
echo b > /tmp/b/x
echo c > /tmp/c/z
bind /tmp/a /n
bind -a /tmp/b /n
bind -a /tmp/c /n
unmount /tmp/b /n
ls /n
cat /n/x
ns | grep bind
unmount /tmp/a /n
cat /n/x
--- stdout
x
z
a
bind /tmp/a /n
bind -a /tmp/c /n
--- stderr
oash::file

  × cat: /n/x: file does not exist
    ╭─[bind.t:13:5]
 12 │ unmount /tmp/a /n
 13 │ cat /n/x
    ·     ──┬─
    ·       ╰── this file
    ╰────
--- status
cat: /n/x: file does not exist
### unmount OLD undoes the last bind only (oash)
mkdir /tmp/a /tmp/b
echo x > /tmp/a/x; echo y > /tmp/b/y
bind /tmp/a /n
bind -a /tmp/b /n
ls /n
unmount /n
ls /n
unmount /n
ls /n
--- stdout
x
y
x
### mount -a and -b make unions too (oash)
mkdir /tmp/u
echo dir > /tmp/u/f
mount -a map 'f=map after' 'g=map g' /tmp/u
mount -b map 'f=map before' /tmp/u
cat /tmp/u/f /tmp/u/g
echo
unmount /tmp/u
cat /tmp/u/f
--- stdout
map beforemap g
dir
### binding a union binds all its members (oash)
mkdir /tmp/a /tmp/b
echo x > /tmp/a/x; echo y > /tmp/b/y
bind -a /tmp/a /n
bind -a /tmp/b /n
bind /n /lib
ls /lib
--- stdout
oash
x
y
### a file binds onto a file (oash)
mkdir /tmp/a
echo replacement > /tmp/a/f
echo original > /tmp/g
bind /tmp/a/f /tmp/g
cat /tmp/g
unmount /tmp/g
cat /tmp/g
--- stdout
replacement
original
### mounts below NEW do not come along (oash)
mkdir -p /tmp/a/sub
echo > /tmp/a/sub/under
mount map mounted=1 /tmp/a/sub
bind /tmp/a /n
ls /tmp/a/sub /n/sub
--- stdout
/n/sub:
under

/tmp/a/sub:
mounted
### ns prints newns, then mounts and binds in the order they were made (oash)
mkdir /tmp/a
mount map x=1 /lib
bind -b -c /tmp/a /lib
bind -a /lib /n
mount -a mem /dev
ns
--- stdout
newns
mount mem /tmp
mount dev /dev
mount env /env
mount stdlib /lib/oash
mount task /task
mount agents /agents
mount map 'x=1' /lib
bind -b -c /tmp/a /lib
bind -a /lib /n
mount -a mem /dev
### newns starts over with the bare default root (oash)
mkdir /tmp/a
bind /tmp/a /n
newns
ns
ls /
ls /tmp
--- stdout
newns
agents
bin
dev
env
lib
n
task
tmp
### bind cleans .. and . in both paths and ns prints them clean (oash)
mkdir /tmp/a
echo hi > /tmp/a/f
cd /tmp
bind ../../tmp/./a//. /n/../lib/
cat /lib/f
ns | grep bind
--- stdout
hi
bind /tmp/a /lib
### bind of a missing path names it (oash)
bind /tmp/nope /n
--- stderr
oash::file

  × bind: /tmp/nope: file does not exist
   ╭─[bind.t:1:6]
 1 │ bind /tmp/nope /n
   ·      ────┬────
   ·          ╰── this file
   ╰────
--- status
bind: /tmp/nope: file does not exist
### a file cannot be bound onto a directory (oash)
echo > /tmp/f
bind /tmp/f /n
--- stderr
oash::file

  × bind: /n: cannot bind: a file cannot be bound onto a directory
   ╭─[bind.t:2:13]
 1 │ echo > /tmp/f
 2 │ bind /tmp/f /n
   ·             ─┬
   ·              ╰── this file
   ╰────
--- status
bind: /n: cannot bind: a file cannot be bound onto a directory
### only directories form unions (oash)
echo > /tmp/f; echo > /tmp/g
bind -a /tmp/f /tmp/g
--- stderr
oash::file

  × bind: /tmp/f: cannot bind: only directories form unions (-a, -b)
   ╭─[bind.t:2:9]
 1 │ echo > /tmp/f; echo > /tmp/g
 2 │ bind -a /tmp/f /tmp/g
   ·         ───┬──
   ·            ╰── this file
   ╰────
--- status
bind: /tmp/f: cannot bind: only directories form unions (-a, -b)
### unmount NEW OLD when NEW is not bound there (oash)
mkdir /tmp/a
bind -a /tmp/a /n
unmount /tmp /n
--- stderr
oash::file

  × unmount: /tmp: not bound on /n
   ╭─[bind.t:3:9]
 2 │ bind -a /tmp/a /n
 3 │ unmount /tmp /n
   ·         ──┬─
   ·           ╰── this file
   ╰────
--- status
unmount: /tmp: not bound on /n
### bind needs NEW and OLD, and -a and -b exclude each other (oash)
bind /n
bind -ab /tmp /n
--- stderr
oash::usage

  × bind: missing OLD
   ╭─[bind.t:1:1]
 1 │ bind /n
   · ───┬───
   ·    ╰── bad usage
 2 │ bind -ab /tmp /n
   ╰────
  help: usage: bind [-abc] NEW OLD
oash::usage

  × bind: -a and -b exclude each other
   ╭─[bind.t:2:6]
 1 │ bind /n
 2 │ bind -ab /tmp /n
   ·      ─┬─
   ·       ╰── bad usage
   ╰────
  help: usage: bind [-abc] NEW OLD
--- status
bind: -a and -b exclude each other
