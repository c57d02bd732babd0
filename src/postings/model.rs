//! A role as a schema.org `JobPosting` (JSON-LD), and the HTML page that embeds it. Pure: the
//! service hands in the rows, so the mapping is unit-tested without a database.
//!
//! Mapping (see README, "Public job postings"):
//! - `datePosted` is when the role first became OPEN (its creation for older rows);
//! - `description` is the role's text as HTML: escaped, blank lines make paragraphs, single
//!   line breaks `<br>` (Google reads the description as HTML);
//! - `jobLocation` is a `Place` whose `PostalAddress` comes from the free-text location
//!   ("Berlin, Germany": locality Berlin, country Germany); REMOTE roles are `jobLocationType:
//!   TELECOMMUTE` with the location, when given, as `applicantLocationRequirements`;
//! - `baseSalary` is the yearly band as a `MonetaryAmount`; `skills` the required and preferred
//!   skills' names; `experienceRequirements` the minimum years as `monthsOfExperience`.

use chrono::{DateTime, SecondsFormat, Utc};
use entity::{EmploymentType, Importance, Workplace, organizations, roles};
use serde_json::{Map, Value, json};

/// What one posting is made of: the role, its organization, and its requirements' skills.
#[derive(Debug, Clone)]
pub struct PostingFacts<'a> {
    pub role: &'a roles::Model,
    pub organization: &'a organizations::Model,
    /// `(skill name, importance)` in the requirements' display order.
    pub skills: Vec<(String, Importance)>,
}

fn timestamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// The schema.org name of a contract form.
#[must_use]
pub fn employment_type(kind: EmploymentType) -> &'static str {
    match kind {
        EmploymentType::FullTime => "FULL_TIME",
        EmploymentType::PartTime => "PART_TIME",
        EmploymentType::Contract => "CONTRACTOR",
        EmploymentType::Internship => "INTERN",
        EmploymentType::Temporary => "TEMPORARY",
    }
}

/// A free-text location as a `PostalAddress`: the first comma-separated part is the locality,
/// the last (when there are several) the country.
fn postal_address(location: &str) -> Value {
    let parts: Vec<&str> = location.split(',').map(str::trim).filter(|part| !part.is_empty()).collect();
    let mut address = Map::new();
    address.insert("@type".to_owned(), json!("PostalAddress"));
    match parts.as_slice() {
        [] => {}
        [only] => {
            address.insert("addressLocality".to_owned(), json!(only));
        }
        [first, .., last] => {
            address.insert("addressLocality".to_owned(), json!(first));
            address.insert("addressCountry".to_owned(), json!(last));
        }
    }
    Value::Object(address)
}

