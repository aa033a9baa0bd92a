`/agents`: agents with Nostr identities, durable signed envelopes and state kept in one
SQLite database each (all oash). Every case runs with an ephemeral state directory. Keys,
ids and times differ from run to run, so they are caught in variables and checked with `~`
patterns, and JSON files are read through `json FILE KEY...`, a Rhai one-liner that prints
`KEY: VALUE` for each key (`event.kind` reaches inside, `event.tags.0` into an array;
JSON's null prints as null).
The identity transaction files (`sign`, `verify`, `encrypt`, `decrypt`) are in
agents_identity.t.

### /agents lists new; reading /agents/new makes an agent with a fresh name (oash)
ls /agents
cat /agents/new
cat /agents/new
ls /agents
agent
--- stdout
new
agent1
agent2
agent1
agent2
new
agent1
agent2
### agent new, mkdir /agents/NAME, agent ls and agent rm (oash)
agent new alice bob
mkdir /agents/carol
agent ls
agent rm bob
agent
ls /agents
rhai { print(agents()) }
--- stdout
alice
bob
carol
alice
carol
alice
carol
new
["alice", "carol"]
### an agent's directory and its identity directory (oash)
agent new alice
ls -p /agents/alice
ls /agents/alice/identity
ls /agents/alice/inbox /agents/alice/outbox /agents/alice/deadletter /agents/alice/memory /agents/alice/goals /agents/alice/logs
--- stdout
ctl
deadletter/
goals/
identity/
inbox/
logs/
memory/
outbox/
status
decrypt
encrypt
npub
pubkey
sign
verify
/agents/alice/deadletter:
ctl

/agents/alice/goals:

/agents/alice/inbox:
new

/agents/alice/logs:

/agents/alice/memory:

/agents/alice/outbox:
### identity/pubkey is 64 hex digits and npub its bech32 form; status names both (oash)
fn json { rhai -c 'let m = parse_json(read(ARGS[0])); for i in 1..ARGS.len() { let v = m; for k in ARGS[i].split(".") { v = if type_of(v) == "array" { v[parse_int(k)] } else { v[k] } } print(ARGS[i] + ": " + if type_of(v) == "()" { "null" } else { v }) }' $* }
agent new alice bob
hex=`{cat /agents/alice/identity/pubkey}
npub=`{cat /agents/alice/identity/npub}
~ $hex [0-9a-f][0-9a-f][0-9a-f][0-9a-f]* && echo -n $hex | wc -c
~ $hex *[~0-9a-f]* || echo only hex digits
~ $npub npub1* && echo -n $npub | wc -c
~ $npub npub1*[~02-9ac-hj-np-z]* || echo only bech32 digits after npub1
r=`{json /agents/alice/status pubkey npub}
~ $r(2) $hex && ~ $r(4) $npub && echo status has both
~ $hex `{cat /agents/bob/identity/pubkey} || echo bob has another key
--- stdout
64
only hex digits
63
only bech32 digits after npub1
status has both
bob has another key
### status: a fresh agent's fields (oash)
fn json { rhai -c 'let m = parse_json(read(ARGS[0])); for i in 1..ARGS.len() { let v = m; for k in ARGS[i].split(".") { v = if type_of(v) == "array" { v[parse_int(k)] } else { v[k] } } print(ARGS[i] + ": " + if type_of(v) == "()" { "null" } else { v }) }' $* }
agent new alice
json /agents/alice/status name inbox inbox_max inbox_policy deadletter outbox_pending state
created=`{json /agents/alice/status created}
~ $created(2) 2[0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]T*Z && echo created is an RFC 3339 time
rhai { print(parse_json(read("/agents/alice/status")).keys()) }
--- stdout
name: alice
inbox: 0
inbox_max: 10000
inbox_policy: deadletter
deadletter: 0
outbox_pending: 0
state: idle
created is an RFC 3339 time
["created", "deadletter", "inbox", "inbox_max", "inbox_policy", "name", "npub", "outbox_pending", "pubkey", "state"]
### send prints the envelope's id; the inbox lists it and cat shows it (oash)
fn json { rhai -c 'let m = parse_json(read(ARGS[0])); for i in 1..ARGS.len() { let v = m; for k in ARGS[i].split(".") { v = if type_of(v) == "array" { v[parse_int(k)] } else { v[k] } } print(ARGS[i] + ": " + if type_of(v) == "()" { "null" } else { v }) }' $* }
agent new bob
id=`{send bob hello   there}
echo -n $id | wc -c
~ $id *[~0-9a-f]* || echo only hex digits
ls /agents/bob/inbox | grep -c $id
json /agents/bob/inbox/$id from_name to type body event.kind event.content event.tags.1
r=`{json /agents/bob/inbox/$id id event.id event.tags.0 received}
~ $r(2) $id && ~ $r(4) $id && echo the id is the event id
~ $r(6) '["p",' && ~ $r(7) '"'`{cat /agents/bob/identity/pubkey}^'"]' && echo the p tag names bob
~ $r(9) 2*Z && echo received is a time
json /agents/bob/status inbox
--- stdout
64
only hex digits
1
from_name: operator
to: bob
type: text
body: hello there
event.kind: 3333
event.content: hello there
event.tags.1: ["type", "text"]
the id is the event id
the p tag names bob
received is a time
inbox: 1
### send -f FROM -t TYPE: the sender's outbox keeps the envelope as delivered (oash)
fn json { rhai -c 'let m = parse_json(read(ARGS[0])); for i in 1..ARGS.len() { let v = m; for k in ARGS[i].split(".") { v = if type_of(v) == "array" { v[parse_int(k)] } else { v[k] } } print(ARGS[i] + ": " + if type_of(v) == "()" { "null" } else { v }) }' $* }
agent new alice bob
id=`{send -f alice -t note bob buy milk}
json /agents/bob/inbox/$id from_name type body event.tags.1
r=`{json /agents/bob/inbox/$id from}
~ $r(2) `{cat /agents/alice/identity/pubkey} && echo 'from is alice''s key'
ls /agents/alice/outbox | grep -c $id
json /agents/alice/outbox/$id from to_name type body state
r=`{json /agents/alice/outbox/$id sent event.sig}
~ $r(2) 2*Z && echo sent is a time
echo -n $r(4) | wc -c
--- stdout
from_name: alice
type: note
body: buy milk
event.tags.1: ["type", "note"]
from is alice's key
1
from: alice
to_name: bob
type: note
body: buy milk
state: delivered
sent is a time
128
### rm inbox/ID acknowledges: the envelope leaves the inbox (oash)
fn json { rhai -c 'let m = parse_json(read(ARGS[0])); for i in 1..ARGS.len() { let v = m; for k in ARGS[i].split(".") { v = if type_of(v) == "array" { v[parse_int(k)] } else { v[k] } } print(ARGS[i] + ": " + if type_of(v) == "()" { "null" } else { v }) }' $* }
agent new bob
one=`{send bob one}
two=`{send bob two}
rm /agents/bob/inbox/$one
ls /agents/bob/inbox | grep -c $one
ls /agents/bob/inbox | grep -c $two
json /agents/bob/status inbox
cat /agents/bob/inbox/$one >[2]/dev/null || echo gone
rm /agents/bob/inbox/$one >[2]/dev/null || echo already acknowledged
--- stdout
0
1
inbox: 1
gone
already acknowledged
### the same envelope delivered again leaves one copy, even after its ack (oash)
fn json { rhai -c 'let m = parse_json(read(ARGS[0])); for i in 1..ARGS.len() { let v = m; for k in ARGS[i].split(".") { v = if type_of(v) == "array" { v[parse_int(k)] } else { v[k] } } print(ARGS[i] + ": " + if type_of(v) == "()" { "null" } else { v }) }' $* }
agent new alice bob
id=`{send -f alice bob once}
rhai -c 'write("/tmp/event", parse_json(read(ARGS[0])).event.to_json())' /agents/alice/outbox/$id
cat /tmp/event > /agents/bob/inbox/new
cat /tmp/event > /agents/bob/inbox/new
ls /agents/bob/inbox | grep -c $id
rm /agents/bob/inbox/$id
cat /tmp/event > /agents/bob/inbox/new && echo written again
ls /agents/bob/inbox | grep -c $id
json /agents/bob/status inbox deadletter
--- stdout
1
written again
0
inbox: 0
deadletter: 0
### inbox/new: a bare body is an envelope from the operator, the last newline dropped (oash)
fn json { rhai -c 'let m = parse_json(read(ARGS[0])); for i in 1..ARGS.len() { let v = m; for k in ARGS[i].split(".") { v = if type_of(v) == "array" { v[parse_int(k)] } else { v[k] } } print(ARGS[i] + ": " + if type_of(v) == "()" { "null" } else { v }) }' $* }
agent new bob
echo 'a bare body' > /agents/bob/inbox/new
id=`{ls /agents/bob/inbox | grep -v '^new$'}
json /agents/bob/inbox/$id from_name type body
{ echo first line; echo second line } > /agents/bob/inbox/new
rhai { for id in ls("/agents/bob/inbox") { if id != "new" { let m = parse_json(read("/agents/bob/inbox/" + id)); if m.body.contains("line") { print(m.body) } } } }
echo '{"task": "tidy up", "id": 7}' > /agents/bob/inbox/new
rhai { for id in ls("/agents/bob/inbox") { if id != "new" { let m = parse_json(read("/agents/bob/inbox/" + id)); if m.body.contains("task") { print(m.body) } } } }
cat /agents/bob/inbox/new
--- stdout
from_name: operator
type: text
body: a bare body
first line
second line
{"task": "tidy up", "id": 7}
write a body, or a signed event's JSON
### inbox/new: a complete signed event is taken as it is, checked (oash)
fn json { rhai -c 'let m = parse_json(read(ARGS[0])); for i in 1..ARGS.len() { let v = m; for k in ARGS[i].split(".") { v = if type_of(v) == "array" { v[parse_int(k)] } else { v[k] } } print(ARGS[i] + ": " + if type_of(v) == "()" { "null" } else { v }) }' $* }
agent new alice bob
echo inbox max 1 > /agents/bob/ctl
echo inbox policy reject > /agents/bob/ctl
send -f alice bob first > /dev/null
# refused by bob's full inbox: the envelope stays in alice's outbox, signed
send -f alice -t note bob by hand >[2]/dev/null || echo refused
id=`{ls /agents/alice/outbox | grep -v `{ls /agents/bob/inbox | grep -v '^new$'}}
rhai -c 'write("/tmp/event", parse_json(read(ARGS[0])).event.to_json())' /agents/alice/outbox/$id
echo inbox max 10 > /agents/bob/ctl
cat /tmp/event > /agents/bob/inbox/new
json /agents/bob/inbox/$id from_name type body
a=`{json /agents/bob/inbox/$id event.sig}
b=`{json /agents/alice/outbox/$id event.sig}
~ $a(2) $b(2) && echo the same signed event
--- stdout
refused
from_name: alice
type: note
body: by hand
the same signed event
### send to a local agent by its npub or hex key (oash)
fn json { rhai -c 'let m = parse_json(read(ARGS[0])); for i in 1..ARGS.len() { let v = m; for k in ARGS[i].split(".") { v = if type_of(v) == "array" { v[parse_int(k)] } else { v[k] } } print(ARGS[i] + ": " + if type_of(v) == "()" { "null" } else { v }) }' $* }
agent new alice bob
a=`{send -f alice `{cat /agents/bob/identity/npub} by npub}
b=`{send -f alice `{cat /agents/bob/identity/pubkey} by hex}
json /agents/bob/inbox/$a from_name body
json /agents/bob/inbox/$b from_name body
json /agents/alice/outbox/$a to_name state
--- stdout
from_name: alice
body: by npub
from_name: alice
body: by hex
to_name: bob
state: delivered
### send to a key that is not here waits in the outbox as pending (oash)
fn json { rhai -c 'let m = parse_json(read(ARGS[0])); for i in 1..ARGS.len() { let v = m; for k in ARGS[i].split(".") { v = if type_of(v) == "array" { v[parse_int(k)] } else { v[k] } } print(ARGS[i] + ": " + if type_of(v) == "()" { "null" } else { v }) }' $* }
# a stranger: an agent made for its keys, then removed
agent new alice stranger
hex=`{cat /agents/stranger/identity/pubkey}
npub=`{cat /agents/stranger/identity/npub}
agent rm stranger
a=`{send -f alice $hex to a hex key}
b=`{send -f alice $npub to an npub}
json /agents/alice/outbox/$a to_name body state
json /agents/alice/outbox/$b to_name body state
r=`{json /agents/alice/outbox/$b to}
~ $r(2) $hex && echo to is the hex key
json /agents/alice/status outbox_pending
--- stdout
to_name: null
body: to a hex key
state: pending
to_name: null
body: to an npub
state: pending
to is the hex key
outbox_pending: 2
### envelopes of one sender arrive in the order sent: drop-oldest drops the first (oash)
agent new alice bob
echo inbox max 3 > /agents/bob/ctl
echo inbox policy drop-oldest > /agents/bob/ctl
ids=()
for (n in 1 2 3 4 5) ids=($ids `{send -f alice bob $n})
for (n in 1 2 3 4 5) echo $n `{ls /agents/bob/inbox | grep -c $ids($n)}
--- stdout
1 0
2 0
3 1
4 1
5 1
### ctl: reading it shows the commands; inbox max and policy show in status (oash)
fn json { rhai -c 'let m = parse_json(read(ARGS[0])); for i in 1..ARGS.len() { let v = m; for k in ARGS[i].split(".") { v = if type_of(v) == "array" { v[parse_int(k)] } else { v[k] } } print(ARGS[i] + ": " + if type_of(v) == "()" { "null" } else { v }) }' $* }
agent new bob
cat /agents/bob/ctl
echo inbox max 2 > /agents/bob/ctl
json /agents/bob/status inbox_max inbox_policy
for (p in reject drop-oldest deadletter) {
	echo inbox policy $p > /agents/bob/ctl
	json /agents/bob/status inbox_policy
}
{ echo '# a comment, then a blank line'; echo; echo inbox max 7 } > /agents/bob/ctl
json /agents/bob/status inbox_max
--- stdout
commands: rm | inbox max N | inbox policy deadletter|reject|drop-oldest
inbox_max: 2
inbox_policy: deadletter
inbox_policy: reject
inbox_policy: drop-oldest
inbox_policy: deadletter
inbox_max: 7
### ctl rm removes the agent (oash)
agent new alice bob
echo rm > /agents/bob/ctl
ls /agents
cat /agents/bob/status >[2]/dev/null || echo bob is gone
--- stdout
alice
new
bob is gone
### a full inbox with policy deadletter: the send succeeds, the envelope waits in deadletter/ (oash)
fn json { rhai -c 'let m = parse_json(read(ARGS[0])); for i in 1..ARGS.len() { let v = m; for k in ARGS[i].split(".") { v = if type_of(v) == "array" { v[parse_int(k)] } else { v[k] } } print(ARGS[i] + ": " + if type_of(v) == "()" { "null" } else { v }) }' $* }
agent new alice bob
echo inbox max 1 > /agents/bob/ctl
a=`{send -f alice bob one}
b=`{send -f alice bob two} && echo the send succeeded
ls /agents/bob/deadletter | grep -c $b
json /agents/bob/deadletter/$b reason
r=`{json /agents/bob/deadletter/$b id}
~ $r(2) $b && echo kept under its id
r=`{json /agents/bob/deadletter/$b raw}
~ $r(2) *'"content":"two"'* && echo raw is the event
json /agents/alice/outbox/$b state
json /agents/bob/status inbox deadletter
--- stdout
the send succeeded
1
reason: inbox full (1 of at most 1, policy deadletter)
kept under its id
raw is the event
state: deadletter: bob's inbox is full
inbox: 1
deadletter: 1
### a full inbox with policy reject: the send fails and the outbox says so (oash)
fn json { rhai -c 'let m = parse_json(read(ARGS[0])); for i in 1..ARGS.len() { let v = m; for k in ARGS[i].split(".") { v = if type_of(v) == "array" { v[parse_int(k)] } else { v[k] } } print(ARGS[i] + ": " + if type_of(v) == "()" { "null" } else { v }) }' $* }
agent new alice bob
echo inbox max 1 > /agents/bob/ctl
echo inbox policy reject > /agents/bob/ctl
one=`{send -f alice bob one}
send -f alice bob two
echo $status
two=`{ls /agents/alice/outbox | grep -v $one}
json /agents/alice/outbox/$two body state
json /agents/bob/status inbox deadletter
--- stdout
send: bob: inbox full (1 of at most 1, policy reject)
body: two
state: failed: bob: inbox full (1 of at most 1, policy reject)
inbox: 1
deadletter: 0
--- stderr
oash::agent::inbox_full

  × send: bob: inbox full (1 of at most 1, policy reject)
   ╭─[agents.t:6:15]
 5 │ one=`{send -f alice bob one}
 6 │ send -f alice bob two
   ·               ─┬─
   ·                ╰── this argument
 7 │ echo $status
   ╰────
  help: raise it with `echo inbox max N > /agents/bob/ctl`, or acknowledge envelopes with `rm`
