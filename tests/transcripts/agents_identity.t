An agent's `identity/` transaction files, factotum style (all oash): one open handle writes
its request, then reads the answer. In oash that is the `<>` redirection, one offset for
both: `{echo -n REQUEST >[1=0]; cat} <>FILE` writes the request into the file through
descriptor 0 and reads the answer back from it. Signatures and ciphertexts differ from run
to run (BIP-340 and NIP-44 both draw fresh randomness), so they are checked by their
shape and by verifying or decrypting them again.

### sign: 64 hex digits are signed as they are, and verify says true (oash)
agent new alice
id=`{send alice something to sign}
sig=`{{echo -n $id >[1=0]; cat} <>/agents/alice/identity/sign}
echo -n $sig | wc -c
~ $sig *[~0-9a-f]* || echo only hex digits
pk=`{cat /agents/alice/identity/pubkey}
{echo -n '{"pubkey": "'$pk'", "sig": "'$sig'", "message": "'$id'"}' >[1=0]; cat} <>/agents/alice/identity/verify
--- stdout
128
only hex digits
true
### sign: the id of an envelope alice sent, signed again, verifies as her event's sig does (oash)
agent new alice bob
id=`{send -f alice bob hello}
sig=`{{echo -n $id >[1=0]; cat} <>/agents/alice/identity/sign}
npub=`{cat /agents/alice/identity/npub}
{echo -n '{"pubkey": "'$npub'", "sig": "'$sig'", "message": "'$id'"}' >[1=0]; cat} <>/agents/bob/identity/verify
event=`{rhai -c 'print(parse_json(read(ARGS[0])).event.sig)' /agents/alice/outbox/$id}
{echo -n '{"pubkey": "'$npub'", "sig": "'$event'", "message": "'$id'"}' >[1=0]; cat} <>/agents/bob/identity/verify
--- stdout
true
true
### verify: another message, another key or a changed signature is false (oash)
agent new alice bob
sig=`{{echo -n 'any bytes at all' >[1=0]; cat} <>/agents/alice/identity/sign}
alice=`{cat /agents/alice/identity/pubkey}
bob=`{cat /agents/bob/identity/pubkey}
fn verify { {echo -n '{"pubkey": "'$1'", "sig": "'$2'", "message": "'$3'"}' >[1=0]; cat} <>/agents/bob/identity/verify }
verify $alice $sig 'any bytes at all'
verify $alice $sig 'any bytes at all!'
verify $bob $sig 'any bytes at all'
bad=`{rhai -c 'let s = ARGS[0]; let c = if s.sub_string(0, 1) == "0" { "1" } else { "0" }; print(c + s.sub_string(1))' $sig}
verify $alice $bad 'any bytes at all'
--- stdout
true
false
false
false
### verify: a malformed request is an error naming the field, not false (oash)
agent new bob
fn ask { {echo -n $1 >[1=0]; cat} <>/agents/bob/identity/verify >[2]/dev/null; echo $status }
ask 'not json'
ask '{"sig": "00", "message": "m"}'
ask '{"pubkey": "nobody", "sig": "00", "message": "m"}'
ask '{"pubkey": "'`{cat /agents/bob/identity/pubkey}^'", "sig": "short", "message": "m"}'
--- stdout
cat: standard input: /agents/bob/identity/verify: bob/identity/verify: not JSON: expected ident at line 1 column 2
cat: standard input: /agents/bob/identity/verify: bob/identity/verify: field "pubkey" is missing or not a string
cat: standard input: /agents/bob/identity/verify: bob/identity/verify: field "pubkey" is not a hex or npub public key
cat: standard input: /agents/bob/identity/verify: bob/identity/verify: field "sig" is not a 64-byte hex signature
### encrypt for bob, decrypt by bob: NIP-44 v2 between two agents (oash)
agent new alice bob
alice=`{cat /agents/alice/identity/npub}
bob=`{cat /agents/bob/identity/pubkey}
payload=`{{echo -n $bob'
meet at noon' >[1=0]; cat} <>/agents/alice/identity/encrypt}
~ $payload *'meet'* || echo the payload hides the text
{echo -n $alice'
'$payload >[1=0]; cat} <>/agents/bob/identity/decrypt
echo
--- stdout
the payload hides the text
meet at noon
### decrypt: a payload that is not NIP-44, or a first line that is no key, is an error (oash)
agent new alice bob
alice=`{cat /agents/alice/identity/pubkey}
{echo -n $alice'
bm90IGEgcGF5bG9hZA==' >[1=0]; cat} <>/agents/bob/identity/decrypt >[2]/dev/null
echo $status
{echo -n 'nobody
text' >[1=0]; cat} <>/agents/bob/identity/encrypt >[2]/dev/null
echo $status
--- stdout
cat: standard input: /agents/bob/identity/decrypt: bob: decrypt: unknown version: 110
cat: standard input: /agents/bob/identity/encrypt: bob/identity/encrypt: the first line must be the peer's public key (hex or npub)
### a handle that only reads gets nothing; one that only writes does nothing (oash)
agent new alice
cat /agents/alice/identity/sign
echo -n 0000 > /agents/alice/identity/sign
echo ok
--- stdout
ok
### the identity files are not the key: nothing to read but the public forms (oash)
agent new alice
ls /agents/alice/identity
grep -c . /agents/alice/identity/pubkey /agents/alice/identity/npub
--- stdout
decrypt
encrypt
npub
pubkey
sign
verify
/agents/alice/identity/pubkey:1
/agents/alice/identity/npub:1
