//! Closed sets of values stored as upper-case strings (with CHECK constraints in the schema), so
//! both SQLite and PostgreSQL hold the same readable values.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// What a recruiter may do in their organization.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RecruiterRole {
    /// Manages recruiters, API clients and webhooks, and does everything a recruiter does.
    #[sea_orm(string_value = "ADMIN")]
    Admin,
    /// Reads and writes candidates, roles and applications.
    #[sea_orm(string_value = "RECRUITER")]
    Recruiter,
    /// Reads only.
    #[sea_orm(string_value = "VIEWER")]
    Viewer,
}

/// Broad kind of a skill in the taxonomy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum SkillCategory {
    /// A programming or query language.
    #[sea_orm(string_value = "LANGUAGE")]
    Language,
    /// A library or framework.
    #[sea_orm(string_value = "FRAMEWORK")]
    Framework,
    /// A runtime, cloud or data platform.
    #[sea_orm(string_value = "PLATFORM")]
    Platform,
    /// A database or storage engine.
    #[sea_orm(string_value = "DATABASE")]
    Database,
    /// A practice or method (agile, TDD, data modeling).
    #[sea_orm(string_value = "PRACTICE")]
    Practice,
    /// An interpersonal skill (leadership, communication).
    #[sea_orm(string_value = "SOFT_SKILL")]
    SoftSkill,
    /// Business domain knowledge.
    #[sea_orm(string_value = "DOMAIN")]
    Domain,
    /// A tool (git, Jenkins, Tableau).
    #[sea_orm(string_value = "TOOL")]
    Tool,
}

/// How one skill relates to another in the taxonomy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum SkillRelationKind {
    /// The related skill is broader: "Spark Structured Streaming" → "Apache Spark".
    #[sea_orm(string_value = "BROADER")]
    Broader,
    /// Having the skill implies the related one: "PySpark" → "Python".
    #[sea_orm(string_value = "IMPLIES")]
    Implies,
}

/// Where the work of a role happens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Workplace {
    /// At the employer's site.
    #[sea_orm(string_value = "ONSITE")]
    Onsite,
    /// Partly on site, partly remote.
    #[sea_orm(string_value = "HYBRID")]
    Hybrid,
    /// Fully remote.
    #[sea_orm(string_value = "REMOTE")]
    Remote,
}

/// Contract form of a role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum EmploymentType {
    /// Permanent, full time.
    #[sea_orm(string_value = "FULL_TIME")]
    FullTime,
    /// Permanent, part time.
    #[sea_orm(string_value = "PART_TIME")]
    PartTime,
    /// Fixed-term contractor.
    #[sea_orm(string_value = "CONTRACT")]
    Contract,
    /// Internship.
    #[sea_orm(string_value = "INTERNSHIP")]
    Internship,
    /// Temporary position.
    #[sea_orm(string_value = "TEMPORARY")]
    Temporary,
}

/// Seniority level of a role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Seniority {
    /// Intern or working student.
    #[sea_orm(string_value = "INTERN")]
    Intern,
    /// Junior.
    #[sea_orm(string_value = "JUNIOR")]
    Junior,
    /// Mid-level.
    #[sea_orm(string_value = "MID")]
    Mid,
    /// Senior.
    #[sea_orm(string_value = "SENIOR")]
    Senior,
    /// Technical or team lead.
    #[sea_orm(string_value = "LEAD")]
    Lead,
    /// Principal or staff.
    #[sea_orm(string_value = "PRINCIPAL")]
    Principal,
    /// Director or above.
    #[sea_orm(string_value = "EXECUTIVE")]
    Executive,
}

/// Lifecycle of a job opening.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RoleStatus {
    /// Being written; not visible to candidates.
    #[sea_orm(string_value = "DRAFT")]
    Draft,
    /// Accepting candidates.
    #[sea_orm(string_value = "OPEN")]
    Open,
    /// Paused.
    #[sea_orm(string_value = "ON_HOLD")]
    OnHold,
    /// Closed without (or before) filling all headcount.
    #[sea_orm(string_value = "CLOSED")]
    Closed,
    /// All headcount hired.
    #[sea_orm(string_value = "FILLED")]
    Filled,
}

/// How much a skill requirement matters for a role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Importance {
    /// Must have.
    #[sea_orm(string_value = "REQUIRED")]
    Required,
    /// Should have.
    #[sea_orm(string_value = "PREFERRED")]
    Preferred,
    /// A plus.
    #[sea_orm(string_value = "NICE_TO_HAVE")]
    NiceToHave,
}

/// Whether a candidate is in the active pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum CandidateStatus {
    /// In the pool.
    #[sea_orm(string_value = "ACTIVE")]
    Active,
    /// Kept for history, out of searches by default.
    #[sea_orm(string_value = "ARCHIVED")]
    Archived,
}

/// Where an application stands in a role's pipeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ApplicationStage {
    /// Found, not contacted yet.
    #[sea_orm(string_value = "SOURCED")]
    Sourced,
    /// First conversations.
    #[sea_orm(string_value = "SCREENING")]
    Screening,
    /// Interviewing.
    #[sea_orm(string_value = "INTERVIEW")]
    Interview,
    /// Offer made.
    #[sea_orm(string_value = "OFFER")]
    Offer,
    /// Hired (terminal).
    #[sea_orm(string_value = "HIRED")]
    Hired,
    /// Rejected by the organization (terminal).
    #[sea_orm(string_value = "REJECTED")]
    Rejected,
    /// Withdrawn by the candidate (terminal).
    #[sea_orm(string_value = "WITHDRAWN")]
    Withdrawn,
}
