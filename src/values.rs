//! Validated values shared by several slices: bounded texts, years, skill levels. Each parses
//! input once at the edge and names the offending field when it refuses.

use crate::error::AppError;

/// A required text of 1..=`MAX` characters once trimmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text<const MAX: usize>(String);

impl<const MAX: usize> Text<MAX> {
    /// Parses a required text given at `field`.
    pub fn parse(raw: &str, field: &str) -> Result<Self, AppError> {
        let text = raw.trim();
        if text.is_empty() {
            return Err(AppError::bad_input(field, "must not be empty"));
        }
        if text.chars().count() > MAX {
            return Err(AppError::bad_input(field, format!("must be at most {MAX} characters")));
        }
        Ok(Self(text.to_owned()))
    }

    /// Parses an optional text: blank means absent.
    pub fn parse_optional(raw: Option<&str>, field: &str) -> Result<Option<Self>, AppError> {
        match raw.map(str::trim) {
            None | Some("") => Ok(None),
            Some(text) => Self::parse(text, field).map(Some),
        }
    }

    /// The text.
    #[must_use]
    pub fn into_inner(self) -> String {
        self.0
    }

    /// The text.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A long free text (descriptions, summaries): up to 20,000 characters, may be empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LongText(String);

impl LongText {
    /// The text.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Parses a long text given at `field`.
    pub fn parse(raw: &str, field: &str) -> Result<Self, AppError> {
        let text = raw.trim();
        if text.chars().count() > 20_000 {
            return Err(AppError::bad_input(field, "must be at most 20000 characters"));
        }
        Ok(Self(text.to_owned()))
    }

    /// The text.
    #[must_use]
    pub fn into_inner(self) -> String {
        self.0
    }
}

/// Years of experience: 0 to 60.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Years(i32);

impl Years {
    /// Parses years given at `field`.
    pub fn parse(raw: i32, field: &str) -> Result<Self, AppError> {
        if (0..=60).contains(&raw) {
            Ok(Self(raw))
        } else {
            Err(AppError::bad_input(field, "must be between 0 and 60 years"))
        }
    }

    /// The number of years.
    #[must_use]
    pub fn get(self) -> i32 {
        self.0
    }
}

/// A skill proficiency level: 1 (basic) to 5 (expert).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct SkillLevel(i16);

impl SkillLevel {
    /// Parses a level given at `field`.
    pub fn parse(raw: i32, field: &str) -> Result<Self, AppError> {
        if (1..=5).contains(&raw) {
            Ok(Self(raw as i16))
        } else {
            Err(AppError::bad_input(field, "must be a level from 1 (basic) to 5 (expert)"))
        }
    }

    /// The level.
    #[must_use]
    pub fn get(self) -> i16 {
        self.0
    }
}

/// A reference to a record in an external system (ATS): source and id, both or neither.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExternalRef {
    pub source: String,
    pub id: String,
}

