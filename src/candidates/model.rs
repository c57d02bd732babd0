//! Validated values of the candidates slice.

use crate::accounts::model::Email;
use crate::error::AppError;
use crate::values::{ExternalRef, LongText, SkillLevel, Text, Years};

/// A web link on a profile: an http(s) URL of at most 2,000 characters with a short label.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Link {
    pub label: String,
    pub url: String,
}

impl Link {
    /// Parses a link given at `field`.
    pub fn parse(label: &str, url: &str, field: &str) -> Result<Self, AppError> {
        let label = Text::<50>::parse(label, &format!("{field}.label"))?.into_inner();
        let url = url.trim();
        let scheme_ok = url.starts_with("https://") || url.starts_with("http://");
        let host_ok = url.split("://").nth(1).is_some_and(|rest| !rest.is_empty() && !rest.starts_with('/'));
        if !scheme_ok || !host_ok || url.len() > 2000 || url.chars().any(char::is_whitespace) {
            return Err(AppError::bad_input(&format!("{field}.url"), "must be an http(s) URL"));
        }
        Ok(Self { label, url: url.to_owned() })
    }
}

/// A phone number: digits with optional `+`, spaces, dashes, dots and parentheses; 3 to 50.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phone(String);

impl Phone {
    /// Parses a phone number given at `field`.
    pub fn parse(raw: &str, field: &str) -> Result<Self, AppError> {
        let phone = raw.trim();
        let digits = phone.chars().filter(char::is_ascii_digit).count();
        let allowed = phone.chars().all(|c| c.is_ascii_digit() || " +-.()/".contains(c));
        if !allowed || digits < 3 || phone.len() > 50 {
            return Err(AppError::bad_input(field, "is not a phone number"));
        }
        Ok(Self(phone.to_owned()))
    }

    /// The number as given.
    #[must_use]
    pub fn into_inner(self) -> String {
        self.0
    }

    /// The number as given.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A tag: lower-case, 1 to 50 characters.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Tag(String);

impl Tag {
    /// Parses a tag given at `field`.
    pub fn parse(raw: &str, field: &str) -> Result<Self, AppError> {
        // Lower-case first: some characters grow (İ → i̇), and the limit is on what is stored.
        Ok(Self(Text::<50>::parse(&raw.to_lowercase(), field)?.into_inner()))
    }

    /// Parses a list of tags (deduplicated, at most 50).
    pub fn parse_all(raw: &[String], field: &str) -> Result<Vec<Self>, AppError> {
        if raw.len() > 50 {
            return Err(AppError::bad_input(field, "at most 50 tags"));
        }
        let mut tags: Vec<Self> =
            raw.iter().enumerate().map(|(i, t)| Self::parse(t, &format!("{field}.{i}"))).collect::<Result<_, _>>()?;
        tags.sort();
        tags.dedup();
        Ok(tags)
    }

    /// The tag.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A year a skill was last used: 1950 to next year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UsedYear(i32);

impl UsedYear {
    /// Parses a year given at `field`.
    pub fn parse(raw: i32, field: &str) -> Result<Self, AppError> {
        let next = chrono::Datelike::year(&chrono::Utc::now()) + 1;
        if (1950..=next).contains(&raw) {
            Ok(Self(raw))
        } else {
            Err(AppError::bad_input(field, format!("must be between 1950 and {next}")))
        }
    }

    /// The year.
    #[must_use]
    pub fn get(self) -> i32 {
        self.0
    }
}

/// A checked skill of a candidate; the skill is resolved through the taxonomy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCandidateSkill {
    pub skill_id: uuid::Uuid,
    pub level: SkillLevel,
    pub years: Option<Years>,
    /// Whether `years` was derived from the work history (`sync::resume::derive_years`), so
    /// that it grows while a job that used the skill lasts.
    pub years_derived: bool,
    pub last_used_year: Option<UsedYear>,
}

/// A checked new candidate.
#[derive(Debug, Clone)]
pub struct NewCandidate {
    pub full_name: Text<200>,
    pub email: Option<Email>,
    pub phone: Option<Phone>,
    pub location: Option<Text<200>>,
    pub headline: Option<Text<300>>,
    pub summary: Option<LongText>,
    pub years_experience: Years,
    /// Whether `years_experience` was derived from the work history, like a skill's years.
    pub years_experience_derived: bool,
    pub current_title: Option<Text<200>>,
    pub current_company: Option<Text<200>>,
    pub links: Vec<Link>,
    pub source: Option<Text<100>>,
    pub external: Option<ExternalRef>,
    pub tags: Vec<Tag>,
    pub skills: Vec<NewCandidateSkill>,
}

/// A calendar month of a work period, stored as `YYYY-MM` text (which sorts as the calendar).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct YearMonth {
    year: i32,
    month: u32,
}

