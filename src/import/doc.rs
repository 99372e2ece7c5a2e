//! `.doc` files.

use std::path::Path;

use super::{ImportOptions, Imported};

#[derive(Debug, thiserror::Error)]
pub enum DocError {
    #[error("`.doc` import is not available yet")]
    Unavailable,
}

pub fn import(_path: &Path, _bytes: &[u8], _opts: &ImportOptions) -> Result<Imported, DocError> {
    Err(DocError::Unavailable)
}
