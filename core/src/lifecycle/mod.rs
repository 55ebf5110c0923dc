//! Lifecycle rules (being written).
