//! JSON Resume (https://jsonresume.org/schema) in and out: the document checked against the
//! published schema (vendored as `jsonresume.schema.json`: jsonresume/resume-schema v1.2.1,
//! MIT licence, © JSON Resume), read into a candidate's state, and a candidate written back in
//! the same schema. Pure: resolving skill names and writing belong to `sync::service`.
//!
//! What is kept: `basics` (name, label → headline, email, phone, summary, location, url and
//! profiles → links), `work` (→ employments; the first job without an end date gives the current
//! title and employer) and `skills` (name and each keyword, through the taxonomy, at the
//! entry's level). Total years come from the work periods, overlaps counted once. Not kept
//! (listed back in `ignored`): education, languages, volunteer, awards, certificates,
//! publications, interests, references and projects, for which a candidate has no place, and
//! values our rules refuse where the schema allows them (a phone with letters, a non-web link).

use std::sync::LazyLock;

use serde_json::{Map, Value, json};

use super::resume::PartialDate;
use crate::accounts::model::Email;
use crate::candidates::model::{
    Link, MAX_EMPLOYMENT_ITEMS, MAX_EMPLOYMENTS, NewCandidate, NewEmployment, Phone, YearMonth, check_employment_count,
};
use crate::error::AppError;
use crate::values::{ExternalRef, LongText, SkillLevel, Text, Years};

/// The largest document taken, serialized: a long résumé is a few dozen kB; this bounds the
/// schema check and the parse well inside the request body limit.
pub const MAX_RESUME_BYTES: usize = 256 * 1024;

/// Most skill names and keywords a document lists (the taxonomy resolves them all in one go).
pub const MAX_SKILL_NAMES: usize = 400;
/// Most entries of `ignored` (a few sections, a phone, links): the rest are not listed.
pub const MAX_IGNORED: usize = 50;

/// The external source of an import when none is given.
pub const DEFAULT_SOURCE: &str = "jsonresume";

/// The schema's `$schema` URL an export names.
pub const SCHEMA_URL: &str = "https://raw.githubusercontent.com/jsonresume/resume-schema/v1.2.1/schema.json";

/// The published schema, compiled once (formats checked: `email`, `uri`).
static VALIDATOR: LazyLock<Result<jsonschema::Validator, String>> = LazyLock::new(|| {
    let schema: Value = serde_json::from_str(include_str!("jsonresume.schema.json")).map_err(|e| e.to_string())?;
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft7)
        .should_validate_formats(true)
        .build(&schema)
        .map_err(|e| e.to_string())
});

/// The dotted input path of a JSON pointer into the `resume` argument (`/work/0/startDate` →
/// `resume.work.0.startDate`).
fn field_of(pointer: &str) -> String {
    let mut field = "resume".to_owned();
    for segment in pointer.split('/').filter(|s| !s.is_empty()) {
        field.push('.');
        field.push_str(&segment.replace("~1", "/").replace("~0", "~"));
    }
    field
}

/// Checks the size and the schema; the refusal names the first offending value's path.
pub fn validate(document: &Value) -> Result<(), AppError> {
    let size = serde_json::to_vec(document).map_or(usize::MAX, |bytes| bytes.len());
    if size > MAX_RESUME_BYTES {
        return Err(AppError::bad_input("resume", format!("at most {MAX_RESUME_BYTES} bytes; this one has {size}")));
    }
    if !document.is_object() {
        return Err(AppError::bad_input("resume", "must be a JSON Resume object"));
    }
    let validator = VALIDATOR
        .as_ref()
        .map_err(|cause| AppError::Internal(anyhow::anyhow!("the JSON Resume schema does not compile: {cause}")))?;
    match validator.iter_errors(document).next() {
        None => Ok(()),
        Some(error) => Err(AppError::bad_input(
            &field_of(error.instance_path().as_str()),
            // Masked: the offending value may be most of a 256 kB document.
            format!("does not follow the JSON Resume schema: {}", error.masked()),
        )),
    }
}

/// A skill name of the document to resolve, with its path and the level of its entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResumeSkill {
    pub name: String,
    pub field: String,
    pub level: SkillLevel,
}

/// Something of the document that is not kept, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ignored {
    pub field: String,
    pub reason: String,
}