/// The role as a `JobPosting` document (`url`, when given, is the public page's address).
#[must_use]
pub fn job_posting(facts: &PostingFacts<'_>, url: Option<&str>) -> Value {
    let role = facts.role;
    let mut posting = Map::new();
    let mut put = |key: &str, value: Value| {
        posting.insert(key.to_owned(), value);
    };
    put("@context", json!("https://schema.org/"));
    put("@type", json!("JobPosting"));
    put("title", json!(role.title));
    let text = if role.description.trim().is_empty() { role.title.as_str() } else { role.description.as_str() };
    put("description", json!(text_as_html(text)));
    put(
        "identifier",
        json!({ "@type": "PropertyValue", "name": facts.organization.name, "value": role.id.to_string() }),
    );
    put("datePosted", json!(timestamp(role.opened_at.unwrap_or(role.created_at))));
    if let Some(until) = role.valid_through {
        put("validThrough", json!(timestamp(until)));
    }
    put("employmentType", json!(employment_type(role.employment_type)));
    put("hiringOrganization", json!({ "@type": "Organization", "name": facts.organization.name }));
    let location = role.location.as_deref().map(str::trim).filter(|l| !l.is_empty());
    match (role.workplace, location) {
        (Workplace::Remote, location) => {
            put("jobLocationType", json!("TELECOMMUTE"));
            // "Remote" names no area an applicant must live in.
            if let Some(area) = location.filter(|area| !area.eq_ignore_ascii_case("remote")) {
                put("applicantLocationRequirements", json!({ "@type": "AdministrativeArea", "name": area }));
            }
        }
        (Workplace::Onsite | Workplace::Hybrid, Some(location)) => {
            put("jobLocation", json!({ "@type": "Place", "address": postal_address(location) }));
        }
        (Workplace::Onsite | Workplace::Hybrid, None) => {}
    }
    if let (Some(min), Some(max), Some(currency)) = (role.salary_min, role.salary_max, role.salary_currency.as_ref()) {
        put(
            "baseSalary",
            json!({
                "@type": "MonetaryAmount",
                "currency": currency,
                "value": { "@type": "QuantitativeValue", "minValue": min, "maxValue": max, "unitText": "YEAR" },
            }),
        );
    }
    let skills: Vec<&str> = facts
        .skills
        .iter()
        .filter(|(_, importance)| *importance != Importance::NiceToHave)
        .map(|(name, _)| name.as_str())
        .collect();
    if !skills.is_empty() {
        put("skills", json!(skills));
    }
    put(
        "experienceRequirements",
        json!({
            "@type": "OccupationalExperienceRequirements",
            "monthsOfExperience": i64::from(role.min_years_experience) * 12,
        }),
    );
    put("totalJobOpenings", json!(role.headcount));
    if let Some(url) = url {
        put("url", json!(url));
    }
    Value::Object(posting)
}

/// An organization's postings as a schema.org `ItemList`, in the given order.
#[must_use]
pub fn posting_list(postings: Vec<Value>) -> Value {
    let items: Vec<Value> = postings
        .into_iter()
        .enumerate()
        .map(|(index, posting)| json!({ "@type": "ListItem", "position": index + 1, "item": posting }))
        .collect();
    json!({ "@context": "https://schema.org/", "@type": "ItemList", "numberOfItems": items.len(), "itemListElement": items })
}

/// `text` with `&`, `<`, `>`, `"` and `'` escaped for HTML text and attribute values.
#[must_use]
pub fn escape_html(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            other => escaped.push(other),
        }
    }
    escaped
}

/// Plain text as HTML: escaped; blank lines separate paragraphs, single line breaks are `<br>`.
#[must_use]
pub fn text_as_html(text: &str) -> String {
    let normalized = text.replace("\r\n", "\n");
    let mut html = String::with_capacity(text.len() + 16);
    for paragraph in normalized.split("\n\n").map(str::trim).filter(|paragraph| !paragraph.is_empty()) {
        html.push_str("<p>");
        html.push_str(&escape_html(paragraph).replace('\n', "<br>"));
        html.push_str("</p>");
    }
    html
}

/// JSON that is safe inside `<script type="application/ld+json">`: `<`, `>` and `&` as
/// `\u` escapes (the same JSON to a parser), so no `</script>` or `<!--` in any value can end
/// or change the script element; U+2028/9 likewise for old JavaScript parsers.
#[must_use]
pub fn script_json(document: &Value) -> String {
    let mut out = String::new();
    for ch in document.to_string().chars() {
        match ch {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            other => out.push(other),
        }
    }
    out
}

