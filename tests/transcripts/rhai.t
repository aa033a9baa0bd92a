The Rhai door's errors (all oash): a shell core called from Rhai fails with the same
diagnostic code as the same command in the shell; the message is Rhai's, with the
script's position. What a script makes of an error, and its own `throw`, are `oash::rhai`.

### mount of an unknown service: the same code from the shell and from Rhai (oash)
mount nosuch /n
rhai -c 'mount("nosuch", "/n")'
echo $status
--- stdout
rhai: mount: unknown service 'nosuch' (line 1, position 1)
--- stderr
oash::file

  × mount: unknown service 'nosuch'
   ╭─[rhai.t:1:7]
 1 │ mount nosuch /n
   ·       ───┬──
   ·          ╰── this file
 2 │ rhai -c 'mount("nosuch", "/n")'
   ╰────
oash::file

  × rhai: mount: unknown service 'nosuch' (line 1, position 1)
   ╭─[rhai.t:2:1]
 1 │ mount nosuch /n
 2 │ rhai -c 'mount("nosuch", "/n")'
   · ───────────────┬───────────────
   ·                ╰── in this command
 3 │ echo $status
   ╰────
### a caught error is a string; thrown again unchanged, it keeps its code (oash)
rhai -c 'try { read("/nope") } catch (e) { print(type_of(e) + ": " + e); throw e }'
--- stdout
string: read: /nope: file does not exist
--- stderr
oash::file

  × rhai: read: /nope: file does not exist (line 1, position 65)
   ╭─[rhai.t:1:1]
 1 │ rhai -c 'try { read("/nope") } catch (e) { print(type_of(e) + ": " + e); throw e }'
   · ─────────────────────────────────────────┬─────────────────────────────────────────
   ·                                          ╰── in this command
   ╰────
--- status
rhai: read: /nope: file does not exist (line 1, position 65)
### a bad flag is a usage error in both doors (oash)
mount -ab mem /n
rhai -c 'mount("mem", [], "/n", "-ab")'
--- stderr
oash::usage

  × mount: -a and -b exclude each other
   ╭─[rhai.t:1:7]
 1 │ mount -ab mem /n
   ·       ─┬─
   ·        ╰── bad usage
 2 │ rhai -c 'mount("mem", [], "/n", "-ab")'
   ╰────
  help: usage: mount [-abc] SERVICE [ARGS...] POINT (mem: [SIZE]; dev, env, logs, stdlib: no ARGS;
        map: NAME=CONTENTS... NAME/...; cow: SOURCE; host: DIR)
oash::usage

  × rhai: mount: -a and -b exclude each other (line 1, position 1)
   ╭─[rhai.t:2:1]
 1 │ mount -ab mem /n
 2 │ rhai -c 'mount("mem", [], "/n", "-ab")'
   · ───────────────────┬───────────────────
   ·                    ╰── in this command
   ╰────
  help: usage: mount(kind, args, point, flags), flags "-a", "-b", "-c"
--- status
rhai: mount: -a and -b exclude each other (line 1, position 1)
### the script's own throw, or an error it rewrites, is Rhai's (oash)
rhai -c 'throw "no such agent"'
rhai -c 'try { rm("/zz") } catch (e) { throw "cleanup: " + e }'
--- stderr
oash::rhai

  × rhai: no such agent (line 1, position 1)
   ╭─[rhai.t:1:1]
 1 │ rhai -c 'throw "no such agent"'
   · ───────────────┬───────────────
   ·                ╰── in this command
 2 │ rhai -c 'try { rm("/zz") } catch (e) { throw "cleanup: " + e }'
   ╰────
oash::rhai

  × rhai: cleanup: rm: /zz: file does not exist (line 1, position 31)
   ╭─[rhai.t:2:1]
 1 │ rhai -c 'throw "no such agent"'
 2 │ rhai -c 'try { rm("/zz") } catch (e) { throw "cleanup: " + e }'
   · ───────────────────────────────┬───────────────────────────────
   ·                                ╰── in this command
   ╰────
--- status
rhai: cleanup: rm: /zz: file does not exist (line 1, position 31)