/// A document read: the candidate (skills still to resolve), its work history, and what is
/// not kept.
#[derive(Debug, Clone)]
pub struct ResumeImport {
    pub candidate: NewCandidate,
    /// `None` when the document has no `work`: the candidate keeps its history.
    pub employments: Option<Vec<NewEmployment>>,
    /// `None` when the document has no `skills`: the candidate keeps its skills.
    pub skills: Option<Vec<ResumeSkill>>,
    /// The skills each job used (`work[j].keywords`, which the schema's open objects allow and
    /// our exports write): `(j, name, path)`, to resolve like `skills`.
    pub work_skills: Vec<(usize, String, String)>,
    pub ignored: Vec<Ignored>,
}

/// The sections a candidate has no place for.
const NOT_KEPT: [&str; 9] = [
    "education",
    "languages",
    "volunteer",
    "awards",
    "certificates",
    "publications",
    "interests",
    "references",
    "projects",
];

/// Our 1-5 scale for a JSON Resume skill level: the words of the schema's examples
/// (Beginner/Novice/Basic 1, Elementary 2, Intermediate/Competent 3, Advanced/Proficient 4,
/// Master/Expert 5), `1` to `5` as they are, and `6` to `100` (optionally with `%`) as a
/// percentage, a fifth per level. Absent: 3. `None` for anything else (taken as 3, reported).
#[must_use]
pub fn level_of(raw: &str) -> Option<i32> {
    let raw = raw.trim().to_lowercase();
    let word = match raw.as_str() {
        "beginner" | "novice" | "basic" => Some(1),
        "elementary" => Some(2),
        "" | "intermediate" | "competent" => Some(3),
        "advanced" | "proficient" => Some(4),
        "master" | "expert" => Some(5),
        _ => None,
    };
    word.or_else(|| {
        let number: i32 = raw.trim_end_matches('%').trim().parse().ok()?;
        match number {
            1..=5 => Some(number),
            6..=100 => Some((number + 19) / 20),
            _ => None,
        }
    })
}

/// The word an export gives our level: it reads back as the same level ([`level_of`]).
#[must_use]
pub fn level_word(level: i16) -> &'static str {
    match level {
        ..=1 => "Beginner",
        2 => "Elementary",
        3 => "Intermediate",
        4 => "Advanced",
        _ => "Expert",
    }
}

fn text<'a>(object: &'a Value, key: &str) -> Option<&'a str> {
    object.get(key)?.as_str().map(str::trim).filter(|t| !t.is_empty())
}

fn month_of(index: i32) -> Option<YearMonth> {
    YearMonth::new(index.div_euclid(12), u32::try_from(index.rem_euclid(12)).ok()? + 1)
}

