//! Helpers shared by integration test files.
pub mod nostr_tools;
pub mod pty;
