//! The domain events: one enum of typed facts, one variant per kind of change. Services build
//! them; `service::record` stores them; the audit trail, and later webhooks and subscriptions,
//! read them back.
//!
//! Stored form (and the `details` clients see): serde's adjacently tagged representation,
//! `{"type": "role.create", "data": {"role": "…", "title": "…", "requirements": 2}}`. The
//! `data` object names the event's entity by the first segment of the event name (`role`
//! above), followed by the facts. Payloads evolve additively so that old and new rows both
//! read: a new field gets `#[serde(default)]`, readers ignore fields they do not know (no
//! `deny_unknown_fields`), and a change of meaning is a new event name, never a new meaning
//! for an old one.

use entity::{ApplicationStage, RecruiterRole, RoleStatus};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::auth::permissions::Scope;

/// What kind of entity an event changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EntityKind {
    ApiClient,
    Application,
    Candidate,
    Organization,
    Recruiter,
    Role,
    Skill,
}

impl EntityKind {
    /// The GraphQL type of the entity, which its global id names.
    #[must_use]
    pub fn graphql_type(self) -> &'static str {
        match self {
            Self::ApiClient => "ApiClient",
            Self::Application => "Application",
            Self::Candidate => "Candidate",
            Self::Organization => "Organization",
            Self::Recruiter => "Recruiter",
            Self::Role => "Role",
            Self::Skill => "Skill",
        }
    }
}

/// The entity an event changed: its kind and row id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct EntityRef {
    pub kind: EntityKind,
    pub id: Uuid,
}

/// Declares [`DomainEvent`] from one line per variant: its stable name, its payload type, and
/// the payload field holding the id of the changed entity, so the name, the serde tag and the
/// entity are written once.
macro_rules! domain_events {
    ($($(#[doc = $doc:literal])* $name:literal => $variant:ident($kind:ident: $field:ident),)*) => {
        /// A change to an organization's data, with its typed facts. (`PartialEq` only: the
        /// matching weights are floats.)
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        #[serde(tag = "type", content = "data")]
        pub enum DomainEvent {
            $($(#[doc = $doc])* #[serde(rename = $name)] $variant($variant),)*
        }

        impl DomainEvent {
            /// Every event name, in declaration order.
            pub const NAMES: &'static [&'static str] = &[$($name),*];

            /// The stable dotted name (`<entity>.<verb>`), which the audit trail shows as
            /// `action` and clients filter on. Names never change once released.
            #[must_use]
            pub fn name(&self) -> &'static str {
                match self {
                    $(Self::$variant(_) => $name,)*
                }
            }

            /// The entity the event changed.
            #[must_use]
            pub fn entity(&self) -> EntityRef {
                match self {
                    $(Self::$variant(event) => EntityRef { kind: EntityKind::$kind, id: event.$field },)*
                }
            }
        }
    };
}

// The names are the audit trail's action strings from before events were typed: clients filter
// on them, so they keep their imperative form (`role.create`, not `role.created`).
domain_events! {
    /// A candidate entered the pool.
    "candidate.create" => CandidateCreated(Candidate: candidate),
    /// Some of a candidate's fields (or tags) changed.
    "candidate.update" => CandidateUpdated(Candidate: candidate),
    /// A candidate's skills were replaced.
    "candidate.set_skills" => CandidateSkillsSet(Candidate: candidate),
    /// A candidate left the active pool.
    "candidate.archive" => CandidateArchived(Candidate: candidate),
    /// A candidate's personal data was erased.
    "candidate.erase" => CandidateErased(Candidate: candidate),
    /// A duplicate was merged into this candidate (the survivor) and deleted.
    "candidate.merge" => CandidatesMerged(Candidate: candidate),
    /// A role was created.
    "role.create" => RoleCreated(Role: role),
    /// Some of a role's fields changed.
    "role.update" => RoleUpdated(Role: role),
    /// A role's requirements were replaced.
    "role.set_requirements" => RoleRequirementsSet(Role: role),
    /// A requirement was added to a role.
    "role.add_requirement" => RoleRequirementAdded(Role: role),
    /// One of a role's requirements changed.
    "role.update_requirement" => RoleRequirementUpdated(Role: role),
    /// A requirement was removed from a role.
    "role.remove_requirement" => RoleRequirementRemoved(Role: role),
    /// A role moved through its lifecycle.
    "role.change_status" => RoleStatusChanged(Role: role),
    /// A draft role was deleted.
    "role.delete" => RoleDeleted(Role: role),
    /// A candidate entered a role's pipeline.
    "application.create" => ApplicationCreated(Application: application),
    /// An application changed stage; a rejection is the move to `REJECTED`, with its reason.
    "application.move" => ApplicationMoved(Application: application),
    /// A recruiter was invited.
    "recruiter.invite" => RecruiterInvited(Recruiter: recruiter),
    /// A recruiter lost access.
    "recruiter.deactivate" => RecruiterDeactivated(Recruiter: recruiter),
    /// An integration was given credentials.
    "api_client.create" => ApiClientCreated(ApiClient: api_client),
    /// An integration's credentials were revoked.
    "api_client.revoke" => ApiClientRevoked(ApiClient: api_client),
    /// The organization added a skill of its own.
    "skill.create" => SkillCreated(Skill: skill),
    /// The organization added an alias to a skill.
    "skill.add_alias" => SkillAliasAdded(Skill: skill),
    /// The organization replaced its rejection reasons.
    "organization.set_rejection_reasons" => RejectionReasonsSet(Organization: organization),
    /// The organization turned the publishing of its OPEN roles as public job postings on or off.
    "organization.set_job_publishing" => JobPublishingSet(Organization: organization),
    /// The organization replaced its matching weights.
    "organization.set_matching_weights" => MatchingWeightsSet(Organization: organization),
}

/// A candidate field an update changed, named as in the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum CandidateField {
    FullName,
    Email,
    Phone,
    Location,
    Headline,
    Summary,
    YearsExperience,
    CurrentTitle,
    CurrentCompany,
    Links,
    Source,
    Tags,
    /// The work history (`employments`).
    Employments,
}

/// A role field an update changed, named as in the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum RoleField {
    Title,
    Description,
    Department,
    Location,
    Workplace,
    EmploymentType,
    Seniority,
    MinYearsExperience,
    Headcount,
    Salary,
    ValidThrough,
}

