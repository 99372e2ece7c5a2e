//! `.docx` files.

use super::{ImportOptions, Imported};

#[derive(Debug, thiserror::Error)]
pub enum DocxError {
    #[error("`.docx` import is not available yet")]
    Unavailable,
}

pub fn import(_bytes: &[u8], _opts: &ImportOptions) -> Result<Imported, DocxError> {
    Err(DocxError::Unavailable)
}
