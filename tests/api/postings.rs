//! Public job postings (schema.org JobPosting): `Role.jobPosting`, the ADMIN switch, and the
//! open routes `/jobs/{id}`, `/jobs/{id}.jsonld` and `/orgs/{slug}/jobs.jsonld`, over HTTP.

use entity::RecruiterRole::{Admin, Recruiter, Viewer};
use serde_json::{Value, json};
use talentgraph::config::StatementLog;

use crate::helpers::{Backend, TestApp, first_error_code};
use crate::on_both_backends;
use crate::roles::{create_role, tech_lead};

on_both_backends!(
    publishes_an_open_role_as_json_ld_and_html,
    keeps_everything_else_private,
    answers_gone_for_deleted_and_expired_roles,
    lists_an_organizations_live_postings,
    only_admins_switch_publishing,
    job_postings_of_a_page_load_in_batches,
);

const PUBLISH: &str = "mutation ($enabled: Boolean!) { setJobPublishing(enabled: $enabled) {
    organization { slug publishesJobs } userErrors { field code message } } }";

async fn publish(app: &TestApp, organization: &crate::helpers::TestOrganization, enabled: bool) {
    let body = app.graphql_as(organization, Admin, PUBLISH, json!({ "enabled": enabled })).await;
    assert_eq!(body["data"]["setJobPublishing"]["organization"]["publishesJobs"], enabled, "{body}");
}

/// The row id inside a global id, as the public URLs name roles.
fn uuid_of(global_id: &Value) -> String {
    use base64::Engine;
    let text = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(global_id.as_str().unwrap()).unwrap();
    let (_, raw) = std::str::from_utf8(&text).unwrap().split_once(':').unwrap().to_owned();
    uuid::Uuid::try_parse(raw).unwrap().to_string()
}

async fn get(app: &TestApp, path: &str) -> reqwest::Response {
    app.client.get(app.url(path)).send().await.unwrap()
}

async fn status_of(app: &TestApp, path: &str) -> u16 {
    get(app, path).await.status().as_u16()
}

fn open_role() -> Value {
    let mut role = tech_lead();
    role["title"] = json!("Data Engineer </script><script>alert('x')</script>");
    role["description"] = json!("Spark & Kafka.\nStreaming <fast>.\n\nApply now!");
    role["location"] = json!("Berlin, Germany");
    role["employmentType"] = json!("CONTRACT");
    role["headcount"] = json!(2);
    role["validThrough"] = json!("2099-06-30T23:59:59Z");
    role
}

