//! The pure rules of duplicates and merges: why two candidates look alike, which of two
//! applications to one role is further on, how a skill held by both is combined.

use entity::ApplicationStage;

/// Why a candidate may be the same person as another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DuplicateReason {
    /// The same email address (ignoring a `+tag` in its local part).
    SameEmail,
    /// The same phone number (ignoring spaces and punctuation).
    SamePhone,
    /// The same id from the same external system (ignoring the system name's case).
    SameExternalReference,
    /// A near-identical name, working at the same company.
    SimilarNameSameCompany,
}

/// An email without the `+tag` of its local part: `jane+ats@x.io` → `jane@x.io`.
#[must_use]
pub fn untagged_email(email: &str) -> String {
    match email.split_once('@') {
        Some((local, domain)) => {
            let base = local.split_once('+').map_or(local, |(base, _)| base);
            format!("{base}@{domain}")
        }
        None => email.to_owned(),
    }
}

/// The spellings of a phone number another candidate may have stored for the same number: as
/// given, its digits only, and its digits with a leading `+`.
#[must_use]
pub fn phone_spellings(phone: &str) -> Vec<String> {
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    let mut spellings = vec![phone.trim().to_owned(), digits.clone(), format!("+{digits}")];
    spellings.sort();
    spellings.dedup();
    spellings
}

/// Whether two names are near-identical: the same words in any order once folded (case,
/// accents), or Jaro-Winkler similarity of at least 0.92 ("Jon Smith" / "John Smith").
#[must_use]
pub fn similar_names(a: &str, b: &str) -> bool {
    let fold = |name: &str| {
        let mut words: Vec<String> = migration::search_text::fold(name).split_whitespace().map(str::to_owned).collect();
        words.sort();
        words.join(" ")
    };
    let (a, b) = (fold(a), fold(b));
    !a.is_empty() && (a == b || strsim::jaro_winkler(&a, &b) >= 0.92)
}

/// How far an application got: HIRED, OFFER, INTERVIEW, SCREENING, SOURCED, then the ended
/// ones (REJECTED, WITHDRAWN) last.
#[must_use]
pub fn advancement(stage: ApplicationStage) -> u8 {
    match stage {
        ApplicationStage::Hired => 5,
        ApplicationStage::Offer => 4,
        ApplicationStage::Interview => 3,
        ApplicationStage::Screening => 2,
        ApplicationStage::Sourced => 1,
        ApplicationStage::Rejected | ApplicationStage::Withdrawn => 0,
    }
}

/// Whether the duplicate's application replaces the survivor's (strictly further on; a tie
/// keeps the survivor's).
#[must_use]
pub fn duplicate_wins(survivor: ApplicationStage, duplicate: ApplicationStage) -> bool {
    advancement(duplicate) > advancement(survivor)
}

/// A skill held by both: the higher level and the higher years (and latest use).
#[must_use]
pub fn combined<T: Ord + Copy>(a: Option<T>, b: Option<T>) -> Option<T> {
    a.max(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_and_phones_are_compared_loosely() {
        assert_eq!(untagged_email("jane+greenhouse@acme.io"), "jane@acme.io");
        assert_eq!(untagged_email("jane@acme.io"), "jane@acme.io");
        assert_eq!(untagged_email("odd"), "odd");
        assert_eq!(phone_spellings("+49 30 1234-56"), ["+49 30 1234-56", "+4930123456", "4930123456"]);
    }

    #[test]
    fn names_match_when_near_identical() {
        assert!(similar_names("Jane Doe", "jane  doe"));
        assert!(similar_names("Doe Jane", "Jane Doe"));
        assert!(similar_names("José García", "Jose Garcia"));
        assert!(similar_names("Jon Smith", "John Smith"));
        assert!(!similar_names("Jane Doe", "John Smith"));
        assert!(!similar_names("", ""));
    }

    #[test]
    fn the_further_application_wins() {
        use ApplicationStage::{Hired, Interview, Rejected, Screening, Sourced};
        assert!(duplicate_wins(Screening, Interview));
        assert!(!duplicate_wins(Interview, Interview), "a tie keeps the survivor's");
        assert!(duplicate_wins(Rejected, Sourced), "an open application beats an ended one");
        assert!(!duplicate_wins(Hired, Interview));
        assert_eq!(combined(Some(3), Some(5)), Some(5));
        assert_eq!(combined(None, Some(2)), Some(2));
    }
}