### a full inbox with policy drop-oldest: the oldest envelope makes room (oash)
fn json { rhai -c 'let m = parse_json(read(ARGS[0])); for i in 1..ARGS.len() { let v = m; for k in ARGS[i].split(".") { v = if type_of(v) == "array" { v[parse_int(k)] } else { v[k] } } print(ARGS[i] + ": " + if type_of(v) == "()" { "null" } else { v }) }' $* }
agent new alice bob
echo inbox max 1 > /agents/bob/ctl
echo inbox policy drop-oldest > /agents/bob/ctl
a=`{send -f alice bob one}
b=`{send -f alice bob two} && echo the send succeeded
ls /agents/bob/inbox | grep -c $a
json /agents/bob/inbox/$b body
json /agents/alice/outbox/$b state
json /agents/bob/status inbox deadletter
--- stdout
the send succeeded
0
body: two
state: delivered
inbox: 1
deadletter: 0
### deadletter/ctl: replay takes an envelope back once there is room; discard and rm drop one (oash)
fn json { rhai -c 'let m = parse_json(read(ARGS[0])); for i in 1..ARGS.len() { let v = m; for k in ARGS[i].split(".") { v = if type_of(v) == "array" { v[parse_int(k)] } else { v[k] } } print(ARGS[i] + ": " + if type_of(v) == "()" { "null" } else { v }) }' $* }
agent new alice bob
echo inbox max 1 > /agents/bob/ctl
a=`{send -f alice bob one}
b=`{send -f alice bob two}
c=`{send -f alice bob three}
d=`{send -f alice bob four}
cat /agents/bob/deadletter/ctl
{ echo replay $b > /agents/bob/deadletter/ctl } >[2]/dev/null
~ $status *': replay '$b': the inbox is still full' && echo still full
echo inbox max 10 > /agents/bob/ctl
echo replay $b > /agents/bob/deadletter/ctl
json /agents/bob/inbox/$b body
echo discard $c > /agents/bob/deadletter/ctl
rm /agents/bob/deadletter/$d
ls /agents/bob/deadletter
json /agents/bob/status inbox deadletter
--- stdout
commands: replay ID | discard ID
still full
body: two
ctl
inbox: 2
deadletter: 0
### deadletter/ctl: an unknown id or command is an error naming it (oash)
agent new bob
echo replay 1234 > /agents/bob/deadletter/ctl
echo discard 1234 > /agents/bob/deadletter/ctl
echo frob > /agents/bob/deadletter/ctl
rm /agents/bob/deadletter/1234
--- stderr
oash::file

  × redirection: /agents/bob/deadletter/ctl: bob: no envelope 1234 in deadletter
   ╭─[agents.t:2:1]
 1 │ agent new bob
 2 │ echo replay 1234 > /agents/bob/deadletter/ctl
   · ──────────────────────┬──────────────────────
   ·                       ╰── when closing its file
 3 │ echo discard 1234 > /agents/bob/deadletter/ctl
   ╰────
