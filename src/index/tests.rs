use super::*;
use crate::model::Document;

fn doc(number: &str, date: (u32, u32, u32), articles: &[&str]) -> Document {
    let (d, m, y) = date;
    let mut src = format!(
        "ỦY BAN NHÂN DÂN\nHUYỆN TÂN PHONG\n\nSố: {number}\nTân Phong, ngày {d:02} tháng {m:02} năm {y}\n\n\
         QUYẾT ĐỊNH\nVề việc thử\n\nCăn cứ Nghị định số 61/2018/NĐ-CP ngày 23 tháng 4 năm 2018 của Chính phủ;\n\nQUYẾT ĐỊNH:\n\n"
    );
    for (i, a) in articles.iter().enumerate() {
        src.push_str(&format!("Điều {}. {a}\n\n", i + 1));
    }
    src.push_str(&format!(
        "Điều {}. Quyết định này có hiệu lực kể từ ngày ký.\n",
        articles.len() + 1
    ));
    crate::parse::parse_document(&format!("{}.txt", number.replace('/', "-")), &src)
}

/// Every entry the index holds, as its stored fields (id, path, kind, segments, snippet
/// text), sorted: two indexes that hold the same entries give the same list.
fn stored_entries(idx: &SearchIndex) -> Vec<String> {
    let searcher = idx.reader.searcher();
    let mut out = Vec::new();
    for (ord, seg) in searcher.segment_readers().iter().enumerate() {
        for doc in seg.doc_ids_alive() {
            let d: TantivyDocument = searcher
                .doc(tantivy::DocAddress::new(ord as u32, doc))
                .unwrap();
            let f = &idx.fields;
            let get = |field| {
                d.get_first(field)
                    .and_then(|v| v.as_str().map(String::from))
                    .unwrap_or_default()
            };
            out.push(
                [f.doc_id, f.path, f.kind, f.segments, f.snippet_text]
                    .map(get)
                    .join(" | "),
            );
        }
    }
    out.sort();
    out
}

/// A store in a temporary folder holding `docs` (from files `0.txt`, `1.txt`, …), and its
/// data directory.
fn store_of(docs: &[Document]) -> (tempfile::TempDir, std::path::PathBuf, Store) {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let mut store = Store::open(&data).unwrap();
    for (i, d) in docs.iter().enumerate() {
        store
            .put_document(&format!("{i}.txt"), &format!("h{i}"), d)
            .unwrap();
    }
    (dir, data, store)
}

/// The index's rule data for a test: the given registry and periods, a fixed digest.
fn rules_of<'a>(registry: &'a Registry, periods: &'a LawPeriods) -> IndexRules<'a> {
    IndexRules {
        registry,
        registry_text: "",
        periods,
        digest: "test".into(),
    }
}

fn stamp(rev: i64) -> Stamp {
    Stamp {
        schema: schema::SCHEMA_VERSION,
        store_revision: rev,
        rules: "test".into(),
    }
}

fn build(docs: &[Document]) -> (tempfile::TempDir, SearchIndex) {
    let dir = tempfile::tempdir().unwrap();
    let mut idx = SearchIndex::create(&dir.path().join("index")).unwrap();
    let t = Timeline::build(docs, &Registry::builtin(), &LawPeriods::builtin());
    idx.apply(docs, &t, &stamp(1)).unwrap();
    (dir, idx)
}

fn opts() -> SearchOptions {
    SearchOptions {
        as_of: "2026-01-01".parse().unwrap(),
        in_force: false,
        limit: 10,
        snippets: true,
        count: TotalCount::Exact,
    }
}

fn hits(idx: &SearchIndex, q: &str) -> Vec<(String, Option<String>)> {
    idx.search(q, &opts())
        .unwrap()
        .hits
        .into_iter()
        .map(|h| (h.document, h.provision))
        .collect()
}

