//! ATS sync over GraphQL: bulk upserts keyed by external reference (idempotent, per-item
//! refusals, the batch limit, tenancy, scopes, statement counts).

use entity::RecruiterRole::{Admin, Viewer};
use entity::{candidate_skills, candidates, domain_events};
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::{Value, json};
use talentgraph::config::StatementLog;

use crate::helpers::{Backend, TestApp, first_error_code};
use crate::on_both_backends;

on_both_backends!(
    upserting_a_batch_twice_changes_nothing_the_second_time,
    refused_items_are_reported_and_the_others_applied,
    batches_over_a_thousand_items_are_refused_whole,
    external_ids_stay_inside_their_organization,
    roles_upsert_with_their_requirements_and_lifecycle,
    a_poller_sees_every_change_once_while_another_client_writes,
    the_change_feed_shows_each_caller_what_it_may_read,
    concurrent_batches_of_the_same_records_create_each_once,
);

pub const UPSERT: &str = "mutation ($input: [CandidateUpsertInput!]!) {
  upsertCandidates(input: $input) {
    results { index status userErrors { field code message }
              candidate { id fullName email tags version updatedAt skills { level years skill { slug } } } }
    userErrors { field code message }
  }
}";

fn person(id: &str, name: &str) -> Value {
    json!({ "externalSource": "greenhouse", "externalId": id, "fullName": name })
}

/// Only what each item became: a thousand results with their candidates' skills would cost
/// more than a request may.
const UPSERT_STATUSES: &str = "mutation ($input: [CandidateUpsertInput!]!) {
  upsertCandidates(input: $input) { results { index status userErrors { field code message } } userErrors { field code message } }
}";

async fn upsert(app: &TestApp, items: Value) -> Value {
    upsert_with(app, UPSERT, items).await
}

async fn upsert_with(app: &TestApp, query: &str, items: Value) -> Value {
    let body = app.graphql(query, json!({ "input": items })).await;
    assert!(body["errors"].is_null(), "{body}");
    body["data"]["upsertCandidates"].clone()
}

fn statuses(payload: &Value) -> Vec<Value> {
    payload["results"].as_array().unwrap().iter().map(|r| r["status"].clone()).collect()
}

async fn event_names(app: &TestApp) -> Vec<String> {
    let mut rows = domain_events::Entity::find().all(&app.db).await.unwrap();
    rows.sort_by_key(|row| (row.organization_id, row.sequence));
    rows.into_iter().map(|row| row.name).collect()
}