oash::file

  × redirection: /agents/bob/deadletter/ctl: bob: no envelope 1234 in deadletter
   ╭─[agents.t:3:1]
 2 │ echo replay 1234 > /agents/bob/deadletter/ctl
 3 │ echo discard 1234 > /agents/bob/deadletter/ctl
   · ───────────────────────┬──────────────────────
   ·                        ╰── when closing its file
 4 │ echo frob > /agents/bob/deadletter/ctl
   ╰────
oash::file

  × redirection: /agents/bob/deadletter/ctl: bob/deadletter/ctl: unknown command "frob"; commands:
  │ replay ID | discard ID
   ╭─[agents.t:4:1]
 3 │ echo discard 1234 > /agents/bob/deadletter/ctl
 4 │ echo frob > /agents/bob/deadletter/ctl
   · ───────────────────┬──────────────────
   ·                    ╰── when closing its file
 5 │ rm /agents/bob/deadletter/1234
   ╰────
oash::file

  × rm: /agents/bob/deadletter/1234: file does not exist
   ╭─[agents.t:5:4]
 4 │ echo frob > /agents/bob/deadletter/ctl
 5 │ rm /agents/bob/deadletter/1234
   ·    ─────────────┬─────────────
   ·                 ╰── this file
   ╰────
--- status
rm: /agents/bob/deadletter/1234: file does not exist
### a malformed envelope goes to deadletter/ with the failed check, never to inbox/ (oash)
fn json { rhai -c 'let m = parse_json(read(ARGS[0])); for i in 1..ARGS.len() { let v = m; for k in ARGS[i].split(".") { v = if type_of(v) == "array" { v[parse_int(k)] } else { v[k] } } print(ARGS[i] + ": " + if type_of(v) == "()" { "null" } else { v }) }' $* }
# refused FILE: writes FILE into bob's inbox/new; prints the error without the deadletter
# id it names, then the reason that deadletter entry keeps; the entry is then discarded.
fn refused {
	{ cat $1 > /agents/bob/inbox/new } >[2]/dev/null
	rhai -c 'let s = ARGS[0]; let at = s.index_of(" (kept as deadletter/"); print(s.sub_string(0, at)); let id = s.sub_string(at + 21, 64); print("reason: " + parse_json(read("/agents/bob/deadletter/" + id)).reason); rm("/agents/bob/deadletter/" + id)' $status
}
# edit EXPR: the good event for bob, changed by the Rhai statement EXPR on `e`, into /tmp/bad
fn edit { rhai -c 'let e = parse_json(read("/tmp/good")); '$1'; write("/tmp/bad", e.to_json())' }
agent new alice bob carol
id=`{send -f alice -t note bob the original}
rhai -c 'write("/tmp/good", parse_json(read(ARGS[0])).event.to_json())' /agents/alice/outbox/$id
rm /agents/bob/inbox/$id
other=`{send -f alice carol not for bob}
rhai -c 'write("/tmp/carols", parse_json(read(ARGS[0])).event.to_json())' /agents/alice/outbox/$other
echo '== p tag for another agent'
refused /tmp/carols
echo '== content changed: the id no longer matches'
edit 'e.content = "the originam"'
refused /tmp/bad
echo '== a signature made by another key'
edit 'e.sig = parse_json(read("/tmp/carols")).sig'
refused /tmp/bad
echo '== kind 1, not an envelope'
edit 'e.kind = 1'
refused /tmp/bad
echo '== a field missing'
edit 'e.remove("created_at")'
refused /tmp/bad
echo '== an id that is not hex'
edit 'e.id = "xyz"'
refused /tmp/bad
echo '== no signature'
edit 'e.remove("sig")'
refused /tmp/bad
echo '== no id'
edit 'e.remove("id")'
refused /tmp/bad
echo '== none reached the inbox'
json /agents/bob/status inbox deadletter
--- stdout
== p tag for another agent
redirection: /agents/bob/inbox/new: bob: envelope rejected: p tag: names another recipient
reason: p tag: names another recipient
== content changed: the id no longer matches
redirection: /agents/bob/inbox/new: bob: envelope rejected: id: does not match the event's content
reason: id: does not match the event's content
== a signature made by another key
redirection: /agents/bob/inbox/new: bob: envelope rejected: signature: does not verify for the event's pubkey
reason: signature: does not verify for the event's pubkey
== kind 1, not an envelope
redirection: /agents/bob/inbox/new: bob: envelope rejected: kind: 1 is not an envelope (3333)
reason: kind: 1 is not an envelope (3333)
== a field missing
redirection: /agents/bob/inbox/new: bob: envelope rejected: created_at: missing
reason: created_at: missing
== an id that is not hex
redirection: /agents/bob/inbox/new: bob: envelope rejected: id: not 64 hex digits
reason: id: not 64 hex digits
== no signature
redirection: /agents/bob/inbox/new: bob: envelope rejected: sig: missing
reason: sig: missing
== no id
redirection: /agents/bob/inbox/new: bob: envelope rejected: id: missing
reason: id: missing
== none reached the inbox
inbox: 0
deadletter: 0
### a deadlettered malformed envelope is still refused on replay (oash)
agent new alice bob
id=`{send -f alice bob the original}
rhai -c 'let e = parse_json(read(ARGS[0])).event; e.content = "changed"; write("/tmp/bad", e.to_json())' /agents/alice/outbox/$id
rm /agents/bob/inbox/$id
{ cat /tmp/bad > /agents/bob/inbox/new } >[2]/dev/null
dead=`{ls /agents/bob/deadletter | grep -v '^ctl$'}
{ echo replay $dead > /agents/bob/deadletter/ctl } >[2]/dev/null
~ $status *'envelope rejected: id: does not match'* && echo refused again
ls /agents/bob/deadletter | grep -c $dead
--- stdout
refused again
1
### errors of agent and send: unknown agent, duplicate name, bad name, bad type, no body (oash)
agent new alice
send -f carol alice hi
agent rm carol
cat /agents/carol/status
agent new alice
mkdir /agents/alice
send -t 'two words' alice hi
send alice
send
agent frob
agent new
--- stderr
oash::agent::unknown

  × send: no such agent: carol
   ╭─[agents.t:2:15]
 1 │ agent new alice
 2 │ send -f carol alice hi
   ·               ──┬──
   ·                 ╰── this argument
 3 │ agent rm carol
   ╰────
  help: `ls /agents` lists the agents; `agent new NAME` makes one
