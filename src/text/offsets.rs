//! Offset maps from normalised text back to the original source.
//!
//! Every step of the pipeline rewrites lines, and every diagnostic must still point at the
//! right line and column of the file the user has. Each line therefore carries *anchors*: an
//! anchor says "output byte `out` comes from source byte `src`". When an anchor is *aligned*,
//! the output bytes up to the next anchor are a byte-for-byte copy of the source (or a
//! same-shape substitution such as `Ð`→`Đ`), so offsets inside the segment are exact too;
//! otherwise (a recomposed or re-toned syllable) every offset in the segment maps to its start.
//!
//! Steps never compute offsets by hand: they build lines with [`LineBuilder`], copying ranges
//! of an older line (whose anchors come along) and inserting replacements, so the map is right
//! by construction.

use std::ops::Range;

/// One point of the map: output byte `out` comes from source byte `src`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Anchor {
    pub out: u32,
    pub src: u32,
    /// The segment starting here is a same-shape copy of the source.
    pub aligned: bool,
}

/// Facts about a line that later steps need but that its text no longer shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct LineFlags {
    /// One or more blank lines came before this one (a paragraph or page break).
    pub blank_before: bool,
    /// A hard separator came before: a table cell border, a `|` line, a rule, a heading.
    pub barrier_before: bool,
    /// The line ended with a pandoc hard break (`\`).
    pub hard_break: bool,
    /// In a pandoc Markdown paragraph or cell, the next line continues this one (soft break).
    pub soft_wrap: bool,
    /// The line was a Markdown heading.
    pub heading: bool,
    /// The line is the content of a table cell.
    pub in_table: bool,
    /// Parity of emphasis toggles on this line: bit 0 bold (`**`), bit 1 italic (`*`, `_`).
    pub em_parity: u8,
    /// Width in characters of the source line (0 when not meaningful, as in table cells).
    pub src_width: u32,
}

/// A line of text with its offset map and flags.
#[derive(Clone, Debug, Default)]
pub(crate) struct Line {
    pub text: String,
    /// Sorted by `out`; the first anchor is at `out == 0` whenever the text is not empty.
    pub anchors: Vec<Anchor>,
    pub flags: LineFlags,
}

impl Line {
    /// A line that is an exact copy of `text`, found at byte `src` of the source.
    pub fn verbatim(text: &str, src: usize) -> Line {
        Line {
            text: text.to_owned(),
            anchors: vec![Anchor {
                out: 0,
                src: src as u32,
                aligned: true,
            }],
            flags: LineFlags::default(),
        }
    }

    /// The source offset of output byte `off`, and whether it is exact (aligned).
    #[inline]
    pub fn locate(&self, off: usize) -> (u32, bool) {
        let i = self.anchors.partition_point(|a| a.out as usize <= off);
        if i == 0 {
            return self.anchors.first().map_or((0, false), |a| (a.src, false));
        }
        let a = self.anchors[i - 1];
        if a.aligned {
            (a.src + (off as u32 - a.out), true)
        } else {
            (a.src, false)
        }
    }
}

/// Builds a new line from pieces of older ones, carrying their anchors along.
#[derive(Debug, Default)]
pub(crate) struct LineBuilder {
    text: String,
    anchors: Vec<Anchor>,
}

impl LineBuilder {
    pub fn with_capacity(n: usize) -> Self {
        LineBuilder {
            text: String::with_capacity(n),
            anchors: Vec::with_capacity(2),
        }
    }

    fn push_anchor(&mut self, a: Anchor) {
        if let Some(last) = self.anchors.last_mut() {
            if last.out == a.out {
                *last = a;
                return;
            }
            // A continuation of an aligned segment needs no new anchor.
            if last.aligned
                && a.aligned
                && a.src >= last.src
                && a.src - last.src == a.out - last.out
            {
                return;
            }
        }
        self.anchors.push(a);
    }

    /// Appends `from.text[r]` with its anchors.
    pub fn copy(&mut self, from: &Line, r: Range<usize>) {
        if r.is_empty() {
            return;
        }
        let base = self.text.len() as u32;
        let (src, aligned) = from.locate(r.start);
        self.push_anchor(Anchor {
            out: base,
            src,
            aligned,
        });
        let i0 = from.anchors.partition_point(|a| a.out as usize <= r.start);
        for a in &from.anchors[i0..] {
            if a.out as usize >= r.end {
                break;
            }
            self.push_anchor(Anchor {
                out: base + a.out - r.start as u32,
                src: a.src,
                aligned: a.aligned,
            });
        }
        self.text.push_str(&from.text[r]);
    }

    /// Appends `with` in place of `from.text[r]`; offsets inside map to the start of `r`.
    pub fn replace(&mut self, from: &Line, r: Range<usize>, with: &str) {
        if with.is_empty() {
            return;
        }
        let (src, _) = from.locate(r.start);
        let out = self.text.len() as u32;
        self.push_anchor(Anchor {
            out,
            src,
            aligned: false,
        });
        self.text.push_str(with);
    }

    /// Appends `with` in place of `from.text[r]` when both have the same character boundaries
    /// (same UTF-8 length per character), so offsets inside stay exact.
    pub fn replace_same_shape(&mut self, from: &Line, r: Range<usize>, with: &str) {
        debug_assert_eq!(r.len(), with.len());
        if with.is_empty() {
            return;
        }
        let (src, aligned) = from.locate(r.start);
        let out = self.text.len() as u32;
        self.push_anchor(Anchor { out, src, aligned });
        self.text.push_str(with);
    }

    /// Appends text that has no source of its own (a joining space), mapped to `src`.
    pub fn insert(&mut self, s: &str, src: u32) {
        if s.is_empty() {
            return;
        }
        let out = self.text.len() as u32;
        self.push_anchor(Anchor {
            out,
            src,
            aligned: false,
        });
        self.text.push_str(s);
    }

    pub fn finish(self, flags: LineFlags) -> Line {
        Line {
            text: self.text,
            anchors: self.anchors,
            flags,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_keep_exact_offsets() {
        let l = Line::verbatim("abc def", 100);
        let mut b = LineBuilder::default();
        b.copy(&l, 4..7);
        b.insert(" ", 103);
        b.copy(&l, 0..3);
        let n = b.finish(LineFlags::default());
        assert_eq!(n.text, "def abc");
        assert_eq!(n.locate(0), (104, true));
        assert_eq!(n.locate(2), (106, true));
        assert_eq!(n.locate(3), (103, false));
        assert_eq!(n.locate(5), (101, true));
    }

    #[test]
    fn contiguous_copies_share_one_anchor() {
        let l = Line::verbatim("abcdef", 10);
        let mut b = LineBuilder::default();
        b.copy(&l, 0..2);
        b.copy(&l, 2..6);
        let n = b.finish(LineFlags::default());
        assert_eq!(n.anchors.len(), 1);
    }

    #[test]
    fn replacements_map_to_their_start() {
        let l = Line::verbatim("xhoày", 0);
        let mut b = LineBuilder::default();
        b.copy(&l, 0..1);
        b.replace(&l, 1..5, "hòa");
        b.copy(&l, 5..6);
        let n = b.finish(LineFlags::default());
        assert_eq!(n.text, "xhòay");
        assert_eq!(n.locate(2), (1, false));
        assert_eq!(n.locate(5), (5, true));
    }
}
