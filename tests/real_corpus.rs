//! The parser over real documents: the legal library's pages (checked against their
//! manifest), the National Assembly Standing Committee's resolutions, and the four codes
//! (checked against their structure trees). These read `../shared/corpus-real/`; when it is
//! absent the tests say so and pass.

use std::io::Read;
use std::path::{Path, PathBuf};

use rasoat::model::{Document, Provision, ProvisionKind};
use rasoat::parse::parse_document;
use rasoat::text::fold;

fn real(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpus-real")
        .join(rel)
}

/// Splits one CSV line with quoted fields.
fn csv_fields(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            ',' if !quoted => out.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    out.push(cur);
    out
}

fn issuer_matches(doc: &Document, want: &str) -> bool {
    let want = fold(want);
    let Some(issuer) = &doc.issuer else {
        return false;
    };
    let got = fold(issuer);
    let parent = doc
        .issuer_detail
        .as_ref()
        .and_then(|i| i.parent.as_deref())
        .map(fold)
        .unwrap_or_default();
    got.contains(&want)
        || want.contains(&got)
        || format!("{got} {parent}").contains(&want)
        || format!("{parent} {got}").contains(&want)
}

#[test]
fn library_pages_match_their_manifest() {
    let dir = real("tvpl-2025");
    let manifest = dir.join("manifest.csv");
    let Ok(text) = std::fs::read_to_string(&manifest) else {
        eprintln!("skipped: {} not found", manifest.display());
        return;
    };
    let mut lines = text.lines();
    let head = csv_fields(lines.next().unwrap());
    let col = |name: &str| head.iter().position(|h| h == name).unwrap();
    let (c_file, c_num, c_type, c_issuer, c_date) = (
        col("file"),
        col("Số hiệu"),
        col("Loại văn bản"),
        col("Nơi ban hành"),
        col("Ngày ban hành"),
    );
    let (mut total, mut ok) = (0, 0);
    let mut misses = Vec::new();
    for line in lines {
        let f = csv_fields(line);
        let body = std::fs::read_to_string(dir.join(&f[c_file])).unwrap();
        let doc = parse_document(&f[c_file], &body);
        total += 1;
        let d: Vec<&str> = f[c_date].split('/').collect();
        let want_date = format!("{}-{}-{}", d[2], d[1], d[0]);
        let checks = [
            ("number", doc.id == f[c_num].replace(' ', "")),
            ("type", doc.doc_type.as_deref() == Some(f[c_type].as_str())),
            ("issuer", issuer_matches(&doc, &f[c_issuer])),
            ("date", doc.issued.map(|d| d.to_string()) == Some(want_date)),
        ];
        if checks.iter().all(|c| c.1) {
            ok += 1;
        } else {
            let failed: Vec<&str> = checks.iter().filter(|c| !c.1).map(|c| c.0).collect();
            misses.push(format!(
                "{} {:?}: got {} / {:?} / {:?} / {:?}; manifest {} / {} / {} / {}",
                f[c_file],
                failed,
                doc.id,
                doc.doc_type,
                doc.issuer,
                doc.issued,
                f[c_num],
                f[c_type],
                f[c_issuer],
                f[c_date]
            ));
        }
    }
    let pct = 100.0 * ok as f64 / total as f64;
    println!(
        "tvpl-2025: number, type, issuer and date all match for {ok}/{total} files ({pct:.1}%)"
    );
    for m in &misses {
        println!("  miss: {m}");
    }
    assert!(pct >= 95.0, "only {pct:.1}% match");
}

#[test]
fn standing_committee_resolutions_parse() {
    let dir = real("nq-ubtvqh15");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!("skipped: {} not found", dir.display());
        return;
    };
    let mut n = 0;
    for e in entries.flatten() {
        let p = e.path();
        if p.extension().is_none_or(|x| x != "md") {
            continue;
        }
        let body = std::fs::read_to_string(&p).unwrap();
        let doc = parse_document(&p.display().to_string(), &body);
        let stem = p.file_stem().unwrap().to_string_lossy().replace('_', "/");
        assert_eq!(doc.id, stem, "{}", p.display());
        assert_eq!(
            doc.doc_type.as_deref(),
            Some("Nghị quyết"),
            "{}",
            p.display()
        );
        assert!(doc.issued.is_some(), "{}", p.display());
        assert!(
            doc.all_provisions()
                .iter()
                .any(|p| p.kind == ProvisionKind::Article),
            "{}",
            p.display()
        );
        n += 1;
    }
    println!("nq-ubtvqh15: {n} resolutions parsed");
}

