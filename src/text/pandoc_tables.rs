//! Tables written by pandoc: simple/multiline tables and grid tables.
//!
//! Resolutions converted from PDF put the header block in a two-column table: the issuer on the
//! left, the national motto on the right; the number on the left, place and date on the right.
//! Read line by line, each row mixes both columns ("ỦY BAN THƯỜNG VỤ   CỘNG HÒA XÃ HỘI…"), so
//! the rows are cut at the column boundaries and each cell's lines are emitted together:
//! all of column 1, then all of column 2, row by row.
//!
//! A simple/multiline table is framed by rules of dash groups (`  ------ -------`) whose groups
//! give the columns; rows are separated by blank lines. A grid table is framed by `+---+---+`
//! borders whose `+` signs give the columns.

use unicode_normalization::char::is_combining_mark;

use super::offsets::{Line, LineBuilder};

/// The lines of one table cell, in order, before markup is removed.
pub(crate) type Cell = Vec<Line>;

/// A table read from the lines: its cells in reading order, and the index after it.
pub(crate) struct Table {
    pub next: usize,
    pub cells: Vec<Cell>,
}

/// Column ranges of a dash-group rule (`  ------ --------`): only dashes and spaces, every
/// group at least three dashes long. Positions are in characters (the rule is ASCII).
pub(crate) fn dash_groups(s: &str) -> Option<Vec<(usize, usize)>> {
    let b = s.as_bytes();
    if !b.contains(&b'-') || !b.iter().all(|&c| c == b' ' || c == b'-') {
        return None;
    }
    let mut groups = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'-' {
            let s0 = i;
            while i < b.len() && b[i] == b'-' {
                i += 1;
            }
            if i - s0 < 3 {
                return None;
            }
            groups.push((s0, i));
        } else {
            i += 1;
        }
    }
    Some(groups)
}

/// Positions of the `+` signs of a grid-table border (`+----+:---:+`, `+====+`).
pub(crate) fn grid_border(s: &str) -> Option<Vec<usize>> {
    let t = s.trim_end();
    let lead = t.len() - t.trim_start().len();
    let b = &t.as_bytes()[lead..];
    if b.len() < 3
        || b[0] != b'+'
        || b[b.len() - 1] != b'+'
        || !b.iter().all(|c| matches!(c, b'+' | b'-' | b'=' | b':'))
        || !b.iter().any(|c| matches!(c, b'-' | b'='))
    {
        return None;
    }
    Some(
        b.iter()
            .enumerate()
            .filter(|(_, &c)| c == b'+')
            .map(|(k, _)| k + lead)
            .collect(),
    )
}

/// Byte offset of the first character at display column `col` or beyond (combining marks
/// take no column, as in the terminal pandoc aligned the table for).
fn byte_at_col(s: &str, col: usize) -> usize {
    let mut c = 0;
    for (i, ch) in s.char_indices() {
        if is_combining_mark(ch) {
            continue;
        }
        if c >= col {
            return i;
        }
        c += 1;
    }
    s.len()
}

/// Moves a cut that falls inside a word to the end of that word: text overflowing its column
/// by a character or two belongs to the column where it starts.
fn adjust_cut(s: &str, cut: usize) -> usize {
    let b = s.as_bytes();
    if cut == 0 || cut >= b.len() || b[cut - 1] == b' ' || b[cut] == b' ' {
        return cut;
    }
    let mut r = cut;
    while r < b.len() && b[r] != b' ' {
        r += 1;
    }
    r
}

/// Cuts `line` at the given display columns, returning the byte ranges of the pieces.
fn cut_columns(line: &Line, cols: &[usize]) -> Vec<(usize, usize)> {
    let t = &line.text;
    let mut out = Vec::with_capacity(cols.len() + 1);
    let mut start = 0;
    for &col in cols {
        let cut = adjust_cut(t, byte_at_col(t, col).max(start));
        out.push((start, cut));
        start = cut;
    }
    out.push((start, t.len()));
    out
}

