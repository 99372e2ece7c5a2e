//! Dates of force: the effect clause (`… có hiệu lực (thi hành) kể từ ngày …`, `… sau 10 ngày
//! kể từ ngày ký`, `… có hiệu lực đến hết ngày …`) and programme periods (`giai đoạn
//! 2021 - 2025`).

use super::dates::{date_at, find_dated};
use super::Diagnostics;
use crate::model::{Date, Document, EffectRule, Provision, ProvisionKind};

/// What one effect sentence says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EffectClause {
    pub rule: EffectRule,
    pub until: Option<Date>,
}

/// Reads an effect sentence. The subject must be the document itself (`… này`), or the
/// sentence must open with the usual formula of a resolution's closing paragraph.
pub fn read_sentence(s: &str) -> Option<EffectClause> {
    let mut rule = None;
    let mut until = None;
    if let Some(p) = s.find("có hiệu lực") {
        let subject = &s[..p];
        let about_self =
            subject.contains("này") || subject.trim().is_empty() || subject.contains("thông qua");
        if !about_self {
            return None;
        }
        let rest = s[p + "có hiệu lực".len()..].trim_start();
        let rest = rest.strip_prefix("thi hành").unwrap_or(rest).trim_start();
        let rest = rest.trim_start_matches(',').trim_start();
        if let Some(r) = rest.strip_prefix("sau ") {
            let digits: String = r.chars().take_while(|c| c.is_ascii_digit()).collect();
            if let Ok(days) = digits.parse::<u32>() {
                if r[digits.len()..].trim_start().starts_with("ngày") {
                    rule = Some(EffectRule::DaysAfterSigning { days });
                }
            }
        }
        let r2 = rest.strip_prefix("kể ").unwrap_or(rest);
        if rule.is_none() {
            if let Some(r) = r2.strip_prefix("từ ") {
                let r = r.trim_start();
                if r.starts_with("ngày ký") || r.starts_with("ngày ban hành") {
                    rule = Some(EffectRule::OnSigning);
                } else if r.starts_with("ngày thông qua")
                    || r.starts_with("ngày được thông qua")
                    || r.starts_with("ngày Hội đồng nhân dân")
                {
                    rule = Some(EffectRule::OnAdoption);
                } else if let Some(d) = r.strip_prefix("ngày ").and_then(date_at) {
                    rule = Some(EffectRule::OnDate { date: d.0 });
                }
            }
        }
        // "… có hiệu lực đến hết ngày 31 tháng 12 năm 2023", also after a from-date.
        if let Some(q) = s.find("đến hết ngày ").or_else(|| s.find("đến ngày ")) {
            let r = &s[q..];
            let r = r
                .strip_prefix("đến hết ngày ")
                .or_else(|| r.strip_prefix("đến ngày "))
                .unwrap_or(r);
            if let Some((d, _)) = date_at(r) {
                until = Some(d);
            }
        }
        if rule.is_none() && until.is_none() {
            return None;
        }
    } else if let Some(p) = s.find("hết hiệu lực") {
        let subject = &s[..p];
        if !subject.contains("này") {
            return None;
        }
        let (d, _, _) = find_dated(&s[p..])?;
        until = d.pred_opt();
    } else {
        return None;
    }
    Some(EffectClause {
        rule: rule.unwrap_or(EffectRule::Unstated),
        until,
    })
}

/// Splits text into sentences (on `. ` and new lines).
fn sentences(text: &str) -> impl Iterator<Item = &str> {
    text.split('\n').flat_map(|l| l.split(". "))
}

/// The period of a programme or plan in its title: `giai đoạn 2021 - 2030` → (2021, 2030).
pub fn period_in(title: &str) -> Option<(i32, i32)> {
    let p = title
        .find("giai đoạn ")
        .or_else(|| title.find("Giai đoạn "))?;
    let r = &title[p + "giai đoạn ".len()..];
    let a: String = r.chars().take_while(|c| c.is_ascii_digit()).collect();
    if a.len() != 4 {
        return None;
    }
    let r = r[4..].trim_start();
    let r = r
        .strip_prefix(['-', '–'])
        .or_else(|| r.strip_prefix("đến"))?
        .trim_start();
    let b: String = r.chars().take_while(|c| c.is_ascii_digit()).collect();
    if b.len() != 4 {
        return None;
    }
    let (a, b) = (a.parse().ok()?, b.parse().ok()?);
    (a <= b).then_some((a, b))
}

