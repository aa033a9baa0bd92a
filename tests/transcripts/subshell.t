`@{ }` (rc's subshell) runs with a copy of the namespace, variables, functions and working
directory: what it changes vanishes after it. Rhai's `with_ns` runs a closure on the same
copy.

### a mount inside @{ } vanishes after it (oash)
@{ mount mem /n; echo x > /n/f; ls /n }
ls /n
ns | grep -c /n
--- stdout
f
0
--- status
|1
### variables, functions and cd inside @{ } vanish after it (oash)
x=outer
@{ x=inner; fn f { echo f }; cd /tmp; echo $x `{pwd} }
echo $x `{pwd}
f
--- stdout
inner /tmp
outer /
--- stderr
oash::unknown_command

  × f: command not found
   ╭─[subshell.t:4:1]
 3 │ echo $x `{pwd}
 4 │ f
   · ┬
   · ╰── not found
   ╰────
  help: not a builtin, a function, or a program on $path; `help` lists the builtins
--- status
f: command not found
### @{ } sees the namespace as it was when it started (oash)
mkdir /n/a
mount map motd=hi /n/a
@{ cat /n/a/motd; echo; unmount /n/a; ls /n/a }
cat /n/a/motd
echo
--- stdout
hi
hi
### files written through a shared service outlive @{ } (oash)
@{ echo kept > /tmp/f }
cat /tmp/f
--- stdout
kept
### exit inside @{ } ends only the copy (oash)
@{ exit 3 }
echo status $status
--- stdout
status 3
### with_ns runs a Rhai closure on a copy of the namespace (oash)
rhai -c 'print(with_ns(|| { mount("mem", "/n"); write("/n/f", "x"); ls("/n") })); print(ls("/n"))'
ls /n
--- stdout
["f"]
[]
### an error in with_ns passes through, and the namespace is back (oash)
rhai -c 'try { with_ns(|| { mount("mem", "/n"); throw "boom" }) } catch (e) { print(e) }; print(ns().contains(" /n\n"))'
--- stdout
boom
false