async fn publishes_an_open_role_as_json_ld_and_html(app: TestApp) {
    let created = create_role(&app, open_role()).await;
    let role_id = created["role"]["id"].clone();
    let uuid = uuid_of(&role_id);
    publish(&app, &app.acme, true).await;

    let response = get(&app, &format!("/jobs/{uuid}.jsonld")).await;
    assert_eq!(response.status(), 200);
    let headers = response.headers().clone();
    assert_eq!(headers["content-type"], "application/ld+json");
    assert_eq!(headers["cache-control"], "public, max-age=300");
    let etag = headers["etag"].to_str().unwrap().to_owned();
    assert!(etag.starts_with('"') && etag.len() == 34, "{etag}");
    let posting: Value = response.json().await.unwrap();
    assert_eq!(posting["@context"], "https://schema.org/");
    assert_eq!(posting["@type"], "JobPosting");
    assert_eq!(posting["title"], "Data Engineer </script><script>alert('x')</script>");
    assert_eq!(posting["description"], "<p>Spark &amp; Kafka.<br>Streaming &lt;fast&gt;.</p><p>Apply now!</p>");
    let posted = posting["datePosted"].as_str().unwrap();
    assert!(chrono::DateTime::parse_from_rfc3339(posted).is_ok(), "{posted}");
    assert_eq!(posting["validThrough"], "2099-06-30T23:59:59Z");
    assert_eq!(posting["employmentType"], "CONTRACTOR");
    assert_eq!(posting["hiringOrganization"], json!({ "@type": "Organization", "name": "Acme" }));
    assert_eq!(
        posting["jobLocation"],
        json!({ "@type": "Place", "address": { "@type": "PostalAddress", "addressLocality": "Berlin", "addressCountry": "Germany" } })
    );
    assert_eq!(
        posting["baseSalary"],
        json!({ "@type": "MonetaryAmount", "currency": "EUR",
            "value": { "@type": "QuantitativeValue", "minValue": 95_000, "maxValue": 130_000, "unitText": "YEAR" } })
    );
    assert_eq!(posting["skills"], json!(["Apache Spark", "Apache Kafka", "Scala", "Python", "Java"]));
    assert_eq!(
        posting["experienceRequirements"],
        json!({ "@type": "OccupationalExperienceRequirements", "monthsOfExperience": 120 })
    );
    assert_eq!(posting["totalJobOpenings"], 2);
    assert_eq!(posting["identifier"], json!({ "@type": "PropertyValue", "name": "Acme", "value": uuid }));
    assert_eq!(posting["url"], app.url(&format!("/jobs/{uuid}")));
    // What Google requires of a JobPosting: title, description, datePosted, hiringOrganization
    // with a name, and a jobLocation with an address (or TELECOMMUTE with an applicant area).
    for field in ["title", "description", "datePosted", "hiringOrganization", "jobLocation"] {
        assert!(!posting[field].is_null(), "{field} missing: {posting}");
    }
    assert!(posting["hiringOrganization"]["name"].is_string() && posting["jobLocation"]["address"].is_object());

    // A client cannot choose the host in the document (it is cached publicly): forwarded
    // headers count only from trusted proxies.
    let spoofed: Value = app
        .client
        .get(app.url(&format!("/jobs/{uuid}.jsonld")))
        .header("x-forwarded-host", "evil.example")
        .header("forwarded", "host=evil.example;proto=https")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(spoofed["url"], app.url(&format!("/jobs/{uuid}")));

    // Unchanged: 304 with the same tag; any change makes a new tag.
    let cached =
        app.client.get(app.url(&format!("/jobs/{uuid}.jsonld"))).header("if-none-match", &etag).send().await.unwrap();
    assert_eq!(cached.status(), 304);
    assert_eq!(cached.headers()["etag"].to_str().unwrap(), etag);
    assert!(cached.text().await.unwrap().is_empty());

    // The GraphQL field gives the same document (without the public URL), whatever the switch.
    let field = app
        .graphql("query ($id: ID!) { role(id: $id) { jobPosting openedAt validThrough } }", json!({ "id": role_id }))
        .await;
    let mut expected = posting.clone();
    expected.as_object_mut().unwrap().remove("url");
    assert_eq!(field["data"]["role"]["jobPosting"], expected, "{field}");
    assert_eq!(field["data"]["role"]["validThrough"], "2099-06-30T23:59:59+00:00");
    assert!(field["data"]["role"]["openedAt"].is_string());

    // The HTML page embeds the same JSON-LD, escaped so that no value ends the script.
    let page = get(&app, &format!("/jobs/{uuid}")).await;
    assert_eq!(page.status(), 200);
    assert_eq!(page.headers()["content-type"], "text/html; charset=utf-8");
    assert!(page.headers()["content-security-policy"].to_str().unwrap().starts_with("default-src 'none'"));
    let html = page.text().await.unwrap();
    assert_eq!(html.matches("<script").count(), 1, "{html}");
    assert_eq!(html.matches("</script>").count(), 1, "{html}");
    assert!(
        html.contains("<h1>Data Engineer &lt;/script&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;</h1>"),
        "{html}"
    );
    let start = html.find("<script type=\"application/ld+json\">").unwrap() + 35;
    let end = start + html[start..].find("</script>").unwrap();
    let embedded: Value = serde_json::from_str(&html[start..end]).unwrap();
    assert_eq!(embedded, posting);
    assert!(!html[start..end].contains('<'), "escaped: {}", &html[start..end]);

    // The global id works too, redirected to the one canonical URL.
    let no_redirects = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let global = role_id.as_str().unwrap();
    let redirect = no_redirects.get(app.url(&format!("/jobs/{global}.jsonld"))).send().await.unwrap();
    assert_eq!(redirect.status(), 308);
    assert_eq!(redirect.headers()["location"], format!("/jobs/{uuid}.jsonld").as_str());
    assert_eq!(status_of(&app, &format!("/jobs/{global}")).await, 200, "followed");

    // The switch is audited.
    let audit = app
        .graphql_as(
            &app.acme,
            Admin,
            "{ auditEvents(action: \"organization.\") { nodes { action details } } }",
            json!({}),
        )
        .await;
    let nodes = &audit["data"]["auditEvents"]["nodes"];
    assert_eq!(nodes[0]["action"], "organization.set_job_publishing", "{audit}");
    assert_eq!(nodes[0]["details"]["enabled"], true);
}

