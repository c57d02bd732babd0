//! The normal form under which skill names and aliases are looked up.
//!
//! It lives here, beside the migrations, because stored rows (`skill_aliases.normalized`) depend
//! on it: changing it needs a migration that re-normalises those rows.

/// Lower-cases, treats `-`, `_` and runs of white space as one space, and trims, so that
/// "Apache-Spark", "apache  spark" and "APACHE_SPARK" meet. Characters that tell skills apart
/// (`+`, `#`, `.`, `/`) are kept: "C++", "C#", ".NET" and "Node.js" stay distinct.
#[must_use]
pub fn normalize(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut pending_space = false;
    for ch in name.chars() {
        if ch.is_whitespace() || ch == '-' || ch == '_' {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.extend(ch.to_lowercase());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::normalize;

    #[test]
    fn spellings_of_one_skill_meet() {
        assert_eq!(normalize("Apache-Spark"), "apache spark");
        assert_eq!(normalize("  apache   spark "), "apache spark");
        assert_eq!(normalize("APACHE_SPARK"), "apache spark");
    }

    #[test]
    fn distinguishing_characters_are_kept() {
        assert_eq!(normalize("C++"), "c++");
        assert_eq!(normalize("C#"), "c#");
        assert_eq!(normalize(".NET"), ".net");
        assert_eq!(normalize("Node.js"), "node.js");
        assert_ne!(normalize("C"), normalize("C++"));
    }

    #[test]
    fn empty_and_separator_only_input_is_empty() {
        assert_eq!(normalize(""), "");
        assert_eq!(normalize(" - _ "), "");
    }
}
