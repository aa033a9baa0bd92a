//! The file services oash can mount, one file each, and the registry `mount` builds them from.
pub mod mem;
use std::sync::Arc;
use crate::ns::{FileService, NsError};
/// Builds a service of kind `kind` from `mount`'s arguments.
pub fn build(kind: &str, args: &[String]) -> Result<Arc<dyn FileService>, NsError> {
    match kind {
        "mem" if args.is_empty() => Ok(Arc::new(mem::MemService::new())),
        _ => Err(NsError::UnknownService { name: kind.to_string(), known: kinds().join(", ") }),
    }
}
/// The kinds `build` knows.
pub fn kinds() -> &'static [&'static str] { &["mem"] }