oash::agent::unknown

  × agent: no such agent: carol
   ╭─[agents.t:3:10]
 2 │ send -f carol alice hi
 3 │ agent rm carol
   ·          ──┬──
   ·            ╰── this argument
 4 │ cat /agents/carol/status
   ╰────
  help: `ls /agents` lists the agents; `agent new NAME` makes one
oash::file

  × cat: /agents/carol/status: file does not exist
   ╭─[agents.t:4:5]
 3 │ agent rm carol
 4 │ cat /agents/carol/status
   ·     ──────────┬─────────
   ·               ╰── this file
 5 │ agent new alice
   ╰────
oash::agent::exists

  × agent: agent alice already exists
   ╭─[agents.t:5:11]
 4 │ cat /agents/carol/status
 5 │ agent new alice
   ·           ──┬──
   ·             ╰── this argument
 6 │ mkdir /agents/alice
   ╰────
oash::file

  × mkdir: /agents/alice: file already exists
   ╭─[agents.t:6:7]
 5 │ agent new alice
 6 │ mkdir /agents/alice
   ·       ──────┬──────
   ·             ╰── this file
 7 │ send -t 'two words' alice hi
   ╰────
oash::agent::bad_request

  × send: type "two words": must be 1 to 64 letters, digits or - _ . / :
   ╭─[agents.t:7:21]
 6 │ mkdir /agents/alice
 7 │ send -t 'two words' alice hi
   ·                     ──┬──
   ·                       ╰── this argument
 8 │ send alice
   ╰────
