The text builtins: seq wc head tail grep sort tee, with their common flags.

### seq counts to a number
seq 3
--- stdout
1
2
3
### seq with a start
seq 2 4
--- stdout
2
3
4
### seq with a step
seq 1 2 7
--- stdout
1
3
5
7
### seq counting down
seq 3 -1 1
--- stdout
3
2
1
### seq -w pads with zeros
seq -w 8 10
--- stdout
08
09
10
### wc -l counts lines
seq 5 | wc -l
--- stdout
5
### wc -w counts words
echo hello big world | wc -w
--- stdout
3
### wc -c counts bytes
echo hello | wc -c
--- stdout
6
### wc with no flags prints lines, words, bytes (oash)
echo hello world | wc
--- stdout
1 2 12
### wc of a file (oash)
seq 3 > /tmp/f
wc -l /tmp/f
--- stdout
3 /tmp/f
### head takes the first lines
seq 20 | head -3
--- stdout
1
2
3
### head -n N
seq 20 | head -n 2
--- stdout
1
2
### head defaults to ten lines
seq 20 | head | wc -l
--- stdout
10
### tail takes the last lines
seq 20 | tail -2
--- stdout
19
20
### tail -n N
seq 20 | tail -n 1
--- stdout
20
### tail -n +N starts at line N (oash)
seq 5 | tail -n +4
--- stdout
4
5
### grep prints matching lines
seq 12 | grep 1
--- stdout
1
10
11
12
### grep -v inverts
seq 12 | grep -v 1
--- stdout
2
3
4
5
6
7
8
9
### grep -c counts
seq 12 | grep -c 1
--- stdout
4
### grep -i ignores case
echo Hello | grep -i hello
--- stdout
Hello
### grep with a regular expression
seq 30 | grep '^2.$'
--- stdout
20
21
22
23
24
25
26
27
28
29
### grep fails when nothing matches
echo x | grep nope
echo $status
--- stdout
|1
### grep in files names them (oash)
echo apple > /tmp/a
echo banana > /tmp/b
grep an /tmp/a /tmp/b
--- stdout
/tmp/b:banana
### grep -n numbers lines (oash)
seq 12 | grep -n 1
--- stdout
1:1
10:10
11:11
12:12
### grep -l lists files (oash)
echo apple > /tmp/a
echo banana > /tmp/b
grep -l an /tmp/a /tmp/b
--- stdout
/tmp/b
### sort sorts lines
{ echo b; echo c; echo a } | sort
--- stdout
a
b
c
### sort -r reverses
seq 5 | sort -r
--- stdout
5
4
3
2
1
### sort -n sorts numerically
{ echo 10; echo 9; echo 100 } | sort -n
--- stdout
9
10
100
### sort without -n sorts as text
{ echo 10; echo 9; echo 100 } | sort
--- stdout
10
100
9
### sort -u drops duplicates
{ echo b; echo a; echo b } | sort -u
--- stdout
a
b
### sort -k and -t pick a field (oash)
{ echo x:3; echo y:1; echo z:2 } | sort -t : -k 2
--- stdout
y:1
z:2
x:3
### tee copies to files and standard output
echo 3 1 2 | tee /tmp/t | wc -w
cat /tmp/t
--- stdout
3
3 1 2
### tee -a appends
echo one > /tmp/t
echo two | tee -a /tmp/t
cat /tmp/t
--- stdout
two
one
two
### a missing file is reported and the rest go on (oash)
echo ok > /tmp/a
cat /tmp/a /nope
--- stdout
ok
--- stderr
cat: /nope: file does not exist
--- status
1
### a bad flag is a usage error (oash)
seq -z 3
--- stderr
oash::usage

  × seq: unknown flag -z
   ╭─[text.t:1:5]
 1 │ seq -z 3
   ·     ─┬
   ·      ╰── bad usage
   ╰────
  help: usage: seq [-w] [-s SEP] [FIRST [INCR]] LAST
--- status
seq: unknown flag -z
