The file builtins over the namespace: cd pwd cat ls mkdir rm mv cp.
9base rc runs the host's programs for these; the cases marked (oash) print oash's own way.

### the shell starts at /
pwd
--- stdout
/
### cd changes the working directory
cd /tmp
pwd
--- stdout
/tmp
### cd with no argument goes to $home
home=/tmp
cd /
cd
pwd
--- stdout
/tmp
### cd to a relative directory and back up
mkdir /tmp/d
cd /tmp/d
pwd
cd ..
pwd
--- stdout
/tmp/d
/tmp
### cd to a missing directory fails and stays put (oash)
cd /tmp
cd /nowhere
pwd
--- stdout
/tmp
--- stderr
oash::file

  × cd: /nowhere: file does not exist
   ╭─[fs.t:2:4]
 1 │ cd /tmp
 2 │ cd /nowhere
   ·    ────┬───
   ·        ╰── this file
 3 │ pwd
   ╰────
### .. cannot climb out of the root
cd /../../tmp/..
pwd
--- stdout
/
### cat copies files to standard output
echo one > /tmp/a
echo two > /tmp/b
cat /tmp/a /tmp/b
--- stdout
one
two
### cat - reads standard input (oash)
echo in | cat /tmp/nothere - >[2]/tmp/err
cat /tmp/err
--- stdout
in
cat: /tmp/nothere: file does not exist
### ls lists a directory sorted (oash; Plan 9 ls prefixes the directory)
echo > /tmp/b; echo > /tmp/a; mkdir /tmp/c
ls /tmp
--- stdout
a
b
c
### ls names files given as arguments
echo > /tmp/a
ls /tmp/a
--- stdout
/tmp/a
### ls -p marks directories (oash)
mkdir /tmp/dir
echo > /tmp/file
ls -p /tmp
--- stdout
dir/
file
### ls of the root shows the standard directories (oash)
ls /
--- stdout
agents
bin
dev
env
lib
n
task
tmp
### mkdir makes a directory (oash; Plan 9 ls prefixes the directory)
mkdir /tmp/new
ls /tmp
--- stdout
new
### mkdir -p makes parents (oash; Plan 9 ls prefixes the directory)
mkdir -p /tmp/x/y/z
ls /tmp/x/y
--- stdout
z
### mkdir of an existing directory fails (oash)
mkdir /tmp/d
mkdir /tmp/d
--- stderr
oash::file

  × mkdir: /tmp/d: file already exists
   ╭─[fs.t:2:7]
 1 │ mkdir /tmp/d
 2 │ mkdir /tmp/d
   ·       ───┬──
   ·          ╰── this file
   ╰────
--- status
mkdir: /tmp/d: file already exists
### rm removes a file
echo > /tmp/gone
rm /tmp/gone
ls /tmp
### rm -r removes a tree
mkdir -p /tmp/t/u
echo > /tmp/t/u/f
rm -r /tmp/t
ls /tmp
### rm -f of a missing file is quiet
rm -f /tmp/nothing
echo $status
--- stdout

### rm of a missing file fails (oash)
rm /tmp/nothing
--- stderr
oash::file

  × rm: /tmp/nothing: file does not exist
   ╭─[fs.t:1:4]
 1 │ rm /tmp/nothing
   ·    ──────┬─────
   ·          ╰── this file
   ╰────
--- status
rm: /tmp/nothing: file does not exist
### mv renames a file (oash; Plan 9 ls prefixes the directory)
echo data > /tmp/old
mv /tmp/old /tmp/new
ls /tmp
cat /tmp/new
--- stdout
new
data
### mv into a directory (oash; Plan 9 ls prefixes the directory)
mkdir /tmp/d
echo a > /tmp/a
echo b > /tmp/b
mv /tmp/a /tmp/b /tmp/d
ls /tmp/d
--- stdout
a
b
### cp copies a file
echo data > /tmp/src
cp /tmp/src /tmp/dst
cat /tmp/src /tmp/dst
--- stdout
data
data
### cp -r copies a tree
mkdir -p /tmp/s/in
echo f > /tmp/s/in/f
cp -r /tmp/s /tmp/t
cat /tmp/t/in/f
--- stdout
f
### relative paths resolve against the working directory (oash; Plan 9 ls prefixes the directory)
cd /tmp
mkdir rel
echo hi > rel/f
cat /tmp/rel/f
ls rel
--- stdout
hi
f
### globbing sees files the builtins made
mkdir /tmp/g
for (i in 1 2 3) echo $i > /tmp/g/f$i
echo /tmp/g/f*
cat /tmp/g/*
--- stdout
/tmp/g/f1 /tmp/g/f2 /tmp/g/f3
1
2
3
### files written by one pipeline stage are seen by the next command
seq 3 | tee /tmp/seq > /tmp/copy
cat /tmp/copy
wc -l /tmp/seq
--- stdout
1
2
3
3 /tmp/seq
