//! schemas/openapi.yaml and the server agree: every operation the document lists is served, and
//! every operation has the error envelope on its error statuses.

use crate::common::*;

const OPENAPI: &str = include_str!("../../../schemas/openapi.yaml");

/// Every (method, path template) the sandbox serves.
const ROUTES: &[(&str, &str)] = &[
    ("post", "/realms/onefinops/protocol/openid-connect/token"),
    ("get", "/.well-known/jwks.json"),
    ("get", "/healthz"),
    ("post", "/v1/einvoices"),
    ("post", "/v1/einvoices/generate"),
    ("post", "/v1/einvoices/bulk"),
    ("post", "/v1/einvoices/qrimage"),
    ("get", "/v1/einvoices/irn"),
    ("get", "/v1/einvoices/{id}"),
    ("get", "/v1/einvoices/{id}/status"),
    ("post", "/v1/einvoices/{id}/cancel"),
    ("post", "/v1/ewaybills"),
    ("get", "/v1/ewaybills/{ewbNo}"),
    ("post", "/v1/ewaybills/{ewbNo}/part-b"),
    ("post", "/v1/ewaybills/{ewbNo}/extend"),
    ("post", "/v1/ewaybills/{ewbNo}/cancel"),
    ("post", "/v1/ewaybills/{ewbNo}/reject"),
    ("post", "/v1/ewaybills/{ewbNo}/transporter"),
    ("post", "/v1/gsp-credentials"),
    ("get", "/v1/gsp-credentials"),
    ("get", "/v1/gsp-credentials/{id}"),
    ("delete", "/v1/gsp-credentials/{id}"),
    ("post", "/v1/gsp-credentials/{id}/verify"),
    ("post", "/v1/gsp-credentials/{id}/rotate"),
    ("delete", "/v1/gsp-credentials/{id}/keys/{keyId}"),
    ("post", "/v1/webhook-endpoints"),
    ("get", "/v1/webhook-endpoints"),
    ("delete", "/v1/webhook-endpoints/{id}"),
    ("get", "/v1/webhook-deliveries"),
    ("post", "/v1/webhook-deliveries/{id}/retry"),
    ("get", "/_sandbox/clock"),
    ("post", "/_sandbox/clock"),
    ("get", "/_sandbox/faults"),
    ("post", "/_sandbox/faults"),
    ("delete", "/_sandbox/faults"),
    ("get", "/_sandbox/requests"),
    ("post", "/_sandbox/clients"),
    ("post", "/_sandbox/clients/{clientId}/secrets"),
    ("delete", "/_sandbox/clients/{clientId}/secrets/{secretId}"),
    ("post", "/_sandbox/run"),
    ("post", "/_sandbox/strictness"),
];

/// The operations of one path in the YAML: the lines indented four spaces under `  /path:`.
fn methods_of(path: &str) -> Vec<String> {
    let header = format!("  {path}:");
    let mut lines = OPENAPI.lines().skip_while(|l| *l != header.as_str());
    assert!(lines.next().is_some(), "openapi.yaml has no path {path}");
    lines
        .take_while(|l| l.starts_with("    ") || l.is_empty())
        .filter(|l| !l.starts_with("     ") && l.trim_end().ends_with(':'))
        .map(|l| l.trim().trim_end_matches(':').to_owned())
        .collect()
}

#[test]
fn every_route_is_documented_and_every_documented_route_is_served() {
    let sb = start();
    let base = sb.base_url();
    let auth = bearer(&token(&base));
    for (method, path) in ROUTES {
        assert!(
            methods_of(path).iter().any(|m| m == method),
            "openapi.yaml lacks {method} {path}"
        );
        let url = format!(
            "{base}{}",
            path.replace("{ewbNo}", "300000000001")
                .replace('{', "x")
                .replace('}', "")
        );
        let a = match *method {
            "get" => get(&url, &[("Authorization", &auth)]),
            "delete" => delete(&url, &[("Authorization", &auth)]),
            _ => post(&url, &[("Authorization", &auth)], "{}"),
        };
        let unknown = a.status == 404 && a.text().contains("no such endpoint");
        assert!(!unknown, "{method} {path} is not served");
    }
    // And nothing documented is missing from the list above.
    let documented = OPENAPI
        .lines()
        .filter(|l| l.starts_with("  /") && l.ends_with(':'))
        .count();
    let listed: std::collections::BTreeSet<&str> = ROUTES.iter().map(|(_, p)| *p).collect();
    assert_eq!(documented, listed.len());
}

#[test]
fn error_statuses_use_the_envelope() {
    assert!(OPENAPI.starts_with("# OpenAPI 3.1"));
    assert!(OPENAPI.contains("openapi: 3.1.0"));
    for name in [
        "BadRequest",
        "Unauthorized",
        "Forbidden",
        "NotFound",
        "Conflict",
        "ValidationError",
        "RateLimited",
        "Internal",
        "UpstreamFailure",
        "UpstreamUnavailable",
    ] {
        let block: String = OPENAPI
            .lines()
            .skip_while(|l| *l != format!("    {name}:"))
            .take(40)
            .collect::<Vec<_>>()
            .join("\n");
        assert!(
            block.contains("#/components/schemas/ErrorEnvelope"),
            "{name}: {block}"
        );
    }
    for file in [
        "./api/einvoice-flat.schema.json",
        "./api/einvoice.schema.json",
        "./nic/ewaybill-generate.schema.json",
    ] {
        assert!(OPENAPI.contains(file), "{file} is reused by $ref");
    }
}