/// Reads a document [`validate`] accepted into a candidate keyed by (`source`, `external_id`);
/// `external_id` defaults to `basics.email`, lower-cased.
pub fn read(document: &Value, source: Option<&str>, external_id: Option<&str>) -> Result<ResumeImport, AppError> {
    let empty = Value::Object(Map::new());
    let basics = document.get("basics").unwrap_or(&empty);
    let mut ignored = Vec::new();
    let email = text(basics, "email").map(|e| Email::parse(e, "resume.basics.email")).transpose()?;
    let external_id =
        external_id.map(str::to_owned).or_else(|| email.as_ref().map(|e| e.as_str().to_lowercase())).ok_or_else(
            || AppError::bad_input("externalId", "give an externalId, or a basics.email to key the candidate by"),
        )?;
    let external =
        ExternalRef::parse(Some(source.unwrap_or(DEFAULT_SOURCE)), Some(&external_id), "source", "externalId")?;
    let full_name = Text::parse(text(basics, "name").unwrap_or_default(), "resume.basics.name")?;
    let phone = text(basics, "phone").and_then(|raw| {
        let phone = Phone::parse(raw, "resume.basics.phone").ok();
        if phone.is_none() {
            ignored.push(Ignored { field: "resume.basics.phone".to_owned(), reason: "not a phone number".to_owned() });
        }
        phone
    });
    let location = basics.get("location").and_then(|l| {
        let parts: Vec<&str> = ["city", "region", "countryCode"].iter().filter_map(|key| text(l, key)).collect();
        if parts.is_empty() { text(l, "address").map(str::to_owned) } else { Some(parts.join(", ")) }
    });
    let mut links = Vec::new();
    let mut link =
        |label: &str, url: &str, field: String, ignored: &mut Vec<Ignored>| match Link::parse(label, url, &field) {
            Ok(link) if links.len() < 20 => links.push(link),
            Ok(_) => ignored.push(Ignored { field, reason: "a candidate keeps at most 20 links".to_owned() }),
            Err(_) => ignored.push(Ignored { field, reason: "not an http(s) link with a short label".to_owned() }),
        };
    if let Some(url) = text(basics, "url") {
        link("Website", url, "resume.basics.url".to_owned(), &mut ignored);
    }
    for (i, profile) in basics.get("profiles").and_then(Value::as_array).into_iter().flatten().enumerate() {
        let field = format!("resume.basics.profiles.{i}");
        match text(profile, "url") {
            Some(url) => link(text(profile, "network").unwrap_or("Profile"), url, field, &mut ignored),
            None => ignored.push(Ignored { field, reason: "a profile without a url".to_owned() }),
        }
    }
    let employments = document.get("work").and_then(Value::as_array).map(|work| read_work(work)).transpose()?;
    let work_skills = read_work_skills(document.get("work").and_then(Value::as_array).map_or(&[][..], Vec::as_slice))?;
    let current = employments.as_deref().unwrap_or_default().iter().find(|job| job.end.is_none());
    let skills = document
        .get("skills")
        .and_then(Value::as_array)
        .map(|entries| read_skills(entries, &mut ignored))
        .transpose()?;
    for section in NOT_KEPT {
        if document.get(section).is_some_and(|v| v.as_array().is_none_or(|a| !a.is_empty())) {
            let reason = format!("a candidate has no place for {section}");
            ignored.push(Ignored { field: format!("resume.{section}"), reason });
        }
    }
    let candidate = NewCandidate {
        full_name,
        email,
        phone,
        location: location.as_deref().map(|l| Text::parse(l, "resume.basics.location")).transpose()?,
        headline: Text::parse_optional(text(basics, "label"), "resume.basics.label")?,
        summary: text(basics, "summary").map(|s| LongText::parse(s, "resume.basics.summary")).transpose()?,
        years_experience: Years::parse(0, "resume.work")?,
        years_experience_derived: false,
        current_title: current.and_then(|job| job.title.clone()),
        current_company: current.map(|job| job.company.clone()),
        links,
        source: None,
        external,
        tags: Vec::new(),
        skills: Vec::new(),
    };
    ignored.truncate(MAX_IGNORED);
    Ok(ResumeImport { candidate, employments, skills, work_skills, ignored })
}

/// The skill names of each job's `keywords` (at most [`MAX_EMPLOYMENT_ITEMS`] a job).
fn read_work_skills(work: &[Value]) -> Result<Vec<(usize, String, String)>, AppError> {
    let mut names = Vec::new();
    for (j, job) in work.iter().take(MAX_EMPLOYMENTS).enumerate() {
        let keywords = job.get("keywords").and_then(Value::as_array).map_or(&[][..], Vec::as_slice);
        if keywords.len() > MAX_EMPLOYMENT_ITEMS {
            let message = format!("at most {MAX_EMPLOYMENT_ITEMS} skills a job");
            return Err(AppError::bad_input(&format!("resume.work.{j}.keywords"), message));
        }
        for (k, keyword) in keywords.iter().enumerate() {
            if let Some(name) = keyword.as_str().map(str::trim).filter(|n| !n.is_empty()) {
                names.push((j, name.to_owned(), format!("resume.work.{j}.keywords.{k}")));
            }
        }
    }
    Ok(names)
}