fn sample() -> Vec<Document> {
    vec![
        doc(
            "12/2021/QĐ-UBND",
            (5, 3, 2021),
            &[
                "Thực hiện cơ chế một cửa liên thông trong giải quyết thủ tục hành chính.",
                "Triển khai Quyết định số 468/QĐ-TTg ngày 27 tháng 3 năm 2021 của Thủ tướng Chính phủ.",
                "Xây dựng tỉnh Khánh Hoà phát triển.",
                "Cấp bản sao từ sổ gốc.",
                "Thu phí chợ theo quy định; hành chính công và thủ tục khác.",
            ],
        ),
        doc(
            "13/2022/QĐ-UBND",
            (1, 6, 2022),
            &["Quy định giá bán nước sạch.", "Bãi bỏ Điều 4 Quyết định số 12/2021/QĐ-UBND."],
        ),
    ]
}

#[test]
fn accent_insensitive_and_case_insensitive() {
    let (_d, idx) = build(&sample());
    for q in [
        "mot cua lien thong",
        "một cửa liên thông",
        "MỘT CỬA LIÊN THÔNG",
    ] {
        let h = hits(&idx, q);
        assert_eq!(
            h[0],
            ("12/2021/QĐ-UBND".to_string(), Some("Điều 1".to_string())),
            "{q}: {h:?}"
        );
    }
}

#[test]
fn d_bar_folds_and_numbers_match() {
    let (_d, idx) = build(&sample());
    let h = hits(&idx, "quyet dinh 468");
    assert_eq!(h[0].1.as_deref(), Some("Điều 2"), "{h:?}");
    let h = hits(&idx, "468/QĐ-TTg");
    assert_eq!(h[0].1.as_deref(), Some("Điều 2"), "{h:?}");
}

#[test]
fn tone_placements_find_each_other() {
    let (_d, idx) = build(&sample());
    for q in ["Khánh Hòa", "Khánh Hoà", "khanh hoa"] {
        assert_eq!(hits(&idx, q)[0].1.as_deref(), Some("Điều 3"), "{q}");
    }
}

#[test]
fn diacritics_rank_exact_matches_first() {
    let (_d, idx) = build(&sample());
    // `bản` (Điều 4 of the first) and `bán` (Điều 1 of the second) fold alike.
    let h = hits(&idx, "bản");
    assert_eq!(h[0].1.as_deref(), Some("Điều 4"), "{h:?}");
    let h = hits(&idx, "bán");
    assert_eq!(
        h[0],
        ("13/2022/QĐ-UBND".into(), Some("Điều 1".into())),
        "{h:?}"
    );
}

#[test]
fn a_phrase_typed_with_diacritics_ranks_exact_matches_first() {
    // `bản chính` and `bàn chính` (a misprint) fold alike; the misprinted provision is the
    // shorter, which alone would rank it first.
    let docs = vec![
        doc("20/2023/QĐ-UBND", (1, 2, 2023), &["Nộp bàn chính."]),
        doc(
            "21/2023/QĐ-UBND",
            (1, 2, 2023),
            &["Nộp bản chính giấy khai sinh và sổ hộ khẩu."],
        ),
    ];
    let (_d, idx) = build(&docs);
    let first = |q: &str| hits(&idx, q).into_iter().find(|h| h.1.is_some()).unwrap();
    assert_eq!(first("\"bản chính\"").0, "21/2023/QĐ-UBND");
    assert_eq!(first("\"bàn chính\"").0, "20/2023/QĐ-UBND");
    // Unaccented, both match; the shorter comes first.
    assert_eq!(first("\"ban chinh\"").0, "20/2023/QĐ-UBND");
}

#[test]
fn phrases_match_as_phrases() {
    let (_d, idx) = build(&sample());
    let h = hits(&idx, "\"thủ tục hành chính\"");
    assert!(h.contains(&("12/2021/QĐ-UBND".into(), Some("Điều 1".into()))));
    // Điều 5 has all four syllables, not together.
    assert!(
        !h.contains(&("12/2021/QĐ-UBND".into(), Some("Điều 5".into()))),
        "{h:?}"
    );
    let h = hits(&idx, "thủ tục hành chính");
    assert!(h.contains(&("12/2021/QĐ-UBND".into(), Some("Điều 5".into()))));
    assert_eq!(
        h[0].1.as_deref(),
        Some("Điều 1"),
        "adjacent words rank first: {h:?}"
    );
}