oash::usage

  × send: needs a BODY after TO
   ╭─[agents.t:8:1]
 7 │ send -t 'two words' alice hi
 8 │ send alice
   · ─────┬────
   ·      ╰── bad usage
 9 │ send
   ╰────
  help: usage: send [-f FROM] [-t TYPE] TO BODY...
oash::usage

  × send: needs TO and a BODY
    ╭─[agents.t:9:1]
  8 │ send alice
  9 │ send
    · ──┬─
    ·   ╰── bad usage
 10 │ agent frob
    ╰────
  help: usage: send [-f FROM] [-t TYPE] TO BODY...
oash::usage

  × agent: unknown verb `frob`: say new, rm or ls
    ╭─[agents.t:10:7]
  9 │ send
 10 │ agent frob
    ·       ──┬─
    ·         ╰── bad usage
 11 │ agent new
    ╰────
  help: usage: agent [new NAME... | rm NAME... | ls]
oash::usage

  × agent: new needs at least one NAME
    ╭─[agents.t:11:1]
 10 │ agent frob
 11 │ agent new
    · ────┬────
    ·     ╰── bad usage
    ╰────
  help: usage: agent [new NAME... | rm NAME... | ls]
--- status
agent: new needs at least one NAME
### each reason a name is refused (oash)
for (name in '' 'a b' a/b -x .hidden new aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa) {
	agent new $name >[2]/dev/null
	echo $status
}
mkdir '/agents/a b' >[2]/dev/null
echo $status
rhai { agent_new("a b") }
agent new a.b-c_1 aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
agent
--- stdout
agent: bad agent name "": 1 to 64 characters
agent: bad agent name "a b": letters, digits, - _ and . only
agent: bad agent name "a/b": letters, digits, - _ and . only
agent: bad agent name "-x": must start with a letter or digit
agent: bad agent name ".hidden": must start with a letter or digit
agent: bad agent name "new": `new` is the file that makes agents
agent: bad agent name "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa": 1 to 64 characters
mkdir: /agents/a b: bad agent name "a b": letters, digits, - _ and . only
a.b-c_1
aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
--- stderr
oash::agent::bad_name

  × rhai: agent_new: bad agent name "a b": letters, digits, - _ and . only (line 1, position 2)
   ╭─[agents.t:7:1]
 6 │ echo $status
 7 │ rhai { agent_new("a b") }
   · ────────────┬────────────
   ·             ╰── in this command
 8 │ agent new a.b-c_1 aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
   ╰────
