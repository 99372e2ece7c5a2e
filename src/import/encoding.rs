//! Plain-text files: UTF-8 (with or without BOM) and, for now, nothing else.

use super::{ImportOptions, Imported, SourceFormat};

/// The encodings a plain-text file may be in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Encoding {
    Utf8,
}

#[derive(Debug, thiserror::Error)]
pub enum EncodingError {
    #[error("not valid UTF-8 (byte {byte}); convert the file to UTF-8")]
    InvalidUtf8 {
        line: usize,
        column: usize,
        byte: usize,
    },
}

impl EncodingError {
    /// 1-based line and column of the error, when it has one.
    pub fn location(&self) -> Option<(usize, usize)> {
        match self {
            EncodingError::InvalidUtf8 { line, column, .. } => Some((*line, *column)),
        }
    }
}

pub fn import_text(
    bytes: &[u8],
    _opts: &ImportOptions,
    format: SourceFormat,
) -> Result<Imported, EncodingError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => {
            let mut im = Imported::text(s.to_string(), format);
            im.encoding = Some((Encoding::Utf8, 1.0));
            Ok(im)
        }
        Err(e) => {
            let at = e.valid_up_to();
            let prefix = &bytes[..at];
            let line = prefix.iter().filter(|b| **b == b'\n').count() + 1;
            let column = prefix.iter().rev().take_while(|b| **b != b'\n').count() + 1;
            Err(EncodingError::InvalidUtf8 {
                line,
                column,
                byte: at,
            })
        }
    }
}