#[test]
fn snippets_mark_the_words() {
    let (_d, idx) = build(&sample());
    let r = idx.search("mot cua", &opts()).unwrap();
    assert!(
        r.hits[0]
            .snippet
            .contains("<mark>một</mark> <mark>cửa</mark>"),
        "{:?}",
        r.hits[0]
    );
}

#[test]
fn filters() {
    let (_d, idx) = build(&sample());
    let h = hits(&idx, "cites:61/2018/nd-cp");
    assert!(h.contains(&("12/2021/QĐ-UBND".into(), None)), "{h:?}");
    let h = hits(&idx, "cites:12/2021/QĐ-UBND");
    assert!(
        h.contains(&("13/2022/QĐ-UBND".into(), Some("Điều 2".into()))),
        "{h:?}"
    );
    assert!(hits(&idx, "quy định year:2021")
        .iter()
        .all(|(d, _)| d == "12/2021/QĐ-UBND"));
    assert!(hits(&idx, "quy định year:2022..2023")
        .iter()
        .all(|(d, _)| d == "13/2022/QĐ-UBND"));
    assert!(!hits(&idx, "quy định type:QĐ").is_empty());
    assert!(hits(&idx, "quy định type:NQ").is_empty());
    assert!(!hits(&idx, "quy định issuer:\"tan phong\"").is_empty());
    assert!(hits(&idx, "quy định issuer:\"xuan loc\"").is_empty());
    let e = idx.search("phi cho lang:vi", &opts()).unwrap_err();
    assert!(e.to_string().contains("column 9"), "{e}");
}

#[test]
fn in_force_uses_the_status_on_the_date() {
    let (_d, idx) = build(&sample());
    let at = |d: &str, in_force: bool| {
        let o = SearchOptions {
            as_of: d.parse().unwrap(),
            in_force,
            ..opts()
        };
        idx.search("cap ban sao", &o)
            .unwrap()
            .hits
            .into_iter()
            .filter(|h| h.provision.as_deref() == Some("Điều 4"))
            .map(|h| h.status)
            .collect::<Vec<_>>()
    };
    assert_eq!(at("2022-05-31", true), [Some(Status::InForce)]);
    assert_eq!(at("2022-06-01", true), []);
    assert_eq!(at("2022-06-01", false), [Some(Status::Expired)]);
    assert_eq!(at("2021-01-01", true), []);
}

#[test]
fn updates_and_removals_replace_entries() {
    let mut docs = sample();
    let (_d, mut idx) = build(&docs);
    docs[0] = doc("12/2021/QĐ-UBND", (5, 3, 2021), &["Chợ đêm."]);
    docs.pop();
    let t = Timeline::build(&docs, &Registry::builtin(), &LawPeriods::builtin());
    let r = idx.apply(&docs, &t, &stamp(2)).unwrap();
    assert_eq!((r.updated, r.removed), (1, 1));
    assert!(hits(&idx, "mot cua").is_empty());
    assert!(hits(&idx, "nuoc sach").is_empty());
    assert_eq!(hits(&idx, "cho dem")[0].1.as_deref(), Some("Điều 1"));
    assert_eq!(idx.stamp(), Some(stamp(2)));
    // Nothing changed: nothing re-indexed.
    let r = idx.apply(&docs, &t, &stamp(3)).unwrap();
    assert_eq!((r.updated, r.removed), (0, 0));
}