async fn upserting_a_batch_twice_changes_nothing_the_second_time(app: TestApp) {
    let mut dana = person("gh-1", "Dana Scully");
    dana["email"] = json!("Dana@Example.com");
    dana["tags"] = json!(["Remote", "visa"]);
    dana["skills"] = json!([{ "skill": "apache spark", "level": 4, "years": 5 }, { "skill": "Python", "level": 3 }]);
    let mut fox = person("gh-2", "Fox Mulder");
    fox["links"] = json!([{ "label": "GitHub", "url": "https://github.com/fox" }]);
    let batch = json!([dana, fox, person("gh-3", "Walter Skinner")]);

    let first = upsert(&app, batch.clone()).await;
    assert_eq!(first["userErrors"], json!([]));
    assert_eq!(statuses(&first), ["CREATED", "CREATED", "CREATED"]);
    let results = first["results"].as_array().unwrap();
    assert_eq!(results.iter().map(|r| r["index"].clone()).collect::<Vec<_>>(), [0, 1, 2]);
    let created = &results[0]["candidate"];
    assert_eq!(created["fullName"], "Dana Scully");
    assert_eq!(created["email"], "dana@example.com");
    assert_eq!(created["tags"], json!(["remote", "visa"]));
    assert_eq!(created["version"], 1);
    assert_eq!(
        created["skills"],
        json!([{ "level": 4, "years": 5, "skill": { "slug": "apache-spark" } }, { "level": 3, "years": null, "skill": { "slug": "python" } }])
    );
    let events = event_names(&app).await;
    assert_eq!(events, ["candidate.create", "candidate.create", "candidate.create"]);

    // The same batch again: nothing changes, not even updatedAt, version or the log.
    let second = upsert(&app, batch.clone()).await;
    assert_eq!(statuses(&second), ["UNCHANGED", "UNCHANGED", "UNCHANGED"]);
    for (before, after) in results.iter().zip(second["results"].as_array().unwrap()) {
        assert_eq!(before["candidate"], after["candidate"], "an unchanged item reads as before");
    }
    assert_eq!(event_names(&app).await, events);

    // A changed name and skills: one item UPDATED, with one event per kind of change.
    let mut changed = batch.clone();
    changed[0]["fullName"] = json!("Dana K. Scully");
    changed[0]["skills"] = json!([{ "skill": "spark", "level": 5 }]);
    changed[1]["tags"] = json!(["x-files"]);
    // Omitted skills and tags stay as they are.
    changed[2] = person("gh-3", "Walter Skinner");
    let third = upsert(&app, changed.clone()).await;
    assert_eq!(statuses(&third), ["UPDATED", "UPDATED", "UNCHANGED"]);
    let updated = &third["results"][0]["candidate"];
    assert_eq!((updated["fullName"].as_str(), updated["version"].as_i64()), (Some("Dana K. Scully"), Some(2)));
    assert_eq!(updated["skills"], json!([{ "level": 5, "years": null, "skill": { "slug": "apache-spark" } }]));
    assert_eq!(updated["tags"], json!(["remote", "visa"]), "tags omitted: kept");
    assert_eq!(third["results"][1]["candidate"]["tags"], json!(["x-files"]));
    assert_eq!(
        event_names(&app).await[3..],
        ["candidate.update", "candidate.set_skills", "candidate.update"],
        "in input order, one per change"
    );
    let facts = domain_events::Entity::find().all(&app.db).await.unwrap();
    let update = facts.iter().find(|e| e.name == "candidate.update").unwrap();
    assert_eq!(update.payload.as_ref().unwrap()["data"]["fields"], json!(["fullName"]));
    assert_eq!(update.payload.as_ref().unwrap()["data"]["version"], 2);
    let again = upsert(&app, changed).await;
    assert_eq!(statuses(&again), ["UNCHANGED", "UNCHANGED", "UNCHANGED"]);
    assert_eq!(event_names(&app).await.len(), 6);

    // Tags and skills given as empty lists clear them.
    let mut cleared = person("gh-1", "Dana K. Scully");
    cleared["email"] = json!("dana@example.com");
    cleared["skills"] = json!([]);
    cleared["tags"] = json!([]);
    let fourth = upsert(&app, json!([cleared])).await;
    assert_eq!(statuses(&fourth), ["UPDATED"]);
    assert_eq!(fourth["results"][0]["candidate"]["skills"], json!([]));
    assert_eq!(fourth["results"][0]["candidate"]["tags"], json!([]));
    assert_eq!(candidates::Entity::find().count(&app.db).await.unwrap(), 3);
}