/// Payload of `candidate.create`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CandidateCreated {
    pub candidate: Uuid,
    /// How many skills the candidate came with.
    pub skills: usize,
}

/// Payload of `candidate.update`. Carries field names, never values: values may be personal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CandidateUpdated {
    pub candidate: Uuid,
    /// The fields the update set, in the order of the API.
    pub fields: Vec<CandidateField>,
    /// The candidate's version after the update.
    pub version: i32,
}

/// Payload of `candidate.set_skills`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CandidateSkillsSet {
    pub candidate: Uuid,
    /// How many skills the candidate has now.
    pub skills: usize,
}

/// Payload of `candidate.archive`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CandidateArchived {
    pub candidate: Uuid,
}

/// Payload of `candidate.erase`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CandidateErased {
    pub candidate: Uuid,
}

/// Payload of `candidate.merge`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CandidatesMerged {
    /// The survivor.
    pub candidate: Uuid,
    /// The merged candidate, deleted; its id now resolves to the survivor.
    pub duplicate: Uuid,
    /// Applications moved to the survivor.
    pub applications_moved: usize,
    /// Applications dropped because the survivor was in the same role's pipeline further on.
    pub applications_dropped: usize,
}

/// Payload of `role.create`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleCreated {
    pub role: Uuid,
    pub title: String,
    /// How many requirements the role came with.
    pub requirements: usize,
}

/// Payload of `role.update`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleUpdated {
    pub role: Uuid,
    /// The fields the update set, in the order of the API.
    pub fields: Vec<RoleField>,
    /// The role's version after the update.
    pub version: i32,
}

/// Payload of `role.set_requirements`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleRequirementsSet {
    pub role: Uuid,
    /// How many requirements the role has now.
    pub requirements: usize,
}

/// Payload of `role.add_requirement`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleRequirementAdded {
    pub role: Uuid,
    pub requirement: Uuid,
}

