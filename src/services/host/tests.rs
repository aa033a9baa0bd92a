//! The host service: normal file operations checked on the host side, and escape attempts
//! (`..`, unclean paths, symlinks out of the root) that must never reach outside it.

use std::fs;
use std::io::SeekFrom;
use std::os::unix::fs::symlink;
use std::sync::Arc;

use tempfile::TempDir;

use super::*;
use crate::ns::{MountFlag, Namespace};
use crate::services::mem::MemService;

const SECRET: &str = "outside secret";

/// A temp area holding `root/` (mounted) and `outside/secret` (must stay unreachable).
struct Fixture {
    area: TempDir,
}

impl Fixture {
    fn new() -> Fixture {
        let area = tempfile::tempdir().expect("tempdir");
        fs::create_dir(area.path().join("root")).expect("root");
        fs::create_dir(area.path().join("outside")).expect("outside");
        fs::write(area.path().join("outside/secret"), SECRET).expect("secret");
        Fixture { area }
    }
    fn root(&self) -> PathBuf {
        self.area.path().join("root")
    }
    fn service(&self) -> HostService {
        HostService::open(self.root().to_str().expect("utf-8")).expect("host opens")
    }
    fn namespace(&self) -> Namespace {
        let base = Namespace::new(Arc::new(MemService::with_dirs(&["/n/h"])));
        base.mount("/n/h", Arc::new(self.service()), MountFlag::Replace, false)
            .expect("mount")
    }
}

fn read_all(service: &dyn FileService, path: &str) -> Result<String, NsError> {
    let mut handle = service.open(path, OpenFlags::read())?;
    let mut out = Vec::new();
    let mut buf = [0u8; 64];
    loop {
        let n = handle.read(&mut buf)?;
        if n == 0 {
            break;
        }
        out.extend_from_slice(&buf[..n]);
    }
    Ok(String::from_utf8_lossy(&out).into_owned())
}

fn write_file(service: &dyn FileService, path: &str, text: &str) -> Result<(), NsError> {
    let mut handle = service.open(path, OpenFlags::write().create().truncate())?;
    handle.write(text.as_bytes())?;
    handle.close()
}

/// Whatever happened, it was an error and not the secret.
fn assert_refused(result: Result<String, NsError>) {
    match result {
        Ok(text) => panic!("read outside the root: {text:?}"),
        Err(err) => assert!(!err.to_string().contains(SECRET)),
    }
}

#[test]
fn create_write_and_read_back_on_the_host() {
    let fx = Fixture::new();
    let service = fx.service();
    write_file(&service, "/f", "hello").expect("write");
    assert_eq!(
        fs::read_to_string(fx.root().join("f")).expect("host"),
        "hello"
    );
    assert_eq!(read_all(&service, "/f").expect("read"), "hello");
    assert_eq!(service.stat("/f").expect("stat").size, 5);
    assert_eq!(service.stat("/f").expect("stat").kind, FileKind::File);
    assert_eq!(service.stat("/").expect("root").kind, FileKind::Dir);
}

#[test]
fn append_seek_truncate_and_exclusive() {
    let fx = Fixture::new();
    let service = fx.service();
    write_file(&service, "/f", "abc").expect("write");
    let mut handle = service
        .open("/f", OpenFlags::write().append())
        .expect("append");
    handle.write(b"def").expect("append write");
    assert_eq!(
        fs::read_to_string(fx.root().join("f")).expect("host"),
        "abcdef"
    );
    let mut handle = service.open("/f", OpenFlags::read()).expect("read");
    assert_eq!(handle.seek(SeekFrom::Start(4)).expect("seek"), 4);
    let mut buf = [0u8; 8];
    let n = handle.read(&mut buf).expect("read");
    assert_eq!(&buf[..n], b"ef");
    assert!(matches!(handle.write(b"x"), Err(NsError::Denied { .. })));
    let Err(err) = service.open("/f", OpenFlags::write().create().exclusive()) else {
        panic!("exclusive create of an existing file succeeded")
    };
    assert!(matches!(err, NsError::Exists { .. }), "{err:?}");
    service
        .open("/f", OpenFlags::write().truncate())
        .expect("truncate");
    assert_eq!(service.stat("/f").expect("stat").size, 0);
    assert!(matches!(
        service.open("/missing", OpenFlags::read()),
        Err(NsError::NotFound { .. })
    ));
}