async fn refused_items_are_reported_and_the_others_applied(app: TestApp) {
    let mut taken = person("gh-9", "Existing Person");
    taken["email"] = json!("taken@example.com");
    assert_eq!(statuses(&upsert(&app, json!([taken])).await), ["CREATED"]);
    let before = event_names(&app).await.len();

    let mut unknown_skills = person("gh-11", "Unknown Skills");
    unknown_skills["skills"] =
        json!([{ "skill": "Rust", "level": 3 }, { "skill": "Pythn", "level": 3 }, { "skill": "Zzqx", "level": 2 }]);
    let mut bad_email = person("gh-12", "Bad Email");
    bad_email["email"] = json!("not an email");
    let mut email_taken = person("gh-13", "Email Taken");
    email_taken["email"] = json!("TAKEN@example.com");
    let mut bad_level = person("gh-14", "Bad Level");
    bad_level["skills"] = json!([{ "skill": "rust", "level": 9 }]);
    let batch = json!([
        person("gh-10", "Valid One"),
        unknown_skills,
        bad_email,
        person("gh-10", "Same Key Again"),
        email_taken,
        bad_level,
        { "externalSource": " ", "externalId": "gh-15", "fullName": "Blank Source" },
        person("gh-16", "Valid Two"),
    ]);
    let payload = upsert(&app, batch).await;
    assert_eq!(payload["userErrors"], json!([]));
    assert_eq!(json!(statuses(&payload)), json!(["CREATED", null, null, null, null, null, null, "CREATED"]));
    let fields = |index: usize| -> Vec<Value> {
        payload["results"][index]["userErrors"].as_array().unwrap().iter().map(|e| e["field"].clone()).collect()
    };
    assert_eq!(
        fields(1),
        [json!(["input", "1", "skills", "1", "skill"]), json!(["input", "1", "skills", "2", "skill"])],
        "every unknown skill of the item"
    );
    let unknown = &payload["results"][1]["userErrors"][0];
    assert_eq!(unknown["code"], "BAD_USER_INPUT");
    assert!(unknown["message"].as_str().unwrap().contains("did you mean Python"), "{unknown}");
    assert_eq!(fields(2), [json!(["input", "2", "email"])]);
    assert_eq!(fields(3), [json!(["input", "3", "externalId"])]);
    assert!(payload["results"][3]["userErrors"][0]["message"].as_str().unwrap().contains("item 0"));
    assert_eq!(fields(4), [json!(["input", "4", "email"])]);
    assert_eq!(fields(5), [json!(["input", "5", "skills", "0", "level"])]);
    assert_eq!(fields(6), [json!(["input", "6", "externalSource"])]);
    for index in [1, 2, 3, 4, 5, 6] {
        assert!(payload["results"][index]["candidate"].is_null());
    }
    let names: Vec<String> =
        candidates::Entity::find().all(&app.db).await.unwrap().into_iter().map(|c| c.full_name).collect();
    assert_eq!(names.len(), 3, "{names:?}");
    assert!(names.contains(&"Valid One".to_owned()) && names.contains(&"Valid Two".to_owned()));
    assert_eq!(event_names(&app).await.len(), before + 2, "refused items record nothing");
}

async fn batches_over_a_thousand_items_are_refused_whole(app: TestApp) {
    let items: Vec<Value> = (0..1001).map(|i| person(&format!("bulk-{i}"), &format!("Person {i}"))).collect();
    let payload = upsert_with(&app, UPSERT_STATUSES, json!(items)).await;
    assert_eq!(payload["results"], json!([]));
    assert_eq!(payload["userErrors"][0]["field"], json!(["input"]));
    assert_eq!(payload["userErrors"][0]["code"], "BAD_USER_INPUT");
    assert!(payload["userErrors"][0]["message"].as_str().unwrap().contains("1001"));
    assert_eq!(candidates::Entity::find().count(&app.db).await.unwrap(), 0, "nothing applied");
    assert_eq!(domain_events::Entity::find().count(&app.db).await.unwrap(), 0);

    // A thousand are taken, priced by their number.
    let cost_query =
        "mutation ($input: [CandidateUpsertInput!]!) { upsertCandidates(input: $input) { results { status } } }";
    let cost_of = |n: usize| {
        let items: Vec<Value> = (0..n).map(|i| person(&format!("bulk-{i}"), &format!("Person {i}"))).collect();
        json!({ "input": items })
    };
    let small = app.graphql(cost_query, cost_of(10)).await;
    let large = app.graphql(cost_query, cost_of(1000)).await;
    assert_eq!(large["data"]["upsertCandidates"]["results"].as_array().unwrap().len(), 1000, "{}", large["errors"]);
    let requested = |body: &Value| body["extensions"]["cost"]["requestedQueryCost"].as_u64().unwrap();
    // Each item: 200 for its write, plus its result's `results` and `status`.
    assert_eq!(requested(&large) - requested(&small), 990 * (200 + 2));
    assert!(requested(&large) > 200_000, "a thousand writes are not cheap: {}", requested(&large));
    assert_eq!(candidates::Entity::find().count(&app.db).await.unwrap(), 1000);
}

