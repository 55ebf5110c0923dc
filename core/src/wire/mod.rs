//! Wire encodings shared by the models: how a value is written in the API's JSON and in NIC's.
//!
//! Each submodule is a serde `with` module for one encoding. They are lenient where users differ
//! and NIC does not care (a Y/N flag may come as a boolean, a PIN as a string), and strict where a
//! wrong value would change the meaning (a date, an amount).

pub mod api_date;
pub mod nic_date;
pub mod state_code;
pub mod unsigned;
pub mod yes_no;