#[test]
fn a_damaged_index_is_replaced() {
    let (d, idx) = build(&sample());
    drop(idx);
    let dir = d.path().join("index");
    std::fs::write(dir.join("meta.json"), "{ not json").unwrap();
    let (idx, rebuilt) = SearchIndex::open(&dir).unwrap();
    assert!(rebuilt);
    assert!(idx.stamp().is_none());
    // A segment file gone.
    let (d, idx) = build(&sample());
    drop(idx);
    let dir = d.path().join("index");
    for f in std::fs::read_dir(&dir).unwrap() {
        let p = f.unwrap().path();
        if p.extension().is_some_and(|e| e == "store") {
            std::fs::remove_file(p).unwrap();
        }
    }
    let (_, rebuilt) = SearchIndex::open(&dir).unwrap();
    assert!(rebuilt);
    // The positions gone (a removal of the folder cut short by a kill): tantivy opens such a
    // segment and fails only at a phrase query; the open finds it.
    let (d, idx) = build(&sample());
    drop(idx);
    let dir = d.path().join("index");
    let mut removed = 0;
    for f in std::fs::read_dir(&dir).unwrap() {
        let p = f.unwrap().path();
        if p.extension().is_some_and(|e| e == "pos") {
            std::fs::remove_file(p).unwrap();
            removed += 1;
        }
    }
    assert!(removed > 0);
    let (idx, rebuilt) = SearchIndex::open(&dir).unwrap();
    assert!(rebuilt);
    assert!(idx.search("thuế đất", &opts()).is_ok());
}

#[test]
fn creating_over_an_index_removes_its_meta_first() {
    // A creation cut short after removing `meta.json` leaves no index: it is replaced.
    let (d, idx) = build(&sample());
    drop(idx);
    let dir = d.path().join("index");
    std::fs::remove_file(dir.join("meta.json")).unwrap();
    let (idx, rebuilt) = SearchIndex::open(&dir).unwrap();
    assert!(rebuilt);
    assert!(idx.stamp().is_none());
    assert_eq!(idx.document_ids().unwrap(), Vec::<String>::new());
}

#[test]
fn total_counts_the_phrase_matches_exactly() {
    let docs = vec![doc(
        "14/2023/QĐ-UBND",
        (2, 2, 2023),
        &[
            "Ủy ban nhân dân tỉnh thực hiện.",
            "Ủy ban kiểm tra và nhân dân góp ý.",
            "Ủy ban ban nhân dân.",
            "Ban nhân dân ấp.",
            "Báo cáo ủy ban nhân dân huyện và ủy ban nhân dân xã.",
        ],
    )];
    let (_d, idx) = build(&docs);
    // Articles 1 and 5, and the whole document (its heading and body).
    for q in [
        "\"ủy ban nhân dân\"",
        "\"uy ban nhan dan\"",
        "\"uy ban nhan dan tinh\"",
    ] {
        let r = idx.search(q, &opts()).unwrap();
        let want = if q.contains("tinh") { 2 } else { 3 };
        assert_eq!(r.total, want, "{q}");
        assert_eq!(r.hits.len(), want, "{q}");
    }
    // The covering phrase counts as the full one.
    let searcher = idx.reader.searcher();
    let p = query::parse("\"ủy ban nhân dân tỉnh thực hiện\"").unwrap();
    let q = p.to_queries(&idx.fields, None, &|_, _| false);
    let n = |q: &dyn tantivy::query::Query| searcher.search(q, &Count).unwrap();
    assert_eq!(n(q.matching.as_ref()), n(&q.ranked));
    assert_eq!(n(q.matching.as_ref()), 2);
}