#[test]
fn mkdir_readdir_sorted_remove_and_rename() {
    let fx = Fixture::new();
    let service = fx.service();
    service.mkdir("/d").expect("mkdir");
    assert!(fx.root().join("d").is_dir());
    assert!(matches!(service.mkdir("/d"), Err(NsError::Exists { .. })));
    for name in ["zeta", "alpha", "mid"] {
        write_file(&service, &format!("/d/{name}"), name).expect("write");
    }
    service.mkdir("/d/sub").expect("mkdir sub");
    let names: Vec<_> = service
        .readdir("/d")
        .expect("readdir")
        .into_iter()
        .map(|e| (e.name, e.kind))
        .collect();
    assert_eq!(
        names,
        vec![
            ("alpha".to_string(), FileKind::File),
            ("mid".to_string(), FileKind::File),
            ("sub".to_string(), FileKind::Dir),
            ("zeta".to_string(), FileKind::File),
        ]
    );
    assert!(matches!(
        service.readdir("/d/alpha"),
        Err(NsError::NotDir { .. })
    ));
    assert!(matches!(
        service.remove("/d"),
        Err(NsError::NotEmpty { .. })
    ));
    assert!(matches!(
        service.open("/d", OpenFlags::read()),
        Err(NsError::IsDir { .. })
    ));
    service.rename("/d/alpha", "/d/beta").expect("rename");
    assert_eq!(
        fs::read_to_string(fx.root().join("d/beta")).expect("host"),
        "alpha"
    );
    assert!(!fx.root().join("d/alpha").exists());
    assert!(matches!(
        service.rename("/d/beta", "/d/sub"),
        Err(NsError::Exists { .. })
    ));
    assert!(matches!(
        service.rename("/d", "/d/sub/inner"),
        Err(NsError::InvalidPath { .. })
    ));
    service.remove("/d/beta").expect("remove file");
    service.remove("/d/sub").expect("remove dir");
    assert!(!fx.root().join("d/sub").exists());
    assert!(matches!(service.remove("/"), Err(NsError::Denied { .. })));
}

#[test]
fn unclean_paths_are_refused_when_a_caller_bypasses_cleaning() {
    let fx = Fixture::new();
    let service = fx.service();
    for crafted in [
        "/../outside/secret",
        "/../../outside/secret",
        "/./../outside/secret",
        "//../outside/secret",
        "/x/../../outside/secret",
        "/..",
        "../outside/secret",
        "outside/secret",
        "",
    ] {
        assert_refused(read_all(&service, crafted));
        assert!(service.stat(crafted).is_err(), "{crafted:?}");
        assert!(service.readdir(crafted).is_err(), "{crafted:?}");
        assert!(service.mkdir(crafted).is_err(), "{crafted:?}");
        assert!(service.remove(crafted).is_err(), "{crafted:?}");
    }
    assert!(matches!(
        service.stat("/../outside"),
        Err(NsError::Denied { .. })
    ));
    assert!(service.rename("/../outside/secret", "/stolen").is_err());
    assert!(service.rename("/x", "/../outside/planted").is_err());
    write_file(&service, "/f", "in").expect("write");
    assert!(service.rename("/f", "/../outside/planted").is_err());
    assert!(!fx.area.path().join("outside/planted").exists());
    assert!(write_file(&service, "/../outside/secret", "overwritten").is_err());
    assert_eq!(
        fs::read_to_string(fx.area.path().join("outside/secret")).expect("secret"),
        SECRET
    );
}

#[test]
fn nul_bytes_and_long_names_are_invalid() {
    let fx = Fixture::new();
    let service = fx.service();
    let long = format!("/{}", "a".repeat(4096));
    for bad in ["/a\0b", "/\0", long.as_str()] {
        let Err(err) = service.stat(bad) else {
            panic!("{bad:?} accepted")
        };
        assert!(matches!(err, NsError::InvalidPath { .. }), "{err:?}");
        assert!(write_file(&service, bad, "x").is_err());
    }
    assert_eq!(fs::read_dir(fx.root()).expect("root").count(), 0);
}