async fn keeps_everything_else_private(app: TestApp) {
    let open = uuid_of(&create_role(&app, open_role()).await["role"]["id"]);
    let mut draft = tech_lead();
    draft["status"] = json!("DRAFT");
    let draft = uuid_of(&create_role(&app, draft).await["role"]["id"]);

    // Publishing is off: nothing is public, not even OPEN roles.
    for path in
        [format!("/jobs/{open}"), format!("/jobs/{open}.jsonld"), format!("/orgs/{}/jobs.jsonld", app.acme.slug)]
    {
        let response = get(&app, &path).await;
        assert_eq!(response.status(), 404, "{path}");
        assert_eq!(response.headers()["cache-control"], "public, max-age=60");
    }
    publish(&app, &app.acme, true).await;
    assert_eq!(status_of(&app, &format!("/jobs/{open}.jsonld")).await, 200);
    assert_eq!(status_of(&app, &format!("/jobs/{draft}.jsonld")).await, 404, "a draft stays private");
    assert_eq!(status_of(&app, &format!("/jobs/{draft}")).await, 404);

    // Globex does not publish: its OPEN role is not public, although Acme publishes.
    let token = app.token(&app.globex, Recruiter).await;
    let body = app.graphql_with(Some(&token), crate::roles::CREATE, json!({ "input": open_role() })).await;
    let foreign = uuid_of(&body["data"]["createRole"]["role"]["id"]);
    assert_eq!(status_of(&app, &format!("/jobs/{foreign}.jsonld")).await, 404);
    assert_eq!(status_of(&app, &format!("/orgs/{}/jobs.jsonld", app.globex.slug)).await, 404);

    // ON_HOLD and CLOSED roles are not public; reopening brings the posting back.
    let role_id = talentgraph::graphql::ids::encode("Role", open.parse().unwrap());
    let change = "mutation ($id: ID!, $status: RoleStatus!) { changeRoleStatus(input: { id: $id, status: $status }) { role { status openedAt } userErrors { code } } }";
    let opened_at =
        app.graphql("query ($id: ID!) { role(id: $id) { openedAt } }", json!({ "id": role_id })).await["data"]["role"]
            ["openedAt"]
            .clone();
    for (status, expected) in [("ON_HOLD", 404), ("CLOSED", 404), ("OPEN", 200)] {
        let body = app.graphql(change, json!({ "id": role_id, "status": status })).await;
        assert_eq!(body["data"]["changeRoleStatus"]["role"]["status"], status, "{body}");
        assert_eq!(body["data"]["changeRoleStatus"]["role"]["openedAt"], opened_at, "datePosted is the first opening");
        assert_eq!(status_of(&app, &format!("/jobs/{open}.jsonld")).await, expected, "{status}");
    }

    // Malformed ids are 404, never 500: garbage, a global id of another type, an unknown uuid.
    let candidate = talentgraph::graphql::ids::encode("Candidate", open.parse().unwrap());
    for raw in [
        "not-a-uuid".to_owned(),
        "%3Cscript%3E".to_owned(),
        "x".repeat(2_000),
        ".jsonld".to_owned(),
        format!("{open}.json"),
        format!("{open}.jsonld.jsonld"),
        candidate.to_string(),
        uuid::Uuid::now_v7().to_string(),
        "00000000-0000-0000-0000-000000000000".to_owned(),
    ] {
        assert_eq!(status_of(&app, &format!("/jobs/{raw}")).await, 404, "{raw}");
    }
    for slug in ["%00", "ACME", "a%20b", "%E2%80%AE"] {
        assert_eq!(status_of(&app, &format!("/orgs/{slug}/jobs.jsonld")).await, 404, "{slug}");
    }
    assert_eq!(status_of(&app, "/orgs/no-such-org/jobs.jsonld").await, 404);

    // Turning publishing off takes everything down at once.
    publish(&app, &app.acme, false).await;
    assert_eq!(status_of(&app, &format!("/jobs/{open}.jsonld")).await, 404);
    assert_eq!(status_of(&app, &format!("/orgs/{}/jobs.jsonld", app.acme.slug)).await, 404);
}

