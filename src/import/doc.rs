//! Word 97–2003 `.doc` files, converted to `.docx` by LibreOffice and read by
//! [`super::docx::import`].
//!
//! The binary Word format is an OLE compound file (magic `D0 CF 11 E0 A1 B1 1A E1`); rather
//! than a reader of our own, rasoat runs `soffice --headless --convert-to docx` in a private
//! temporary folder, with a private LibreOffice profile (`-env:UserInstallation=…`) so that
//! parallel imports, and a LibreOffice the user has open, do not clash, and with a timeout.
//! `RASOAT_SOFFICE` names the program to run instead of `soffice` on `PATH` (`none`: act as
//! if LibreOffice were not installed).

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use super::pdf::{program, run, PdfError, TempDir};
use super::{docx, ImportOptions, Imported, SourceFormat};

/// The OLE compound file signature every `.doc` starts with.
pub const OLE_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// How long one conversion may take (LibreOffice's first start in a fresh profile is slow).
const CONVERT_TIMEOUT: Duration = Duration::from_secs(180);

#[derive(Debug, thiserror::Error)]
pub enum DocError {
    #[error("not a Word 97-2003 file (no OLE signature D0 CF 11 E0){hint}")]
    NotADoc { hint: &'static str },
    #[error("install LibreOffice (soffice) to import .doc, or save the file as .docx")]
    NoSoffice,
    #[error("LibreOffice could not convert the file: {0}")]
    Convert(String),
    #[error("after conversion by LibreOffice: {0}")]
    Docx(#[from] docx::DocxError),
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// Imports a `.doc`; `path` gives the converted file its name.
pub fn import(path: &Path, bytes: &[u8], opts: &ImportOptions) -> Result<Imported, DocError> {
    if !bytes.starts_with(&OLE_MAGIC) {
        let hint = if bytes.starts_with(b"PK\x03\x04") {
            " — it is a zip: a .docx named .doc? rename it"
        } else if bytes.starts_with(b"{\\rtf") {
            " — it is RTF: open it in Word or LibreOffice and save it as .docx"
        } else if bytes.starts_with(b"%PDF") {
            " — it is a PDF: rename it .pdf"
        } else {
            ""
        };
        return Err(DocError::NotADoc { hint });
    }
    let soffice = program("RASOAT_SOFFICE", "soffice").ok_or(DocError::NoSoffice)?;
    let dir = TempDir::new("doc")?;
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .filter(|s| !s.is_empty() && !s.starts_with('-'))
        .unwrap_or_else(|| "document".to_string());
    let input = dir.path().join(format!("{stem}.doc"));
    std::fs::write(&input, bytes)?;
    let out_dir = dir.path().join("out");
    std::fs::create_dir(&out_dir)?;
    let profile = dir.path().join("profile");
    let mut cmd = Command::new(&soffice);
    cmd.arg(format!(
        "-env:UserInstallation=file://{}",
        profile.display()
    ))
    .args([
        "--headless",
        "--norestore",
        "--convert-to",
        "docx",
        "--outdir",
    ])
    .arg(&out_dir)
    .arg(&input)
    .env("HOME", dir.path());
    run(cmd, CONVERT_TIMEOUT).map_err(|e| match e {
        PdfError::Io(e) => DocError::Io(e),
        other => DocError::Convert(other.to_string()),
    })?;
    let converted = out_dir.join(format!("{stem}.docx"));
    let docx_bytes = std::fs::read(&converted).map_err(|_| {
        DocError::Convert("LibreOffice wrote no .docx (a damaged or protected file?)".to_string())
    })?;
    let mut imported = docx::import(&docx_bytes, opts)?;
    imported.format = SourceFormat::Doc;
    imported
        .warnings
        .push("Word 97-2003 file converted to .docx by LibreOffice".to_string());
    Ok(imported)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrong_magic_says_what_the_file_is() {
        let o = ImportOptions::default();
        let e = import(Path::new("a.doc"), b"PK\x03\x04rest", &o).unwrap_err();
        assert!(e.to_string().contains("a .docx named .doc"), "{e}");
        let e = import(Path::new("a.doc"), b"{\\rtf1 x}", &o).unwrap_err();
        assert!(e.to_string().contains("RTF"), "{e}");
        let e = import(Path::new("a.doc"), b"plain", &o).unwrap_err();
        assert!(matches!(e, DocError::NotADoc { hint: "" }), "{e}");
    }
}