impl YearMonth {
    /// The month `month` (1 to 12) of `year` (1000 to 2999).
    #[must_use]
    pub fn new(year: i32, month: u32) -> Option<Self> {
        ((1000..=2999).contains(&year) && (1..=12).contains(&month)).then_some(Self { year, month })
    }

    /// Parses `YYYY-MM` given at `field`.
    pub fn parse(raw: &str, field: &str) -> Result<Self, AppError> {
        let refused = || AppError::bad_input(field, "must be a month as YYYY-MM");
        let (year, month) = raw.trim().split_once('-').ok_or_else(refused)?;
        if year.len() != 4 || month.len() != 2 {
            return Err(refused());
        }
        let (year, month) = (year.parse().map_err(|_| refused())?, month.parse().map_err(|_| refused())?);
        Self::new(year, month).ok_or_else(refused)
    }

    /// The year.
    #[must_use]
    pub fn year(self) -> i32 {
        self.year
    }

    /// The month, 1 to 12.
    #[must_use]
    pub fn month(self) -> u32 {
        self.month
    }

    /// As stored and shown: `YYYY-MM`.
    #[must_use]
    pub fn as_text(self) -> String {
        format!("{:04}-{:02}", self.year, self.month)
    }
}

/// Most employments a candidate lists.
pub const MAX_EMPLOYMENTS: usize = 50;
/// Most highlights (and skills) one employment lists.
pub const MAX_EMPLOYMENT_ITEMS: usize = 50;

/// A checked job of a candidate's work history; the skills are resolved through the taxonomy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEmployment {
    pub company: Text<200>,
    pub title: Option<Text<200>>,
    pub start: YearMonth,
    /// The last month worked; `None` while the job lasts.
    pub end: Option<YearMonth>,
    pub summary: Option<LongText>,
    pub highlights: Vec<Text<1000>>,
    /// Distinct, in the order given.
    pub skill_ids: Vec<uuid::Uuid>,
}

impl NewEmployment {
    /// Checks a job given at `field`: it ends no earlier than it starts, and lists at most
    /// [`MAX_EMPLOYMENT_ITEMS`] highlights and skills (a skill named twice is kept once).
    pub fn check(mut self, field: &str) -> Result<Self, AppError> {
        if self.end.is_some_and(|end| end < self.start) {
            return Err(AppError::bad_input(&format!("{field}.endMonth"), "must not be before startMonth"));
        }
        if self.highlights.len() > MAX_EMPLOYMENT_ITEMS {
            let message = format!("at most {MAX_EMPLOYMENT_ITEMS} highlights");
            return Err(AppError::bad_input(&format!("{field}.highlights"), message));
        }
        if self.skill_ids.len() > MAX_EMPLOYMENT_ITEMS {
            return Err(AppError::bad_input(
                &format!("{field}.skills"),
                format!("at most {MAX_EMPLOYMENT_ITEMS} skills"),
            ));
        }
        let mut seen = std::collections::HashSet::new();
        self.skill_ids.retain(|id| seen.insert(*id));
        Ok(self)
    }
}

/// A work history lists at most [`MAX_EMPLOYMENTS`] jobs.
pub fn check_employment_count(count: usize, field: &str) -> Result<(), AppError> {
    if count > MAX_EMPLOYMENTS {
        return Err(AppError::bad_input(field, format!("at most {MAX_EMPLOYMENTS} employments")));
    }
    Ok(())
}

