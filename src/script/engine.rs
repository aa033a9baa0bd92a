//! The Rhai engine, created on first use (placeholder type until the Rhai door lands).
pub struct Engine;
