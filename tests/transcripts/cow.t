Copy-on-write overlays: `mount cow SOURCE POINT` shows SOURCE at POINT, keeps every change in
an upper layer and never modifies SOURCE; `cowdiff POINT` lists the changes (all oash).

### a cow mount shows its source and writes leave the source alone
mkdir -p /tmp/src /tmp/c
echo original > /tmp/src/f
mount cow /tmp/src /tmp/c
cat /tmp/c/f
echo changed > /tmp/c/f
cat /tmp/c/f
cat /tmp/src/f
cowdiff /tmp/c
--- stdout
original
changed
original
M /tmp/c/f
### removing through a cow hides the name but keeps the source
mkdir -p /tmp/src /tmp/c
echo a > /tmp/src/a
echo b > /tmp/src/b
mount cow /tmp/src /tmp/c
rm /tmp/c/a
ls /tmp/c
ls /tmp/src
cowdiff /tmp/c
--- stdout
b
a
b
D /tmp/c/a
### re-creating a removed name and adding a new one
mkdir -p /tmp/src /tmp/c
echo a > /tmp/src/a
mount cow /tmp/src /tmp/c
rm /tmp/c/a
echo again > /tmp/c/a
echo new > /tmp/c/n
cat /tmp/c/a /tmp/src/a
cowdiff /tmp/c
--- stdout
again
a
M /tmp/c/a
A /tmp/c/n
### mv inside a cow moves a whole tree
mkdir -p /tmp/src/d /tmp/c
echo x > /tmp/src/d/x
mount cow /tmp/src /tmp/c
mv /tmp/c/d /tmp/c/e
ls /tmp/c /tmp/src
cowdiff /tmp/c
--- stdout
/tmp/c:
e

/tmp/src:
d
D /tmp/c/d
A /tmp/c/e
A /tmp/c/e/x
### ns prints the cow mount as the command that makes it
mkdir -p /tmp/src /tmp/c
mount cow /tmp/src /tmp/c
ns | grep cow
--- stdout
mount cow /tmp/src /tmp/c
### cowdiff of a directory that is not a cow mount fails
cowdiff /tmp
--- stderr
oash::file

  × cowdiff: /tmp: cowdiff is not supported by this service
   ╭─[cow.t:1:9]
 1 │ cowdiff /tmp
   ·         ──┬─
   ·           ╰── this file
   ╰────
--- status
cowdiff: /tmp: cowdiff is not supported by this service
### mount cow needs exactly one source directory
mkdir -p /tmp/c
mount cow /tmp/c
--- stderr
oash::file

  × mount: cow: takes one argument, the directory to overlay
   ╭─[cow.t:2:7]
 1 │ mkdir -p /tmp/c
 2 │ mount cow /tmp/c
   ·       ─┬─
   ·        ╰── this file
   ╰────
--- status
mount: cow: takes one argument, the directory to overlay
### a cow over a file is refused
echo > /tmp/file
mkdir -p /tmp/c
mount cow /tmp/file /tmp/c
--- stderr
oash::file

  × mount: /tmp/file: not a directory
   ╭─[cow.t:3:11]
 2 │ mkdir -p /tmp/c
 3 │ mount cow /tmp/file /tmp/c
   ·           ────┬────
   ·               ╰── this file
   ╰────
--- status
mount: /tmp/file: not a directory
### a cow over a cow: the inner one is the base and is not changed
mkdir -p /tmp/src /tmp/c1 /tmp/c2
echo one > /tmp/src/f
mount cow /tmp/src /tmp/c1
mount cow /tmp/c1 /tmp/c2
echo two > /tmp/c2/f
cat /tmp/src/f /tmp/c1/f /tmp/c2/f
cowdiff /tmp/c1
cowdiff /tmp/c2
--- stdout
one
one
two
M /tmp/c2/f