/// Works out the document's dates of force from its own text.
pub fn apply(doc: &mut Document, _diags: &mut Diagnostics) {
    let mut found: Option<EffectClause> = None;
    let mut until: Option<Date> = None;
    let mut stack: Vec<&Provision> = doc
        .provisions
        .iter()
        .filter(|p| p.kind != ProvisionKind::Annex)
        .rev()
        .collect();
    while let Some(p) = stack.pop() {
        for s in sentences(&p.text) {
            if !(s.contains("hiệu lực")) {
                continue;
            }
            if let Some(e) = read_sentence(s) {
                if e.until.is_some() {
                    until = e.until;
                }
                if found.is_none() && e.rule != EffectRule::Unstated {
                    found = Some(e);
                }
            }
        }
        for c in p.children.iter().rev() {
            stack.push(c);
        }
    }
    if let Some(e) = found {
        doc.effect_rule = e.rule;
    }
    doc.effective_until = until;
    doc.effective_from = match (&doc.effect_rule, doc.issued) {
        (EffectRule::OnDate { date }, _) => Some(*date),
        (EffectRule::OnSigning | EffectRule::OnAdoption, Some(i)) => Some(i),
        (EffectRule::DaysAfterSigning { days }, Some(i)) => {
            i.checked_add_days(chrono::Days::new(*days as u64))
        }
        _ => None,
    };
    let period_source = doc.title.as_deref().and_then(period_in).or_else(|| {
        doc.provisions
            .iter()
            .filter(|p| p.kind == ProvisionKind::Annex)
            .find_map(|a| a.heading.as_deref().and_then(period_in))
    });
    // A yearly plan ("Kế hoạch … năm 2024") runs to the end of its year.
    let yearly = || {
        let t = doc.title.as_deref()?;
        let at = t.rfind("năm ")?;
        let y: String = t[at + "năm ".len()..]
            .chars()
            .take_while(|c| c.is_ascii_digit())
            .collect();
        let rest = &t[at + "năm ".len() + y.len()..];
        let y: i32 = y.parse().ok().filter(|_| y.len() == 4)?;
        rest.trim().is_empty().then_some((y, y))
    };
    doc.period = period_source.or_else(|| {
        if doc.doc_type.as_deref() == Some("Kế hoạch") {
            yearly()
        } else {
            None
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, dd: u32) -> Date {
        Date::from_ymd_opt(y, m, dd).unwrap()
    }

    #[test]
    fn forms() {
        assert_eq!(
            read_sentence("Quyết định này có hiệu lực thi hành kể từ ngày ký")
                .unwrap()
                .rule,
            EffectRule::OnSigning
        );
        assert_eq!(
            read_sentence("Quyết định này có hiệu lực kể từ ngày 01 tháng 01 năm 2022")
                .unwrap()
                .rule,
            EffectRule::OnDate {
                date: d(2022, 1, 1)
            }
        );
        assert_eq!(
            read_sentence("Quyết định này có hiệu lực sau 10 ngày kể từ ngày ký")
                .unwrap()
                .rule,
            EffectRule::DaysAfterSigning { days: 10 }
        );
        let e = read_sentence(
            "Quyết định này có hiệu lực từ ngày 01/3/2021 đến hết ngày 31 tháng 12 năm 2023",
        )
        .unwrap();
        assert_eq!(e.until, Some(d(2023, 12, 31)));
        let e = read_sentence("Nghị quyết này đã được Hội đồng nhân dân huyện Tân Phong khóa XI, kỳ họp thứ 5 thông qua ngày 10 tháng 7 năm 2020 và có hiệu lực từ ngày 20 tháng 7 năm 2020").unwrap();
        assert_eq!(
            e.rule,
            EffectRule::OnDate {
                date: d(2020, 7, 20)
            }
        );
        assert!(
            read_sentence("Quyết định số 12/2019/QĐ-UBND có hiệu lực từ ngày 01/01/2020").is_none()
        );
        let e =
            read_sentence("Quyết định này hết hiệu lực kể từ ngày 01 tháng 01 năm 2024").unwrap();
        assert_eq!(e.until, Some(d(2023, 12, 31)));
    }

    #[test]
    fn periods() {
        assert_eq!(
            period_in("Chương trình cải cách hành chính giai đoạn 2021 - 2030"),
            Some((2021, 2030))
        );
        assert_eq!(
            period_in("Kế hoạch giai đoạn 2016-2020"),
            Some((2016, 2020))
        );
        assert_eq!(period_in("Kế hoạch năm 2020"), None);
    }
}