### send to a name that is no agent, npub or hex key (oash)
agent new alice
send nobody hi
send npub1xyz hi
send 0123 hi
--- stderr
oash::agent::bad_recipient

  × send: bad recipient "nobody": not an agent here, an npub or a hex public key
   ╭─[agents.t:2:6]
 1 │ agent new alice
 2 │ send nobody hi
   ·      ───┬──
   ·         ╰── this argument
 3 │ send npub1xyz hi
   ╰────
oash::agent::bad_recipient

  × send: bad recipient "npub1xyz": not an agent here, an npub or a hex public key
   ╭─[agents.t:3:6]
 2 │ send nobody hi
 3 │ send npub1xyz hi
   ·      ────┬───
   ·          ╰── this argument
 4 │ send 0123 hi
   ╰────
oash::agent::bad_recipient

  × send: bad recipient "0123": not an agent here, an npub or a hex public key
   ╭─[agents.t:4:6]
 3 │ send npub1xyz hi
 4 │ send 0123 hi
   ·      ──┬─
   ·        ╰── this argument
   ╰────
--- status
send: bad recipient "0123": not an agent here, an npub or a hex public key
### a body over the limit is refused before anything is signed (oash)
agent new bob
rhai { let big = ""; big.pad(140000, "x"); send("bob", big) }
ls /agents/bob/inbox
--- stdout
new
--- stderr
oash::agent::bad_request

  × rhai: send: body: 140000 bytes; an envelope holds at most 131072 (line 1, position 38)
   ╭─[agents.t:2:1]
 1 │ agent new bob
 2 │ rhai { let big = ""; big.pad(140000, "x"); send("bob", big) }
   · ──────────────────────────────┬──────────────────────────────
   ·                               ╰── in this command
 3 │ ls /agents/bob/inbox
   ╰────
### ctl errors: an unknown command, a bad count, a bad policy (oash)
agent new bob
echo frob > /agents/bob/ctl
echo inbox max 0 > /agents/bob/ctl
echo inbox max many > /agents/bob/ctl
echo inbox policy lifo > /agents/bob/ctl
echo inbox policy > /agents/bob/ctl
--- stderr
oash::file

  × redirection: /agents/bob/ctl: bob/ctl: unknown command "frob"; commands: rm | inbox max N |
  │ inbox policy deadletter|reject|drop-oldest
   ╭─[agents.t:2:1]
 1 │ agent new bob
 2 │ echo frob > /agents/bob/ctl
   · ─────────────┬─────────────
   ·              ╰── when closing its file
 3 │ echo inbox max 0 > /agents/bob/ctl
   ╰────
oash::file

  × redirection: /agents/bob/ctl: bob/ctl: inbox max 0: not a positive count
   ╭─[agents.t:3:1]
 2 │ echo frob > /agents/bob/ctl
 3 │ echo inbox max 0 > /agents/bob/ctl
   · ─────────────────┬────────────────
   ·                  ╰── when closing its file
 4 │ echo inbox max many > /agents/bob/ctl
   ╰────
oash::file

  × redirection: /agents/bob/ctl: bob/ctl: inbox max many: not a positive count
   ╭─[agents.t:4:1]
 3 │ echo inbox max 0 > /agents/bob/ctl
 4 │ echo inbox max many > /agents/bob/ctl
   · ──────────────────┬──────────────────
   ·                   ╰── when closing its file
 5 │ echo inbox policy lifo > /agents/bob/ctl
   ╰────
oash::file

  × redirection: /agents/bob/ctl: bob/ctl: inbox policy lifo: say deadletter, reject or drop-
  │ oldest
   ╭─[agents.t:5:1]
 4 │ echo inbox max many > /agents/bob/ctl
 5 │ echo inbox policy lifo > /agents/bob/ctl
   · ────────────────────┬───────────────────
   ·                     ╰── when closing its file
 6 │ echo inbox policy > /agents/bob/ctl
   ╰────
oash::file

  × redirection: /agents/bob/ctl: bob/ctl: unknown command "inbox policy"; commands: rm | inbox
  │ max N | inbox policy deadletter|reject|drop-oldest
   ╭─[agents.t:6:1]
 5 │ echo inbox policy lifo > /agents/bob/ctl
 6 │ echo inbox policy > /agents/bob/ctl
   · ─────────────────┬─────────────────
   ·                  ╰── when closing its file
   ╰────
