//! Syntax tree (skeleton).
