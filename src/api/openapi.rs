//! `GET /api/v1/openapi.json`: an OpenAPI 3.1 description of the whole API, generated from
//! the same route list the router is built from (so it cannot miss a route), with each
//! route's role.

use axum::http::Method;
use axum::routing::get;
use axum::Json;
use serde_json::{json, Map, Value};

use super::auth::{policy, Policy};
use super::Route;

pub fn routes() -> Vec<Route> {
    vec![Route::new(
        Method::GET,
        "/api/v1/openapi.json",
        "This description",
        get(openapi),
    )]
}

fn error_ref() -> Value {
    json!({ "description": "error", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } })
}

/// The description as JSON.
pub fn document() -> Value {
    let mut paths: Map<String, Value> = Map::new();
    for r in super::all_routes() {
        let pol = policy(&r.method, r.path);
        let params: Vec<Value> = r
            .path
            .split('/')
            .filter_map(|seg| seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .map(|name| {
                let desc = match name {
                    "id" => "document id, percent-encoded (`15%2F2019%2FQ%C4%90-UBND`)",
                    "run" => "run number",
                    "finding" => "finding id (stable across runs)",
                    "list" => "expired | to_amend | in_force, with .json (default), .csv or .xlsx",
                    _ => "",
                };
                json!({ "name": name, "in": "path", "required": true, "description": desc, "schema": { "type": "string" } })
            })
            .collect();
        let role = match pol {
            Some(Policy::Public) => "public",
            Some(Policy::Read) => "reader (open without a token on loopback unless configured)",
            Some(Policy::Write) => "reviewer",
            Some(Policy::Admin) => "admin",
            None => "none (refused)",
        };
        let mut op = json!({
            "summary": r.summary,
            "description": format!("Role: {role}."),
            "parameters": params,
            "responses": {
                "200": { "description": "OK", "content": { "application/json": {} } },
                "400": error_ref(), "401": error_ref(), "403": error_ref(), "404": error_ref(),
                "413": error_ref(), "422": error_ref(), "503": error_ref()
            }
        });
        if pol != Some(Policy::Public) {
            op["security"] = json!([{ "bearer": [] }]);
        }
        if r.method == Method::POST {
            op["responses"]["201"] =
                json!({ "description": "Created", "content": { "application/json": {} } });
            op["requestBody"] = json!({ "required": true, "content": { "application/json": { "schema": { "$ref": if r.path.ends_with("/runs") { "#/components/schemas/StartRun" } else { "#/components/schemas/Decision" } } } } });
        }
        let entry = paths.entry(r.path.to_string()).or_insert_with(|| json!({}));
        entry[r.method.as_str().to_lowercase()] = op;
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "rasoat reviewers' API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Review of Vietnamese legal normative documents. See src/api/ROUTES.md."
        },
        "paths": paths,
        "components": {
            "securitySchemes": { "bearer": { "type": "http", "scheme": "bearer" } },
            "schemas": {
                "Error": { "type": "object", "required": ["error"], "properties": { "error": {
                    "type": "object", "required": ["code", "message"],
                    "properties": { "code": { "type": "string" }, "message": { "type": "string" } } } } },
                "StartRun": { "type": "object", "additionalProperties": false, "required": ["as_of"],
                    "properties": { "as_of": { "type": "string", "format": "date" } } },
                "Decision": { "type": "object", "additionalProperties": false, "required": ["decision"],
                    "properties": {
                        "decision": { "enum": ["confirmed", "dismissed", "needs_amendment"] },
                        "note": { "type": "string" },
                        "proposal": { "enum": ["amend", "replace", "repeal", "suspend", "issue_new"] },
                        "body_in_charge": { "type": "string" },
                        "deadline": { "type": "string", "format": "date" },
                        "run": { "type": "integer" } } }
            }
        }
    })
}

async fn openapi() -> Json<Value> {
    Json(document())
}
