//! Fuzz the rc-style parser: any bytes, decoded as the `oash` binary decodes a script file
//! or `-c` text (lossy UTF-8: each invalid sequence becomes one U+FFFD), must parse or fail
//! with a `ParseError`, never panic, overflow the stack or hang. A syntax error must point
//! inside the text at character boundaries, where the diagnostic renderer slices it.
#![no_main]

use std::sync::Arc;

use libfuzzer_sys::fuzz_target;
use oash::lang::SourceFile;

fuzz_target!(|data: &[u8]| {
    // The decoding `src/main.rs` applies to a script's bytes: invalid input is not skipped.
    let text = String::from_utf8_lossy(data).into_owned();
    let file = Arc::new(SourceFile::new("fuzz", text));
    if let Err(e) = oash::lang::parse(file.clone()) {
        let (start, end) = (e.span.offset(), e.span.offset() + e.span.len());
        let text = file.text();
        assert!(
            end <= text.len() && text.is_char_boundary(start) && text.is_char_boundary(end),
            "error span {start}..{end} is not a character range of {} bytes",
            text.len()
        );
    }
});