fn piece(line: &Line, r: (usize, usize)) -> Option<Line> {
    let s = &line.text[r.0..r.1];
    let trimmed = s.trim_matches(' ');
    if trimmed.is_empty() {
        return None;
    }
    let off = r.0 + (s.len() - s.trim_start_matches(' ').len());
    let mut b = LineBuilder::with_capacity(trimmed.len());
    b.copy(line, off..off + trimmed.len());
    Some(b.finish(Default::default()))
}

fn emit_columns(
    rows: &[&Line],
    cuts: &dyn Fn(&Line) -> Vec<(usize, usize)>,
    ncols: usize,
    cells: &mut Vec<Cell>,
) {
    let pieces: Vec<Vec<(usize, usize)>> = rows.iter().map(|l| cuts(l)).collect();
    for c in 0..ncols {
        let cell: Cell = rows
            .iter()
            .zip(&pieces)
            .filter_map(|(l, p)| p.get(c).and_then(|&r| piece(l, r)))
            .collect();
        if !cell.is_empty() {
            cells.push(cell);
        }
    }
}

/// Reads a simple or multiline table opened by the dash-group rule at `lines[i]` (two groups
/// or more) and closed by the next dash-group rule. `None` when it is not a table.
pub(crate) fn read_simple_table(lines: &[Line], i: usize) -> Option<Table> {
    const MAX_ROWS: usize = 400;
    let groups = dash_groups(&lines[i].text)?;
    if groups.len() < 2 {
        return None;
    }
    let end =
        (i + 1..lines.len().min(i + MAX_ROWS)).find(|&j| dash_groups(&lines[j].text).is_some())?;
    let bounds: Vec<usize> = groups[1..].iter().map(|g| g.0).collect();
    let cuts = |l: &Line| cut_columns(l, &bounds);
    let mut cells = Vec::new();
    let mut row: Vec<&Line> = Vec::new();
    for line in &lines[i + 1..end] {
        if line.text.trim().is_empty() {
            if !row.is_empty() {
                emit_columns(&row, &cuts, groups.len(), &mut cells);
                row.clear();
            }
        } else {
            row.push(line);
        }
    }
    if !row.is_empty() {
        emit_columns(&row, &cuts, groups.len(), &mut cells);
    }
    Some(Table {
        next: end + 1,
        cells,
    })
}

/// Cuts a grid row at its `|` separators: at the border's `+` positions, or at every `|` when
/// the row has exactly as many (pandoc aligns by display width, which may differ).
fn cut_grid_row(line: &Line, plus: &[usize]) -> Vec<(usize, usize)> {
    let t = &line.text;
    let bars: Vec<usize> = t.match_indices('|').map(|(k, _)| k).collect();
    let seps: Vec<usize> = if bars.len() == plus.len() {
        bars
    } else {
        plus.iter().map(|&p| byte_at_col(t, p)).collect()
    };
    // A cell starts after its separator, which at a border's column may be any character
    // (a row narrower or wider than its border), not only a one-byte `|`.
    let after = |k: usize| {
        t.get(k..)
            .and_then(|rest| rest.chars().next())
            .map_or(t.len(), |c| k + c.len_utf8())
    };
    seps.windows(2)
        .map(|w| {
            let start = after(w[0]);
            (start, w[1].min(t.len()).max(start))
        })
        .collect()
}

