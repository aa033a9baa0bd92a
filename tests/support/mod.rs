//! Helpers shared by integration test files.
pub mod pty;