fn read_work(work: &[Value]) -> Result<Vec<NewEmployment>, AppError> {
    check_employment_count(work.len(), "resume.work")?;
    work.iter()
        .take(MAX_EMPLOYMENTS)
        .enumerate()
        .map(|(j, job)| {
            let at = |key: &str| format!("resume.work.{j}.{key}");
            // The schema's pattern lets months 13-19 and days 32-39 through.
            let date = |key: &str| {
                text(job, key)
                    .map(|raw| {
                        PartialDate::parse(raw).ok_or_else(|| AppError::bad_input(&at(key), "not a calendar date"))
                    })
                    .transpose()
            };
            let start = date("startDate")?
                .and_then(|d| month_of(d.first()))
                .ok_or_else(|| AppError::bad_input(&at("startDate"), "a job needs a startDate to count its years"))?;
            let end = date("endDate")?.and_then(|d| month_of(d.past_end() - 1));
            let highlights = job
                .get("highlights")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .enumerate()
                .filter_map(|(k, h)| Some((k, h.as_str()?)))
                .map(|(k, h)| Text::parse(h, &format!("resume.work.{j}.highlights.{k}")))
                .collect::<Result<_, _>>()?;
            NewEmployment {
                company: Text::parse(text(job, "name").unwrap_or_default(), &at("name"))?,
                title: Text::parse_optional(text(job, "position"), &at("position"))?,
                start,
                end,
                summary: text(job, "summary").map(|s| LongText::parse(s, &at("summary"))).transpose()?,
                highlights,
                skill_ids: Vec::new(),
            }
            .check(&format!("resume.work.{j}"))
            .map_err(|error| match error {
                AppError::BadUserInput { message, .. } => AppError::bad_input(&at("endDate"), message),
                other => other,
            })
        })
        .collect()
}

fn read_skills(entries: &[Value], ignored: &mut Vec<Ignored>) -> Result<Vec<ResumeSkill>, AppError> {
    let mut skills = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        let raw_level = text(entry, "level").unwrap_or_default();
        let level = level_of(raw_level).unwrap_or_else(|| {
            let shown: String = raw_level.chars().take(50).collect();
            let reason = format!("level \"{shown}\" is not one we read; taken as 3 (Intermediate)");
            ignored.push(Ignored { field: format!("resume.skills.{i}.level"), reason });
            3
        });
        let Ok(level) = SkillLevel::parse(level, "") else { continue };
        if let Some(name) = text(entry, "name") {
            skills.push(ResumeSkill { name: name.to_owned(), field: format!("resume.skills.{i}.name"), level });
        }
        let keywords = entry.get("keywords").and_then(Value::as_array).into_iter().flatten().enumerate();
        for (k, keyword) in keywords {
            if let Some(name) = keyword.as_str().map(str::trim).filter(|n| !n.is_empty()) {
                let field = format!("resume.skills.{i}.keywords.{k}");
                skills.push(ResumeSkill { name: name.to_owned(), field, level });
            }
        }
        if skills.len() > MAX_SKILL_NAMES {
            let message = format!("at most {MAX_SKILL_NAMES} skill names and keywords in all");
            return Err(AppError::bad_input("resume.skills", message));
        }
    }
    Ok(skills)
}

/// What an export reads: the candidate's row, its skills (name and level) and its history.
pub struct ResumeExport<'a> {
    pub candidate: &'a entity::candidates::Model,
    pub skills: Vec<(String, i16)>,
    /// The names of the skills each employment used, by skill id.
    pub skill_names: &'a std::collections::HashMap<uuid::Uuid, String>,
    pub employments: &'a [entity::candidate_employments::Model],
}

