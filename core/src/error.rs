//! The error model (being written).
