use std::io::Read;

use super::*;
use crate::ns::{HandleReader, HandleWriter};
use crate::wordlist::WordList;
use std::io::Write;

fn words(list: &[&str]) -> Arc<WordList> {
    Arc::new(list.iter().collect())
}

/// A group entered on this thread, holding `vars`.
fn entered(vars: &[(&str, &[&str])]) -> Arc<EnvGroup> {
    let group = Arc::new(EnvGroup::new());
    group.publish(vars.iter().map(|(n, v)| (n.to_string(), Some(words(v)))));
    EnvGroup::enter(&group);
    group
}

fn read(service: &EnvService, at: &str) -> Result<Vec<u8>, NsError> {
    let mut bytes = Vec::new();
    let handle = service.open(at, OpenFlags::read())?;
    HandleReader::new(handle)
        .read_to_end(&mut bytes)
        .map_err(|e| NsError::Io {
            path: at.into(),
            message: e.to_string(),
        })?;
    Ok(bytes)
}

fn write(service: &EnvService, at: &str, bytes: &[u8], flags: OpenFlags) -> Result<(), NsError> {
    let mut writer = HandleWriter::new(service.open(at, flags)?);
    writer.write_all(bytes).map_err(|e| NsError::Io {
        path: at.into(),
        message: e.to_string(),
    })?;
    writer.finish()
}

#[test]
fn encoding_round_trips_every_shape_of_list() {
    for list in [
        words(&[]),
        words(&[""]),
        words(&["one"]),
        words(&["a", "b c", ""]),
        words(&["", ""]),
    ] {
        assert_eq!(decode(&encode(&list)), *list, "{list:?}");
    }
    assert_eq!(encode(&words(&["/tmp"])), b"/tmp");
    assert_eq!(encode(&words(&["a", "b"])), b"a\0b\0");
    assert_eq!(decode(b"v\n"), *words(&["v"]));
    assert_eq!(decode(b"v\n\n"), *words(&["v\n"]));
    assert_eq!(decode(b"a\0b"), *words(&["a", "b"]));
}

#[test]
fn reads_lists_and_writes_the_current_group() {
    let service = EnvService::new();
    let group = entered(&[("home", &["/tmp"]), ("path", &["/bin", "/lib"])]);
    assert_eq!(read(&service, "/home").ok(), Some(b"/tmp".to_vec()));
    assert_eq!(read(&service, "/path").ok(), Some(b"/bin\0/lib\0".to_vec()));
    let names: Vec<String> = service
        .readdir("/")
        .unwrap_or_default()
        .into_iter()
        .map(|e| e.name)
        .collect();
    assert_eq!(names, ["home", "path"]);

    let before = group.write_count();
    let flags = OpenFlags::write().create().truncate();
    assert!(write(&service, "/x", b"v\n", flags).is_ok());
    assert_eq!(group.get("x"), Some(words(&["v"])));
    assert!(group.write_count() > before);
    assert_eq!(
        group.take_written(),
        vec![("x".into(), Some(words(&["v"])))]
    );
    assert!(group.take_written().is_empty());
}

#[test]
fn append_truncate_and_empty_writes() {
    let service = EnvService::new();
    let group = entered(&[("x", &["a"])]);
    let append = OpenFlags::write().create().append();
    assert!(write(&service, "/x", b"b\n", append).is_ok());
    assert_eq!(group.get("x"), Some(words(&["ab"])));
    // `> /env/x` alone empties it; opening to read changes nothing.
    let truncate = OpenFlags::write().create().truncate();
    assert!(write(&service, "/x", b"", truncate).is_ok());
    assert_eq!(group.get("x"), Some(words(&[])));
    group.take_written();
    assert!(read(&service, "/x").is_ok());
    assert!(group.take_written().is_empty());
}

#[test]
fn remove_rename_and_refusals() {
    let service = EnvService::new();
    let group = entered(&[("x", &["1"])]);
    assert!(service.rename("/x", "/y").is_ok());
    assert_eq!(
        (group.get("x"), group.get("y")),
        (None, Some(words(&["1"])))
    );
    assert!(service.remove("/y").is_ok());
    assert_eq!(group.get("y"), None);
    assert!(matches!(
        service.remove("/y"),
        Err(NsError::NotFound { .. })
    ));
    assert!(matches!(service.mkdir("/d"), Err(NsError::Denied { .. })));
    assert!(matches!(
        service.open("/a/b", OpenFlags::write().create()),
        Err(NsError::NotFound { .. })
    ));
    assert!(matches!(
        service.readdir("/x"),
        Err(NsError::NotFound { .. })
    ));
    assert!(matches!(
        service.open("/", OpenFlags::read()),
        Err(NsError::IsDir { .. })
    ));
    let exclusive = OpenFlags::write().create().exclusive();
    group.write("z", Some(words(&[])));
    assert!(matches!(
        service.open("/z", exclusive),
        Err(NsError::Exists { .. })
    ));
}

#[test]
fn each_thread_sees_its_own_group() {
    let service = Arc::new(EnvService::new());
    let _mine = entered(&[("who", &["main"])]);
    let other = Arc::new(EnvGroup::new());
    other.publish([("who".to_string(), Some(words(&["other"])))]);
    let seen = std::thread::spawn({
        let service = Arc::clone(&service);
        move || {
            let before = read(&service, "/who").is_err();
            EnvGroup::enter(&other);
            (before, read(&service, "/who").ok())
        }
    })
    .join()
    .ok();
    assert_eq!(seen, Some((true, Some(b"other".to_vec()))));
    assert_eq!(read(&service, "/who").ok(), Some(b"main".to_vec()));
}

#[test]
fn a_snapshot_is_independent() {
    let group = EnvGroup::new();
    group.publish([("x".to_string(), Some(words(&["1"])))]);
    let copy = group.snapshot();
    copy.write("x", Some(words(&["2"])));
    assert_eq!(group.get("x"), Some(words(&["1"])));
    assert_eq!(group.write_count(), 0);
}
