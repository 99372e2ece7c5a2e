//! The whole-document pipeline and its offset map.

use super::chrome::{strip_chrome, strip_chrome_again};
use super::inline::normalize_line;
use super::line_endings::{source_line_starts, split_lines};
use super::markdown::strip_markup;
use super::offsets::Line;
use super::page_marks::drop_page_marks;
use super::reflow::reflow;
use super::spaces::collapse_spaces;

/// A document's text made ready for the parser, with a map back to the source.
///
/// `text` is a sequence of logical lines separated by `\n`: no blank lines, each trimmed, with
/// single spaces. Offsets into `text` can be turned into source offsets, lines and columns, so
/// a diagnostic points at the file the user has, not at the normalised text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Normalized {
    /// The clean logical lines, `\n`-separated.
    pub text: String,
    /// The legal library's metadata table (`Số hiệu`, `Loại văn bản`, …), key without colon,
    /// when the source was a scraped library page. For cross-checking only: the parser reads
    /// the document's own header.
    pub library_metadata: Vec<(String, String)>,
    map: Vec<MapPoint>,
    source_len: usize,
}

/// One anchor of the final map, with the source line and column it points at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct MapPoint {
    out: u32,
    src: u32,
    /// 1-based source line.
    line: u32,
    /// 1-based column in characters; the top bit marks an aligned segment.
    col: u32,
}

const ALIGNED: u32 = 1 << 31;

impl MapPoint {
    fn aligned(&self) -> bool {
        self.col & ALIGNED != 0
    }
    fn col(&self) -> u32 {
        self.col & !ALIGNED
    }
}

impl Normalized {
    fn point(&self, offset: usize) -> Option<(MapPoint, usize)> {
        let offset = offset.min(self.text.len());
        let k = self.map.partition_point(|p| p.out as usize <= offset);
        let p = *self.map.get(k.checked_sub(1)?)?;
        Some((p, offset))
    }

    /// The byte offset in the original source of byte `offset` of `text`: exact inside text
    /// copied from the source, otherwise the start of the rewritten piece it belongs to (the
    /// best anchor at or before it).
    pub fn source_offset(&self, offset: usize) -> usize {
        match self.point(offset) {
            None => 0,
            Some((p, off)) if p.aligned() => {
                (p.src as usize + off - p.out as usize).min(self.source_len)
            }
            Some((p, _)) => p.src as usize,
        }
    }

    /// The 1-based line and column (in characters) in the original source of byte `offset`
    /// of `text`.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        match self.point(offset) {
            None => (1, 1),
            Some((p, off)) => {
                let mut col = p.col() as usize;
                if p.aligned() {
                    let mut end = off;
                    while !self.text.is_char_boundary(end) {
                        end -= 1;
                    }
                    col += self.text[p.out as usize..end].chars().count();
                }
                (p.line as usize, col)
            }
        }
    }

    /// The 1-based line in the original source of byte `offset` of `text`.
    pub fn source_line(&self, offset: usize) -> usize {
        self.point(offset).map_or(1, |(p, _)| p.line as usize)
    }
}

/// Counts characters in `b` (which may start or end inside a character).
fn count_chars(b: &[u8]) -> u32 {
    b.iter().filter(|&&c| (c as i8) >= -0x40).count() as u32
}

/// Turns a whole file into clean logical lines for the parser, with an offset map.
///
/// Steps, each in its own module: line endings and BOM (`line_endings`); inline
/// normalisation ([`super::normalize_inline`]); Markdown and conversion artefacts (`markdown`,
/// `pandoc_tables`); library page chrome (`chrome`); page numbers and signature placeholders
/// (`page_marks`); reflow of wrapped lines (`reflow`); spaces (`spaces`). See the module
/// documentation for what each does and why.
pub fn normalize_document(src: &str) -> Normalized {
    // Step 1.
    let raw = split_lines(src);
    // Step 2.
    let lines: Vec<Line> = raw
        .iter()
        .map(|l| {
            // The width is measured after NFC so that decomposed input wraps the same way.
            let mut line = normalize_line(Line::verbatim(l.text, l.start));
            line.flags.src_width = count_chars(line.text.as_bytes());
            line
        })
        .collect();
    // Step 3.
    let stripped = strip_markup(lines);
    let mut lines = stripped.lines;
    // Step 4.
    let library_metadata = strip_chrome(&mut lines);
    // Step 5.
    let lines = drop_page_marks(lines);
    // Step 6.
    let lines = reflow(lines, stripped.pandoc);
    // Step 4 again: the chrome that the shorter text now shows where step 4 looks for it.
    let mut library_metadata = library_metadata;
    let lines = strip_chrome_again(lines, &mut library_metadata);
    // Step 7, and the final map.
    build(src, lines, library_metadata)
}

