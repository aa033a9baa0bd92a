//! The shell's state (skeleton).
use crate::ns::Namespace;
use std::sync::Arc;
pub struct Shell { pub ns: Namespace, pub cwd: String }
impl Shell {
    pub fn new() -> Shell { Shell { ns: Namespace::new(Arc::new(crate::services::mem::MemService::new())), cwd: "/".into() } }
}
impl Default for Shell { fn default() -> Self { Self::new() } }