async fn answers_gone_for_deleted_and_expired_roles(app: TestApp) {
    let mut draft = tech_lead();
    draft["status"] = json!("DRAFT");
    let deleted_id = create_role(&app, draft.clone()).await["role"]["id"].clone();
    let deleted = uuid_of(&deleted_id);
    let body = app
        .graphql(
            "mutation ($id: ID!) { deleteRole(id: $id) { deletedRoleId userErrors { code } } }",
            json!({ "id": deleted_id }),
        )
        .await;
    assert_eq!(body["data"]["deleteRole"]["deletedRoleId"], deleted_id, "{body}");
    assert_eq!(status_of(&app, &format!("/jobs/{deleted}")).await, 404, "the organization does not publish yet");
    publish(&app, &app.acme, true).await;
    let gone = get(&app, &format!("/jobs/{deleted}.jsonld")).await;
    assert_eq!(gone.status(), 410);
    assert_eq!(gone.headers()["cache-control"], "public, max-age=60");
    assert_eq!(status_of(&app, &format!("/jobs/{deleted}")).await, 410);

    // Past its validThrough an OPEN role is gone too; moving the date brings it back.
    let mut expiring = open_role();
    expiring["validThrough"] = json!("2020-01-01T00:00:00Z");
    let expired_id = create_role(&app, expiring).await["role"]["id"].clone();
    let expired = uuid_of(&expired_id);
    assert_eq!(status_of(&app, &format!("/jobs/{expired}.jsonld")).await, 410);
    let feed: Value = get(&app, &format!("/orgs/{}/jobs.jsonld", app.acme.slug)).await.json().await.unwrap();
    assert_eq!(feed["numberOfItems"], 0, "{feed}");
    let update = "mutation ($id: ID!) { updateRole(input: { id: $id, validThrough: null }) { role { validThrough } userErrors { code } } }";
    let body = app.graphql(update, json!({ "id": expired_id })).await;
    assert!(body["data"]["updateRole"]["role"]["validThrough"].is_null(), "{body}");
    assert_eq!(status_of(&app, &format!("/jobs/{expired}.jsonld")).await, 200);

    // Globex's deleted role stays unknown to strangers: Globex does not publish.
    let token = app.token(&app.globex, Recruiter).await;
    let body = app.graphql_with(Some(&token), crate::roles::CREATE, json!({ "input": draft })).await;
    let foreign_id = body["data"]["createRole"]["role"]["id"].clone();
    app.graphql_with(
        Some(&token),
        "mutation ($id: ID!) { deleteRole(id: $id) { deletedRoleId } }",
        json!({ "id": foreign_id }),
    )
    .await;
    assert_eq!(status_of(&app, &format!("/jobs/{}", uuid_of(&foreign_id))).await, 404);
}

async fn lists_an_organizations_live_postings(app: TestApp) {
    let first = create_role(&app, open_role()).await["role"]["id"].clone();
    let mut remote = open_role();
    remote["title"] = json!("Remote Analyst");
    remote["workplace"] = json!("REMOTE");
    remote["location"] = json!("European Union");
    remote["salary"] = Value::Null;
    let second = create_role(&app, remote).await["role"]["id"].clone();
    let mut draft = tech_lead();
    draft["status"] = json!("DRAFT");
    create_role(&app, draft).await;
    publish(&app, &app.acme, true).await;

    let response = get(&app, &format!("/orgs/{}/jobs.jsonld", app.acme.slug)).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/ld+json");
    assert!(response.headers().contains_key("etag"));
    let feed: Value = response.json().await.unwrap();
    assert_eq!(feed["@type"], "ItemList");
    assert_eq!(feed["numberOfItems"], 2, "drafts are not listed: {feed}");
    let items = feed["itemListElement"].as_array().unwrap();
    let ids: Vec<&Value> = items.iter().map(|item| &item["item"]["identifier"]["value"]).collect();
    assert_eq!(ids, [&json!(uuid_of(&second)), &json!(uuid_of(&first))], "newest opening first");
    assert_eq!(items[0]["position"], 1);
    let remote = &items[0]["item"];
    assert_eq!(remote["jobLocationType"], "TELECOMMUTE");
    assert_eq!(
        remote["applicantLocationRequirements"],
        json!({ "@type": "AdministrativeArea", "name": "European Union" })
    );
    assert!(remote.get("jobLocation").is_none() && remote.get("baseSalary").is_none(), "{remote}");
    assert_eq!(remote["url"], app.url(&format!("/jobs/{}", uuid_of(&second))));
}