/// (clauses, points per clause) of an article in our tree.
fn shape_ours(p: &Provision) -> Vec<usize> {
    let mut v = Vec::new();
    let direct_points = p
        .children
        .iter()
        .filter(|c| c.kind == ProvisionKind::Point)
        .count();
    if direct_points > 0 {
        v.push(direct_points);
    }
    for c in p
        .children
        .iter()
        .filter(|c| c.kind == ProvisionKind::Clause)
    {
        v.push(
            c.children
                .iter()
                .filter(|x| x.kind == ProvisionKind::Point)
                .count(),
        );
    }
    v
}

fn shape_tree(node: &serde_json::Value) -> Vec<usize> {
    let kids = node["children"].as_array().cloned().unwrap_or_default();
    let mut v = Vec::new();
    let direct_points = kids.iter().filter(|c| c["node_type"] == "điểm").count();
    if direct_points > 0 {
        v.push(direct_points);
    }
    for c in kids.iter().filter(|c| c["node_type"] == "khoản") {
        let pts = c["children"]
            .as_array()
            .map(|a| a.iter().filter(|x| x["node_type"] == "điểm").count())
            .unwrap_or(0);
        v.push(pts);
    }
    v
}

fn tree_articles(node: &serde_json::Value, out: &mut Vec<(String, Vec<usize>)>) {
    if node["node_type"] == "điều" {
        out.push((
            node["node_id"].as_str().unwrap_or("").to_string(),
            shape_tree(node),
        ));
        return;
    }
    for c in node["children"].as_array().into_iter().flatten() {
        tree_articles(c, out);
    }
}

#[test]
fn codes_have_every_article_and_their_clauses() {
    let expected = [
        ("bo-luat-dan-su-2015.json.gz", 689),
        ("bo-luat-hang-hai-viet-nam-2015.json.gz", 341),
        ("bo-luat-lao-dong-2019.json.gz", 220),
        ("bo-luat-to-tung-dan-su-2015.json.gz", 517),
    ];
    for (file, count) in expected {
        let path = real("codes").join(file);
        let Ok(f) = std::fs::File::open(&path) else {
            eprintln!("skipped: {} not found", path.display());
            return;
        };
        let mut s = String::new();
        flate2::read::GzDecoder::new(f)
            .read_to_string(&mut s)
            .unwrap();
        let v: serde_json::Value = serde_json::from_str(&s).unwrap();
        let raw = v["raw_text"].as_str().unwrap();
        let doc = parse_document(file, raw);
        let ours: Vec<&Provision> = doc
            .all_provisions()
            .into_iter()
            .filter(|p| p.kind == ProvisionKind::Article)
            .collect();
        assert_eq!(ours.len(), count, "{file}: article count");
        let mut theirs = Vec::new();
        tree_articles(&v["tree"], &mut theirs);
        let mut agree = 0;
        let mut differ = Vec::new();
        for (id, shape) in &theirs {
            match ours.iter().find(|p| &p.label == id) {
                Some(p) if shape_ours(p) == *shape => agree += 1,
                Some(p) => differ.push(format!(
                    "Điều {id}: ours {:?} tree {:?}",
                    shape_ours(p),
                    shape
                )),
                None => differ.push(format!("Điều {id}: missing")),
            }
        }
        let pct = 100.0 * agree as f64 / theirs.len().max(1) as f64;
        println!("{file}: {} articles; clauses and points agree with the tree for {agree}/{} ({pct:.1}%)", ours.len(), theirs.len());
        for d in differ.iter().take(10) {
            println!("  {d}");
        }
        assert!(pct >= 98.0, "{file}: only {pct:.1}% agree");
    }
}

#[test]
fn other_real_documents_never_panic() {
    for sub in ["phapdien", "vbpl-html"] {
        let dir = real(sub);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            if let Ok(body) = std::fs::read_to_string(e.path()) {
                let _ = parse_document(&e.path().display().to_string(), &body);
            }
        }
    }
}