async fn external_ids_stay_inside_their_organization(app: TestApp) {
    let acme = upsert(&app, json!([person("shared-1", "Acme Person")])).await;
    let acme_id = acme["results"][0]["candidate"]["id"].clone();
    // The same external reference from Globex is another candidate, in Globex.
    let globex = app
        .graphql_as(
            &app.globex,
            entity::RecruiterRole::Recruiter,
            UPSERT,
            json!({ "input": [person("shared-1", "Globex Person")] }),
        )
        .await;
    let result = &globex["data"]["upsertCandidates"]["results"][0];
    assert_eq!(result["status"], "CREATED", "{globex}");
    assert_ne!(result["candidate"]["id"], acme_id);
    let again = upsert(&app, json!([person("shared-1", "Acme Person")])).await;
    assert_eq!(statuses(&again), ["UNCHANGED"], "Globex's write did not touch Acme's candidate");
    let listed = app
        .graphql_as(&app.globex, Admin, "{ candidates(first: 10) { nodes { fullName externalId } } }", json!({}))
        .await;
    assert_eq!(
        listed["data"]["candidates"]["nodes"],
        json!([{ "fullName": "Globex Person", "externalId": "shared-1" }])
    );

    // Readers may not upsert; an integration needs candidates:write.
    let as_viewer = app.graphql_as(&app.acme, Viewer, UPSERT, json!({ "input": [person("v-1", "Nobody")] })).await;
    assert_eq!(first_error_code(&as_viewer), Some("FORBIDDEN"), "{as_viewer}");
    let reader = crate::security::client_with(&app, json!(["CANDIDATES_READ"])).await;
    let as_reader = app.graphql_with(Some(&reader), UPSERT, json!({ "input": [person("v-1", "Nobody")] })).await;
    assert_eq!(first_error_code(&as_reader), Some("FORBIDDEN"), "{as_reader}");
    let writer = crate::security::client_with(&app, json!(["CANDIDATES_WRITE"])).await;
    let as_writer = app.graphql_with(Some(&writer), UPSERT, json!({ "input": [person("w-1", "Synced")] })).await;
    assert_eq!(as_writer["data"]["upsertCandidates"]["results"][0]["status"], "CREATED", "{as_writer}");
    assert_eq!(candidates::Entity::find().count(&app.db).await.unwrap(), 3);
    assert_eq!(candidate_skills::Entity::find().count(&app.db).await.unwrap(), 0);
}

/// A batch takes a few statements whatever its size: 20 items and 400 items with skills and
/// tags, created and then changed, run the same statements.
mod batches_take_a_few_statements {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        super::statement_counts(crate::helpers::Backend::Sqlite).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        super::statement_counts(crate::helpers::Backend::Postgres).await;
    }
}

async fn statement_counts(backend: Backend) {
    let log = StatementLog::default();
    let shared = log.clone();
    let Some(app) = TestApp::spawn_with(backend, move |s| s.statement_log = Some(shared)).await else { return };
    let batch = |n: usize, level: i32| -> Value {
        let items: Vec<Value> = (0..n)
            .map(|i| {
                let mut item = person(&format!("s-{n}-{i}"), &format!("Person {i}"));
                item["email"] = json!(format!("p{n}-{i}@example.com"));
                item["tags"] = json!(["sync", format!("t{}", i % 7)]);
                item["skills"] = json!([{ "skill": "rust", "level": level }, { "skill": "kafka", "level": 2 }]);
                item
            })
            .collect();
        json!(items)
    };
    let mut counts = Vec::new();
    for n in [20, 400] {
        for level in [3, 4, 4] {
            app.token(&app.acme, entity::RecruiterRole::Recruiter).await;
            log.lock().unwrap().clear();
            let payload = upsert_with(&app, UPSERT_STATUSES, batch(n, level)).await;
            assert_eq!(payload["results"].as_array().unwrap().len(), n);
            // The batch, each statement shown by its first words; not the caller's check, which
            // the first request makes and later ones repeat only after 10 s (a slow machine).
            let statements: Vec<String> = log
                .lock()
                .unwrap()
                .iter()
                .filter(|s| !s.sql.contains("FROM \"recruiters\""))
                .map(|s| s.sql.chars().take(60).collect())
                .collect();
            counts.push(statements.len());
            assert!(statements.len() <= 16, "{n} items, level {level}: {statements:#?}");
        }
    }
    assert_eq!(counts[..3], counts[3..], "the same statements for 20 and 400 items: {counts:?}");
}

