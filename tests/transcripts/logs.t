The `logs` service: append-only logs of JSON objects, one record per write, each stored as
one line that starts with the `seq` and `ts` the log adds (all oash). The default root has
no `/log`, so each case makes it first. Timestamps differ
from run to run, so records are checked with `grep -cxE` against their whole shape:
`record N FIELDS FILE` counts the lines `{"seq":N,"ts":"<RFC 3339 UTC>",FIELDS}`.

### each write is one record, with seq and ts first (oash)
fn record { grep -cxE '\{"seq":'$1',"ts":"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z",'$2'\}' $3 }
mkdir /log
mount logs /log
echo '{"a":1}' > /log/x
echo '{"b": [true, null], "c": {"d": "e"}}' >> /log/x
wc -l < /log/x
record 1 '"a":1' /log/x
record 2 '"b":\[true,null\],"c":\{"d":"e"\}' /log/x
--- stdout
2
1
1
### a write that is not a JSON object is refused and the log keeps what it had (oash)
mkdir /log
mount logs /log
echo '{"a":1}' > /log/x
echo 'not json' >> /log/x
echo '[1, 2]' >> /log/x
echo '{"a":' >> /log/x
wc -l < /log/x
--- stdout
1
--- stderr
oash::command

  × echo: /log/x: not JSON: expected ident at line 1 column 2
   ╭─[logs.t:4:1]
 3 │ echo '{"a":1}' > /log/x
 4 │ echo 'not json' >> /log/x
   · ────────────┬────────────
   ·             ╰── in this command
 5 │ echo '[1, 2]' >> /log/x
   ╰────
oash::command

  × echo: /log/x: not a JSON object: got an array
   ╭─[logs.t:5:1]
 4 │ echo 'not json' >> /log/x
 5 │ echo '[1, 2]' >> /log/x
   · ───────────┬───────────
   ·            ╰── in this command
 6 │ echo '{"a":' >> /log/x
   ╰────
oash::command

  × echo: /log/x: not JSON: EOF while parsing a value at line 1 column 5
   ╭─[logs.t:6:1]
 5 │ echo '[1, 2]' >> /log/x
 6 │ echo '{"a":' >> /log/x
   · ───────────┬──────────
   ·            ╰── in this command
 7 │ wc -l < /log/x
   ╰────
### seq and ts belong to the log (oash)
mkdir /log
mount logs /log
echo '{"seq":7}' >> /log/x
echo '{"ts":"yesterday"}' >> /log/x
wc -l < /log/x
--- stdout
0
--- stderr
oash::command

  × echo: /log/x: "seq" is set by the log, not by the writer
   ╭─[logs.t:3:1]
 2 │ mount logs /log
 3 │ echo '{"seq":7}' >> /log/x
   · ─────────────┬────────────
   ·              ╰── in this command
 4 │ echo '{"ts":"yesterday"}' >> /log/x
   ╰────
oash::command

  × echo: /log/x: "ts" is set by the log, not by the writer
   ╭─[logs.t:4:1]
 3 │ echo '{"seq":7}' >> /log/x
 4 │ echo '{"ts":"yesterday"}' >> /log/x
   · ─────────────────┬─────────────────
   ·                  ╰── in this command
 5 │ wc -l < /log/x
   ╰────
### a log with records cannot be truncated: append with >> (oash)
mkdir /log
mount logs /log
echo '{"a":1}' > /log/x
echo '{"a":2}' > /log/x
--- stderr
oash::file

  × redirection: /log/x: permission denied (append-only: truncating would lose records (use >>))
   ╭─[logs.t:4:18]
 3 │ echo '{"a":1}' > /log/x
 4 │ echo '{"a":2}' > /log/x
   ·                  ───┬──
   ·                     ╰── cannot open this file
   ╰────
--- status
redirection: /log/x: permission denied (append-only: truncating would lose records (use >>))
### logs are never removed or renamed (oash)
mkdir /log
mount logs /log
echo '{}' > /log/x
rm /log/x
mv /log/x /log/y
ls /log
--- stdout
x
--- stderr
oash::file

  × rm: /log/x: permission denied (append-only: nothing in a logs service is removed)
   ╭─[logs.t:4:4]
 3 │ echo '{}' > /log/x
 4 │ rm /log/x
   ·    ───┬──
   ·       ╰── this file
 5 │ mv /log/x /log/y
   ╰────
oash::file

  × mv: /log/x: permission denied (append-only: nothing in a logs service is renamed)
   ╭─[logs.t:5:4]
 4 │ rm /log/x
 5 │ mv /log/x /log/y
   ·    ───┬──
   ·       ╰── this file
 6 │ ls /log
   ╰────
### directories made with mkdir hold logs (oash)
fn record { grep -cxE '\{"seq":'$1',"ts":"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z",'$2'\}' $3 }
mkdir /log
mount logs /log
mkdir /log/agent
echo '{"who":"a"}' > /log/agent/a
echo '{}' > /log/top
ls /log /log/agent
record 1 '"who":"a"' /log/agent/a
echo '{}' > /log/none/x
--- stdout
/log:
agent
top

/log/agent:
a
1
--- stderr
oash::file

  × redirection: /log/none/x: file does not exist
   ╭─[logs.t:9:13]
 8 │ record 1 '"who":"a"' /log/agent/a
 9 │ echo '{}' > /log/none/x
   ·             ─────┬─────
   ·                  ╰── cannot open this file
   ╰────