fn build(src: &str, lines: Vec<Line>, library_metadata: Vec<(String, String)>) -> Normalized {
    let starts = source_line_starts(src);
    let bytes = src.as_bytes();
    let mut text = String::with_capacity(src.len());
    let mut map = Vec::with_capacity(lines.len() * 2);
    // A cursor so that consecutive anchors on one source line are counted incrementally.
    let mut cur_line = usize::MAX;
    let mut cur_pos = 0usize;
    let mut cur_col = 0u32;
    for line in lines {
        let line = collapse_spaces(line);
        if line.text.is_empty() {
            continue;
        }
        if !text.is_empty() {
            text.push('\n');
        }
        let base = text.len() as u32;
        text.push_str(&line.text);
        for a in &line.anchors {
            let s = (a.src as usize).min(bytes.len());
            let li = starts.partition_point(|&st| st as usize <= s) - 1;
            let ls = starts[li] as usize;
            let col = if li == cur_line && s >= cur_pos {
                cur_col + count_chars(&bytes[cur_pos..s])
            } else {
                count_chars(&bytes[ls..s])
            };
            cur_line = li;
            cur_pos = s;
            cur_col = col;
            map.push(MapPoint {
                out: base + a.out,
                src: s as u32,
                line: li as u32 + 1,
                col: (col + 1) | if a.aligned { ALIGNED } else { 0 },
            });
        }
    }
    Normalized {
        text,
        library_metadata,
        map,
        source_len: src.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_lines_and_columns() {
        let src = "\u{FEFF}**Điều 1. Phạm vi điều\r\nchỉnh**\r\n\r\n  2. Nội dung";
        let n = normalize_document(src);
        assert_eq!(n.text, "Điều 1. Phạm vi điều chỉnh\n2. Nội dung");
        assert_eq!(n.line_col(0), (1, 4));
        assert_eq!(n.source_offset(0), 5);
        let k = n.text.find("chỉnh").unwrap();
        assert_eq!(n.line_col(k), (2, 1));
        let k = n.text.find("Phạm").unwrap();
        assert_eq!(n.line_col(k), (1, 12));
        let k = n.text.find("2.").unwrap();
        assert_eq!(n.line_col(k), (4, 3));
        assert_eq!(n.source_line(k), 4);
        assert_eq!(&src[n.source_offset(k)..], "2. Nội dung");
    }

    #[test]
    fn idempotent_on_found_cases() {
        for src in ["kinh tế - \nA \nhoà ", "[Signature] _|Điều 1. "] {
            let once = normalize_document(src).text;
            assert_eq!(normalize_document(&once).text, once, "{src:?}");
            use unicode_normalization::UnicodeNormalization;
            let nfd: String = src.nfd().collect();
            assert_eq!(normalize_document(&nfd).text, once, "{src:?}");
            let o = normalize_document(src);
            let mut off = 0;
            for line in o.text.split('\n') {
                let (l, _) = o.line_col(off);
                assert!(l <= src.split('\n').count(), "{src:?} {line:?} {l}");
                off += line.len() + 1;
            }
        }
    }

    #[test]
    fn empty_input() {
        let n = normalize_document("");
        assert_eq!(n.text, "");
        assert_eq!(n.line_col(0), (1, 1));
        assert_eq!(n.source_offset(5), 0);
    }

    #[test]
    fn seed_like_header() {
        let src = "\n\n**ỦY BAN NHÂN DÂN\nHUYỆN XUÂN LỘC**\n\n**CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc**\n\nSố: 13969 /QĐ-UBND\n\nXuân Lộc, ngày 15 tháng 12 năm 2021\n\nQUYẾT ĐỊNH\nBan hành Chương trình cải cách hành chính\nhuyện Xuân Lộc, giai đoạn 2021 - 2030\n";
        let n = normalize_document(src);
        assert_eq!(
            n.text,
            "ỦY BAN NHÂN DÂN\nHUYỆN XUÂN LỘC\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nSố: 13969 /QĐ-UBND\nXuân Lộc, ngày 15 tháng 12 năm 2021\nQUYẾT ĐỊNH\nBan hành Chương trình cải cách hành chính huyện Xuân Lộc, giai đoạn 2021 - 2030"
        );
    }
}