#[test]
fn a_phrase_in_many_entries_is_counted_apart_and_exactly() {
    // 60 documents of 20 articles, each article with the phrase once or twice: more entries
    // than the pruned top-k threshold, so `total` is counted apart from the ranking.
    let docs: Vec<Document> = (0..60)
        .map(|i| {
            let arts: Vec<String> = (0..20)
                .map(|j| {
                    if j % 7 == 0 {
                        format!("Ủy ban nhân dân xã {i} và ủy ban nhân dân phường {j}.")
                    } else {
                        format!("Ủy ban nhân dân huyện {i} giao việc {j} cho các phòng ban.")
                    }
                })
                .collect();
            let arts: Vec<&str> = arts.iter().map(String::as_str).collect();
            doc(&format!("{}/2023/QĐ-UBND", 100 + i), (2, 2, 2023), &arts)
        })
        .collect();
    let (_d, idx) = build(&docs);
    let searcher = idx.reader.searcher();
    let stats = stats::QueryStats::new(&searcher);
    let p = query::parse("\"uy ban nhan dan\"").unwrap();
    let q = p.to_queries(&idx.fields, None, &|_, _| false);
    assert!(q.ranked.prunes(&stats).unwrap());
    let r = idx.search("\"uy ban nhan dan\"", &opts()).unwrap();
    // Every article and every whole-document entry.
    assert_eq!(r.total, 60 * 20 + 60);
    assert!(r.total_exact);
    // Counted up to a limit: exact below it, the limit and "at least" past it; the hits
    // are the same either way.
    for (count, total, exact) in [
        (TotalCount::UpTo(5_000), 1_260, true),
        (TotalCount::UpTo(1_260), 1_260, true),
        (TotalCount::UpTo(1_259), 1_259, false),
        (TotalCount::UpTo(100), 100, false),
        (TotalCount::Hits, 10, false),
    ] {
        let o = SearchOptions { count, ..opts() };
        let c = idx.search("\"uy ban nhan dan\"", &o).unwrap();
        assert_eq!((c.total, c.total_exact), (total, exact), "{count:?}");
        assert_eq!(c.hits, r.hits, "{count:?}");
    }
    // The articles with the phrase twice rank first.
    assert_eq!(r.hits.len(), 10);
    for h in &r.hits {
        let n: usize = h.provision.as_deref().unwrap()["Điều ".len()..]
            .parse()
            .unwrap();
        assert_eq!((n - 1) % 7, 0, "{h:?}");
    }
}

#[test]
fn a_sync_from_documents_without_text_indexes_as_from_the_full_documents() {
    let mut docs = sample();
    docs.push(doc(
        "14/2023/QĐ-UBND",
        (2, 2, 2023),
        &[
            "Sửa đổi Điều 4 Quyết định số 12/2021/QĐ-UBND như sau: \"Điều 4. Cấp bản sao điện tử.\"",
            "Bãi bỏ Điều 1 Quyết định số 13/2022/QĐ-UBND.",
        ],
    ));
    let (dir, data, mut store) = store_of(&docs);
    let (registry, periods) = (Registry::builtin(), LawPeriods::builtin());
    let rules = rules_of(&registry, &periods);
    // As `rasoat ingest` does: relations, then the index, the documents read once without
    // their provisions' text, and the full ones read back a chunk at a time.
    let mut loaded = None;
    store
        .refresh_relations_keeping(&registry, "", false, &mut loaded)
        .unwrap();
    let trimmed = loaded.as_ref().unwrap().docs.clone();
    assert!(trimmed
        .iter()
        .flat_map(|d| d.all_provisions())
        .all(|p| p.heading.is_none() && (p.text.is_empty() || p.text.contains("hiệu lực"))));
    let r = sync_keeping(&data, &rules, &mut loaded).unwrap();
    assert_eq!(r.updated, docs.len());
    let synced = open(&data).unwrap();

    // The index made the old way, from the full documents and their timeline.
    let full = store.documents().unwrap();
    let t = Timeline::build(&full, &registry, &periods);
    let mut old = SearchIndex::create(&dir.path().join("old")).unwrap();
    old.apply(&full, &t, &stamp(1)).unwrap();
    assert_eq!(stored_entries(&synced), stored_entries(&old));
    for q in [
        "mot cua",
        "ban sao dien tu",
        "nuoc sach",
        "\"bãi bỏ\"",
        "hiệu lực",
    ] {
        for (as_of, in_force) in [
            ("2022-01-01", true),
            ("2024-01-01", true),
            ("2026-01-01", false),
        ] {
            let o = SearchOptions {
                as_of: as_of.parse().unwrap(),
                in_force,
                limit: 50,
                ..opts()
            };
            assert_eq!(
                synced.search(q, &o).unwrap(),
                old.search(q, &o).unwrap(),
                "{q}"
            );
        }
    }

    // A sync that reads the documents itself (nothing kept from the relations).
    store
        .put_document(
            "late.txt",
            "h-late",
            &doc("15/2024/QĐ-UBND", (3, 3, 2024), &["Quản lý chợ đêm."]),
        )
        .unwrap();
    let r = sync(&data, &rules).unwrap();
    assert_eq!((r.updated, r.removed), (1, 0));
    let synced = open(&data).unwrap();
    assert_eq!(hits(&synced, "cho dem")[0].0, "15/2024/QĐ-UBND");
    assert_eq!(
        synced.stamp().map(|s| s.store_revision),
        Some(store.revision().unwrap())
    );

    // The timeline of the trimmed documents gives every status the full one gives.
    let tt = Timeline::build(&trimmed, &registry, &periods);
    assert!(t.has_amendments("12/2021/QĐ-UBND", "Điều 4"));
    assert_eq!(format!("{:?}", tt.effects()), format!("{:?}", t.effects()));
    for d in &full {
        for day in [
            "2020-01-01",
            "2021-03-05",
            "2022-06-01",
            "2023-02-02",
            "2026-01-01",
        ] {
            let day = day.parse().unwrap();
            assert_eq!(
                tt.status(&d.id, day),
                t.status(&d.id, day),
                "{} {day}",
                d.id
            );
        }
    }
}

