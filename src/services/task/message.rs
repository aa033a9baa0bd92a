//! The handle of a file written as a message (`cmd`, `args`, `env`, `ctl`): what was read
//! at open is served to read; what is written is buffered and delivered once, on close, and
//! the delivery's error is the close's error (Plan 9's control-file idiom, as in
//! [`crate::services::func`]). It must never deliver twice, nor hold more than
//! [`MAX_MESSAGE_SIZE`] bytes.

use std::io::SeekFrom;
use std::sync::Arc;

use crate::ns::{FileHandle, NsError, OpenFlags};
use crate::services::func::MAX_MESSAGE_SIZE;
use crate::services::map::MapHandle;

/// What a closed message is handed to.
pub type Deliver = Box<dyn FnOnce(&[u8]) -> Result<(), NsError> + Send>;

pub struct MessageHandle {
    reader: MapHandle,
    can_read: bool,
    writes: bool,
    /// Deliver an empty message too (a truncating open of `args` clears it).
    deliver_empty: bool,
    message: Vec<u8>,
    deliver: Option<Deliver>,
}

impl MessageHandle {
    pub fn new(
        at: &str,
        shown: String,
        flags: OpenFlags,
        deliver_empty: bool,
        deliver: Deliver,
    ) -> MessageHandle {
        MessageHandle {
            reader: MapHandle {
                bytes: Arc::from(shown.into_bytes()),
                offset: 0,
                path: at.to_string(),
            },
            can_read: flags.read || !(flags.write || flags.append || flags.truncate),
            writes: flags.write || flags.append || flags.truncate,
            deliver_empty,
            message: Vec::new(),
            deliver: Some(deliver),
        }
    }

    fn path(&self) -> &str {
        &self.reader.path
    }
}

impl FileHandle for MessageHandle {
    fn read(&mut self, buf: &mut [u8]) -> Result<usize, NsError> {
        if !self.can_read {
            return Err(NsError::Denied {
                path: self.path().to_string(),
                reason: "not open for reading".into(),
            });
        }
        self.reader.read(buf)
    }

    fn write(&mut self, buf: &[u8]) -> Result<usize, NsError> {
        if !self.writes {
            return Err(NsError::Denied {
                path: self.path().to_string(),
                reason: "not open for writing".into(),
            });
        }
        if self.message.len().saturating_add(buf.len()) > MAX_MESSAGE_SIZE {
            return Err(NsError::Io {
                path: self.path().to_string(),
                message: format!("message over {MAX_MESSAGE_SIZE} bytes"),
            });
        }
        self.message.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn seek(&mut self, pos: SeekFrom) -> Result<u64, NsError> {
        self.reader.seek(pos)
    }

    fn close(&mut self) -> Result<(), NsError> {
        // Close may come twice (explicitly, then on drop): the message goes once.
        let Some(deliver) = self.deliver.take() else {
            return Ok(());
        };
        let message = std::mem::take(&mut self.message);
        if !self.writes || (message.is_empty() && !self.deliver_empty) {
            return Ok(());
        }
        deliver(&message).map_err(|e| e.at(self.path()))
    }
}

impl Drop for MessageHandle {
    fn drop(&mut self) {
        let _ = self.close();
    }
}