#[test]
fn the_namespace_cleans_dot_dot_before_the_service_sees_it() {
    let fx = Fixture::new();
    fs::write(fx.root().join("f"), "inside").expect("f");
    let ns = fx.namespace();
    // `..` is lexical: climbing out of /n/h leaves the mount, it never reaches the host parent.
    for path in [
        "/n/h/../outside/secret",
        "/n/h/../../outside/secret",
        "/n/h/../../../../../../outside/secret",
        "/n/h//..//outside/secret",
        "/n/h/./../outside/secret",
    ] {
        assert!(ns.open(path, OpenFlags::read()).is_err(), "{path}");
    }
    let mut handle = ns
        .open("/n/h/./x/..//f", OpenFlags::read())
        .expect("cleaned path inside the root");
    let mut buf = [0u8; 16];
    let n = handle.read(&mut buf).expect("read");
    assert_eq!(&buf[..n], b"inside");
    assert!(matches!(
        ns.stat("/n/h/a\0b"),
        Err(NsError::InvalidPath { .. })
    ));
    let long_name = format!("/n/h/{}", "n".repeat(4096));
    assert!(matches!(
        ns.stat(&long_name),
        Err(NsError::InvalidPath { .. })
    ));
    // A `/` inside a name cannot exist: it is a separator, so `a/b` is a missing directory.
    assert!(matches!(
        ns.open("/n/h/a/b", OpenFlags::write().create()),
        Err(NsError::NotFound { .. })
    ));
    assert!(!fx.root().join("a").exists());
}

#[test]
fn a_symlink_pointing_outside_is_never_followed() {
    let fx = Fixture::new();
    symlink(fx.area.path().join("outside/secret"), fx.root().join("abs")).expect("link");
    symlink("../outside/secret", fx.root().join("rel")).expect("link");
    symlink("../outside", fx.root().join("outdir")).expect("link");
    let service = fx.service();
    for path in ["/abs", "/rel", "/outdir/secret"] {
        let result = read_all(&service, path);
        assert!(
            matches!(
                result,
                Err(NsError::Denied { .. } | NsError::NotFound { .. })
            ),
            "{path}: {result:?}"
        );
        assert_refused(result);
        assert!(service.stat(path).is_err(), "{path}");
        assert!(write_file(&service, path, "overwritten").is_err(), "{path}");
    }
    assert!(service.readdir("/outdir").is_err());
    assert!(service.mkdir("/outdir/new").is_err());
    assert!(!fx.area.path().join("outside/new").exists());
    assert_eq!(
        fs::read_to_string(fx.area.path().join("outside/secret")).expect("secret"),
        SECRET
    );
    // Listing shows the links; removing one removes the link, not the target.
    let names: Vec<_> = service
        .readdir("/")
        .expect("readdir")
        .into_iter()
        .map(|e| e.name)
        .collect();
    assert_eq!(names, ["abs", "outdir", "rel"]);
    service.remove("/rel").expect("remove link");
    assert!(fx.area.path().join("outside/secret").exists());
}

#[test]
fn an_absolute_symlink_to_etc_passwd_is_denied() {
    let fx = Fixture::new();
    symlink("/etc/passwd", fx.root().join("passwd")).expect("link");
    let service = fx.service();
    let result = read_all(&service, "/passwd");
    assert!(matches!(result, Err(NsError::Denied { .. })), "{result:?}");
    let Err(err) = result else { unreachable!() };
    assert_eq!(
        err.to_string(),
        "/passwd: permission denied (it leads outside the host directory; absolute links always do)"
    );
}

#[test]
fn an_absolute_symlink_is_denied_even_when_it_points_inside() {
    let fx = Fixture::new();
    fs::write(fx.root().join("f"), "inside").expect("f");
    symlink(fx.root().join("f"), fx.root().join("absin")).expect("link");
    let service = fx.service();
    let Err(err) = read_all(&service, "/absin") else {
        panic!("an absolute link was followed")
    };
    assert!(
        err.to_string().ends_with("; absolute links always do)"),
        "{err}"
    );
}

#[test]
fn a_symlink_inside_the_root_may_be_followed() {
    let fx = Fixture::new();
    fs::create_dir(fx.root().join("d")).expect("d");
    fs::write(fx.root().join("d/target"), "inner").expect("target");
    symlink("d/target", fx.root().join("link")).expect("link");
    let service = fx.service();
    assert_eq!(read_all(&service, "/link").expect("follows"), "inner");
}

