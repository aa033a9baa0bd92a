//! The `/agents` service driven through its files alone, over an ephemeral state: the
//! transaction files, the trees, and hostile bytes written to every writable file.

use super::*;
use crate::agent::StateDir;

fn setup() -> AgentsService {
    let service = AgentsService::new(AgentRoot::new(StateDir::Ephemeral));
    service.mkdir("/alice").expect("alice");
    service.mkdir("/bob").expect("bob");
    service
}

fn read(service: &AgentsService, at: &str) -> Result<Vec<u8>, NsError> {
    let mut handle = service.open(at, OpenFlags::read())?;
    drain(&mut *handle)
}

fn drain(handle: &mut dyn FileHandle) -> Result<Vec<u8>, NsError> {
    let mut bytes = Vec::new();
    let mut buf = [0; 4096];
    loop {
        match handle.read(&mut buf)? {
            0 => return Ok(bytes),
            n => bytes.extend_from_slice(&buf[..n]),
        }
    }
}

fn write(service: &AgentsService, at: &str, bytes: &[u8]) -> Result<(), NsError> {
    let mut handle = service.open(at, OpenFlags::write().create().truncate())?;
    handle.write(bytes)?;
    handle.close()
}

/// One transaction: the request written and the answer read on the same handle.
fn ask(service: &AgentsService, at: &str, request: &[u8]) -> Result<Vec<u8>, NsError> {
    let mut handle = service.open(at, OpenFlags::read_write())?;
    handle.write(request)?;
    drain(&mut *handle)
}

#[test]
fn a_signature_made_by_sign_is_true_for_verify_on_one_handle_each() {
    let service = setup();
    let sig = ask(&service, "/alice/identity/sign", b"hello").unwrap();
    let sig = String::from_utf8(sig).unwrap();
    assert_eq!(sig.trim().len(), 128, "{sig}");
    let pubkey = String::from_utf8(read(&service, "/alice/identity/pubkey").unwrap()).unwrap();
    let request = format!(
        r#"{{"pubkey":"{}","sig":"{}","message":"hello"}}"#,
        pubkey.trim(),
        sig.trim()
    );
    let answer = ask(&service, "/bob/identity/verify", request.as_bytes()).unwrap();
    assert_eq!(answer, b"true\n");
    // A second request on the same handle gets its own answer.
    let mut handle = service
        .open("/bob/identity/verify", OpenFlags::read_write())
        .unwrap();
    handle.write(request.as_bytes()).unwrap();
    assert_eq!(drain(&mut *handle).unwrap(), b"true\n");
    handle
        .write(request.replace("hello", "hellp").as_bytes())
        .unwrap();
    assert_eq!(drain(&mut *handle).unwrap(), b"false\n");
}

#[test]
fn a_body_written_to_inbox_new_arrives_and_rm_acknowledges_it() {
    let service = setup();
    write(&service, "/bob/inbox/new", b"hi there\n").unwrap();
    let listed = service.readdir("/bob/inbox").unwrap();
    let ids: Vec<&str> = listed
        .iter()
        .map(|e| e.name.as_str())
        .filter(|n| *n != "new")
        .collect();
    assert_eq!(ids.len(), 1);
    let entry = read(&service, &format!("/bob/inbox/{}", ids[0])).unwrap();
    let json: serde_json::Value = serde_json::from_slice(&entry).unwrap();
    assert_eq!(json["body"], "hi there");
    assert_eq!(json["from_name"], "operator");
    service.remove(&format!("/bob/inbox/{}", ids[0])).unwrap();
    assert_eq!(
        service.readdir("/bob/inbox").unwrap().len(),
        1,
        "only new is left"
    );
    assert!(matches!(
        service.remove(&format!("/bob/inbox/{}", ids[0])),
        Err(NsError::NotFound { .. })
    ));
}

#[test]
fn memory_keeps_files_and_directories() {
    let service = setup();
    service.mkdir("/alice/memory/notes").unwrap();
    write(&service, "/alice/memory/notes/a", b"one").unwrap();
    let mut handle = service
        .open("/alice/memory/notes/a", OpenFlags::write().append())
        .unwrap();
    handle.write(b" two").unwrap();
    handle.close().unwrap();
    assert_eq!(read(&service, "/alice/memory/notes/a").unwrap(), b"one two");
    assert_eq!(service.stat("/alice/memory/notes/a").unwrap().size, 7);
    service
        .rename("/alice/memory/notes", "/alice/memory/old")
        .unwrap();
    assert_eq!(read(&service, "/alice/memory/old/a").unwrap(), b"one two");
    assert!(
        service
            .rename("/alice/memory/old", "/bob/memory/old")
            .is_err()
    );
    assert!(matches!(
        read(&service, "/alice/goals/a"),
        Err(NsError::NotFound { .. })
    ));
}

#[test]
fn an_unknown_agent_is_not_found_everywhere() {
    let service = setup();
    for at in [
        "/carol",
        "/carol/ctl",
        "/carol/inbox",
        "/carol/memory/x",
        "/carol/identity/sign",
    ] {
        assert!(
            matches!(service.stat(at), Err(NsError::NotFound { .. })),
            "{at}"
        );
        assert!(
            matches!(
                service.open(at, OpenFlags::read()),
                Err(NsError::NotFound { .. })
            ),
            "{at}"
        );
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
    /// Any bytes written to any writable file are taken or refused with an error; nothing
    /// panics, and the agent still answers afterwards.
    #[test]
    fn any_bytes_to_any_file_are_an_answer_not_a_panic(
        bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..300),
        which in 0usize..9,
    ) {
        let service = setup();
        let files = [
            "/alice/ctl", "/alice/inbox/new", "/alice/deadletter/ctl", "/alice/identity/sign",
            "/alice/identity/verify", "/alice/identity/encrypt", "/alice/identity/decrypt",
            "/alice/memory/f", "/alice/logs/l",
        ];
        let at = files[which];
        if at.contains("identity") {
            let _ = ask(&service, at, &bytes);
        } else {
            let _ = write(&service, at, &bytes);
        }
        // `rm` in random bytes may have removed alice; bob must be unharmed either way.
        proptest::prop_assert!(read(&service, "/bob/status").is_ok());
    }
}
