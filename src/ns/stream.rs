//! `Read`/`Write` adapters over a [`FileHandle`] (stub).
use super::service::FileHandle;
pub struct HandleReader(Box<dyn FileHandle>);
impl HandleReader { pub fn new(h: Box<dyn FileHandle>) -> Self { HandleReader(h) } }
impl std::io::Read for HandleReader { fn read(&mut self, b: &mut [u8]) -> std::io::Result<usize> { self.0.read(b).map_err(std::io::Error::other) } }
pub struct HandleWriter(Box<dyn FileHandle>);
impl HandleWriter { pub fn new(h: Box<dyn FileHandle>) -> Self { HandleWriter(h) } }
impl std::io::Write for HandleWriter { fn write(&mut self, b: &[u8]) -> std::io::Result<usize> { self.0.write(b).map_err(std::io::Error::other) } fn flush(&mut self) -> std::io::Result<()> { Ok(()) } }
