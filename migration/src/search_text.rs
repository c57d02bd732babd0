//! The folded form free-text search compares: lower-case, accents removed. Stored beside the
//! searched rows (`search_text` columns) because SQLite's `LOWER()` folds ASCII only, and a
//! recruiter searching "emilie" expects "Émilie". It lives beside the migrations because stored
//! rows depend on it: changing it needs a migration that refolds them.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Folds text for search: Unicode lower-case, decomposed, combining marks dropped, and the
/// Latin letters that do not decompose (ø, ł, ß, æ, …) spelled as their plain equivalents.
#[must_use]
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.nfkd().filter(|c| !is_combining_mark(*c)).flat_map(char::to_lowercase) {
        match ch {
            'ø' => out.push('o'),
            'ł' => out.push('l'),
            'đ' | 'ð' => out.push('d'),
            'ħ' => out.push('h'),
            'ı' => out.push('i'),
            'ß' => out.push_str("ss"),
            'æ' => out.push_str("ae"),
            'œ' => out.push_str("oe"),
            'þ' => out.push_str("th"),
            other => out.push(other),
        }
    }
    out
}

/// The stored search text of several fields (absent and empty ones skipped), one per line.
#[must_use]
pub fn of_fields(fields: &[Option<&str>]) -> String {
    fields.iter().flatten().filter(|f| !f.trim().is_empty()).map(|f| fold(f)).collect::<Vec<_>>().join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_and_accents_fold() {
        assert_eq!(fold("Émilie Ødegård"), "emilie odegard");
        assert_eq!(fold("ŁUKASZ Weiß"), "lukasz weiss");
        assert_eq!(fold("Zürich"), fold("ZURICH"));
        assert_eq!(of_fields(&[Some("Dana"), None, Some(""), Some("Lead")]), "dana\nlead");
    }
}
