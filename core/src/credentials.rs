//! GSP credentials: the IRP and EWB portal logins that e-invoice and e-way bill calls run under.
//!
//! A password goes one way only: in a create or rotate request. It is never part of a credential
//! record, never printed by `Debug`, and never written back by the API (seed 001: "Credentials
//! never appear in webhook payloads or request logs").

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::calendar::Timestamp;

/// A secret string (a password, a client secret). `Debug` and `Display` print `[redacted]`.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The secret itself, for the one place that must send it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// Which NIC portal a credential logs in to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Portal {
    /// The e-invoice registration portal (IRP).
    Irp,
    /// The e-way bill portal.
    Ewb,
}

/// Where a credential stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CredentialStatus {
    /// Stored, not yet checked against the portal.
    Unverified,
    /// The portal accepted it at the last check.
    Verified,
    /// The portal refused it at the last check.
    Failed,
    /// Replaced by a rotation and revoked.
    Revoked,
}

/// A request to onboard a GSP credential (`POST /v1/gsp-credentials`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateGspCredential {
    /// The GSTIN the credential belongs to.
    pub gstin: String,
    /// IRP or EWB.
    pub portal: Portal,
    /// The API user name created on the portal.
    pub username: String,
    /// The API password; sent once, never returned.
    pub password: Secret,
}

/// A request to rotate a credential: a new password, with the old one kept working until it is
/// revoked (dual-key rotation, seed 001).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RotateGspCredential {
    /// The new password.
    pub password: Secret,
    /// A new user name, when the portal user changes too.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
}

/// A stored credential as the API returns it. It has no password field, by construction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GspCredential {
    /// Our id, `gspc_...`.
    pub id: String,
    /// Always `gsp_credential`.
    pub object: String,
    /// The GSTIN it belongs to.
    pub gstin: String,
    /// IRP or EWB.
    pub portal: Portal,
    /// The portal user name.
    pub username: String,
    /// Where it stands.
    pub status: CredentialStatus,
    /// When it was stored.
    pub created_at: Timestamp,
    /// When the portal last accepted it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_verified_at: Option<Timestamp>,
    /// When it was last rotated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rotated_at: Option<Timestamp>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_is_never_printed() {
        let req: CreateGspCredential = serde_json::from_str(
            r#"{"gstin":"29AAFCC9980M1ZR","portal":"irp","username":"api_user","password":"s3cr3t!"}"#,
        )
        .unwrap();
        let dbg = format!("{req:?}");
        assert!(!dbg.contains("s3cr3t!"), "{dbg}");
        assert!(dbg.contains("[redacted]"));
        assert_eq!(req.password.expose(), "s3cr3t!");
    }

    #[test]
    fn record_has_no_password() {
        let rec: Result<GspCredential, _> = serde_json::from_str(
            r#"{"id":"gspc_1","object":"gsp_credential","gstin":"29AAFCC9980M1ZR","portal":"ewb",
                "username":"u","status":"verified","createdAt":"2026-05-04T11:42:18Z"}"#,
        );
        let rec = rec.unwrap();
        let out = serde_json::to_value(&rec).unwrap();
        assert!(out.get("password").is_none());
        assert_eq!(out["portal"], "ewb");
        assert_eq!(out["createdAt"], "2026-05-04T11:42:18Z");
    }
}