/// Payload of `role.update_requirement`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleRequirementUpdated {
    pub role: Uuid,
    pub requirement: Uuid,
}

/// Payload of `role.remove_requirement`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleRequirementRemoved {
    pub role: Uuid,
    pub requirement: Uuid,
}

/// Payload of `role.change_status`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleStatusChanged {
    pub role: Uuid,
    pub from: RoleStatus,
    pub to: RoleStatus,
}

/// Payload of `role.delete`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleDeleted {
    pub role: Uuid,
    pub title: String,
}

/// Payload of `application.create`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationCreated {
    pub application: Uuid,
    pub role: Uuid,
    pub candidate: Uuid,
}

/// Payload of `application.move`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationMoved {
    pub application: Uuid,
    pub from: ApplicationStage,
    pub to: ApplicationStage,
    /// The rejection reason's code, on a move to `REJECTED` (null otherwise).
    pub reason: Option<String>,
}

/// Payload of `recruiter.invite`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecruiterInvited {
    pub recruiter: Uuid,
    pub role: RecruiterRole,
}

/// Payload of `recruiter.deactivate`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecruiterDeactivated {
    pub recruiter: Uuid,
}

/// Payload of `api_client.create`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiClientCreated {
    pub api_client: Uuid,
    /// The granted scopes, by their OAuth2 names (`candidates:read`).
    #[serde(with = "scope_names")]
    pub scopes: Vec<Scope>,
}

/// Payload of `api_client.revoke`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiClientRevoked {
    pub api_client: Uuid,
}

/// Payload of `skill.create`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkillCreated {
    pub skill: Uuid,
    pub name: String,
}

/// Payload of `skill.add_alias`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkillAliasAdded {
    pub skill: Uuid,
    pub alias: String,
}

/// Payload of `organization.set_rejection_reasons`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RejectionReasonsSet {
    pub organization: Uuid,
    /// The new list's codes, in display order.
    pub codes: Vec<String>,
}

/// Payload of `organization.set_job_publishing`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobPublishingSet {
    pub organization: Uuid,
    /// Whether OPEN roles are public now.
    pub enabled: bool,
}

/// Payload of `organization.set_matching_weights`: the weights now in force (the scorer's
/// default where the organization chose none, listed in `defaulted`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MatchingWeightsSet {
    pub organization: Uuid,
    pub required: f64,
    pub preferred: f64,
    pub nice_to_have: f64,
    pub experience: f64,
    pub narrower_credit: f64,
    pub implied_credit: f64,
    /// The fields left to the scorer's default, named as in the API (`niceToHave`).
    pub defaulted: Vec<String>,
}

/// What the audit trail shows as an event's `details`: the `data` of its stored payload, or
/// `{"erased": true}` once a data-protection erasure cleared the payload.
#[must_use]
pub fn details(payload: Option<&serde_json::Value>) -> serde_json::Value {
    match payload {
        Some(payload) => payload.get("data").unwrap_or(payload).clone(),
        None => serde_json::json!({ "erased": true }),
    }
}

/// Scopes as their OAuth2 names, the form clients know.
mod scope_names {
    use serde::de::Error;
    use serde::{Deserialize, Deserializer, Serializer};

    use crate::auth::permissions::Scope;

