//! Validated values of the skills slice.

use crate::error::AppError;

/// A text search over skill names and aliases: 1 to 100 characters once trimmed, compared in
/// the normal form of `migration::skill_names`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkillSearch(String);

impl SkillSearch {
    /// Parses the `search` argument.
    pub fn parse(raw: &str) -> Result<Self, AppError> {
        let normalized = migration::skill_names::normalize(raw);
        if normalized.is_empty() {
            return Err(AppError::bad_input("search", "`search` must contain a letter or digit"));
        }
        if normalized.chars().count() > 100 {
            return Err(AppError::bad_input("search", "`search` must be at most 100 characters"));
        }
        Ok(Self(normalized))
    }

    /// A LIKE pattern matching the search anywhere.
    #[must_use]
    pub fn like_pattern(&self) -> crate::values::LikePattern<'_> {
        crate::values::LikePattern::Contains(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_is_normalised_and_bounded() {
        assert_eq!(SkillSearch::parse("  Apache-SPARK ").ok(), Some(SkillSearch("apache spark".to_owned())));
        assert!(SkillSearch::parse("   ").is_err());
        assert!(SkillSearch::parse(&"a".repeat(101)).is_err());
    }

    #[test]
    fn like_wildcards_are_escaped() {
        assert_eq!(SkillSearch::parse("50%").map(|s| s.like_pattern().pattern()).ok(), Some("%50\\%%".to_owned()));
    }
}