/// The candidate as a JSON Resume document, valid against the schema; importing it again
/// changes nothing.
#[must_use]
pub fn write(export: &ResumeExport<'_>) -> Value {
    let candidate = export.candidate;
    let mut basics = Map::new();
    basics.insert("name".to_owned(), json!(candidate.full_name));
    let mut put = |key: &str, value: Option<&String>| {
        if let Some(value) = value {
            basics.insert(key.to_owned(), json!(value));
        }
    };
    put("label", candidate.headline.as_ref());
    put("email", candidate.email.as_ref());
    put("phone", candidate.phone.as_ref());
    put("summary", candidate.summary.as_ref());
    if let Some(location) = &candidate.location {
        basics.insert("location".to_owned(), json!({ "city": location }));
    }
    let profiles: Vec<Value> = candidate
        .links
        .as_array()
        .into_iter()
        .flatten()
        .map(|link| json!({ "network": link["label"], "url": link["url"] }))
        .collect();
    basics.insert("profiles".to_owned(), Value::Array(profiles));
    let work: Vec<Value> = export
        .employments
        .iter()
        .map(|job| {
            let mut entry = Map::new();
            entry.insert("name".to_owned(), json!(job.company));
            if let Some(title) = &job.title {
                entry.insert("position".to_owned(), json!(title));
            }
            entry.insert("startDate".to_owned(), json!(job.start_month));
            if let Some(end) = &job.end_month {
                entry.insert("endDate".to_owned(), json!(end));
            }
            if let Some(summary) = &job.summary {
                entry.insert("summary".to_owned(), json!(summary));
            }
            entry.insert("highlights".to_owned(), job.highlights.clone());
            let used = crate::candidates::service::employment_skill_ids(job);
            let keywords: Vec<&String> = used.iter().filter_map(|id| export.skill_names.get(id)).collect();
            if !keywords.is_empty() {
                entry.insert("keywords".to_owned(), json!(keywords));
            }
            Value::Object(entry)
        })
        .collect();
    let skills: Vec<Value> =
        export.skills.iter().map(|(name, level)| json!({ "name": name, "level": level_word(*level) })).collect();
    json!({ "$schema": SCHEMA_URL, "basics": basics, "work": work, "skills": skills })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_vendored_schema_compiles() {
        assert!(VALIDATOR.is_ok(), "{:?}", VALIDATOR.as_ref().err());
    }

    #[test]
    fn refusals_name_the_offending_path() {
        let bad = json!({ "basics": { "name": "Ada" }, "work": [{ "name": "Acme", "startDate": "May 2019" }] });
        let refused = validate(&bad);
        assert!(
            matches!(refused, Err(AppError::BadUserInput { ref field, .. }) if field == &["resume", "work", "0", "startDate"]),
            "{refused:?}"
        );
        let email = json!({ "basics": { "email": "not an email" } });
        let shown = validate(&email);
        assert!(
            matches!(shown, Err(AppError::BadUserInput { ref message, .. }) if !message.contains("not an email")),
            "the value is not echoed: {shown:?}"
        );
        assert!(
            matches!(validate(&email), Err(AppError::BadUserInput { ref field, .. }) if field == &["resume", "basics", "email"])
        );
        let big = json!({ "basics": { "summary": "x".repeat(MAX_RESUME_BYTES) } });
        assert!(matches!(validate(&big), Err(AppError::BadUserInput { ref field, .. }) if field == &["resume"]));
        assert!(validate(&json!([])).is_err());
        assert!(validate(&json!({ "basics": { "name": "Ada" }, "education": [{ "institution": "MIT" }] })).is_ok());
    }

    #[test]
    fn levels_map_to_our_scale_and_back() {
        for (raw, level) in [
            ("Beginner", 1),
            ("novice", 1),
            ("Elementary", 2),
            ("Intermediate", 3),
            ("", 3),
            ("Advanced", 4),
            ("Master", 5),
            ("EXPERT", 5),
            ("2", 2),
            ("80", 4),
            ("100%", 5),
            ("20", 1),
        ] {
            assert_eq!(level_of(raw), Some(level), "{raw}");
        }
        assert_eq!(level_of("guru"), None);
        assert_eq!(level_of("0"), None);
        for level in 1..=5 {
            assert_eq!(level_of(level_word(level)), Some(i32::from(level)));
        }
    }

    #[test]
    fn work_dates_keep_their_months() {
        let document = json!({ "basics": { "name": "Ada", "email": "Ada@Example.com" }, "work": [
            { "name": "Acme", "position": "Engineer", "startDate": "2019", "endDate": "2020-05-31" },
            { "name": "Hooli", "startDate": "2020-06" }
        ] });
        let read = read(&document, None, None).expect("a valid document");
        let external = read.candidate.external.expect("keyed");
        assert_eq!((external.source.as_str(), external.id.as_str()), ("jsonresume", "ada@example.com"));
        let jobs = read.employments.expect("work given");
        assert_eq!(jobs[0].start.as_text(), "2019-01");
        assert_eq!(jobs[0].end.map(YearMonth::as_text).as_deref(), Some("2020-05"));
        assert_eq!(jobs[1].end, None);
        assert_eq!(read.candidate.current_company.as_ref().map(Text::as_str), Some("Hooli"));
        assert!(read.skills.is_none(), "no skills section: the candidate keeps its skills");
    }
}
