//! NIC reason-code lists as typed enums.
//!
//! NIC numbers its reasons per action, and the numbering differs between actions that look alike:
//! an e-invoice cancel uses 2 = data entry mistake, 3 = order cancelled, an e-way bill cancel the
//! reverse (nic-rules B.9, C.7). So each action gets its own enum, written in the API by name
//! (`"data_entry_mistake"`, which cannot be confused across actions) and to NIC by code. Both are
//! accepted on input: the name, the code as a number, or the code as a string.

/// Declares a reason-code enum: `variant = code, "api_name", "NIC's wording"`.
#[macro_export]
macro_rules! reason_codes {
    (
        $(#[$meta:meta])*
        $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $code:literal, $api:literal, $label:literal; )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
        }

        impl $name {
            /// Every reason, in NIC's order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// NIC's numeric code.
            pub fn code(self) -> u8 {
                match self { $($name::$variant => $code,)+ }
            }

            /// The reason with NIC code `code`.
            pub fn from_code(code: u64) -> Option<Self> {
                match code { $($code => Some($name::$variant),)+ _ => None }
            }

            /// The API's name for the reason.
            pub fn api_name(self) -> &'static str {
                match self { $($name::$variant => $api,)+ }
            }

            /// The reason with API name `name`.
            pub fn from_api_name(name: &str) -> Option<Self> {
                match name { $($api => Some($name::$variant),)+ _ => None }
            }

            /// NIC's wording of the reason.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label,)+ }
            }

            /// What the reason may be, for error messages.
            fn expected() -> String {
                let names: Vec<String> = Self::ALL
                    .iter()
                    .map(|r| format!("{} ({})", r.api_name(), r.code()))
                    .collect();
                names.join(", ")
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.api_name())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct V;
                impl<'de> serde::de::Visitor<'de> for V {
                    type Value = $name;
                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        write!(f, "one of {}", $name::expected())
                    }
                    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<$name, E> {
                        $name::from_code(v).ok_or_else(|| {
                            E::custom(format!("unknown reason code {v}: expected one of {}", $name::expected()))
                        })
                    }
                    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<$name, E> {
                        match u64::try_from(v) {
                            Ok(u) => self.visit_u64(u),
                            Err(_) => Err(E::custom(format!("unknown reason code {v}: expected one of {}", $name::expected()))),
                        }
                    }
                    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<$name, E> {
                        if let Some(r) = $name::from_api_name(v) {
                            return Ok(r);
                        }
                        match v.parse::<u64>() {
                            Ok(code) => self.visit_u64(code),
                            Err(_) => Err(E::custom(format!("unknown reason `{v}`: expected one of {}", $name::expected()))),
                        }
                    }
                    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<$name, A::Error> {
                        // serde_json's arbitrary_precision numbers arrive as a one-entry map.
                        match map.next_entry::<String, String>()? {
                            Some((_, n)) => self.visit_str(&n),
                            None => Err(serde::de::Error::custom("expected a reason")),
                        }
                    }
                }
                d.deserialize_any(V)
            }
        }
    };
}