async fn only_admins_switch_publishing(app: TestApp) {
    for role in [Recruiter, Viewer] {
        let body = app.graphql_as(&app.acme, role, PUBLISH, json!({ "enabled": true })).await;
        assert_eq!(first_error_code(&body), Some("FORBIDDEN"), "{role:?}: {body}");
    }
    let anonymous = app.anonymous(PUBLISH, json!({ "enabled": true })).await;
    assert_eq!(first_error_code(&anonymous), Some("UNAUTHENTICATED"));
    let bad = app.graphql_as(&app.acme, Admin, PUBLISH, json!({ "enabled": "yes" })).await;
    assert!(bad["errors"][0]["message"].as_str().unwrap().contains("enabled"), "{bad}");
    let me = app.graphql_as(&app.acme, Viewer, "{ me { organization { publishesJobs } } }", json!({})).await;
    assert_eq!(me["data"]["me"]["organization"]["publishesJobs"], false, "nothing changed: {me}");

    // An admin of Globex switches Globex, never Acme.
    publish(&app, &app.globex, true).await;
    let me = app.graphql_as(&app.acme, Admin, "{ me { organization { publishesJobs } } }", json!({})).await;
    assert_eq!(me["data"]["me"]["organization"]["publishesJobs"], false);
    let open = uuid_of(&create_role(&app, open_role()).await["role"]["id"]);
    assert_eq!(status_of(&app, &format!("/jobs/{open}")).await, 404);
}

async fn job_postings_of_a_page_load_in_batches(plain: TestApp) {
    let backend = if plain.db.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
        Backend::Postgres
    } else {
        Backend::Sqlite
    };
    drop(plain);
    let log = StatementLog::default();
    let shared = log.clone();
    let app = TestApp::spawn_with(backend, move |s| {
        s.demo = true;
        s.statement_log = Some(shared);
    })
    .await
    .unwrap();
    let login = app.login(talentgraph::demo::DEMO_EMAIL, talentgraph::demo::DEMO_PASSWORD).await;
    let token = login["data"]["login"]["accessToken"].as_str().unwrap().to_owned();
    log.lock().unwrap().clear();
    let body = app.graphql_with(Some(&token), "{ roles(first: 50) { nodes { title jobPosting } } }", json!({})).await;
    let nodes = body["data"]["roles"]["nodes"].as_array().unwrap_or_else(|| panic!("{body}"));
    assert!(nodes.len() >= 5, "the demo has roles: {body}");
    for node in nodes {
        assert_eq!(node["jobPosting"]["title"], node["title"]);
    }
    let statements = log.lock().unwrap().clone();
    let mut by_table = std::collections::BTreeMap::<String, usize>::new();
    for statement in &statements {
        let table = statement.sql.split(" FROM \"").nth(1).and_then(|rest| rest.split('"').next()).unwrap_or("?");
        *by_table.entry(table.to_owned()).or_default() += 1;
    }
    // One batch per table (a busy machine may split one), where one per role would show 50.
    assert!(by_table.values().all(|&count| count <= 4), "{by_table:?}");
}

/// The public routes count requests per client address: past the limit, 429 with Retry-After.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn public_pages_are_rate_limited_per_address() {
    let app = TestApp::spawn_with(Backend::Sqlite, |s| s.limits.public_requests_per_minute = 3).await.unwrap();
    let path = format!("/jobs/{}", uuid::Uuid::now_v7());
    for _ in 0..3 {
        assert_eq!(status_of(&app, &path).await, 404);
    }
    let limited = get(&app, &format!("/orgs/{}/jobs.jsonld", app.acme.slug)).await;
    assert_eq!(limited.status(), 429);
    let retry: u64 = limited.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry), "{retry}");
    let graphql = app.graphql("{ serverVersion }", json!({})).await;
    assert!(graphql["errors"].is_null(), "GraphQL has its own limits: {graphql}");
}
