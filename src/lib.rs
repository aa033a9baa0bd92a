//! oash: an rc-style agent shell over a Plan 9-style namespace of file services.
//!
//! The data path is the module order: source text → [`lang`] (lexer, parser, syntax tree) →
//! [`eval`] (interpreter) → [`builtins`] → [`ns`] (namespace, `FileService`) → [`services`].

pub mod builtins;
pub mod eval;
pub mod lang;
pub mod ns;
pub mod services;
