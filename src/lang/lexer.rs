//! Lexer (skeleton).
