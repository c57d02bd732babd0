//! Validated values of the roles slice and the rules of a role's lifecycle.

use entity::{EmploymentType, Importance, RoleStatus, Seniority, Workplace};

use crate::error::AppError;
use crate::values::{ExternalRef, LongText, SkillLevel, Text, Years};

/// A salary band: 0 ≤ min ≤ max, with an ISO 4217 currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SalaryRange {
    pub min: i64,
    pub max: i64,
    pub currency: [u8; 3],
}

impl SalaryRange {
    /// Parses a band given at `field`.
    pub fn parse(min: i64, max: i64, currency: &str, field: &str) -> Result<Self, AppError> {
        if min < 0 {
            return Err(AppError::bad_input(&format!("{field}.min"), "must not be negative"));
        }
        if min > max {
            return Err(AppError::bad_input(&format!("{field}.max"), "must not be below the minimum"));
        }
        if max > 100_000_000 {
            return Err(AppError::bad_input(&format!("{field}.max"), "is not a plausible yearly salary"));
        }
        let bytes = currency.trim().as_bytes();
        match bytes {
            [a, b, c] if bytes.iter().all(u8::is_ascii_alphabetic) => Ok(Self {
                min,
                max,
                currency: [a.to_ascii_uppercase(), b.to_ascii_uppercase(), c.to_ascii_uppercase()],
            }),
            _ => Err(AppError::bad_input(&format!("{field}.currency"), "must be an ISO 4217 code such as EUR")),
        }
    }

    /// The currency code.
    #[must_use]
    pub fn currency(&self) -> String {
        String::from_utf8_lossy(&self.currency).into_owned()
    }
}

/// Number of people to hire: 1 to 1000.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Headcount(i32);

impl Headcount {
    /// Parses a headcount given at `field`.
    pub fn parse(raw: i32, field: &str) -> Result<Self, AppError> {
        if (1..=1000).contains(&raw) {
            Ok(Self(raw))
        } else {
            Err(AppError::bad_input(field, "must be between 1 and 1000"))
        }
    }

    /// The headcount.
    #[must_use]
    pub fn get(self) -> i32 {
        self.0
    }
}

/// The name of an alternatives group ("scala-or-python"): 1 to 50 characters.
pub type AlternativesGroup = Text<50>;

/// A requirement weight: greater than 0, at most 100.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Weight(f64);

impl Weight {
    /// Parses a weight given at `field`.
    pub fn parse(raw: f64, field: &str) -> Result<Self, AppError> {
        if raw.is_finite() && raw > 0.0 && raw <= 100.0 {
            Ok(Self(raw))
        } else {
            Err(AppError::bad_input(field, "must be greater than 0 and at most 100"))
        }
    }

    /// The weight.
    #[must_use]
    pub fn get(self) -> f64 {
        self.0
    }
}

/// A checked skill requirement; the skill is already resolved through the taxonomy.
#[derive(Debug, Clone, PartialEq)]
pub struct NewRequirement {
    pub skill_id: uuid::Uuid,
    pub importance: Importance,
    pub min_level: SkillLevel,
    pub min_years: Option<Years>,
    pub weight: Option<Weight>,
    pub alternatives_group: Option<AlternativesGroup>,
}

/// A checked new role.
#[derive(Debug, Clone)]
pub struct NewRole {
    pub title: Text<200>,
    pub description: LongText,
    pub department: Option<Text<200>>,
    pub location: Option<Text<200>>,
    pub workplace: Workplace,
    pub employment_type: EmploymentType,
    pub seniority: Seniority,
    pub min_years_experience: Years,
    pub status: RoleStatus,
    pub headcount: Headcount,
    pub salary: Option<SalaryRange>,
    pub external: Option<ExternalRef>,
    pub requirements: Vec<NewRequirement>,
    /// Last day applications are taken, for job postings.
    pub valid_through: Option<chrono::DateTime<chrono::Utc>>,
}

/// A partial update: `None` keeps a field; `Some(None)` clears a nullable one.
#[derive(Debug, Clone, Default)]
pub struct RoleChanges {
    pub title: Option<Text<200>>,
    pub description: Option<LongText>,
    pub department: Option<Option<Text<200>>>,
    pub location: Option<Option<Text<200>>>,
    pub workplace: Option<Workplace>,
    pub employment_type: Option<EmploymentType>,
    pub seniority: Option<Seniority>,
    pub min_years_experience: Option<Years>,
    pub headcount: Option<Headcount>,
    pub salary: Option<Option<SalaryRange>>,
    pub valid_through: Option<Option<chrono::DateTime<chrono::Utc>>>,
}