--- status
redirection: /log/none/x: file does not exist
### mount logs takes no arguments, and ns shows the mount (oash)
mkdir /log
mount logs /log
mount logs extra /n
ns
--- stdout
newns
mount mem /tmp
mount dev /dev
mount env /env
mount stdlib /lib/oash
mount task /task
mount agents /agents
mount logs /log
--- stderr
oash::file

  × mount: logs: takes no arguments, got extra
   ╭─[logs.t:3:7]
 2 │ mount logs /log
 3 │ mount logs extra /n
   ·       ──┬─
   ·         ╰── this file
 4 │ ns
   ╰────
### tail -f follows a log; -m ends it after so many lines (oash)
mkdir /log
mount logs /log
echo '{"n":1}' > /log/x
tail -f -n +1 -m 3 /log/x | grep -c '"seq":' &
echo '{"n":2}' >> /log/x
echo '{"n":3}' >> /log/x
wait
--- stdout
3
### a trajectory (*.atif) takes ATIF steps, stored with step_id and timestamp (oash)
mkdir /log
mount logs /log
echo '{"source":"user","message":"list /tmp"}' > /log/run.atif
echo '{"source":"agent","message":"listing","tool_calls":[{"id":"c1","name":"ls","arguments":{"path":"/tmp"}}],"observation":{"results":[{"source_call_id":"c1","content":"a b"}]},"metrics":{"prompt_tokens":10,"completion_tokens":4}}' >> /log/run.atif
grep -cE '^\{"step_id":1,"timestamp":"[^"]+Z","source":"user","message":"list /tmp"\}$' /log/run.atif
grep -cE '^\{"step_id":2,"timestamp":"[^"]+Z","source":"agent","message":"listing","tool_calls":' /log/run.atif
--- stdout
1
1
### an ill-formed step is refused naming the field at fault (oash)
mkdir /log
mount logs /log
echo '{"source":"agent","message":"x","tool_calls":[{"id":"c1","name":3,"arguments":{}}]}' > /log/run.atif
echo '{"source":"user","message":"x","tool_calls":[{"id":"c1","name":"ls","arguments":{}}]}' >> /log/run.atif
echo '{"source":"user","message":"x","step_id":9}' >> /log/run.atif
wc -l < /log/run.atif
--- stdout
0
--- stderr
oash::command

  × echo: /log/run.atif: not an ATIF step: tool_calls[0].name: invalid type: integer `3`, expected
  │ a string at line 1 column 65
   ╭─[logs.t:3:1]
 2 │ mount logs /log
 3 │ echo '{"source":"agent","message":"x","tool_calls":[{"id":"c1","name":3,"arguments":{}}]}' > /log/run.atif
   · ─────────────────────────────────────────────────────┬────────────────────────────────────────────────────
   ·                                                      ╰── in this command
 4 │ echo '{"source":"user","message":"x","tool_calls":[{"id":"c1","name":"ls","arguments":{}}]}' >> /log/run.atif
   ╰────
oash::command

  × echo: /log/run.atif: not an ATIF step: tool_calls: only an agent step makes tool calls
   ╭─[logs.t:4:1]
 3 │ echo '{"source":"agent","message":"x","tool_calls":[{"id":"c1","name":3,"arguments":{}}]}' > /log/run.atif
 4 │ echo '{"source":"user","message":"x","tool_calls":[{"id":"c1","name":"ls","arguments":{}}]}' >> /log/run.atif
   · ──────────────────────────────────────────────────────┬──────────────────────────────────────────────────────
   ·                                                       ╰── in this command
 5 │ echo '{"source":"user","message":"x","step_id":9}' >> /log/run.atif
   ╰────
oash::command

  × echo: /log/run.atif: not an ATIF step: step_id: set by the log, not by the writer
   ╭─[logs.t:5:1]
 4 │ echo '{"source":"user","message":"x","tool_calls":[{"id":"c1","name":"ls","arguments":{}}]}' >> /log/run.atif
 5 │ echo '{"source":"user","message":"x","step_id":9}' >> /log/run.atif
   · ─────────────────────────────────┬─────────────────────────────────
   ·                                  ╰── in this command
 6 │ wc -l < /log/run.atif
   ╰────
### Rhai's append writes one record (oash)
fn record { grep -cxE '\{"seq":'$1',"ts":"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z",'$2'\}' $3 }
mkdir /log
mount logs /log
rhai -c 'append("/log/a", "{\"x\":1}"); append("/log/a", "{\"x\":2}")'
record 1 '"x":1' /log/a
record 2 '"x":2' /log/a
rhai -c 'append("/log/a", "oops")'
--- stdout
1
1
--- stderr
oash::file

  × rhai: append: /log/a: not JSON: expected value at line 1 column 1 (line 1, position 1)
   ╭─[logs.t:7:1]
 6 │ record 2 '"x":2' /log/a
 7 │ rhai -c 'append("/log/a", "oops")'
   · ─────────────────┬────────────────
   ·                  ╰── in this command
   ╰────
--- status
rhai: append: /log/a: not JSON: expected value at line 1 column 1 (line 1, position 1)
