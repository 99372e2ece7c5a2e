use serde::{Deserialize, Serialize};

/// How serious a parse diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DiagnosticSeverity {
    /// Something the parser could not make sense of: part of the model may be missing.
    Error,
    /// The text is readable but departs from the required form, or contradicts itself.
    Warning,
    /// Worth a reviewer's look; nothing is wrong with the parse.
    Info,
}

/// A message about the source text, located by 1-based line and column (in characters) of
/// the *original* file, so a reviewer can open the file and find it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    pub severity: DiagnosticSeverity,
    /// A stable machine code, e.g. `annex_number_mismatch`, `outline_gap`.
    pub code: String,
    /// A sentence a person reads.
    pub message: String,
    pub line: usize,
    pub column: usize,
}
