//! Fuzz the rc-style parser: any UTF-8 input must parse or fail with a
//! `ParseError`, never panic, overflow the stack or hang.
#![no_main]

use std::sync::Arc;

use libfuzzer_sys::fuzz_target;
use oash::lang::SourceFile;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let file = Arc::new(SourceFile::new("fuzz", text));
    let _ = oash::lang::parse(file);
});
