The `func` service: files computed by closures. From the shell it is made with Rhai's
`mount_func(point, #{...})`: a closure is a read-only file; `#{ read: ..., write: ... }` is a
control file whose `write` closure gets each writer's message once, on close (all oash).

### a closure is a file computed on every read (oash)
rhai -c 'let n = #{ reads: 0 }; mount_func("/n", #{ hits: || { n.reads += 1; n.reads } })'
cat /n/hits; echo
cat /n/hits; echo
ls /n
--- stdout
1
2
hits
### a control file: write sends a message, read shows the state (oash)
rhai <<'EOF'
let state = #{ count: 0 };
mount_func("/n", #{
    count: || state.count,
    ctl: #{ read: || "add N | reset", write: |msg| {
        msg.trim();
        let words = msg.split(" ");
        switch words[0] {
            "add" => { state.count += parse_int(words[1]); }
            "reset" => { state.count = 0; }
            _ => throw `unknown command: ${msg}`
        }
    } }
});
EOF
echo add 5 > /n/ctl
{ echo add 2 } > /n/ctl
cat /n/count; echo
cat /n/ctl; echo
echo reset > /n/ctl
cat /n/count; echo
--- stdout
7
add N | reset
0
### a message the control file refuses fails the command that sent it (oash)
rhai -c 'mount_func("/n", #{ ctl: #{ read: || "", write: |msg| throw "no such command" } })'
echo bogus > /n/ctl
echo status: $status
--- stdout
status: redirection: /n/ctl: rhai: no such command (line 1, position 55)
--- stderr
oash::file

  × redirection: /n/ctl: rhai: no such command (line 1, position 55)
   ╭─[func.t:2:1]
 1 │ rhai -c 'mount_func("/n", #{ ctl: #{ read: || "", write: |msg| throw "no such command" } })'
 2 │ echo bogus > /n/ctl
   · ─────────┬─────────
   ·          ╰── when closing its file
 3 │ echo status: $status
   ╰────
### a read-only func file refuses writes, and the tree is fixed (oash)
rhai -c 'mount_func("/n", #{ "d/motd": || "hi" })'
cat /n/d/motd; echo
echo x > /n/d/motd
--- stdout
hi
--- stderr
oash::file

  × redirection: /n/d/motd: permission denied (read-only)
   ╭─[func.t:3:10]
 2 │ cat /n/d/motd; echo
 3 │ echo x > /n/d/motd
   ·          ────┬────
   ·              ╰── cannot open this file
   ╰────
--- status
redirection: /n/d/motd: permission denied (read-only)
### a closure that runs too long is stopped by the Rhai limits, and the shell goes on (oash)
rhai -c 'mount_func("/n", #{ spin: || { let i = 0; loop { i += 1; } } })'
cat /n/spin
echo still here
--- stdout
still here
--- stderr
oash::file

  × cat: /n/spin: rhai: too many operations (the limit is 1000000)
   ╭─[func.t:2:5]
 1 │ rhai -c 'mount_func("/n", #{ spin: || { let i = 0; loop { i += 1; } } })'
 2 │ cat /n/spin
   ·     ───┬───
   ·        ╰── this file
 3 │ echo still here
   ╰────
### a value that is not a closure is refused, naming the file (oash)
rhai -c 'mount_func("/n", #{ x: 1 })'
--- stderr
oash::rhai

  × rhai: mount_func: x: a file is a closure or #{ read: closure, write: closure }, not i64 (line
  │ 1, position 1)
   ╭─[func.t:1:1]
 1 │ rhai -c 'mount_func("/n", #{ x: 1 })'
   · ──────────────────┬──────────────────
   ·                   ╰── in this command
   ╰────
--- status
rhai: mount_func: x: a file is a closure or #{ read: closure, write: closure }, not i64 (line 1, position 1)
