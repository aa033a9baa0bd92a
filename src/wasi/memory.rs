//! Bounds-checked access to a guest's linear memory.
//!
//! Every pointer and length a guest passes is an `i32` it chose; the imports take them as
//! `u32` (wasm's unsigned addresses) and reach memory only through [`GuestMemory`], which
//! checks `ptr + len` against the memory's size in 64-bit arithmetic and answers
//! [`Errno::Fault`] instead of panicking. Values are little-endian, as in wasm; alignment is
//! not required (a misaligned pointer is slower in the guest, never unsafe here). This module
//! must never index a slice without a check, and never hold on to the memory past one call.

use super::errno::Errno;

/// The guest's memory for the duration of one import call.
pub struct GuestMemory<'a> {
    bytes: &'a mut [u8],
}

/// One `iovec` / `ciovec`: a buffer in guest memory.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IoVec {
    pub ptr: u32,
    pub len: u32,
}

/// Most iovecs one call may pass (Linux's `IOV_MAX`); more is `EINVAL`, as there.
pub const MAX_IOVECS: u32 = 1024;

impl<'a> GuestMemory<'a> {
    pub fn new(bytes: &'a mut [u8]) -> GuestMemory<'a> {
        GuestMemory { bytes }
    }

    /// The range `[ptr, ptr + len)`, if it lies inside memory.
    fn range(&self, ptr: u32, len: u32) -> Result<std::ops::Range<usize>, Errno> {
        let start = ptr as usize;
        let end = start.checked_add(len as usize).ok_or(Errno::Fault)?;
        if end > self.bytes.len() {
            return Err(Errno::Fault);
        }
        Ok(start..end)
    }

    pub fn slice(&self, ptr: u32, len: u32) -> Result<&[u8], Errno> {
        let range = self.range(ptr, len)?;
        self.bytes.get(range).ok_or(Errno::Fault)
    }

    pub fn slice_mut(&mut self, ptr: u32, len: u32) -> Result<&mut [u8], Errno> {
        let range = self.range(ptr, len)?;
        self.bytes.get_mut(range).ok_or(Errno::Fault)
    }

    // The host only writes scalars into guest memory (a guest's structs are read through
    // `iovecs`); the readers below let the tests check what the writers put there.
    #[cfg(test)]
    fn array<const N: usize>(&self, ptr: u32) -> Result<[u8; N], Errno> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.slice(ptr, N as u32)?);
        Ok(out)
    }

    #[cfg(test)]
    pub fn read_u8(&self, ptr: u32) -> Result<u8, Errno> {
        Ok(self.array::<1>(ptr)?[0])
    }

    #[cfg(test)]
    pub fn read_u16(&self, ptr: u32) -> Result<u16, Errno> {
        Ok(u16::from_le_bytes(self.array(ptr)?))
    }

    #[cfg(test)]
    pub fn read_u32(&self, ptr: u32) -> Result<u32, Errno> {
        Ok(u32::from_le_bytes(self.array(ptr)?))
    }

    #[cfg(test)]
    pub fn read_u64(&self, ptr: u32) -> Result<u64, Errno> {
        Ok(u64::from_le_bytes(self.array(ptr)?))
    }

    pub fn write_bytes(&mut self, ptr: u32, bytes: &[u8]) -> Result<(), Errno> {
        let len = u32::try_from(bytes.len()).map_err(|_| Errno::Fault)?;
        self.slice_mut(ptr, len)?.copy_from_slice(bytes);
        Ok(())
    }

    pub fn write_u32(&mut self, ptr: u32, value: u32) -> Result<(), Errno> {
        self.write_bytes(ptr, &value.to_le_bytes())
    }

    pub fn write_u64(&mut self, ptr: u32, value: u64) -> Result<(), Errno> {
        self.write_bytes(ptr, &value.to_le_bytes())
    }

    /// A path or name the guest passed: UTF-8 (the namespace's paths are strings), else
    /// `EILSEQ`.
    pub fn string(&self, ptr: u32, len: u32) -> Result<&str, Errno> {
        std::str::from_utf8(self.slice(ptr, len)?).map_err(|_| Errno::IlSeq)
    }

    /// The `count` iovecs at `ptr` (8 bytes each: buffer pointer, length). Each buffer is
    /// checked when it is used, not here: a zero-length iovec may point anywhere.
    pub fn iovecs(&self, ptr: u32, count: u32) -> Result<Vec<IoVec>, Errno> {
        if count > MAX_IOVECS {
            return Err(Errno::Inval);
        }
        let table = self.slice(ptr, count.checked_mul(8).ok_or(Errno::Fault)?)?;
        Ok(table
            .chunks_exact(8)
            .map(|entry| {
                let (buf, len) = entry.split_at(4);
                IoVec {
                    ptr: u32::from_le_bytes([buf[0], buf[1], buf[2], buf[3]]),
                    len: u32::from_le_bytes([len[0], len[1], len[2], len[3]]),
                }
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_and_writes_inside_memory() {
        let mut bytes = vec![0u8; 16];
        let mut mem = GuestMemory::new(&mut bytes);
        mem.write_u32(12, 0xdead_beef).expect("fits exactly");
        assert_eq!(mem.read_u32(12), Ok(0xdead_beef));
        mem.write_u64(1, u64::MAX - 1).expect("misaligned is fine");
        assert_eq!(mem.read_u64(1), Ok(u64::MAX - 1));
        assert_eq!(mem.read_u16(14), Ok(0xdead));
    }

    #[test]
    fn every_access_past_the_end_is_a_fault() {
        let mut bytes = vec![0u8; 16];
        let mut mem = GuestMemory::new(&mut bytes);
        assert_eq!(mem.read_u32(13), Err(Errno::Fault));
        assert_eq!(mem.read_u8(16), Err(Errno::Fault));
        assert_eq!(mem.write_u64(9, 1), Err(Errno::Fault));
        assert_eq!(mem.slice(u32::MAX, 2).err(), Some(Errno::Fault));
        assert_eq!(mem.slice(0, u32::MAX).err(), Some(Errno::Fault));
        assert_eq!(mem.slice_mut(17, 0).err(), Some(Errno::Fault));
        // The empty range at the very end is inside.
        assert_eq!(mem.slice(16, 0).map(<[u8]>::len), Ok(0));
    }

    #[test]
    fn iovec_tables_are_checked_whole() {
        let mut bytes = vec![0u8; 32];
        let mut mem = GuestMemory::new(&mut bytes);
        mem.write_u32(0, 100).expect("ptr");
        mem.write_u32(4, 7).expect("len");
        assert_eq!(mem.iovecs(0, 1), Ok(vec![IoVec { ptr: 100, len: 7 }]));
        assert_eq!(mem.iovecs(0, 4).map(|v| v.len()), Ok(4));
        assert_eq!(mem.iovecs(0, 5), Err(Errno::Fault));
        assert_eq!(mem.iovecs(0, u32::MAX), Err(Errno::Inval));
    }

    #[test]
    fn paths_must_be_utf8() {
        let mut bytes = vec![b'a', 0xff, b'b'];
        let mem = GuestMemory::new(&mut bytes);
        assert_eq!(mem.string(0, 1), Ok("a"));
        assert_eq!(mem.string(0, 3), Err(Errno::IlSeq));
    }
}