/// A partial update: `None` keeps a field; `Some(None)` clears a nullable one.
#[derive(Debug, Clone, Default)]
#[allow(clippy::option_option, reason = "absent, cleared and set are three different requests")]
pub struct CandidateChanges {
    pub full_name: Option<Text<200>>,
    pub email: Option<Option<Email>>,
    pub phone: Option<Option<Phone>>,
    pub location: Option<Option<Text<200>>>,
    pub headline: Option<Option<Text<300>>>,
    pub summary: Option<Option<LongText>>,
    pub years_experience: Option<Years>,
    pub current_title: Option<Option<Text<200>>>,
    pub current_company: Option<Option<Text<200>>>,
    pub links: Option<Vec<Link>>,
    pub source: Option<Option<Text<100>>>,
    pub tags: Option<Vec<Tag>>,
}

impl CandidateChanges {
    /// Whether the update changes nothing.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.full_name.is_none()
            && self.email.is_none()
            && self.phone.is_none()
            && self.location.is_none()
            && self.headline.is_none()
            && self.summary.is_none()
            && self.years_experience.is_none()
            && self.current_title.is_none()
            && self.current_company.is_none()
            && self.links.is_none()
            && self.source.is_none()
            && self.tags.is_none()
    }
}

/// Skills of a candidate name each skill once.
pub fn check_skills(skills: &[NewCandidateSkill], field: &str) -> Result<(), AppError> {
    let mut seen = std::collections::HashSet::new();
    for (index, skill) in skills.iter().enumerate() {
        if !seen.insert(skill.skill_id) {
            return Err(AppError::bad_input(&format!("{field}.{index}.skill"), "this skill is already listed"));
        }
    }
    if skills.len() > 200 {
        return Err(AppError::bad_input(field, "at most 200 skills"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_must_be_web_urls() {
        assert!(Link::parse("GitHub", "https://github.com/dana", "l").is_ok());
        for bad in ["github.com/dana", "javascript:alert(1)", "https://", "https:///x", "https://a b"] {
            assert!(Link::parse("x", bad, "l").is_err(), "{bad}");
        }
        assert!(Link::parse(" ", "https://x.org", "l").is_err());
    }

    #[test]
    fn months_are_year_and_month() {
        let may = YearMonth::parse("2019-05", "m").map(YearMonth::as_text);
        assert_eq!(may.ok().as_deref(), Some("2019-05"));
        for bad in ["2019", "2019-5", "2019-13", "2019-00", "19-05", "2019-05-01", "May 2019", "0999-01"] {
            assert!(YearMonth::parse(bad, "m").is_err(), "{bad}");
        }
        assert!(
            YearMonth::new(2019, 1) < YearMonth::new(2019, 2) && YearMonth::new(2018, 12) < YearMonth::new(2019, 1)
        );
    }

    #[test]
    fn employments_end_after_they_start_and_name_a_skill_once() {
        let month = |y, m| YearMonth::new(y, m).expect("a month");
        let skill = uuid::Uuid::from_u128(7);
        let job = NewEmployment {
            company: Text::parse("Acme", "c").expect("a company"),
            title: None,
            start: month(2020, 3),
            end: Some(month(2020, 3)),
            summary: None,
            highlights: Vec::new(),
            skill_ids: vec![skill, skill],
        };
        assert_eq!(job.clone().check("e").ok().map(|j| j.skill_ids), Some(vec![skill]));
        let reversed = NewEmployment { end: Some(month(2020, 2)), ..job };
        assert!(
            matches!(reversed.check("e"), Err(AppError::BadUserInput { ref field, .. }) if field == &["e", "endMonth"])
        );
    }

    #[test]
    fn phones_tags_and_years() {
        assert!(Phone::parse("+49 (30) 123-456", "p").is_ok());
        assert!(Phone::parse("call me", "p").is_err());
        let tags =
            Tag::parse_all(&["Remote".to_owned(), "remote".to_owned(), "visa".to_owned()], "t").expect("valid tags");
        assert_eq!(tags.iter().map(Tag::as_str).collect::<Vec<_>>(), ["remote", "visa"]);
        assert!(UsedYear::parse(1900, "y").is_err());
        assert!(UsedYear::parse(2020, "y").is_ok());
    }
}