--- status
redirection: /agents/bob/ctl: bob/ctl: unknown command "inbox policy"; commands: rm | inbox max N | inbox policy deadletter|reject|drop-oldest
### status, new, pubkey and an envelope are read-only; rm of an agent's directory is refused (oash)
agent new bob
id=`{send bob hi}
echo hi > /agents/bob/status | echo status
echo hi > /agents/new | echo new
echo hi > /agents/bob/identity/pubkey | echo pubkey
rhai -c 'try { write("/agents/bob/inbox/" + ARGS[0], "x") } catch (e) { e.replace(ARGS[0], "ID"); print(e) }' $id
rm /agents/bob
rm /agents/bob/outbox
ls /agents
--- stdout
status
new
pubkey
write: /agents/bob/inbox/ID: permission denied (an envelope is read-only)
bob
new
--- stderr
oash::file

  × redirection: /agents/bob/status: permission denied (status is read-only)
   ╭─[agents.t:3:11]
 2 │ id=`{send bob hi}
 3 │ echo hi > /agents/bob/status | echo status
   ·           ─────────┬────────
   ·                    ╰── cannot open this file
 4 │ echo hi > /agents/new | echo new
   ╰────
oash::file

  × redirection: /agents/new: permission denied (new is read-only)
   ╭─[agents.t:4:11]
 3 │ echo hi > /agents/bob/status | echo status
 4 │ echo hi > /agents/new | echo new
   ·           ─────┬─────
   ·                ╰── cannot open this file
 5 │ echo hi > /agents/bob/identity/pubkey | echo pubkey
   ╰────
oash::file

  × redirection: /agents/bob/identity/pubkey: permission denied (pubkey is read-only)
   ╭─[agents.t:5:11]
 4 │ echo hi > /agents/new | echo new
 5 │ echo hi > /agents/bob/identity/pubkey | echo pubkey
   ·           ─────────────┬─────────────
   ·                        ╰── cannot open this file
 6 │ rhai -c 'try { write("/agents/bob/inbox/" + ARGS[0], "x") } catch (e) { e.replace(ARGS[0], "ID"); print(e) }' $id
   ╰────
oash::file

  × rm: /agents/bob: is a directory
   ╭─[agents.t:7:4]
 6 │ rhai -c 'try { write("/agents/bob/inbox/" + ARGS[0], "x") } catch (e) { e.replace(ARGS[0], "ID"); print(e) }' $id
 7 │ rm /agents/bob
   ·    ─────┬─────
   ·         ╰── this file
 8 │ rm /agents/bob/outbox
   ╰────
oash::file

  × rm: /agents/bob/outbox: is a directory
   ╭─[agents.t:8:4]
 7 │ rm /agents/bob
 8 │ rm /agents/bob/outbox
   ·    ─────────┬────────
   ·             ╰── this file
 9 │ ls /agents
   ╰────
### no file shows a secret key (oash)
agent new bob
cat /agents/bob/identity/nsec
cat /agents/bob/secret
--- stderr
oash::file

  × cat: /agents/bob/identity/nsec: file does not exist
   ╭─[agents.t:2:5]
 1 │ agent new bob
 2 │ cat /agents/bob/identity/nsec
   ·     ────────────┬────────────
   ·                 ╰── this file
 3 │ cat /agents/bob/secret
   ╰────
oash::file

  × cat: /agents/bob/secret: file does not exist
   ╭─[agents.t:3:5]
 2 │ cat /agents/bob/identity/nsec
 3 │ cat /agents/bob/secret
   ·     ─────────┬────────
   ·              ╰── this file
   ╰────
--- status
cat: /agents/bob/secret: file does not exist
### memory/ and goals/: files and directories of any name, kept in the agent (oash)
agent new alice
cd /agents/alice
echo remember this > memory/notes
echo and this >> memory/notes
cat memory/notes
mkdir -p memory/people/bob
echo 'likes tea' > memory/people/bob/prefs
ls -p memory memory/people
mv memory/notes memory/people/notes
ls memory memory/people
cat memory/people/notes
rm memory/people/bob/prefs
ls memory/people/bob
rm -r memory/people
ls memory
echo 'ship the book' > goals/'first goal'
ls goals
cat goals/'first goal'
rhai { write("/agents/alice/goals/second", "from Rhai"); print(read("/agents/alice/goals/second")) }
--- stdout
remember this
and this
memory:
notes
people/

memory/people:
bob/
memory:
people

memory/people:
bob
notes
remember this
and this
first goal
ship the book
from Rhai
### memory/ errors: missing files, non-empty directories, moves out of the tree (oash)
agent new alice
cd /agents/alice
mkdir memory/d
echo x > memory/d/f
cat memory/nosuch
rm memory/d
mkdir memory/d
mkdir memory/a/b
cat memory
mv memory/d goals/d
--- stderr
oash::file

  × cat: /agents/alice/memory/nosuch: file does not exist
   ╭─[agents.t:5:5]
 4 │ echo x > memory/d/f
 5 │ cat memory/nosuch
   ·     ──────┬──────
   ·           ╰── this file
 6 │ rm memory/d
   ╰────
oash::file

  × rm: /agents/alice/memory/d: is a directory
   ╭─[agents.t:6:4]
 5 │ cat memory/nosuch
 6 │ rm memory/d
   ·    ────┬───
   ·        ╰── this file
 7 │ mkdir memory/d
   ╰────
oash::file

  × mkdir: /agents/alice/memory/d: file already exists
   ╭─[agents.t:7:7]
 6 │ rm memory/d
 7 │ mkdir memory/d
   ·       ────┬───
   ·           ╰── this file
 8 │ mkdir memory/a/b
   ╰────