    #[allow(clippy::ptr_arg, reason = "serde's `with` passes the field as it is declared")]
    pub fn serialize<S: Serializer>(scopes: &Vec<Scope>, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(scopes.iter().map(|scope| scope.as_str()))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<Scope>, D::Error> {
        Vec::<String>::deserialize(deserializer)?
            .iter()
            .map(|name| Scope::parse(name).ok_or_else(|| D::Error::custom(format!("unknown scope `{name}`"))))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use serde_json::json;

    use super::*;

    fn id(n: u128) -> Uuid {
        Uuid::from_u128(n)
    }

    /// One event of every kind, in declaration order (checked against `DomainEvent::NAMES`).
    fn samples() -> Vec<DomainEvent> {
        vec![
            DomainEvent::CandidateCreated(CandidateCreated { candidate: id(1), skills: 3 }),
            DomainEvent::CandidateUpdated(CandidateUpdated {
                candidate: id(1),
                fields: vec![CandidateField::FullName, CandidateField::Tags],
                version: 2,
            }),
            DomainEvent::CandidateSkillsSet(CandidateSkillsSet { candidate: id(1), skills: 1 }),
            DomainEvent::CandidateArchived(CandidateArchived { candidate: id(1) }),
            DomainEvent::CandidateErased(CandidateErased { candidate: id(1) }),
            DomainEvent::CandidatesMerged(CandidatesMerged {
                candidate: id(1),
                duplicate: id(9),
                applications_moved: 2,
                applications_dropped: 1,
            }),
            DomainEvent::RoleCreated(RoleCreated { role: id(2), title: "Data Engineer".to_owned(), requirements: 2 }),
            DomainEvent::RoleUpdated(RoleUpdated {
                role: id(2),
                fields: vec![RoleField::EmploymentType, RoleField::MinYearsExperience],
                version: 3,
            }),
            DomainEvent::RoleRequirementsSet(RoleRequirementsSet { role: id(2), requirements: 1 }),
            DomainEvent::RoleRequirementAdded(RoleRequirementAdded { role: id(2), requirement: id(3) }),
            DomainEvent::RoleRequirementUpdated(RoleRequirementUpdated { role: id(2), requirement: id(3) }),
            DomainEvent::RoleRequirementRemoved(RoleRequirementRemoved { role: id(2), requirement: id(3) }),
            DomainEvent::RoleStatusChanged(RoleStatusChanged {
                role: id(2),
                from: RoleStatus::Open,
                to: RoleStatus::OnHold,
            }),
            DomainEvent::RoleDeleted(RoleDeleted { role: id(2), title: "Scratch".to_owned() }),
            DomainEvent::ApplicationCreated(ApplicationCreated { application: id(4), role: id(2), candidate: id(1) }),
            DomainEvent::ApplicationMoved(ApplicationMoved {
                application: id(4),
                from: ApplicationStage::Screening,
                to: ApplicationStage::Rejected,
                reason: Some("TOO_JUNIOR".to_owned()),
            }),
            DomainEvent::RecruiterInvited(RecruiterInvited { recruiter: id(5), role: RecruiterRole::Viewer }),
            DomainEvent::RecruiterDeactivated(RecruiterDeactivated { recruiter: id(5) }),
            DomainEvent::ApiClientCreated(ApiClientCreated {
                api_client: id(6),
                scopes: vec![Scope::CandidatesWrite, Scope::RolesRead],
            }),
            DomainEvent::ApiClientRevoked(ApiClientRevoked { api_client: id(6) }),
            DomainEvent::SkillCreated(SkillCreated { skill: id(7), name: "Acme Flow".to_owned() }),
            DomainEvent::SkillAliasAdded(SkillAliasAdded { skill: id(7), alias: "AF".to_owned() }),
            DomainEvent::RejectionReasonsSet(RejectionReasonsSet {
                organization: id(8),
                codes: vec!["NO_VISA".to_owned()],
            }),
            DomainEvent::JobPublishingSet(JobPublishingSet { organization: id(8), enabled: true }),
            DomainEvent::MatchingWeightsSet(MatchingWeightsSet {
                organization: id(8),
                required: 4.0,
                preferred: 2.0,
                nice_to_have: 0.5,
                experience: 2.0,
                narrower_credit: 1.0,
                implied_credit: 0.75,
                defaulted: vec!["preferred".to_owned(), "experience".to_owned(), "narrowerCredit".to_owned()],
            }),
        ]
    }

    #[test]
    fn every_kind_has_one_sample_and_a_distinct_dotted_name() {
        let names: Vec<&str> = samples().iter().map(DomainEvent::name).collect();
        assert_eq!(names, DomainEvent::NAMES, "one sample per kind, in declaration order");
        assert_eq!(names.iter().collect::<HashSet<_>>().len(), names.len());
        for name in names {
            let (entity, verb) = name.split_once('.').unwrap();
            assert!(!entity.is_empty() && !verb.is_empty() && !verb.contains('.'), "{name}");
        }
    }

    /// The stored form: the name as the tag, and `data` naming the entity by the name's first
    /// segment (the audit migration relies on that rule for rows written before events).
    #[test]
    fn stores_the_name_as_tag_and_the_entity_under_the_names_first_segment() {
        for event in samples() {
            let stored = serde_json::to_value(&event).unwrap();
            assert_eq!(stored["type"], event.name(), "{stored}");
            let (key, _) = event.name().split_once('.').unwrap();
            assert_eq!(stored["data"][key], json!(event.entity().id), "{stored}");
            assert_eq!(serde_json::from_value::<DomainEvent>(stored).unwrap(), event, "round trip");
        }
    }

    /// What clients see as `details`: the facts under the names they have always had.
    #[test]
    fn details_keep_their_public_shape() {
        let shown: Vec<serde_json::Value> =
            samples().iter().map(|event| details(Some(&serde_json::to_value(event).unwrap()))).collect();
        let ids = |n: u128| json!(id(n));
        assert_eq!(
            shown,
            [
                json!({ "candidate": ids(1), "skills": 3 }),
                json!({ "candidate": ids(1), "fields": ["fullName", "tags"], "version": 2 }),
                json!({ "candidate": ids(1), "skills": 1 }),
                json!({ "candidate": ids(1) }),
                json!({ "candidate": ids(1) }),
                json!({ "candidate": ids(1), "duplicate": ids(9), "applications_moved": 2, "applications_dropped": 1 }),
                json!({ "role": ids(2), "title": "Data Engineer", "requirements": 2 }),
                json!({ "role": ids(2), "fields": ["employmentType", "minYearsExperience"], "version": 3 }),
                json!({ "role": ids(2), "requirements": 1 }),
                json!({ "role": ids(2), "requirement": ids(3) }),
                json!({ "role": ids(2), "requirement": ids(3) }),
                json!({ "role": ids(2), "requirement": ids(3) }),
                json!({ "role": ids(2), "from": "OPEN", "to": "ON_HOLD" }),
                json!({ "role": ids(2), "title": "Scratch" }),
                json!({ "application": ids(4), "role": ids(2), "candidate": ids(1) }),
                json!({ "application": ids(4), "from": "SCREENING", "to": "REJECTED", "reason": "TOO_JUNIOR" }),
                json!({ "recruiter": ids(5), "role": "VIEWER" }),
                json!({ "recruiter": ids(5) }),
                json!({ "api_client": ids(6), "scopes": ["candidates:write", "roles:read"] }),
                json!({ "api_client": ids(6) }),
                json!({ "skill": ids(7), "name": "Acme Flow" }),
                json!({ "skill": ids(7), "alias": "AF" }),
                json!({ "organization": ids(8), "codes": ["NO_VISA"] }),
                json!({ "organization": ids(8), "enabled": true }),
                json!({ "organization": ids(8), "required": 4.0, "preferred": 2.0, "nice_to_have": 0.5,
                        "experience": 2.0, "narrower_credit": 1.0, "implied_credit": 0.75,
                        "defaulted": ["preferred", "experience", "narrowerCredit"] }),
            ]
        );
        assert_eq!(details(None), json!({ "erased": true }));
    }

    /// Version tolerance: rows written by other versions of the code still read.
    #[test]
    fn reads_payloads_with_unknown_fields_and_without_optional_ones() {
        let newer = json!({ "type": "application.move", "data": {
            "application": id(4), "from": "SOURCED", "to": "SCREENING", "moved_by_rule": "auto" } });
        assert_eq!(
            serde_json::from_value::<DomainEvent>(newer).unwrap(),
            DomainEvent::ApplicationMoved(ApplicationMoved {
                application: id(4),
                from: ApplicationStage::Sourced,
                to: ApplicationStage::Screening,
                reason: None,
            })
        );
        let unknown = json!({ "type": "role.teleport", "data": { "role": id(2) } });
        assert!(serde_json::from_value::<DomainEvent>(unknown).is_err(), "unknown kinds are refused, not guessed");
        let bad_scope = json!({ "type": "api_client.create", "data": { "api_client": id(6), "scopes": ["root"] } });
        assert!(serde_json::from_value::<DomainEvent>(bad_scope).is_err());
    }
}
