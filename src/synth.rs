//! Synthetic dump generator (being written).
