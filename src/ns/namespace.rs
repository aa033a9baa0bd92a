//! The mount table (stub: replaced by the namespace work).
use std::sync::Arc;
use super::error::NsError;
use super::service::*;
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum MountFlag { #[default] Replace, Before, After }
#[derive(Clone, Debug)]
pub struct MountRecord { pub point: String, pub kind: String, pub args: Vec<String>, pub flag: MountFlag, pub create: bool }
#[derive(Clone)]
pub struct Namespace { root: Arc<dyn FileService> }
impl Namespace {
    pub fn new(root: Arc<dyn FileService>) -> Namespace { Namespace { root } }
    pub fn mount(&self, point: &str, service: Arc<dyn FileService>, flag: MountFlag, create: bool) -> Result<Namespace, NsError> { let _ = (point, service, flag, create); Ok(self.clone()) }
    pub fn unmount(&self, point: &str) -> Result<Namespace, NsError> { let _ = point; Ok(self.clone()) }
    pub fn mounts(&self) -> Vec<MountRecord> { Vec::new() }
    pub fn open(&self, path: &str, flags: OpenFlags) -> Result<Box<dyn FileHandle>, NsError> { self.root.open(path, flags) }
    pub fn stat(&self, path: &str) -> Result<Stat, NsError> { self.root.stat(path) }
    pub fn readdir(&self, path: &str) -> Result<Vec<DirEntry>, NsError> { self.root.readdir(path) }
    pub fn mkdir(&self, path: &str) -> Result<(), NsError> { self.root.mkdir(path) }
    pub fn remove(&self, path: &str) -> Result<(), NsError> { self.root.remove(path) }
    pub fn rename(&self, from: &str, to: &str) -> Result<(), NsError> { self.root.rename(from, to) }
}
