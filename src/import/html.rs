//! `.html` files.

use std::path::Path;

use super::{ImportOptions, Imported};

#[derive(Debug, thiserror::Error)]
pub enum HtmlError {
    #[error("`.html` import is not available yet")]
    Unavailable,
}

pub fn import(_path: &Path, _bytes: &[u8], _opts: &ImportOptions) -> Result<Imported, HtmlError> {
    Err(HtmlError::Unavailable)
}