impl ExternalRef {
    /// Parses the pair given at `source_field` / `id_field`.
    pub fn parse(
        source: Option<&str>,
        id: Option<&str>,
        source_field: &str,
        id_field: &str,
    ) -> Result<Option<Self>, AppError> {
        let source = Text::<100>::parse_optional(source, source_field)?;
        let id = Text::<200>::parse_optional(id, id_field)?;
        match (source, id) {
            (None, None) => Ok(None),
            (Some(source), Some(id)) => Ok(Some(Self { source: source.into_inner(), id: id.into_inner() })),
            (Some(_), None) => Err(AppError::bad_input(id_field, "give the external id with its source")),
            (None, Some(_)) => Err(AppError::bad_input(source_field, "give the external source with its id")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_are_trimmed_and_bounded() {
        assert_eq!(Text::<5>::parse("  abc ", "f").ok().map(Text::into_inner), Some("abc".to_owned()));
        assert!(Text::<5>::parse("   ", "f").is_err());
        assert!(Text::<5>::parse("abcdef", "f").is_err());
        assert_eq!(Text::<5>::parse_optional(Some(" "), "f").ok(), Some(None));
    }

    #[test]
    fn numbers_have_ranges() {
        assert!(Years::parse(-1, "f").is_err());
        assert!(Years::parse(61, "f").is_err());
        assert_eq!(Years::parse(10, "f").ok().map(Years::get), Some(10));
        assert!(SkillLevel::parse(0, "f").is_err());
        assert!(SkillLevel::parse(6, "f").is_err());
        assert_eq!(SkillLevel::parse(5, "f").ok().map(SkillLevel::get), Some(5));
    }

    #[test]
    fn external_refs_come_in_pairs() {
        assert_eq!(ExternalRef::parse(None, None, "s", "i").ok(), Some(None));
        assert!(ExternalRef::parse(Some("greenhouse"), None, "s", "i").is_err());
        assert!(ExternalRef::parse(None, Some("42"), "s", "i").is_err());
        assert!(ExternalRef::parse(Some("greenhouse"), Some("42"), "s", "i").is_ok_and(|r| r.is_some()));
    }
}

/// A text search: 1 to 200 characters once trimmed, compared lower-cased (against `LOWER()` of
/// a column) or folded (against a stored `search_text`, which also ignores accents).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchText {
    lowered: String,
    folded: String,
}

impl SearchText {
    /// Parses a search given at `field`.
    pub fn parse(raw: &str, field: &str) -> Result<Self, AppError> {
        let text = raw.trim();
        if text.is_empty() {
            return Err(AppError::bad_input(field, "must not be empty"));
        }
        if text.chars().count() > 200 {
            return Err(AppError::bad_input(field, "must be at most 200 characters"));
        }
        Ok(Self { lowered: text.to_lowercase(), folded: migration::search_text::fold(text) })
    }

    /// `LOWER(column) LIKE pattern`, the same on SQLite and PostgreSQL for ASCII.
    #[must_use]
    pub fn matches(&self, column: impl sea_orm::sea_query::IntoColumnRef) -> sea_orm::sea_query::SimpleExpr {
        use sea_orm::sea_query::{Expr, ExprTrait, Func};
        Expr::expr(Func::lower(Expr::col(column))).like(LikePattern::Contains(&self.lowered).expr())
    }

    /// `search_text LIKE pattern` on a stored folded column: case and accents ignored, the same
    /// on both backends.
    #[must_use]
    pub fn matches_folded(&self, column: impl sea_orm::sea_query::IntoColumnRef) -> sea_orm::sea_query::SimpleExpr {
        use sea_orm::sea_query::{Expr, ExprTrait};
        Expr::col(column).like(LikePattern::Contains(&self.folded).expr())
    }
}

/// A LIKE pattern that matches `text` literally: LIKE's wildcards (`%`, `_`) and the escape
/// character `\\` in it are escaped, the same on SQLite and PostgreSQL.
#[derive(Debug, Clone, Copy)]
pub enum LikePattern<'a> {
    /// Values containing the text.
    Contains(&'a str),
    /// Values starting with the text.
    StartsWith(&'a str),
}

impl LikePattern<'_> {
    /// The pattern text, with `\\` as its escape character.
    #[must_use]
    pub fn pattern(self) -> String {
        let escape = |text: &str| text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
        match self {
            Self::Contains(text) => format!("%{}%", escape(text)),
            Self::StartsWith(text) => format!("{}%", escape(text)),
        }
    }

    /// The LIKE expression of [`Self::pattern`].
    #[must_use]
    pub fn expr(self) -> sea_orm::sea_query::LikeExpr {
        sea_orm::sea_query::LikeExpr::new(self.pattern()).escape('\\')
    }
}

#[cfg(test)]
mod like_tests {
    use super::LikePattern;

    #[test]
    fn wildcards_are_literal() {
        assert_eq!(LikePattern::Contains("50%_a\\b").pattern(), "%50\\%\\_a\\\\b%");
        assert_eq!(LikePattern::StartsWith("role.").pattern(), "role.%");
    }
}