const UPSERT_ROLES: &str = "mutation ($input: [RoleUpsertInput!]!) {
  upsertRoles(input: $input) {
    results { index status userErrors { field code message }
              role { id title status version requirements { importance minLevel skill { slug } } } }
    userErrors { field code message }
  }
}";

async fn roles_upsert_with_their_requirements_and_lifecycle(app: TestApp) {
    let upsert_roles = |items: Value| {
        let app = &app;
        async move {
            let body = app.graphql(UPSERT_ROLES, json!({ "input": items })).await;
            assert!(body["errors"].is_null(), "{body}");
            body["data"]["upsertRoles"].clone()
        }
    };
    let lead = json!({ "externalSource": "lever", "externalId": "job-1", "title": "Data Lead", "status": "OPEN",
        "requirements": [{ "skill": "spark", "minLevel": 4 }, { "skill": "Python", "importance": "PREFERRED" }] });
    let draft = json!({ "externalSource": "lever", "externalId": "job-2", "title": "Analyst" });
    let first = upsert_roles(json!([lead, draft])).await;
    assert_eq!(statuses(&first), ["CREATED", "CREATED"]);
    let role = &first["results"][0]["role"];
    assert_eq!((role["status"].as_str(), role["version"].as_i64()), (Some("OPEN"), Some(1)));
    assert_eq!(
        role["requirements"],
        json!([{ "importance": "REQUIRED", "minLevel": 4, "skill": { "slug": "apache-spark" } },
               { "importance": "PREFERRED", "minLevel": 3, "skill": { "slug": "python" } }])
    );
    assert_eq!(first["results"][1]["role"]["status"], "DRAFT");
    let events = event_names(&app).await;
    assert_eq!(events, ["role.create", "role.create"]);

    let again = upsert_roles(json!([lead, draft])).await;
    assert_eq!(statuses(&again), ["UNCHANGED", "UNCHANGED"]);
    assert_eq!(again["results"][0]["role"], first["results"][0]["role"]);
    assert_eq!(event_names(&app).await, events);

    // New requirements and a move to FILLED: one event per kind of change, one version.
    let mut filled = lead.clone();
    filled["status"] = json!("FILLED");
    filled["requirements"] = json!([{ "skill": "spark", "minLevel": 5 }]);
    let mut renamed = draft.clone();
    renamed["title"] = json!("Senior Analyst");
    let changed = upsert_roles(json!([filled, renamed])).await;
    assert_eq!(statuses(&changed), ["UPDATED", "UPDATED"]);
    let role = &changed["results"][0]["role"];
    assert_eq!((role["status"].as_str(), role["version"].as_i64()), (Some("FILLED"), Some(2)));
    assert_eq!(
        role["requirements"],
        json!([{ "importance": "REQUIRED", "minLevel": 5, "skill": { "slug": "apache-spark" } }])
    );
    assert_eq!(event_names(&app).await[2..], ["role.set_requirements", "role.change_status", "role.update"]);

    // The lifecycle holds: a FILLED role does not reopen; the rest of the batch applies.
    let mut reopened = filled.clone();
    reopened["status"] = json!("OPEN");
    let mut unknown = json!({ "externalSource": "lever", "externalId": "job-3", "title": "Ghost",
        "requirements": [{ "skill": "Zzqx" }] });
    let refused = upsert_roles(json!([reopened, renamed, unknown.clone()])).await;
    assert_eq!(json!(statuses(&refused)), json!([null, "UNCHANGED", null]));
    assert_eq!(refused["results"][0]["userErrors"][0]["field"], json!(["input", "0", "status"]));
    assert_eq!(refused["results"][2]["userErrors"][0]["field"], json!(["input", "2", "requirements", "0", "skill"]));
    unknown["status"] = json!("CLOSED");
    unknown["requirements"] = json!([]);
    let closed = upsert_roles(json!([unknown])).await;
    assert_eq!(
        closed["results"][0]["userErrors"][0]["field"],
        json!(["input", "0", "status"]),
        "a new role is DRAFT or OPEN"
    );
    assert_eq!(event_names(&app).await.len(), 5, "refusals record nothing");

    let as_viewer = app.graphql_as(&app.acme, Viewer, UPSERT_ROLES, json!({ "input": [draft] })).await;
    assert_eq!(first_error_code(&as_viewer), Some("FORBIDDEN"), "{as_viewer}");
    let candidate_writer = crate::security::client_with(&app, json!(["CANDIDATES_WRITE"])).await;
    let as_client = app.graphql_with(Some(&candidate_writer), UPSERT_ROLES, json!({ "input": [draft] })).await;
    assert_eq!(first_error_code(&as_client), Some("FORBIDDEN"), "roles need roles:write: {as_client}");
}

