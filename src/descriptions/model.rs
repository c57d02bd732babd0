//! Validated input of the descriptions slice, and the offsets clients ask for.

use crate::error::AppError;
use crate::values::LongText;

/// A job description to read: 1 to 20,000 characters once trimmed (the limit of a role's
/// description, so a parsed text can always be stored as one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DescriptionText(LongText);

impl DescriptionText {
    /// Parses the text given at `field`.
    pub fn parse(raw: &str, field: &str) -> Result<Self, AppError> {
        let text = LongText::parse(raw, field)?;
        if text.as_str().is_empty() {
            return Err(AppError::bad_input(field, "must not be empty"));
        }
        Ok(Self(text))
    }

    /// The trimmed text; evidence offsets point into it.
    #[must_use]
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }

    /// The text as a role's description.
    #[must_use]
    pub fn into_long_text(self) -> LongText {
        self.0
    }
}

/// Converts UTF-8 byte offsets of one text into UTF-16 code-unit offsets (what JavaScript's
/// `String.prototype.slice` takes), walking the text once for any number of ascending lookups.
#[derive(Debug)]
pub struct Utf16Offsets<'a> {
    text: &'a str,
    byte: usize,
    unit: usize,
}

impl<'a> Utf16Offsets<'a> {
    /// Offsets into `text`.
    #[must_use]
    pub fn new(text: &'a str) -> Self {
        Self { text, byte: 0, unit: 0 }
    }

    /// The UTF-16 offset of byte offset `byte` (a char boundary of the text).
    pub fn of(&mut self, byte: usize) -> usize {
        if byte < self.byte {
            self.byte = 0;
            self.unit = 0;
        }
        let piece = self.text.get(self.byte..byte).unwrap_or_default();
        self.unit += piece.encode_utf16().count();
        self.byte = byte;
        self.unit
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn empty_and_oversized_texts_are_refused() {
        assert!(DescriptionText::parse("   ", "text").is_err());
        assert!(DescriptionText::parse(&"a".repeat(20_001), "text").is_err());
        assert_eq!(
            DescriptionText::parse("  Kafka  ", "text").map(|t| t.as_str().to_owned()).ok(),
            Some("Kafka".into())
        );
    }

    #[test]
    fn utf16_offsets_count_code_units() {
        let text = "Ünïcode 🦀 Rust";
        let mut offsets = Utf16Offsets::new(text);
        let rust = text.find("Rust").unwrap_or_default();
        assert_eq!(offsets.of(rust), 11, "the crab is two UTF-16 units");
        assert_eq!(offsets.of(text.len()), 15);
        assert_eq!(offsets.of(0), 0);
    }

    proptest! {
        #[test]
        fn utf16_offsets_agree_with_encode_utf16(text in "\\PC{0,40}") {
            let mut offsets = Utf16Offsets::new(&text);
            for (at, _) in text.char_indices() {
                prop_assert_eq!(offsets.of(at), text[..at].encode_utf16().count());
            }
        }
    }
}
