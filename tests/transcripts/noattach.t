No-attach namespaces (Plan 9's RFNOMNT): `rfork m`, every WASI guest and `--sandbox` can
use and bind what they were given but attach nothing new, by any door (all oash).
### rfork m: no service can be mounted any more, in any form (oash)
rfork m
mkdir /n/a
for (kind in mem map dev env logs stdlib task) { mount $kind /n/a >[2] /dev/null; echo $kind $status }
mount host / /n/a >[2] /dev/null; echo host $status
mount -b mem /n/a >[2] /dev/null; echo -b $status
mount cow /tmp /n/a >[2] /dev/null; echo cow $status
mount mem 1M /n/a >[2] /dev/null; echo sized $status
ns | grep -c '^mount'
--- stdout
mem mount: /n/a: cannot mount: this namespace is no-attach
map mount: /n/a: cannot mount: this namespace is no-attach
dev mount: /n/a: cannot mount: this namespace is no-attach
env mount: /n/a: cannot mount: this namespace is no-attach
logs mount: /n/a: cannot mount: this namespace is no-attach
stdlib mount: /n/a: cannot mount: this namespace is no-attach
task mount: /n/a: cannot mount: this namespace is no-attach
host mount: /n/a: cannot mount: this namespace is no-attach
-b mount: /n/a: cannot mount: this namespace is no-attach
cow mount: /n/a: cannot mount: this namespace is no-attach
sized mount: /n/a: cannot mount: this namespace is no-attach
6
### the refusal is a diagnostic at the mount point, with the reason (oash)
rfork m
mount host / /n
--- stderr
oash::file

  × mount: /n: cannot mount: this namespace is no-attach
   ╭─[noattach.t:2:14]
 1 │ rfork m
 2 │ mount host / /n
   ·              ─┬
   ·               ╰── this file
   ╰────
--- status
mount: /n: cannot mount: this namespace is no-attach
### a host directory is not even opened: a missing one gives the same refusal (oash)
rfork m
mount host /no/such/dir /n >[2=1] | grep -c 'no-attach'
--- stdout
2
--- status
mount: /n: cannot mount: this namespace is no-attach|
### bind, unions and unmount of what is there still work (oash)
echo hi > /tmp/x
rfork m
bind /tmp /n
cat /n/x
bind -a /lib/oash /n
ls /n | grep -c ns.oash
unmount /n
unmount /n
ls /n
echo unmounted
--- stdout
hi
1
unmounted
### ns ends with rfork m, so a replay closes the boundary after the mounts (oash)
mkdir /n/m
mount mem /n/m
rfork m
bind /tmp /n
ns
--- stdout
newns
mount mem /tmp
mount dev /dev
mount env /env
mount stdlib /lib/oash
mount task /task
mount agents /agents
mount mem /n/m
bind /tmp /n
rfork m
### newns in a no-attach namespace stays no-attach (oash)
rfork m
newns
ns
mount mem /tmp >[2] /dev/null; echo $status
--- stdout
newns
rfork m
mount: /tmp: cannot mount: this namespace is no-attach
### rfork N gives a clean namespace, N and m together a clean no-attach one (oash)
rfork N
ns
rfork Nm
ns
--- stdout
newns
newns
rfork m
### rfork with no letters is rc's ensm: no-attach (oash)
rfork
mount mem /n >[2] /dev/null; echo $status
--- stdout
mount: /n: cannot mount: this namespace is no-attach
### rfork refuses letters it cannot honour (oash)
rfork E
--- stderr
oash::usage

  × rfork: -E is not supported (a clean environment is not available in oash)
   ╭─[noattach.t:1:7]
 1 │ rfork E
   ·       ┬
   ·       ╰── bad usage
   ╰────
  help: usage: rfork [nNesfm] (no letters: ensm; n e s f are already so in oash)
--- status
rfork: -E is not supported (a clean environment is not available in oash)
### @{ } and every copy of the shell inherit no-attach; the boundary never opens (oash)
rfork m
@{ mount mem /n >[2] /dev/null; echo sub $status }
{ mount mem /n >[2] /dev/null; echo piped $status } | cat
--- stdout
sub mount: /n: cannot mount: this namespace is no-attach
piped mount: /n: cannot mount: this namespace is no-attach
### a shell that is not no-attach is unchanged by a no-attach @{ } (oash)
@{ rfork m; mount mem /n >[2] /dev/null; echo inside $status }
mkdir /n/x; mount mem /n/x; echo outside $status
--- stdout
inside mount: /n: cannot mount: this namespace is no-attach
outside 
### Rhai's mount, mount_map and rfork go through the same core (oash)
rhai -c 'rfork("m"); mount("mem", "/n")' >[2=1] | grep -c 'no-attach'
rhai -c 'rfork("m"); mount_map("/n", #{a: "1"})' >[2=1] | grep -c 'no-attach'
rhai -c 'rfork("m"); bind("/tmp", "/n"); print(ns())'
--- stdout
3
3
newns
mount mem /tmp
mount dev /dev
mount env /env
mount stdlib /lib/oash
mount task /task
mount agents /agents
bind /tmp /n
rfork m

### a guest cannot attach through a task's ctl it made itself (oash)
id=`{spawn cat /task/new/wasi}
spawn write /task/$id/ctl mount host / /n
echo status $status
cat /task/$id/ns | grep -c host
--- stdout
status 1
0
--- stderr
write: /task/2/ctl: Operation not permitted
--- status
|1
### a guest cannot attach through the ctl of a task trusted code made (oash)
id=`{cat /task/new/wasi}
spawn write /task/$id/ctl mount mem /n
echo status $status
cat /task/$id/ns | grep -c '/n$'
--- stdout
status 1
0
--- stderr
write: /task/1/ctl: Operation not permitted
--- status
|1
### trusted code still shapes a task before it starts, and rfork m in ctl closes it (oash)
id=`{cat /task/new/wasi}
echo mount mem /n > /task/$id/ctl
echo rfork m > /task/$id/ctl
echo mount mem /tmp > /task/$id/ctl
echo bind /tmp /n > /task/$id/ctl
cat /task/$id/ns
--- stdout
newns
mount mem /tmp
mount dev /dev
mount env /env
mount stdlib /lib/oash
mount task /task
mount agents /agents
mount mem /n
bind /tmp /n
rfork m
--- stderr
oash::file

  × redirection: /task/1/ctl: mount: /tmp: cannot mount: this namespace is no-attach
   ╭─[noattach.t:4:1]
 3 │ echo rfork m > /task/$id/ctl
 4 │ echo mount mem /tmp > /task/$id/ctl
   · ─────────────────┬─────────────────
   ·                  ╰── when closing its file
 5 │ echo bind /tmp /n > /task/$id/ctl
   ╰────
### a guest's writes to /env stay its own (oash)
spawn write /env/ifs x
spawn write /env/fresh y
echo $#fresh
~ $ifs ' 	
' && echo ifs unchanged
--- stdout
0
ifs unchanged
### spawn -s shares the shell's /env with the guest (oash)
spawn -s write /env/fresh y
echo $fresh
--- stdout
y
### a guest reads the shell's variables through its copy of /env (oash)
greeting=hello
spawn cat /env/greeting
echo
--- stdout
hello
