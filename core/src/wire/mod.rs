//! Wire encodings shared by the models: how a value is written in the API's JSON and in NIC's.
//!
//! Each submodule is a serde `with` module for one encoding. They are lenient where users differ
//! and NIC does not care (a Y/N flag may come as a boolean, a PIN as a string), and strict where a
//! wrong value would change the meaning (a date, an amount).

pub mod amount;
pub mod api_date;
pub mod nic_date;
pub mod state_code;
pub mod unsigned;
pub mod yes_no;

/// Declares a struct in NIC's shape: every field renamed to NIC's key (`AssAmt`, `fromGstin`),
/// unknown keys refused, as NIC's validator refuses them. Field docs are NIC's, so the fields
/// carry none of their own.
macro_rules! nic_struct {
    ($(#[$m:meta])* $name:ident { $($(#[$fm:meta])* $field:ident : $ty:ty = $nic:literal),* $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        #[allow(missing_docs)]
        pub struct $name {
            $(
                #[serde(rename = $nic)]
                $(#[$fm])*
                pub $field: $ty,
            )*
        }
    };
}
pub(crate) use nic_struct;