#[test]
fn a_symlink_loop_is_a_clear_error() {
    let fx = Fixture::new();
    symlink("b", fx.root().join("a")).expect("a");
    symlink("a", fx.root().join("b")).expect("b");
    let service = fx.service();
    let Err(err) = read_all(&service, "/a") else {
        panic!("a symlink loop was read")
    };
    // In the namespace's words, not the OS's "(os error 40)".
    assert_eq!(
        err.to_string(),
        "/a: a symbolic link loop (too many levels of links)"
    );
    symlink("loop", fx.root().join("loop")).expect("loop");
    for result in [
        service.stat("/loop").map(|_| ()),
        write_file(&service, "/a", "x"),
        service.readdir("/loop").map(|_| ()),
        service.mkdir("/loop/x"),
    ] {
        let Err(err) = result else {
            panic!("a symlink loop was followed")
        };
        assert!(err.to_string().contains("symbolic link loop"), "{err}");
    }
}

#[test]
fn build_takes_exactly_one_existing_directory() {
    let fx = Fixture::new();
    let root = fx.root().to_str().expect("utf-8").to_string();
    let service = crate::services::build("host", std::slice::from_ref(&root)).expect("builds");
    assert_eq!(service.kind(), "host");
    let canonical = fs::canonicalize(&root).expect("canonical");
    assert_eq!(
        service.mount_args(),
        vec![canonical.to_string_lossy().into_owned()]
    );
    for args in [vec![], vec![root.clone(), root.clone()]] {
        assert!(matches!(
            crate::services::build("host", &args),
            Err(NsError::BadArgs { .. })
        ));
    }
    let missing = format!("{root}/missing");
    let Err(err) = crate::services::build("host", &[missing]) else {
        panic!("a missing directory mounted")
    };
    assert!(err.to_string().starts_with("host: "), "{err}");
    fs::write(fx.root().join("file"), "x").expect("file");
    let file = format!("{root}/file");
    let Err(err) = crate::services::build("host", std::slice::from_ref(&file)) else {
        panic!("a file mounted")
    };
    assert_eq!(err.to_string(), format!("host: {file}: not a directory"));
}

#[test]
fn is_link_answers_for_the_name_not_what_it_points_at() {
    let fx = Fixture::new();
    fs::create_dir(fx.root().join("d")).expect("d");
    fs::write(fx.root().join("f"), "x").expect("f");
    symlink("d", fx.root().join("to_d")).expect("to_d");
    symlink("../outside/secret", fx.root().join("out")).expect("out");
    symlink("loop", fx.root().join("loop")).expect("loop");
    let service = fx.service();
    for link in ["/to_d", "/out", "/loop"] {
        assert!(service.is_link(link), "{link}");
    }
    for plain in ["/", "/d", "/f", "/missing", "/to_d/x", "/../to_d"] {
        assert!(!service.is_link(plain), "{plain}");
    }
}

#[test]
fn a_recursive_remove_takes_a_link_away_without_following_it() {
    let fx = Fixture::new();
    fs::create_dir(fx.root().join("d")).expect("d");
    fs::write(fx.root().join("d/keep"), "kept").expect("keep");
    symlink("d", fx.root().join("to_d")).expect("to_d");
    symlink("../outside", fx.root().join("out")).expect("out");
    symlink("loop", fx.root().join("loop")).expect("loop");
    fs::create_dir(fx.root().join("tree")).expect("tree");
    symlink("../d", fx.root().join("tree/inner")).expect("inner");
    let ns = fx.namespace();
    for link in ["/n/h/to_d", "/n/h/out", "/n/h/loop", "/n/h/tree"] {
        let removed = crate::nsops::remove_path(&ns, link, true);
        assert!(removed.is_ok(), "{link}: {removed:?}");
    }
    assert_eq!(
        fs::read_to_string(fx.root().join("d/keep")).expect("kept"),
        "kept"
    );
    assert_eq!(
        fs::read_to_string(fx.area.path().join("outside/secret")).expect("secret"),
        SECRET
    );
    for gone in ["to_d", "out", "loop", "tree"] {
        assert!(
            fs::symlink_metadata(fx.root().join(gone)).is_err(),
            "{gone}"
        );
    }
}