impl RoleChanges {
    /// Whether the update changes nothing.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.title.is_none()
            && self.description.is_none()
            && self.department.is_none()
            && self.location.is_none()
            && self.workplace.is_none()
            && self.employment_type.is_none()
            && self.seniority.is_none()
            && self.min_years_experience.is_none()
            && self.headcount.is_none()
            && self.salary.is_none()
            && self.valid_through.is_none()
    }
}

/// Which status changes a role may make. A FILLED role is done; a CLOSED one may reopen.
#[must_use]
pub fn may_move(from: RoleStatus, to: RoleStatus) -> bool {
    use RoleStatus::{Closed, Draft, Filled, OnHold, Open};
    matches!(
        (from, to),
        (Draft, Open | Closed) | (Open, OnHold | Closed | Filled) | (OnHold, Open | Closed | Filled) | (Closed, Open)
    )
}

/// The statuses a role may be created in.
#[must_use]
pub fn may_start_as(status: RoleStatus) -> bool {
    matches!(status, RoleStatus::Draft | RoleStatus::Open)
}

/// Requirements name each skill once; members of an alternatives group share their importance.
pub fn check_requirements(requirements: &[NewRequirement], field: &str) -> Result<(), AppError> {
    let mut seen = std::collections::HashSet::new();
    for (index, requirement) in requirements.iter().enumerate() {
        if !seen.insert(requirement.skill_id) {
            return Err(AppError::bad_input(
                &format!("{field}.{index}.skill"),
                "this skill is already required by the role",
            ));
        }
    }
    // Each group's importance is its first member's; a group of one is a plain requirement
    // (groups are built one requirement at a time).
    let mut groups: std::collections::HashMap<&str, Importance> = std::collections::HashMap::new();
    for (index, requirement) in requirements.iter().enumerate() {
        if let Some(group) = &requirement.alternatives_group
            && *groups.entry(group.as_str()).or_insert(requirement.importance) != requirement.importance
        {
            return Err(AppError::bad_input(
                &format!("{field}.{index}.importance"),
                "requirements of one alternatives group share their importance",
            ));
        }
    }
    if requirements.len() > 100 {
        return Err(AppError::bad_input(field, "a role has at most 100 requirements"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn salary_bands_are_checked() {
        assert!(SalaryRange::parse(100, 90, "EUR", "salary").is_err());
        assert!(SalaryRange::parse(-1, 90, "EUR", "salary").is_err());
        assert!(SalaryRange::parse(1, 90, "EURO", "salary").is_err());
        assert_eq!(SalaryRange::parse(90, 100, "eur", "salary").map(|s| s.currency()).ok().as_deref(), Some("EUR"));
    }

    #[test]
    fn lifecycle() {
        assert!(may_move(RoleStatus::Draft, RoleStatus::Open));
        assert!(may_move(RoleStatus::Closed, RoleStatus::Open));
        assert!(!may_move(RoleStatus::Filled, RoleStatus::Open));
        assert!(!may_move(RoleStatus::Open, RoleStatus::Draft));
        assert!(!may_move(RoleStatus::Open, RoleStatus::Open));
        assert!(may_start_as(RoleStatus::Draft) && !may_start_as(RoleStatus::Filled));
    }

    fn requirement(skill: u128, group: Option<&str>, importance: Importance) -> NewRequirement {
        NewRequirement {
            skill_id: uuid::Uuid::from_u128(skill),
            importance,
            min_level: SkillLevel::parse(3, "x").expect("valid level"),
            min_years: None,
            weight: None,
            alternatives_group: group.map(|g| Text::parse(g, "g").expect("valid group")),
        }
    }

    #[test]
    fn requirement_sets() {
        let scala = requirement(1, Some("jvm"), Importance::Required);
        let python = requirement(2, Some("jvm"), Importance::Required);
        assert!(check_requirements(&[scala.clone(), python.clone()], "r").is_ok());
        assert!(check_requirements(&[scala.clone(), scala.clone()], "r").is_err());
        assert!(check_requirements(std::slice::from_ref(&scala), "r").is_ok());
        let preferred = requirement(2, Some("jvm"), Importance::Preferred);
        assert!(check_requirements(&[scala, preferred], "r").is_err());
    }
}
