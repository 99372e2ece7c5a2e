//! `.pdf` files.

use super::{ImportOptions, Imported};

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("`.pdf` import is not available yet")]
    Unavailable,
}

pub fn import(_bytes: &[u8], _opts: &ImportOptions) -> Result<Imported, PdfError> {
    Err(PdfError::Unavailable)
}
