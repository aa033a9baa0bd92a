//! `mem`: directories and files in memory (stub).
pub struct MemService;
impl MemService { pub fn new() -> Self { MemService } }
impl Default for MemService { fn default() -> Self { Self::new() } }
impl crate::ns::FileService for MemService {
    fn kind(&self) -> &str { "mem" }
    fn open(&self, p: &str, _: crate::ns::OpenFlags) -> Result<Box<dyn crate::ns::FileHandle>, crate::ns::NsError> { Err(crate::ns::NsError::NotFound { path: p.into() }) }
    fn stat(&self, p: &str) -> Result<crate::ns::Stat, crate::ns::NsError> { Err(crate::ns::NsError::NotFound { path: p.into() }) }
    fn readdir(&self, p: &str) -> Result<Vec<crate::ns::DirEntry>, crate::ns::NsError> { Err(crate::ns::NsError::NotFound { path: p.into() }) }
    fn mkdir(&self, p: &str) -> Result<(), crate::ns::NsError> { Err(crate::ns::NsError::NotFound { path: p.into() }) }
    fn remove(&self, p: &str) -> Result<(), crate::ns::NsError> { Err(crate::ns::NsError::NotFound { path: p.into() }) }
    fn rename(&self, p: &str, _: &str) -> Result<(), crate::ns::NsError> { Err(crate::ns::NsError::NotFound { path: p.into() }) }
}
