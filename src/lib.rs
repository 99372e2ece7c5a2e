//! # rasoat — review of Vietnamese legal normative documents
//!
//! *Rà soát văn bản quy phạm pháp luật*: rasoat reads the decisions and resolutions of local
//! People's Councils and People's Committees, works out which of their provisions are in force
//! on any date and why, and flags what a Justice Office must review.
//!
//! The data flows in one direction (see `ARCHITECTURE.md`):
//!
//! ```text
//! file ─▶ text (normalise) ─▶ parse (grammar → model::Document + diagnostics)
//!      ─▶ store (SQLite) ─▶ timeline (status on a date, with reasons) ─▶ rules (findings)
//! ```
//!
//! ```
//! let src = "ỦY BAN NHÂN DÂN\nHUYỆN TÂN PHONG\n\nSố: 12/2021/QĐ-UBND\n\
//!            Tân Phong, ngày 05 tháng 3 năm 2021\n\nQUYẾT ĐỊNH\nVề việc thử\n\n\
//!            QUYẾT ĐỊNH:\n\nĐiều 1. Nội dung.\n\nĐiều 2. Quyết định này có hiệu lực kể từ ngày 15 tháng 3 năm 2021.\n";
//! let doc = rasoat::parse::parse_document("12.txt", src);
//! assert_eq!(doc.id, "12/2021/QĐ-UBND");
//! assert_eq!(doc.issued.unwrap().to_string(), "2021-03-05");
//! assert_eq!(doc.effective_from.unwrap().to_string(), "2021-03-15");
//! ```

pub mod api;
pub mod cli;
pub mod corpusgen;
pub mod import;
pub mod index;
pub mod kept;
pub mod model;
pub mod page;
pub mod parse;
pub mod resolve;
pub mod review;
pub mod rules;
pub mod store;
pub mod text;
pub mod timeline;

/// The errors failpoints inject (only with the `failpoints` feature).
#[cfg(feature = "failpoints")]
mod failpoint;
