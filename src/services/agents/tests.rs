//! Tests of the `agents` service.