const CHANGES: &str = "query ($after: String) {
  changes(first: 7, after: $after) { nodes { cursor action entityType entityId removed occurredAt } pageInfo { endCursor } }
}";

async fn a_poller_sees_every_change_once_while_another_client_writes(app: TestApp) {
    use std::sync::atomic::{AtomicBool, Ordering};
    let done = AtomicBool::new(false);
    let writer = async {
        for round in 0..12 {
            // Creates, then changes, the same ten candidates; every third round erases one.
            let items: Vec<Value> =
                (0..10).map(|i| person(&format!("p-{i}"), &format!("Person {i} v{}", round / 2))).collect();
            upsert_with(&app, UPSERT_STATUSES, json!(items)).await;
            let created = app
                .graphql(
                    "mutation ($name: String!) { createCandidate(input: { fullName: $name }) { candidate { id } } }",
                    json!({ "name": format!("Walk-in {round}") }),
                )
                .await;
            let id = created["data"]["createCandidate"]["candidate"]["id"].clone();
            if round % 3 == 0 {
                let erased = app
                    .graphql_as(
                        &app.acme,
                        Admin,
                        "mutation ($id: ID!) { eraseCandidate(id: $id) { userErrors { code } } }",
                        json!({ "id": id }),
                    )
                    .await;
                assert_eq!(erased["data"]["eraseCandidate"]["userErrors"], json!([]), "{erased}");
            }
        }
        done.store(true, Ordering::SeqCst);
    };
    let poller = async {
        let (mut seen, mut after, mut empty_after_done) = (Vec::<Value>::new(), Value::Null, 0);
        let mut rounds = 0;
        while empty_after_done < 2 {
            rounds += 1;
            assert!(rounds < 2_000, "the poller loops");
            let body = app.graphql(CHANGES, json!({ "after": after })).await;
            let page = &body["data"]["changes"];
            let nodes = page["nodes"].as_array().unwrap_or_else(|| panic!("{body}")).clone();
            if nodes.is_empty() {
                // Two empty pages in a row once the writer has finished.
                if done.load(Ordering::SeqCst) {
                    empty_after_done += 1;
                }
                tokio::time::sleep(std::time::Duration::from_millis(20)).await;
                continue;
            }
            empty_after_done = 0;
            after = page["pageInfo"]["endCursor"].clone();
            seen.extend(nodes);
        }
        seen
    };
    let ((), seen) = tokio::join!(writer, poller);
    let mut log = domain_events::Entity::find().all(&app.db).await.unwrap();
    log.sort_by_key(|row| row.sequence);
    assert_eq!(
        seen.iter().map(|c| c["action"].as_str().unwrap().to_owned()).collect::<Vec<_>>(),
        log.iter().map(|row| row.name.clone()).collect::<Vec<_>>(),
        "every change, once, in the log's order"
    );
    let cursors: std::collections::HashSet<&str> = seen.iter().map(|c| c["cursor"].as_str().unwrap()).collect();
    assert_eq!(cursors.len(), seen.len(), "no change twice");
    let removed: Vec<&Value> = seen.iter().filter(|c| c["removed"] == true).collect();
    assert_eq!(removed.len(), 4, "the erasures are in the feed");
    assert!(removed.iter().all(|c| c["action"] == "candidate.erase" && c["entityType"] == "Candidate"));
}

