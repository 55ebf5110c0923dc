//! Findings: what parsing and validation report about a document.
//!
//! A finding names the field (a JSON pointer into the document the caller sent, in whichever
//! dialect it was sent), a stable code of ours, the code the IRP or EWB system would answer for the
//! same mistake when there is one, a message for a person, and a severity.

use serde::{Deserialize, Serialize};

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// NIC would reject the document.
    Error,
    /// NIC accepts the document today, but the finding is likely a mistake, or the rule is one
    /// NIC has "temporarily withdrawn" (e.g. 2192).
    Warning,
}

/// One problem found in a document.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Finding {
    /// JSON pointer (RFC 6901) to the offending field, `""` for the whole document.
    pub path: String,
    /// Our stable code, e.g. `parse.unknown_field` or `gstin.check_character`.
    pub code: String,
    /// NIC's error code for the same mistake (e.g. `"2172"`), when NIC has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nic_code: Option<String>,
    /// What is wrong, in words, naming the field and the rule.
    pub message: String,
    /// Error or warning.
    pub severity: Severity,
}

impl Finding {
    /// An error finding with no NIC code.
    pub fn error(
        path: impl Into<String>,
        code: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Finding {
            path: path.into(),
            code: code.into(),
            nic_code: None,
            message: message.into(),
            severity: Severity::Error,
        }
    }

    /// A warning finding with no NIC code.
    pub fn warning(
        path: impl Into<String>,
        code: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Finding {
            severity: Severity::Warning,
            ..Finding::error(path, code, message)
        }
    }

    /// Attaches NIC's error code.
    pub fn with_nic_code(mut self, nic_code: impl Into<String>) -> Self {
        self.nic_code = Some(nic_code.into());
        self
    }
}

/// Escapes one JSON-pointer reference token (RFC 6901: `~` as `~0`, `/` as `~1`).
pub fn escape_pointer_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}