#[test]
fn one_more_document_reindexes_only_it_and_the_documents_it_changes() {
    let (_dir, data, mut store) = store_of(&sample());
    let (registry, periods) = (Registry::builtin(), LawPeriods::builtin());
    let rules = rules_of(&registry, &periods);
    store.refresh_relations(&registry, "", false).unwrap();
    let r = sync(&data, &rules).unwrap();
    assert_eq!(r.updated, sample().len());

    // A later decision repeals an article of 13/2022: it and 13/2022 are indexed again,
    // 12/2021 (untouched) is not.
    let repeal = doc(
        "16/2024/QĐ-UBND",
        (1, 7, 2024),
        &["Bãi bỏ Điều 1 Quyết định số 13/2022/QĐ-UBND."],
    );
    store.put_document("16.txt", "h16", &repeal).unwrap();
    store.refresh_relations(&registry, "", false).unwrap();
    let r = sync(&data, &rules).unwrap();
    assert_eq!((r.updated, r.removed), (2, 0));
    let synced = open(&data).unwrap();
    let o = SearchOptions {
        as_of: "2024-08-01".parse().unwrap(),
        in_force: true,
        limit: 50,
        ..opts()
    };
    let article_1 = |o: &SearchOptions| {
        synced
            .search("nuoc sach", o)
            .unwrap()
            .hits
            .iter()
            .any(|h| h.provision.as_deref() == Some("Điều 1"))
    };
    assert!(!article_1(&o));
    assert!(article_1(&SearchOptions {
        as_of: "2024-06-30".parse().unwrap(),
        ..o
    }));

    // The same document written again (a new revision of its row): only it is indexed again.
    store.put_document("16.txt", "h16", &repeal).unwrap();
    store.refresh_relations(&registry, "", false).unwrap();
    let r = sync(&data, &rules).unwrap();
    assert_eq!((r.updated, r.up_to_date), (1, false));

    // What the syncs left is what a rebuild from the store makes.
    let synced = stored_entries(&open(&data).unwrap());
    let r = reindex(&data, &rules).unwrap();
    assert!(r.rebuilt);
    assert_eq!(r.updated, sample().len() + 1);
    assert_eq!(synced, stored_entries(&open(&data).unwrap()));
}