/// Reads a grid table whose first border is `lines[i]`. `None` when no row follows.
pub(crate) fn read_grid_table(lines: &[Line], i: usize) -> Option<Table> {
    let mut plus = grid_border(&lines[i].text)?;
    let mut cells = Vec::new();
    let mut row: Vec<&Line> = Vec::new();
    let mut j = i + 1;
    let mut rows_seen = false;
    while j < lines.len() {
        let t = &lines[j].text;
        if let Some(p) = grid_border(t) {
            let ncols = plus.len().saturating_sub(1);
            let cuts = |l: &Line| cut_grid_row(l, &plus);
            emit_columns(&row, &cuts, ncols, &mut cells);
            row.clear();
            plus = p;
        } else if t.trim_start().starts_with('|') {
            row.push(&lines[j]);
            rows_seen = true;
        } else {
            break;
        }
        j += 1;
    }
    if !rows_seen {
        return None;
    }
    if !row.is_empty() {
        let ncols = plus.len().saturating_sub(1);
        let cuts = |l: &Line| cut_grid_row(l, &plus);
        emit_columns(&row, &cuts, ncols, &mut cells);
    }
    Some(Table { next: j, cells })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(s: &str) -> Vec<Line> {
        let mut off = 0;
        s.split('\n')
            .map(|l| {
                let line = Line::verbatim(l, off);
                off += l.len() + 1;
                line
            })
            .collect()
    }

    fn texts(t: &Table) -> Vec<Vec<String>> {
        t.cells
            .iter()
            .map(|c| c.iter().map(|l| l.text.clone()).collect())
            .collect()
    }

    #[test]
    fn a_grid_row_cut_at_a_border_column_inside_a_letter_keeps_whole_letters() {
        // The border's `+` columns fall on letters of a row with fewer `|` than the border
        // has `+`: a cell starts after the whole letter, not one byte into it.
        let row = Line::verbatim("|||ợp. ab", 0);
        for plus in [vec![0, 3, 5], vec![1, 3, 4, 7], vec![3, 4], vec![0, 9, 20]] {
            for (a, b) in cut_grid_row(&row, &plus) {
                assert!(row.text.is_char_boundary(a) && row.text.is_char_boundary(b));
                assert!(a <= b && b <= row.text.len());
            }
        }
        let lines = lines("+---+--+\n|||ợp.\n+---+--+");
        assert!(read_grid_table(&lines, 0).is_some());
    }

    #[test]
    fn dash_groups_and_borders() {
        assert_eq!(dash_groups("  ----- ---"), Some(vec![(2, 7), (8, 11)]));
        assert_eq!(dash_groups("--"), None);
        assert_eq!(dash_groups("- a"), None);
        assert_eq!(grid_border("+---+:--:+"), Some(vec![0, 4, 9]));
        assert_eq!(grid_border("+"), None);
        assert_eq!(grid_border("| a |"), None);
    }

    #[test]
    fn simple_table_columns_come_out_one_after_the_other() {
        let src = "  ---------- ----------\n  ỦY BAN     CỘNG HÒA\n  QUỐC HỘI   Độc lập\n\n  Số: 1      Hà Nội, ngày\n  ---------- ----------\nafter";
        let ls = lines(src);
        let t = read_simple_table(&ls, 0).unwrap();
        assert_eq!(t.next, 6);
        assert_eq!(
            texts(&t),
            vec![
                vec!["ỦY BAN", "QUỐC HỘI"],
                vec!["CỘNG HÒA", "Độc lập"],
                vec!["Số: 1"],
                vec!["Hà Nội, ngày"],
            ]
        );
        // Offsets still point into the source.
        let cong = &t.cells[1][0];
        assert!(src[cong.locate(0).0 as usize..].starts_with("CỘNG"));
    }

    #[test]
    fn overflowing_words_are_not_cut() {
        let ls = lines("  ----- -----\n  abcdefgh ij\n  ----- -----");
        let t = read_simple_table(&ls, 0).unwrap();
        assert_eq!(texts(&t), vec![vec!["abcdefgh"], vec!["ij"]]);
    }

    #[test]
    fn grid_table_cells() {
        let src = "+------+------+\n| a    | b    |\n| c    |      |\n+------+------+\n| d    | e    |\n+------+------+\ntail";
        let ls = lines(src);
        let t = read_grid_table(&ls, 0).unwrap();
        assert_eq!(t.next, 6);
        assert_eq!(
            texts(&t),
            vec![vec!["a", "c"], vec!["b"], vec!["d"], vec!["e"]]
        );
    }

    #[test]
    fn unclosed_simple_table_is_not_a_table() {
        let ls = lines("  ----- -----\n  a     b");
        assert!(read_simple_table(&ls, 0).is_none());
    }
}