async fn the_change_feed_shows_each_caller_what_it_may_read(app: TestApp) {
    upsert(&app, json!([person("f-1", "Feed Person")])).await;
    let role = json!({ "externalSource": "lever", "externalId": "f-job", "title": "Feed Role" });
    app.graphql(UPSERT_ROLES, json!({ "input": [role] })).await;
    let actions = |body: &Value| -> Vec<String> {
        body["data"]["changes"]["nodes"]
            .as_array()
            .unwrap_or_else(|| panic!("{body}"))
            .iter()
            .map(|c| c["action"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(actions(&app.graphql(CHANGES, json!({})).await), ["candidate.create", "role.create"]);
    let candidate_reader = crate::security::client_with(&app, json!(["CANDIDATES_READ"])).await;
    assert_eq!(actions(&app.graphql_with(Some(&candidate_reader), CHANGES, json!({})).await), ["candidate.create"]);
    let webhooks_only = crate::security::client_with(&app, json!(["WEBHOOKS_MANAGE"])).await;
    let refused = app.graphql_with(Some(&webhooks_only), CHANGES, json!({})).await;
    assert_eq!(first_error_code(&refused), Some("FORBIDDEN"), "{refused}");
    // Another organization's feed holds only its own changes.
    let globex = app.graphql_as(&app.globex, Admin, CHANGES, json!({})).await;
    assert_eq!(actions(&globex), Vec::<String>::new());
    // The last cursor leads to an empty page, whose endCursor is null: keep the old one.
    let all = app.graphql(CHANGES, json!({})).await;
    let last = all["data"]["changes"]["pageInfo"]["endCursor"].clone();
    let after = app.graphql(CHANGES, json!({ "after": last })).await;
    assert_eq!(actions(&after), Vec::<String>::new());
    assert!(after["data"]["changes"]["pageInfo"]["endCursor"].is_null());
    let bad = app.graphql(CHANGES, json!({ "after": "not-a-cursor" })).await;
    assert_eq!(first_error_code(&bad), Some("BAD_USER_INPUT"), "{bad}");
}

async fn concurrent_batches_of_the_same_records_create_each_once(app: TestApp) {
    let items: Vec<Value> = (0..50).map(|i| person(&format!("c-{i}"), &format!("Person {i}"))).collect();
    let send = || async {
        let body = app.graphql(UPSERT_STATUSES, json!({ "input": items })).await;
        assert!(body["errors"].is_null(), "never a top-level error: {body}");
        body["data"]["upsertCandidates"].clone()
    };
    let (first, second) = tokio::join!(send(), send());
    // Either the batches ran one after the other (CREATED, then UNCHANGED), or the second met the
    // first's new rows while inserting and was refused whole, to be sent again.
    for payload in [&first, &second] {
        let statuses: std::collections::HashSet<Value> = statuses(payload).into_iter().collect();
        let refused = payload["userErrors"].as_array().unwrap();
        assert!(
            statuses == [json!("CREATED")].into()
                || statuses == [json!("UNCHANGED")].into()
                || (statuses.is_empty() && refused[0]["code"] == "CONFLICT"),
            "{payload}"
        );
    }
    assert_eq!(candidates::Entity::find().count(&app.db).await.unwrap(), 50);
    assert_eq!(event_names(&app).await, vec!["candidate.create"; 50]);
    let again = upsert_with(&app, UPSERT_STATUSES, json!(items)).await;
    assert_eq!(statuses(&again), vec![json!("UNCHANGED"); 50]);
}