#[test]
fn equal_scores_come_in_the_order_of_document_and_provision_whatever_the_indexing_order() {
    let same = "Niêm yết công khai thủ tục hành chính tại trụ sở Ủy ban nhân dân.";
    let docs: Vec<Document> = (1..=6)
        .map(|i| doc(&format!("{i:02}/2023/QĐ-UBND"), (1, 3, 2023), &[same]))
        .collect();
    let mut reversed = docs.clone();
    reversed.reverse();
    let (_d1, a) = build(&docs);
    let (_d2, b) = build(&reversed);
    let o = SearchOptions {
        limit: 50,
        ..opts()
    };
    let listed = |idx: &SearchIndex| -> Vec<(String, Option<String>, f32)> {
        idx.search("niêm yết công khai", &o)
            .unwrap()
            .hits
            .into_iter()
            .map(|h| (h.document, h.provision, h.score))
            .collect()
    };
    let (la, lb) = (listed(&a), listed(&b));
    assert!(la.len() >= 6, "{la:?}");
    assert_eq!(la, lb);
    for w in la.windows(2) {
        let (x, y) = (&w[0], &w[1]);
        assert!(
            x.2 > y.2 || (x.2 == y.2 && (&x.0, &x.1) < (&y.0, &y.1)),
            "{la:?}"
        );
    }
}

#[test]
fn syncing_the_part_new_documents_join_gives_the_entries_of_a_rebuild() {
    let reg = Registry::builtin();
    let periods = LawPeriods::builtin();
    let rules = IndexRules {
        registry: &reg,
        registry_text: crate::timeline::DEFAULT_REGISTRY,
        periods: &periods,
        digest: "test".into(),
    };
    let (files, _) = crate::corpusgen::generate(500, 9);
    let (held, first): (Vec<_>, Vec<_>) = files.iter().enumerate().partition(|(i, _)| i % 40 == 7);
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let mut store = Store::open(&data).unwrap();
    for (_, f) in &first {
        let d = crate::parse::parse_document(&f.path, &f.text);
        store.put_document(&f.path, &f.path, &d).unwrap();
    }
    store
        .refresh_relations(&reg, crate::timeline::DEFAULT_REGISTRY, false)
        .unwrap();
    sync(&data, &rules).unwrap();
    // A check keeps its partition of the store.
    let rev = store.revision().unwrap();
    let t = Timeline::from_documents(store.documents().unwrap(), &reg, &periods);
    let all_rules = crate::rules::RuleSet::builtin().rules;
    crate::kept::run(
        &mut store,
        crate::kept::Holding::Whole(&t, rev),
        &periods,
        "2024-12-31".parse().unwrap(),
        &all_rules,
        "test-config",
    )
    .unwrap();
    drop(t);
    assert!(
        store.latest_partition(rev).unwrap().is_some(),
        "{} groups kept, revision {rev}, complete: {:?}",
        store.kept_group_count("test-config").unwrap(),
        store
            .complete_findings("test-config", rev)
            .unwrap()
            .map(|v| v.len())
    );
    let mut parts = 0;
    for (n, (_, f)) in held.iter().enumerate() {
        let d = crate::parse::parse_document(&f.path, &f.text);
        store.put_document(&f.path, &f.path, &d).unwrap();
        store
            .refresh_relations(&reg, crate::timeline::DEFAULT_REGISTRY, false)
            .unwrap();
        let r = sync(&data, &rules).unwrap();
        let total = first.len() + n + 1;
        assert!(
            r.documents > 0 && r.updated >= 1 && r.removed == 0,
            "{r:?} of {total} after {:?}",
            f.path
        );
        parts += usize::from(r.documents < total);
        let part = stored_entries(&open(&data).unwrap());
        let r = reindex(&data, &rules).unwrap();
        assert_eq!(r.documents, total);
        assert_eq!(
            stored_entries(&open(&data).unwrap()),
            part,
            "after {:?}",
            f.path
        );
    }
    // Once a new document joins the groups of the first check's partition together, every
    // later part found from that partition is the whole store.
    assert!(parts >= 1, "{parts} of {} synced in part", held.len());
}

