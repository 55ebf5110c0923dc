//! NIC error-code classes (being written).
