//! Validated sign-in values: emails, passwords, names.

use crate::error::AppError;

/// An email address, trimmed and lower-cased: `local@domain` with a dot in the domain, no
/// spaces, at most 320 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    /// Parses an email given in input field `field`.
    pub fn parse(raw: &str, field: &str) -> Result<Self, AppError> {
        let email = raw.trim().to_lowercase();
        let valid = email.len() <= 320
            && !email.chars().any(char::is_whitespace)
            && email.split_once('@').is_some_and(|(local, domain)| {
                !local.is_empty()
                    && !domain.contains('@')
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
            });
        if valid {
            Ok(Self(email))
        } else {
            Err(AppError::bad_input(field, format!("`{}` is not an email address", raw.trim())))
        }
    }

    /// The normalised address.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A new password: 12 to 256 characters (NIST SP 800-63B: length over composition rules).
pub struct NewPassword(String);

impl NewPassword {
    /// Parses a password given in input field `field`.
    pub fn parse(raw: &str, field: &str) -> Result<Self, AppError> {
        let length = raw.chars().count();
        if length < 12 {
            return Err(AppError::bad_input(field, "the password must have at least 12 characters"));
        }
        if length > 256 {
            return Err(AppError::bad_input(field, "the password must have at most 256 characters"));
        }
        Ok(Self(raw.to_owned()))
    }

    /// The password.
    #[must_use]
    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// A display name: 1 to 200 characters once trimmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisplayName(String);

impl DisplayName {
    /// Parses a name given in input field `field`.
    pub fn parse(raw: &str, field: &str) -> Result<Self, AppError> {
        let name = raw.trim();
        if name.is_empty() || name.chars().count() > 200 {
            return Err(AppError::bad_input(field, "the name must have 1 to 200 characters"));
        }
        Ok(Self(name.to_owned()))
    }

    /// The name.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised_and_checked() {
        assert_eq!(Email::parse("  Dana@Example.COM ", "email").ok().map(|e| e.0), Some("dana@example.com".to_owned()));
        for bad in ["", "dana", "dana@", "@example.com", "dana@example", "da na@example.com", "a@b@c.com", "dana@.com"]
        {
            assert!(Email::parse(bad, "email").is_err(), "{bad}");
        }
    }

    #[test]
    fn passwords_have_a_length_window() {
        assert!(NewPassword::parse("short", "password").is_err());
        assert!(NewPassword::parse(&"x".repeat(257), "password").is_err());
        assert!(NewPassword::parse("correct horse battery", "password").is_ok());
    }

    #[test]
    fn display_names_are_trimmed_and_bounded() {
        assert_eq!(DisplayName::parse("  Dana ", "name").ok().map(|n| n.0), Some("Dana".to_owned()));
        assert!(DisplayName::parse("   ", "name").is_err());
        assert!(DisplayName::parse(&"x".repeat(201), "name").is_err());
    }
}