oash::file

  × mkdir: /agents/alice/memory/a/b: file does not exist
   ╭─[agents.t:8:7]
 7 │ mkdir memory/d
 8 │ mkdir memory/a/b
   ·       ─────┬────
   ·            ╰── this file
 9 │ cat memory
   ╰────
oash::file

  × cat: /agents/alice/memory: is a directory
    ╭─[agents.t:9:5]
  8 │ mkdir memory/a/b
  9 │ cat memory
    ·     ───┬──
    ·        ╰── this file
 10 │ mv memory/d goals/d
    ╰────
oash::file

  × mv: /agents/alice/memory/d: permission denied (only files of one agent's memory or goals can
  │ be renamed, within it)
    ╭─[agents.t:10:4]
  9 │ cat memory
 10 │ mv memory/d goals/d
    ·    ────┬───
    ·        ╰── this file
    ╰────
--- status
mv: /agents/alice/memory/d: permission denied (only files of one agent's memory or goals can be renamed, within it)
### logs/: the agent's own logs, one JSON record a write (oash)
agent new alice
echo '{"event":"woke"}' > /agents/alice/logs/run
echo '{"event":"slept"}' >> /agents/alice/logs/run
ls /agents/alice/logs
grep -cE '^\{"seq":1,"ts":"[^"]+Z","event":"woke"\}$' /agents/alice/logs/run
grep -cE '^\{"seq":2,"ts":"[^"]+Z","event":"slept"\}$' /agents/alice/logs/run
echo not json >> /agents/alice/logs/run
wc -l < /agents/alice/logs/run
--- stdout
run
1
1
2
--- stderr
oash::command

  × echo: /agents/alice/logs/run: not JSON: expected ident at line 1 column 2
   ╭─[agents.t:7:1]
 6 │ grep -cE '^\{"seq":2,"ts":"[^"]+Z","event":"slept"\}$' /agents/alice/logs/run
 7 │ echo not json >> /agents/alice/logs/run
   · ───────────────────┬───────────────────
   ·                    ╰── in this command
 8 │ wc -l < /agents/alice/logs/run
   ╰────
### Rhai: send, send with options, send_all, agent_new and agent_rm (oash)
rhai {
	agent_new("alice");
	let bob = agent_new();
	print(bob);
	let id = send(bob, "from the operator");
	print(id.len());
	let id2 = send(bob, "hi", #{from: "alice", type: "note"});
	let m = parse_json(read("/agents/" + bob + "/inbox/" + id2));
	print(`${m.from_name} ${m.type} ${m.body}`);
	let ids = send_all([#{to: bob, body: "one"}, #{to: bob, body: "two", from: "alice"}]);
	print(ids.len());
	print(parse_json(read("/agents/" + bob + "/status")).inbox);
	agent_rm(bob);
	print(agents());
}
--- stdout
agent1
64
alice note hi
2
4
["alice"]
### Rhai errors: unknown agent, bad option, a bad item; send_all sends nothing when one is bad (oash)
agent new bob
rhai { send("carol", "x") }
rhai { send("bob", "x", #{frm: "alice"}) }
rhai { send_all([#{to: "bob"}]) }
rhai { send_all([#{to: "bob", body: "fine"}, #{to: "nobody", body: "bad"}]) }
rhai { agent_rm("carol") }
ls /agents/bob/inbox
--- stdout
new
--- stderr
oash::agent::bad_recipient

  × rhai: send: bad recipient "carol": not an agent here, an npub or a hex public key (line 1,
  │ position 2)
   ╭─[agents.t:2:1]
 1 │ agent new bob
 2 │ rhai { send("carol", "x") }
   · ─────────────┬─────────────
   ·              ╰── in this command
 3 │ rhai { send("bob", "x", #{frm: "alice"}) }
   ╰────
oash::command

  × rhai: send: unknown option `frm` (say from, type) (line 1, position 2)
   ╭─[agents.t:3:1]
 2 │ rhai { send("carol", "x") }
 3 │ rhai { send("bob", "x", #{frm: "alice"}) }
   · ─────────────────────┬────────────────────
   ·                      ╰── in this command
 4 │ rhai { send_all([#{to: "bob"}]) }
   ╰────
oash::command

  × rhai: send_all: item 0 needs `to` and `body` (line 1, position 2)
   ╭─[agents.t:4:1]
 3 │ rhai { send("bob", "x", #{frm: "alice"}) }
 4 │ rhai { send_all([#{to: "bob"}]) }
   · ────────────────┬────────────────
   ·                 ╰── in this command
 5 │ rhai { send_all([#{to: "bob", body: "fine"}, #{to: "nobody", body: "bad"}]) }
   ╰────
oash::agent::bad_recipient

  × rhai: send: bad recipient "nobody": not an agent here, an npub or a hex public key (line 1,
  │ position 2)
   ╭─[agents.t:5:1]
 4 │ rhai { send_all([#{to: "bob"}]) }
 5 │ rhai { send_all([#{to: "bob", body: "fine"}, #{to: "nobody", body: "bad"}]) }
   · ──────────────────────────────────────┬──────────────────────────────────────
   ·                                       ╰── in this command
 6 │ rhai { agent_rm("carol") }
   ╰────
oash::agent::unknown

  × rhai: agent_rm: no such agent: carol (line 1, position 2)
   ╭─[agents.t:6:1]
 5 │ rhai { send_all([#{to: "bob", body: "fine"}, #{to: "nobody", body: "bad"}]) }
 6 │ rhai { agent_rm("carol") }
   · ─────────────┬────────────
   ·              ╰── in this command
 7 │ ls /agents/bob/inbox
   ╰────
  help: `ls /agents` lists the agents; `agent new NAME` makes one
### help agents explains the tree (oash)
help agents | head -n 1
--- stdout
/agents: agents as files. Each agent has a Nostr identity (its secret key never shows in