#[test]
fn single_writes_merge_their_own_segments_and_leave_large_ones() {
    let dir = tempfile::tempdir().unwrap();
    let mut idx = SearchIndex::create(&dir.path().join("index")).unwrap();
    let entry = |document: &str, provision: Option<String>, text: String| Entry {
        document: document.to_string(),
        provision,
        kind: "article".into(),
        types: vec!["qd".into()],
        issuer: "UBND huyện Tân Phong".into(),
        year: Some(2021),
        segments: vec![],
        cites: vec![],
        text,
    };
    // One write of a large segment's worth of entries.
    let bulk: Vec<Entry> = (0..merges::LARGE_ENTRIES)
        .map(|i| {
            entry(
                "1/2021/QĐ-UBND",
                Some(format!("Điều {i}")),
                format!("Chợ số {i} thu phí."),
            )
        })
        .collect();
    idx.write(&[("1/2021/QĐ-UBND".into(), bulk)], &[], &stamp(1))
        .unwrap();
    let segments = |idx: &SearchIndex| {
        let mut s: Vec<(String, u32)> = idx
            .index
            .searchable_segment_metas()
            .unwrap()
            .iter()
            .map(|m| (m.id().uuid_string(), m.max_doc()))
            .collect();
        s.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
        s
    };
    let large = segments(&idx);
    assert_eq!(large.len(), 1);
    // Documents written one at a time: the eighth write merges the eight small segments, and
    // the large one is never rewritten.
    for k in 0..merges::TIER_SEGMENTS {
        let id = format!("{}/2022/QĐ-UBND", k + 2);
        let one = vec![entry(&id, None, format!("Bến đò số {k}."))];
        idx.write(&[(id, one)], &[], &stamp(2 + k as i64)).unwrap();
        let now = segments(&idx);
        assert_eq!(now[0], large[0], "the large segment is untouched");
        let small = if k + 1 < merges::TIER_SEGMENTS {
            k + 1
        } else {
            1
        };
        assert_eq!(now.len(), 1 + small, "after write {}", k + 1);
    }
    assert_eq!(hits(&idx, "ben do").len(), merges::TIER_SEGMENTS);
    assert_eq!(idx.stamp(), Some(stamp(1 + merges::TIER_SEGMENTS as i64)));
    assert_eq!(hits(&idx, "\"cho so 4999\"").len(), 1);
}

#[test]
fn a_large_segment_is_rewritten_once_most_of_it_is_deleted() {
    let dir = tempfile::tempdir().unwrap();
    let mut idx = SearchIndex::create(&dir.path().join("index")).unwrap();
    let entries = |document: &str, n: usize, word: &str| -> Vec<Entry> {
        (0..n)
            .map(|i| Entry {
                document: document.to_string(),
                provision: Some(format!("Điều {i}")),
                kind: "article".into(),
                types: vec![],
                issuer: String::new(),
                year: None,
                segments: vec![],
                cites: vec![],
                text: format!("{word} số {i}."),
            })
            .collect()
    };
    // One large segment: 4,000 entries of one document, 2,000 of another.
    let (a, b) = ("1/2021/QĐ-UBND".to_string(), "2/2021/QĐ-UBND".to_string());
    idx.write(
        &[
            (a.clone(), entries(&a, 4_000, "Chợ")),
            (b.clone(), entries(&b, 2_000, "Bến đò")),
        ],
        &[],
        &stamp(1),
    )
    .unwrap();
    let metas = |idx: &SearchIndex| idx.index.searchable_segment_metas().unwrap();
    assert_eq!(metas(&idx).len(), 1);
    assert!(metas(&idx)[0].max_doc() as usize >= merges::LARGE_ENTRIES);
    // The first document rewritten: two thirds of the large segment deleted, so it is
    // rewritten without them.
    idx.write(&[(a.clone(), entries(&a, 1, "Chợ đêm"))], &[], &stamp(2))
        .unwrap();
    let after = metas(&idx);
    assert!(after.iter().all(|m| m.num_deleted_docs() == 0), "{after:?}");
    assert_eq!(
        after.iter().map(|m| m.max_doc()).sum::<u32>(),
        2_001,
        "{after:?}"
    );
    assert_eq!(hits(&idx, "cho dem").len(), 1);
    assert_eq!(idx.search("\"ben do\"", &opts()).unwrap().total, 2_000);
}
