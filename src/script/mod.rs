//! The Rhai door (SPEC §8): Rhai code runs with limits and a namespace API that calls the
//! same core functions as the builtins.
pub mod engine;
pub use engine::Engine;
