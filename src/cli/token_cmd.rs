//! `rasoat token create --name N --role reader|reviewer|admin`: a bearer token for the API
//! (and `token list`, `token revoke --name N`). The secret is printed once; the reviewer database keeps only its SHA-256.

use std::path::Path;
use std::process::ExitCode;

use clap::{Args, Subcommand, ValueEnum};

use super::{CliError, Format};
use crate::review::{ReviewDb, Role};

#[derive(Debug, Args)]
pub struct TokenArgs {
    #[command(subcommand)]
    pub action: TokenAction,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum RoleArg {
    Reader,
    Reviewer,
    Admin,
}

#[derive(Debug, Subcommand)]
pub enum TokenAction {
    /// Create a token and print its secret (shown once).
    Create {
        /// A name for the token's holder (it appears in the audit log).
        #[arg(long)]
        name: String,
        #[arg(long, value_enum)]
        role: RoleArg,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// List the tokens (names and roles; secrets are not kept).
    List,
    /// Remove a token: requests with it are refused from then on.
    Revoke {
        #[arg(long)]
        name: String,
    },
}

pub fn run(data: &Path, args: &TokenArgs) -> Result<ExitCode, CliError> {
    let user = |e: crate::review::ReviewError| CliError::User(e.to_string());
    let mut db = ReviewDb::open(data).map_err(user)?;
    match &args.action {
        TokenAction::Create { name, role, format } => {
            let role = match role {
                RoleArg::Reader => Role::Reader,
                RoleArg::Reviewer => Role::Reviewer,
                RoleArg::Admin => Role::Admin,
            };
            let secret = db.create_token(name, role, "cli").map_err(user)?;
            if *format == Format::Json {
                println!(
                    "{}",
                    serde_json::json!({ "name": name, "role": role, "token": secret })
                );
            } else {
                println!("{secret}");
                eprintln!(
                    "rasoat: token `{name}` ({}) created; it is shown only now",
                    role.name()
                );
            }
        }
        TokenAction::Revoke { name } => {
            db.revoke_token(name, "cli").map_err(user)?;
            eprintln!("rasoat: token `{name}` revoked");
        }
        TokenAction::List => {
            for t in db.tokens().map_err(user)? {
                println!("{}\t{}", t.name, t.role.name());
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