/// The public HTML page of a posting: a readable summary and the JSON-LD for crawlers.
#[must_use]
pub fn posting_page(facts: &PostingFacts<'_>, document: &Value) -> String {
    // A readable column in the system font; the page's policy allows inline styles only.
    const PAGE_STYLE: &str = "body{margin:0;font:17px/1.6 system-ui,-apple-system,'Segoe UI',sans-serif;\
        color:#1f2328;background:#fff}main{max-width:44rem;margin:3rem auto;padding:0 1.25rem}\
        h1{font-size:2rem;line-height:1.25;margin:0 0 .5rem}.facts{color:#59636e;margin:0 0 1.75rem;\
        padding-bottom:1rem;border-bottom:1px solid #d1d9e0}";
    let role = facts.role;
    let organization = escape_html(&facts.organization.name);
    let title = escape_html(&role.title);
    let mut facts_line = vec![organization.clone()];
    if let Some(location) = role.location.as_deref().filter(|l| !l.trim().is_empty()) {
        facts_line.push(escape_html(location));
    }
    facts_line.push(
        match role.workplace {
            Workplace::Onsite => "On site",
            Workplace::Hybrid => "Hybrid",
            Workplace::Remote => "Remote",
        }
        .to_owned(),
    );
    facts_line.push(employment_type(role.employment_type).replace('_', " ").to_lowercase());
    let description = document.get("description").and_then(Value::as_str).unwrap_or_default();
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title} at {organization}</title>\n<style>{PAGE_STYLE}</style>\n\
         <script type=\"application/ld+json\">{json}</script>\n</head>\n<body>\n<main>\n\
         <h1>{title}</h1>\n<p class=\"facts\">{facts}</p>\n{description}\n</main>\n</body>\n</html>\n",
        json = script_json(document),
        facts = facts_line.join(" · "),
    )
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use entity::{RoleStatus, Seniority};
    use uuid::Uuid;

    use super::*;

    fn organization() -> organizations::Model {
        let at = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
        organizations::Model {
            id: Uuid::from_u128(1),
            name: "Acme <Data>".to_owned(),
            slug: "acme".to_owned(),
            created_at: at,
            updated_at: at,
            event_sequence: 0,
            publishes_jobs: true,
        }
    }

    fn role() -> roles::Model {
        let created = Utc.with_ymd_and_hms(2026, 3, 1, 9, 30, 0).unwrap();
        roles::Model {
            id: Uuid::from_u128(2),
            organization_id: Uuid::from_u128(1),
            title: "Data Engineer </script><script>alert(1)</script>".to_owned(),
            description: "Spark & Kafka.\nStreaming.\n\nApply <now>!".to_owned(),
            department: None,
            location: Some("Berlin, Germany".to_owned()),
            workplace: Workplace::Hybrid,
            employment_type: EmploymentType::Contract,
            seniority: Seniority::Senior,
            min_years_experience: 5,
            status: RoleStatus::Open,
            headcount: 2,
            salary_min: Some(70_000),
            salary_max: Some(90_000),
            salary_currency: Some("EUR".to_owned()),
            external_source: None,
            external_id: None,
            created_at: created,
            updated_at: created,
            version: 1,
            search_text: String::new(),
            opened_at: Some(Utc.with_ymd_and_hms(2026, 3, 5, 8, 0, 0).unwrap()),
            valid_through: Some(Utc.with_ymd_and_hms(2026, 6, 30, 23, 59, 59).unwrap()),
        }
    }

    fn facts<'a>(role: &'a roles::Model, organization: &'a organizations::Model) -> PostingFacts<'a> {
        PostingFacts {
            role,
            organization,
            skills: vec![
                ("Apache Spark".to_owned(), Importance::Required),
                ("Scala".to_owned(), Importance::Preferred),
                ("Haskell".to_owned(), Importance::NiceToHave),
            ],
        }
    }

    #[test]
    fn maps_every_field_google_reads() {
        let (role, organization) = (role(), organization());
        let posting = job_posting(&facts(&role, &organization), Some("https://jobs.example/jobs/2"));
        assert_eq!(posting["@context"], "https://schema.org/");
        assert_eq!(posting["@type"], "JobPosting");
        assert_eq!(posting["title"], role.title);
        assert_eq!(posting["description"], "<p>Spark &amp; Kafka.<br>Streaming.</p><p>Apply &lt;now&gt;!</p>");
        assert_eq!(posting["datePosted"], "2026-03-05T08:00:00Z", "first opening, not creation");
        assert_eq!(posting["validThrough"], "2026-06-30T23:59:59Z");
        assert_eq!(posting["employmentType"], "CONTRACTOR");
        assert_eq!(posting["hiringOrganization"], json!({ "@type": "Organization", "name": "Acme <Data>" }));
        assert_eq!(
            posting["jobLocation"],
            json!({ "@type": "Place", "address": { "@type": "PostalAddress", "addressLocality": "Berlin", "addressCountry": "Germany" } })
        );
        assert!(posting.get("jobLocationType").is_none());
        assert_eq!(
            posting["baseSalary"],
            json!({ "@type": "MonetaryAmount", "currency": "EUR",
                "value": { "@type": "QuantitativeValue", "minValue": 70_000, "maxValue": 90_000, "unitText": "YEAR" } })
        );
        assert_eq!(posting["skills"], json!(["Apache Spark", "Scala"]), "nice-to-haves are not asked for");
        assert_eq!(
            posting["experienceRequirements"],
            json!({ "@type": "OccupationalExperienceRequirements", "monthsOfExperience": 60 })
        );
        assert_eq!(posting["totalJobOpenings"], 2);
        assert_eq!(posting["identifier"]["value"], Uuid::from_u128(2).to_string());
        assert_eq!(posting["url"], "https://jobs.example/jobs/2");
    }

    #[test]
    fn remote_roles_are_telecommute_with_their_applicant_area() {
        let organization = organization();
        let remote = roles::Model {
            workplace: Workplace::Remote,
            location: Some("European Union".to_owned()),
            salary_min: None,
            opened_at: None,
            valid_through: None,
            ..role()
        };
        let posting = job_posting(&PostingFacts { role: &remote, organization: &organization, skills: vec![] }, None);
        assert_eq!(posting["jobLocationType"], "TELECOMMUTE");
        assert_eq!(
            posting["applicantLocationRequirements"],
            json!({ "@type": "AdministrativeArea", "name": "European Union" })
        );
        assert!(posting.get("jobLocation").is_none() && posting.get("baseSalary").is_none());
        assert!(
            posting.get("validThrough").is_none() && posting.get("skills").is_none() && posting.get("url").is_none()
        );
        assert_eq!(posting["datePosted"], "2026-03-01T09:30:00Z", "creation when never recorded opening");
        let nowhere = roles::Model { location: None, ..remote };
        let posting = job_posting(&PostingFacts { role: &nowhere, organization: &organization, skills: vec![] }, None);
        assert!(posting.get("applicantLocationRequirements").is_none());
    }

    #[test]
    fn the_page_cannot_be_broken_out_of() {
        let (role, organization) = (role(), organization());
        let facts = facts(&role, &organization);
        let document = job_posting(&facts, None);
        let page = posting_page(&facts, &document);
        assert_eq!(page.matches("</script>").count(), 1, "only the page's own closing tag: {page}");
        assert_eq!(page.matches("<script").count(), 1, "{page}");
        assert!(page.contains("<h1>Data Engineer &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;</h1>"), "{page}");
        assert!(page.contains("Acme &lt;Data&gt;"), "{page}");
        let start = page.find("application/ld+json\">").unwrap() + "application/ld+json\">".len();
        let end = page[start..].find("</script>").unwrap() + start;
        let embedded: Value = serde_json::from_str(&page[start..end]).unwrap();
        assert_eq!(embedded, document, "the escaped JSON reads back as the same document");
    }

    #[test]
    fn texts_become_escaped_paragraphs() {
        assert_eq!(text_as_html("a\r\nb\n\n\n c "), "<p>a<br>b</p><p>c</p>");
        assert_eq!(escape_html("<a href=\"x\">'&'</a>"), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
        assert_eq!(script_json(&json!("</script>\u{2028}&")), "\"\\u003c/script\\u003e\\u2028\\u0026\"");
    }
}
