//! Matching over HTTP: rankings on the demo data, explanations that add up, paging, filters,
//! the talent pool, tenancy, bad input, freshness and statement counts.

use std::collections::{HashMap, HashSet};

use entity::RecruiterRole::{Admin, Recruiter};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};
use talentgraph::demo;

use crate::helpers::{Backend, TestApp, first_error_code};
use crate::on_both_backends;
use crate::roles::{create_role, tech_lead};

on_both_backends!(
    ranks_the_demo_pool_for_the_flagship_role_with_explanations_that_add_up,
    pages_through_the_ranking_once_each_also_while_candidates_change,
    filters_the_ranking,
    counts_the_talent_pool_in_one_pass,
    ranks_open_roles_for_a_candidate_and_drafts,
    never_sees_another_organization,
    refuses_bad_input_clearly,
    reflects_a_committed_change_in_the_next_answer,
    identity_fields_change_no_score_and_no_rank,
    takes_a_constant_number_of_statements,
    prices_rankings_in_the_cost_model,
);

const MATCHES: &str = "query ($role: ID!, $first: Int, $after: String, $filter: MatchFilterInput) {
  matchCandidates(roleId: $role, first: $first, after: $after, filter: $filter) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage endCursor }
    edges { cursor node {
      score meetsAllRequired scorerVersion weights { required preferred niceToHave experience }
      candidate { id fullName location yearsExperience }
      requirements { status via satisfaction points weight importance alternativesGroup requiredLevel requiredYears
                     candidateLevel candidateYears skills { slug } requirementSkill { slug } matchedSkill { slug } }
      experience { requiredYears candidateYears satisfaction points }
    } }
  }
}";

/// Seeds the demo organization into `app`'s database and returns a token of its ADMIN and the
/// flagship role's global id.
async fn demo(app: &TestApp) -> (String, String) {
    demo::seed(&app.db, &demo::SeedOptions::default()).await.unwrap();
    let login = app.login(demo::DEMO_EMAIL, demo::DEMO_PASSWORD).await;
    let token = login["data"]["login"]["accessToken"].as_str().unwrap().to_owned();
    let roles = app.graphql_with(Some(&token), "{ roles(first: 100) { nodes { id title } } }", json!({})).await;
    let flagship = roles["data"]["roles"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["title"] == demo::FLAGSHIP_ROLE_TITLE)
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    (token, flagship)
}

/// Every page of a ranking, following `endCursor`.
async fn all_pages(app: &TestApp, token: &str, role: &str, first: i64, filter: &Value) -> (Vec<Value>, u64) {
    let mut edges = Vec::new();
    let mut after = Value::Null;
    loop {
        let body = app
            .graphql_with(
                Some(token),
                MATCHES,
                json!({ "role": role, "first": first, "after": after, "filter": filter }),
            )
            .await;
        assert!(body["errors"].is_null(), "{body}");
        let connection = &body["data"]["matchCandidates"];
        edges.extend(connection["edges"].as_array().unwrap().iter().cloned());
        if connection["pageInfo"]["hasNextPage"] != true {
            return (edges, connection["totalCount"].as_u64().unwrap());
        }
        after = connection["pageInfo"]["endCursor"].clone();
    }
}

fn requirement<'a>(node: &'a Value, slug: &str) -> &'a Value {
    node["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["skills"].as_array().unwrap().iter().any(|s| s["slug"] == slug))
        .unwrap_or_else(|| panic!("no requirement for {slug}: {node}"))
}

fn assert_adds_up(node: &Value) {
    let points: f64 =
        node["requirements"].as_array().unwrap().iter().map(|r| r["points"].as_f64().unwrap()).sum::<f64>()
            + node["experience"]["points"].as_f64().unwrap_or(0.0);
    let score = node["score"].as_f64().unwrap();
    assert!((points - score).abs() < 1e-9, "points {points} vs score {score}: {node}");
    assert!((0.0..=100.0).contains(&score));
}

fn rank_tuple(node: &Value) -> (bool, f64, String) {
    use base64::Engine;
    // A global id is base64 of `Candidate:<uuid hex>`: the hex orders as the uuid does.
    let global = node["candidate"]["id"].as_str().unwrap();
    let id = String::from_utf8(base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(global).unwrap()).unwrap();
    (node["meetsAllRequired"].as_bool().unwrap(), node["score"].as_f64().unwrap(), id)
}

const CREATE_CANDIDATE: &str = "mutation ($input: CreateCandidateInput!) {
  createCandidate(input: $input) { candidate { id version } userErrors { field code message } }
}";

async fn create_candidate(app: &TestApp, token: &str, input: Value) -> (String, i64) {
    let body = app.graphql_with(Some(token), CREATE_CANDIDATE, json!({ "input": input })).await;
    let candidate = &body["data"]["createCandidate"]["candidate"];
    assert!(candidate["id"].is_string(), "{body}");
    (candidate["id"].as_str().unwrap().to_owned(), candidate["version"].as_i64().unwrap())
}

/// Every required skill of the flagship role at level 5 with 8 years, plus `extra`.
fn flagship_skills(without: &[&str], extra: &[(&str, i64)]) -> Value {
    let required = [
        "apache-spark",
        "spark-structured-streaming",
        "apache-kafka",
        "apache-hive",
        "apache-impala",
        "leadership",
        "mentoring",
        "communication",
    ];
    let mut skills: Vec<Value> = required
        .iter()
        .filter(|s| !without.contains(s))
        .map(|s| json!({ "skill": s, "level": 5, "years": 8 }))
        .collect();
    skills.extend(extra.iter().map(|(s, level)| json!({ "skill": s, "level": level, "years": 8 })));
    Value::Array(skills)
}

async fn ranks_the_demo_pool_for_the_flagship_role_with_explanations_that_add_up(app: TestApp) {
    let (token, role) = demo(&app).await;
    let scala = create_candidate(
        &app,
        &token,
        json!({ "fullName": "Scala Only", "yearsExperience": 12, "skills": flagship_skills(&[], &[("scala", 5)]) }),
    )
    .await
    .0;
    let python = create_candidate(
        &app,
        &token,
        json!({ "fullName": "Python Only", "yearsExperience": 12, "skills": flagship_skills(&[], &[("python", 5)]) }),
    )
    .await
    .0;
    let no_spark = create_candidate(
        &app,
        &token,
        json!({ "fullName": "No Spark", "yearsExperience": 12,
                "skills": flagship_skills(&["apache-spark", "spark-structured-streaming"], &[("python", 5), ("java", 5), ("sql", 5)]) }),
    )
    .await
    .0;
    let streaming = create_candidate(
        &app,
        &token,
        json!({ "fullName": "Streaming", "yearsExperience": 12, "skills": flagship_skills(&["apache-spark"], &[("python", 5)]) }),
    )
    .await
    .0;
    let (edges, total) = all_pages(&app, &token, &role, 100, &json!({})).await;
    let active = entity::candidates::Entity::find()
        .filter(entity::candidates::Column::Status.eq(entity::CandidateStatus::Active))
        .all(&app.db)
        .await
        .unwrap()
        .len() as u64;
    assert_eq!(total, active, "every active candidate of the demo organization is ranked");
    assert_eq!(edges.len() as u64, total);
    let nodes: Vec<&Value> = edges.iter().map(|e| &e["node"]).collect();
    for node in &nodes {
        assert_adds_up(node);
        assert_eq!(node["scorerVersion"], "talentgraph-match-1");
        assert_eq!(node["weights"], json!({ "required": 3.0, "preferred": 2.0, "niceToHave": 1.0, "experience": 2.0 }));
        // 17 requirement rows, Scala and Python one group: 16 requirements.
        assert_eq!(node["requirements"].as_array().unwrap().len(), 16);
    }
    let ranks: Vec<(bool, f64, String)> = nodes.iter().map(|n| rank_tuple(n)).collect();
    for pair in ranks.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        let order = b.0.cmp(&a.0).then_with(|| b.1.total_cmp(&a.1)).then_with(|| a.2.cmp(&b.2));
        assert!(order.is_lt(), "{a:?} before {b:?}");
    }
    let position = |id: &str| nodes.iter().position(|n| n["candidate"]["id"] == id).unwrap();
    let (scala_node, python_node, no_spark_node) =
        (nodes[position(&scala)], nodes[position(&python)], nodes[position(&no_spark)]);
    for (node, skill) in [(scala_node, "scala"), (python_node, "python")] {
        let group = requirement(node, "scala");
        assert_eq!(group["alternativesGroup"], "scala-or-python");
        assert_eq!(group["status"], "MET", "{group}");
        assert_eq!(group["matchedSkill"]["slug"], skill);
        assert_eq!(group["via"], "EXACT");
        assert_eq!(node["meetsAllRequired"], true, "{node}");
    }
    let spark = requirement(no_spark_node, "apache-spark");
    assert_eq!(spark["status"], "MISSING", "{spark}");
    assert_eq!(
        (spark["via"].clone(), spark["matchedSkill"].clone(), spark["points"].as_f64()),
        (Value::Null, Value::Null, Some(0.0))
    );
    assert_eq!(no_spark_node["meetsAllRequired"], false);
    let streaming_node = nodes[position(&streaming)];
    let spark = requirement(streaming_node, "apache-spark");
    assert_eq!((spark["status"].as_str(), spark["via"].as_str()), (Some("MET"), Some("NARROWER")), "{spark}");
    assert_eq!(spark["matchedSkill"]["slug"], "spark-structured-streaming");
    assert_eq!(streaming_node["meetsAllRequired"], true, "a narrower skill satisfies its broader one");
    assert!(position(&scala) < position(&no_spark) && position(&python) < position(&no_spark));
    // Demo candidates meeting everything rank above the best one missing Spark.
    let missing_spark = nodes.iter().position(|n| requirement(n, "apache-spark")["status"] == "MISSING").unwrap();
    let full = nodes.iter().position(|n| n["meetsAllRequired"] == true).unwrap();
    assert!(full < missing_spark);
    // The same input gives the same ranking.
    let (again, _) = all_pages(&app, &token, &role, 100, &json!({})).await;
    assert_eq!(again, edges);
}

async fn pages_through_the_ranking_once_each_also_while_candidates_change(app: TestApp) {
    let (token, role) = demo(&app).await;
    let (whole, total) = all_pages(&app, &token, &role, 100, &json!({})).await;
    let (paged, paged_total) = all_pages(&app, &token, &role, 7, &json!({})).await;
    assert_eq!(total, paged_total);
    assert_eq!(paged, whole, "pages of 7 give the same sequence as pages of 100");
    let ids: HashSet<&Value> = paged.iter().map(|e| &e["node"]["candidate"]["id"]).collect();
    assert_eq!(ids.len() as u64, total, "each candidate exactly once");

    // Change candidates between pages: a new top candidate and a demoted one do not make the
    // unchanged ones appear twice or vanish.
    let first = app.graphql_with(Some(&token), MATCHES, json!({ "role": role, "first": 20 })).await;
    let page = &first["data"]["matchCandidates"];
    let cursor = page["pageInfo"]["endCursor"].clone();
    let mut seen: Vec<String> = page["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["candidate"]["id"].as_str().unwrap().to_owned())
        .collect();
    let demoted = whole[60]["node"]["candidate"]["id"].as_str().unwrap().to_owned();
    let body = app
        .graphql_with(
            Some(&token),
            "mutation ($id: ID!) { setCandidateSkills(input: { candidateId: $id, skills: [] }) { userErrors { code } } }",
            json!({ "id": demoted }),
        )
        .await;
    assert_eq!(body["data"]["setCandidateSkills"]["userErrors"], json!([]), "{body}");
    create_candidate(
        &app,
        &token,
        json!({ "fullName": "Newcomer", "yearsExperience": 15, "skills": flagship_skills(&[], &[("scala", 5)]) }),
    )
    .await;
    let mut after = cursor;
    loop {
        let body = app.graphql_with(Some(&token), MATCHES, json!({ "role": role, "first": 50, "after": after })).await;
        let connection = &body["data"]["matchCandidates"];
        seen.extend(
            connection["edges"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["node"]["candidate"]["id"].as_str().unwrap().to_owned()),
        );
        if connection["pageInfo"]["hasNextPage"] != true {
            break;
        }
        after = connection["pageInfo"]["endCursor"].clone();
    }
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for id in &seen {
        *counts.entry(id.as_str()).or_default() += 1;
    }
    for edge in &whole {
        let id = edge["node"]["candidate"]["id"].as_str().unwrap();
        assert_eq!(counts.get(id).copied().unwrap_or(0), 1, "{id} seen once");
    }
}

async fn filters_the_ranking(app: TestApp) {
    let (token, role) = demo(&app).await;
    let (all, total) = all_pages(&app, &token, &role, 100, &json!({})).await;
    let (qualified, qualified_total) =
        all_pages(&app, &token, &role, 100, &json!({ "onlyFullyQualified": true })).await;
    assert!(qualified_total > 0 && qualified_total < total);
    assert!(qualified.iter().all(|e| e["node"]["meetsAllRequired"] == true));
    let expected = all.iter().filter(|e| e["node"]["meetsAllRequired"] == true).count() as u64;
    assert_eq!(qualified_total, expected);
    let (scored, _) = all_pages(&app, &token, &role, 100, &json!({ "minScore": 60.0 })).await;
    assert!(scored.iter().all(|e| e["node"]["score"].as_f64().unwrap() >= 60.0));
    assert_eq!(scored.len(), all.iter().filter(|e| e["node"]["score"].as_f64().unwrap() >= 60.0).count());
    let (berlin, _) = all_pages(&app, &token, &role, 100, &json!({ "location": "berlin" })).await;
    assert!(!berlin.is_empty());
    assert!(
        berlin.iter().all(|e| e["node"]["candidate"]["location"].as_str().unwrap().to_lowercase().contains("berlin"))
    );
    let (near, _) = all_pages(&app, &token, &role, 100, &json!({ "nearRole": true })).await;
    assert_eq!(near.len(), berlin.len(), "the flagship is a hybrid role in Berlin");
    let (both, _) = all_pages(&app, &token, &role, 100, &json!({ "nearRole": true, "location": "munich" })).await;
    assert!(both.is_empty(), "nobody is in Berlin and Munich at once");
    // Candidates in the pipeline.
    let pipeline = app
        .graphql_with(
            Some(&token),
            "query ($id: ID!) { node(id: $id) { ... on Role { applications { candidate { id } } } } }",
            json!({ "id": role }),
        )
        .await;
    let in_pipeline: HashSet<&Value> =
        pipeline["data"]["node"]["applications"].as_array().unwrap().iter().map(|a| &a["candidate"]["id"]).collect();
    assert!(!in_pipeline.is_empty(), "the demo flagship has a pipeline");
    let (fresh, fresh_total) = all_pages(&app, &token, &role, 100, &json!({ "excludeInPipeline": true })).await;
    assert!(fresh.iter().all(|e| !in_pipeline.contains(&e["node"]["candidate"]["id"])));
    let in_pool = all.iter().filter(|e| in_pipeline.contains(&e["node"]["candidate"]["id"])).count() as u64;
    assert_eq!(fresh_total, total - in_pool);
    // Archived candidates are left out unless asked for.
    let archived = all[0]["node"]["candidate"]["id"].clone();
    let body = app
        .graphql_with(
            Some(&token),
            "mutation ($id: ID!) { archiveCandidate(id: $id) { userErrors { code } } }",
            json!({ "id": archived }),
        )
        .await;
    assert!(body["errors"].is_null(), "{body}");
    let (_, without) = all_pages(&app, &token, &role, 100, &json!({})).await;
    let (_, with) = all_pages(&app, &token, &role, 100, &json!({ "includeArchived": true })).await;
    assert_eq!(without, total - 1);
    assert!(with > without);
    // Role.matches is the same ranking.
    let body = app
        .graphql_with(
            Some(&token),
            "query ($id: ID!) { role(id: $id) { matches(first: 3) { totalCount nodes { score candidate { id } } } } }",
            json!({ "id": role }),
        )
        .await;
    let matches = &body["data"]["role"]["matches"];
    assert_eq!(matches["totalCount"], without);
    let direct = app.graphql_with(Some(&token), MATCHES, json!({ "role": role, "first": 3 })).await;
    let direct_ids: Vec<&Value> = direct["data"]["matchCandidates"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["node"]["candidate"]["id"])
        .collect();
    let nested_ids: Vec<&Value> = matches["nodes"].as_array().unwrap().iter().map(|n| &n["candidate"]["id"]).collect();
    assert_eq!(nested_ids, direct_ids);
}

const TALENT_POOL: &str = "query ($role: ID!) {
  talentPool(roleId: $role) {
    scorerVersion poolSize qualified missingExactlyOne
    requirements { importance alternativesGroup met partial missing moreIfPreferred moreIfLevelLower moreIfYearsLower skills { slug } }
  }
}";

async fn counts_the_talent_pool_in_one_pass(app: TestApp) {
    let (token, role) = demo(&app).await;
    let body = app.graphql_with(Some(&token), TALENT_POOL, json!({ "role": role })).await;
    assert!(body["errors"].is_null(), "{body}");
    let pool = &body["data"]["talentPool"];
    let (all, total) = all_pages(&app, &token, &role, 100, &json!({})).await;
    assert_eq!(pool["poolSize"], total);
    let qualified = all.iter().filter(|e| e["node"]["meetsAllRequired"] == true).count();
    assert_eq!(pool["qualified"], qualified);
    // Cross-check every count against the explanations of the whole ranking.
    let requirements = pool["requirements"].as_array().unwrap();
    assert_eq!(requirements.len(), 16);
    let mut only_missing = vec![0u64; requirements.len()];
    let mut lower_level = vec![0u64; requirements.len()];
    let mut missing_one = 0;
    for edge in &all {
        let outcomes = edge["node"]["requirements"].as_array().unwrap();
        let missed: Vec<usize> = outcomes
            .iter()
            .enumerate()
            .filter(|(_, r)| r["importance"] == "REQUIRED" && r["status"] != "MET")
            .map(|(i, _)| i)
            .collect();
        if let [one] = missed[..] {
            missing_one += 1;
            only_missing[one] += 1;
            let r = &outcomes[one];
            let level_ok = r["candidateLevel"].as_i64().is_some_and(|l| l >= r["requiredLevel"].as_i64().unwrap() - 1);
            let years_ok = r["requiredYears"].as_i64().is_none_or(|y| r["candidateYears"].as_i64().unwrap_or(0) >= y);
            if level_ok && years_ok && r["requiredLevel"].as_i64().unwrap() > 1 && r["status"] == "PARTIAL" {
                lower_level[one] += 1;
            }
        }
    }
    assert_eq!(pool["missingExactlyOne"], missing_one);
    for (i, r) in requirements.iter().enumerate() {
        let explained: Vec<&Value> = all.iter().map(|e| &e["node"]["requirements"][i]).collect();
        assert_eq!(r["met"], explained.iter().filter(|x| x["status"] == "MET").count(), "{r}");
        let partial: Vec<&&Value> = explained.iter().filter(|x| x["status"] == "PARTIAL").collect();
        assert_eq!(r["partial"], partial.len(), "{r}: {:?}", partial.iter().take(3).collect::<Vec<_>>());
        assert_eq!(r["met"].as_u64().unwrap() + r["partial"].as_u64().unwrap() + r["missing"].as_u64().unwrap(), total);
        if r["importance"] == "REQUIRED" {
            assert_eq!(r["moreIfPreferred"], only_missing[i], "{r}");
            assert_eq!(r["moreIfLevelLower"], lower_level[i], "{r}");
        } else {
            assert_eq!(r["moreIfPreferred"], Value::Null);
        }
    }
    let spark = requirements.iter().find(|r| r["skills"][0]["slug"] == "apache-spark").unwrap();
    assert!(spark["moreIfYearsLower"].is_u64(), "Spark asks for 5 years: {spark}");
}

async fn ranks_open_roles_for_a_candidate_and_drafts(app: TestApp) {
    let (token, flagship) = demo(&app).await;
    let (lead, _) = create_candidate(
        &app,
        &token,
        json!({ "fullName": "Lead", "yearsExperience": 12, "skills": flagship_skills(&[], &[("scala", 5)]) }),
    )
    .await;
    let body = app
        .graphql_with(
            Some(&token),
            "query ($id: ID!) { matchRoles(candidateId: $id, first: 3) { totalCount edges { cursor node { score meetsAllRequired role { id title status } requirements { points } experience { points } } } pageInfo { hasNextPage endCursor } } }",
            json!({ "id": lead }),
        )
        .await;
    assert!(body["errors"].is_null(), "{body}");
    let connection = &body["data"]["matchRoles"];
    let edges = connection["edges"].as_array().unwrap();
    assert_eq!(edges[0]["node"]["role"]["id"], flagship.as_str(), "the flagship fits the lead best");
    assert_eq!(edges[0]["node"]["meetsAllRequired"], true);
    assert!(edges.iter().all(|e| e["node"]["role"]["status"] == "OPEN"));
    for edge in edges {
        assert_adds_up(&edge["node"]);
    }
    let next = app
        .graphql_with(
            Some(&token),
            "query ($id: ID!, $after: String) { candidate(id: $id) { matchingRoles(first: 100, after: $after) { nodes { role { id } } } } }",
            json!({ "id": lead, "after": connection["pageInfo"]["endCursor"] }),
        )
        .await;
    let rest = next["data"]["candidate"]["matchingRoles"]["nodes"].as_array().unwrap();
    assert_eq!(rest.len() as u64 + 3, connection["totalCount"].as_u64().unwrap(), "{next}");

    // A draft: "spark" by its alias, Scala or Python.
    let body = app
        .graphql_with(
            Some(&token),
            "{ matchCandidatesForRequirements(requirements: [{ skill: \"spark\", minLevel: 4 }, { skill: \"scala\", alternativesGroup: \"jvm-or-py\" }, { skill: \"python\", alternativesGroup: \"jvm-or-py\" }], minYearsExperience: 5, first: 5) { totalCount nodes { score meetsAllRequired requirements { via status alternativesGroup skills { slug } } } } }",
            json!({}),
        )
        .await;
    assert!(body["errors"].is_null(), "{body}");
    let nodes = body["data"]["matchCandidatesForRequirements"]["nodes"].as_array().unwrap();
    assert_eq!(nodes[0]["requirements"].as_array().unwrap().len(), 2);
    assert_eq!(nodes[0]["requirements"][0]["via"], "ALIAS", "asked as \"spark\": {}", nodes[0]);
    assert_eq!(nodes[0]["requirements"][1]["skills"], json!([{ "slug": "scala" }, { "slug": "python" }]));
    assert_eq!(nodes[0]["meetsAllRequired"], true);
}

async fn never_sees_another_organization(app: TestApp) {
    let role = create_role(&app, tech_lead()).await["role"]["id"].as_str().unwrap().to_owned();
    let acme = app.token(&app.acme, Recruiter).await;
    let globex = app.token(&app.globex, Recruiter).await;
    let (ours, _) = create_candidate(
        &app,
        &acme,
        json!({ "fullName": "Acme Person", "skills": [{ "skill": "spark", "level": 5 }] }),
    )
    .await;
    let (theirs, _) = create_candidate(
        &app,
        &globex,
        json!({ "fullName": "Globex Person", "skills": [{ "skill": "spark", "level": 5 }] }),
    )
    .await;
    let body = app.graphql_with(Some(&acme), MATCHES, json!({ "role": role, "first": 100 })).await;
    let ids: Vec<&Value> = body["data"]["matchCandidates"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["node"]["candidate"]["id"])
        .collect();
    assert_eq!(ids, [&json!(ours)], "{body}");
    // Globex cannot rank for Acme's role, nor match Acme's candidate, nor count its pool.
    let body = app.graphql_with(Some(&globex), MATCHES, json!({ "role": role })).await;
    assert_eq!(first_error_code(&body), Some("NOT_FOUND"), "{body}");
    let body = app.graphql_with(Some(&globex), TALENT_POOL, json!({ "role": role })).await;
    assert_eq!(first_error_code(&body), Some("NOT_FOUND"), "{body}");
    let body = app
        .graphql_with(
            Some(&globex),
            "query ($id: ID!) { matchRoles(candidateId: $id) { totalCount } }",
            json!({ "id": ours }),
        )
        .await;
    assert_eq!(first_error_code(&body), Some("NOT_FOUND"), "{body}");
    let body = app
        .graphql_with(
            Some(&acme),
            "query ($id: ID!) { matchRoles(candidateId: $id) { totalCount } }",
            json!({ "id": theirs }),
        )
        .await;
    assert_eq!(first_error_code(&body), Some("NOT_FOUND"), "{body}");
    // Globex's own skill is unknown to Acme.
    let admin = app.token(&app.globex, Admin).await;
    let body = app
        .graphql_with(
            Some(&admin),
            "mutation { createSkill(input: { name: \"Globex Flow\", category: TOOL }) { skill { id } userErrors { code message } } }",
            json!({}),
        )
        .await;
    assert!(body["data"]["createSkill"]["skill"]["id"].is_string(), "{body}");
    let draft = "{ matchCandidatesForRequirements(requirements: [{ skill: \"Globex Flow\" }]) { totalCount } }";
    let body = app.graphql_with(Some(&acme), draft, json!({})).await;
    assert_eq!(first_error_code(&body), Some("BAD_USER_INPUT"), "{body}");
    let body = app.graphql_with(Some(&globex), draft, json!({})).await;
    assert_eq!(body["data"]["matchCandidatesForRequirements"]["totalCount"], 1, "{body}");
}

async fn refuses_bad_input_clearly(app: TestApp) {
    let role = create_role(&app, tech_lead()).await["role"]["id"].as_str().unwrap().to_owned();
    let cases = [
        (json!({ "role": role, "first": 101 }), "BAD_USER_INPUT", "first"),
        (json!({ "role": role, "first": -1 }), "BAD_USER_INPUT", "first"),
        (json!({ "role": role, "after": "not-a-cursor" }), "BAD_USER_INPUT", "after"),
        (json!({ "role": role, "filter": { "minScore": 101.0 } }), "BAD_USER_INPUT", "filter.minScore"),
        (json!({ "role": "Um9sZTpub3BlCg" }), "BAD_USER_INPUT", "roleId"),
        (json!({ "role": talentgraph::graphql::ids::encode("Role", uuid::Uuid::now_v7()).0 }), "NOT_FOUND", ""),
    ];
    for (variables, code, field) in cases {
        let body = app.graphql(MATCHES, variables.clone()).await;
        assert_eq!(first_error_code(&body), Some(code), "{variables}: {body}");
        assert_eq!(body["data"], Value::Null, "{body}");
        if !field.is_empty() {
            assert_eq!(body["errors"][0]["extensions"]["field"], json!(field.split('.').collect::<Vec<_>>()), "{body}");
        }
    }
    let body = app
        .graphql("{ matchCandidatesForRequirements(requirements: [{ skill: \"sparkk\" }]) { totalCount } }", json!({}))
        .await;
    assert_eq!(first_error_code(&body), Some("BAD_USER_INPUT"), "{body}");
    assert!(body["errors"][0]["message"].as_str().unwrap().contains("did you mean"), "{body}");
    let body = app
        .graphql("{ matchCandidatesForRequirements(requirements: [{ skill: \"spark\" }], filter: { excludeInPipeline: true }) { totalCount } }", json!({}))
        .await;
    assert_eq!(first_error_code(&body), Some("BAD_USER_INPUT"), "{body}");
    let body = app.anonymous(MATCHES, json!({ "role": role })).await;
    assert_eq!(first_error_code(&body), Some("UNAUTHENTICATED"), "{body}");
}

async fn reflects_a_committed_change_in_the_next_answer(app: TestApp) {
    let role = create_role(&app, tech_lead()).await["role"]["id"].as_str().unwrap().to_owned();
    let token = app.token(&app.acme, Recruiter).await;
    let (someone, _) =
        create_candidate(&app, &token, json!({ "fullName": "Someone", "skills": [{ "skill": "java", "level": 2 }] }))
            .await;
    let before = app.graphql_with(Some(&token), MATCHES, json!({ "role": role })).await;
    assert_eq!(before["data"]["matchCandidates"]["edges"][0]["node"]["meetsAllRequired"], false);
    let body = app
        .graphql_with(
            Some(&token),
            "mutation ($id: ID!) { setCandidateSkills(input: { candidateId: $id, skills: [{ skill: \"spark\", level: 5 }, { skill: \"kafka\", level: 5 }, { skill: \"scala\", level: 5 }] }) { userErrors { code } } }",
            json!({ "id": someone }),
        )
        .await;
    assert_eq!(body["data"]["setCandidateSkills"]["userErrors"], json!([]), "{body}");
    let after = app.graphql_with(Some(&token), MATCHES, json!({ "role": role })).await;
    let top = &after["data"]["matchCandidates"]["edges"][0]["node"];
    assert_eq!(top["candidate"]["id"], someone.as_str());
    assert_eq!(top["meetsAllRequired"], true, "{top}");
    // A newcomer is in the very next answer.
    let (newcomer, _) = create_candidate(
        &app,
        &token,
        json!({ "fullName": "Newcomer", "skills": [{ "skill": "python", "level": 5 }] }),
    )
    .await;
    let again = app.graphql_with(Some(&token), MATCHES, json!({ "role": role })).await;
    assert_eq!(again["data"]["matchCandidates"]["totalCount"], 2);
    assert!(again.to_string().contains(&newcomer));
}

async fn fairness_ranking(app: &TestApp, token: &str, role: &str) -> Value {
    let query = "query ($role: ID!) { matchCandidates(roleId: $role) { edges { node { score meetsAllRequired candidate { id } requirements { points } } } } }";
    let body = app.graphql_with(Some(token), query, json!({ "role": role })).await;
    assert!(body["errors"].is_null(), "{body}");
    body["data"]["matchCandidates"]["edges"].clone()
}

/// A pool of candidates: the same skills, two sets of identity fields.
async fn identity_fields_change_no_score_and_no_rank(app: TestApp) {
    let role = create_role(&app, tech_lead()).await["role"]["id"].as_str().unwrap().to_owned();
    let token = app.token(&app.acme, Recruiter).await;
    let skill_sets = [
        json!([{ "skill": "spark", "level": 5 }, { "skill": "kafka", "level": 4 }, { "skill": "scala", "level": 4 }]),
        json!([{ "skill": "spark", "level": 3 }, { "skill": "python", "level": 5 }]),
        json!([{ "skill": "spark", "level": 5 }, { "skill": "kafka", "level": 4 }, { "skill": "scala", "level": 4 }]),
        json!([{ "skill": "java", "level": 5 }]),
        json!([]),
        json!([{ "skill": "kafka", "level": 5 }, { "skill": "python", "level": 2 }, { "skill": "java", "level": 3 }]),
    ];
    let mut ids = Vec::new();
    for (i, skills) in skill_sets.iter().enumerate() {
        let input = json!({
            "fullName": format!("Person {i}"), "email": format!("p{i}@example.com"), "phone": "+49 30 1234",
            "location": "Berlin, Germany", "yearsExperience": 4 + i, "source": "Referral",
            "links": [{ "label": "GitHub", "url": format!("https://github.com/p{i}") }], "tags": ["a"], "skills": skills,
        });
        ids.push(create_candidate(&app, &token, input).await);
    }
    let before = fairness_ranking(&app, &token, &role).await;
    for (i, (id, version)) in ids.iter().enumerate() {
        let body = app
            .graphql_with(
                Some(&token),
                "mutation ($input: UpdateCandidateInput!) { updateCandidate(input: $input) { userErrors { field code } } }",
                json!({ "input": {
                    "id": id, "expectedVersion": version,
                    "fullName": format!("Zz Other {}", 9 - i), "email": format!("other{i}@elsewhere.org"), "phone": "+1 555 0100",
                    "location": "Lagos, Nigeria", "source": "Job board", "headline": "Changed", "summary": "Changed too",
                    "links": [{ "label": "Site", "url": format!("https://other.example/{i}") }], "tags": ["b", "c"],
                } }),
            )
            .await;
        assert_eq!(body["data"]["updateCandidate"]["userErrors"], json!([]), "{body}");
    }
    let after = fairness_ranking(&app, &token, &role).await;
    assert_eq!(after, before, "identity fields change no score and no rank");
}

async fn takes_a_constant_number_of_statements(plain: TestApp) {
    let backend = if plain.db.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
        Backend::Postgres
    } else {
        Backend::Sqlite
    };
    drop(plain);
    let log = talentgraph::config::StatementLog::default();
    let shared = log.clone();
    let app = TestApp::spawn_with(backend, move |s| s.statement_log = Some(shared)).await.unwrap();
    let (token, role) = demo(&app).await;
    // The first request builds the pool; count the ones after.
    app.graphql_with(Some(&token), MATCHES, json!({ "role": role, "first": 1 })).await;
    let mut counts = Vec::new();
    for first in [5, 50] {
        log.lock().unwrap().clear();
        let body = app.graphql_with(Some(&token), MATCHES, json!({ "role": role, "first": first })).await;
        assert!(body["errors"].is_null(), "{body}");
        assert_eq!(body["data"]["matchCandidates"]["edges"].as_array().unwrap().len(), first);
        counts.push(log.lock().unwrap().clone());
    }
    for statements in &counts {
        // Freshness check, role, requirements, the page's candidates, their skills (batched).
        let sqls: Vec<&str> = statements.iter().map(|s| s.sql.as_str()).collect();
        assert!(statements.len() <= 8, "{} statements:\n{}", statements.len(), sqls.join("\n"));
    }
    assert!(counts[1].len() <= counts[0].len() + 2, "a larger page costs no more statements");
}

/// Two servers on one PostgreSQL database: a change committed through one is in the other's
/// next answer.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_on_one_postgres_see_each_others_changes() {
    let Some(app) = TestApp::spawn_if_available(Backend::Postgres).await else { return };
    let second_address = app.second_instance().await;

    let role = create_role(&app, tech_lead()).await["role"]["id"].as_str().unwrap().to_owned();
    let token = app.token(&app.acme, Recruiter).await;
    let on_second = |query: &'static str, variables: Value| {
        let client = app.client.clone();
        let url = format!("{second_address}/graphql");
        let token = token.clone();
        async move {
            client
                .post(url)
                .bearer_auth(token)
                .json(&json!({ "query": query, "variables": variables }))
                .send()
                .await
                .unwrap()
                .json::<Value>()
                .await
                .unwrap()
        }
    };
    let (someone, _) =
        create_candidate(&app, &token, json!({ "fullName": "Someone", "skills": [{ "skill": "java", "level": 2 }] }))
            .await;
    // Both instances build their pools.
    let first = on_second(MATCHES, json!({ "role": role })).await;
    assert_eq!(first["data"]["matchCandidates"]["totalCount"], 1, "{first}");
    app.graphql_with(Some(&token), MATCHES, json!({ "role": role })).await;
    // A change through the first instance...
    let body = app
        .graphql_with(
            Some(&token),
            "mutation ($id: ID!) { setCandidateSkills(input: { candidateId: $id, skills: [{ skill: \"spark\", level: 5 }, { skill: \"kafka\", level: 5 }, { skill: \"python\", level: 5 }] }) { userErrors { code } } }",
            json!({ "id": someone }),
        )
        .await;
    assert_eq!(body["data"]["setCandidateSkills"]["userErrors"], json!([]), "{body}");
    create_candidate(&app, &token, json!({ "fullName": "Newcomer", "skills": [{ "skill": "scala", "level": 5 }] }))
        .await;
    // ...is in the second instance's next answer.
    let after = on_second(MATCHES, json!({ "role": role })).await;
    let connection = &after["data"]["matchCandidates"];
    assert_eq!(connection["totalCount"], 2, "{after}");
    assert_eq!(connection["edges"][0]["node"]["candidate"]["id"], someone.as_str());
    assert_eq!(connection["edges"][0]["node"]["meetsAllRequired"], true, "{after}");
}

async fn prices_rankings_in_the_cost_model(app: TestApp) {
    let role = create_role(&app, tech_lead()).await["role"]["id"].as_str().unwrap().to_owned();
    let cost = |body: &Value| body["extensions"]["cost"]["requestedQueryCost"].as_u64().unwrap();
    // matchCandidates 1 + ranking 5000 + nodes (1 + 10 × score 1).
    let body = app
        .graphql("query ($r: ID!) { matchCandidates(roleId: $r, first: 10) { nodes { score } } }", json!({ "r": role }))
        .await;
    assert_eq!(cost(&body), 1 + 5_000 + 1 + 10, "{body}");
    // Role.matches per role: a ranking each.
    let body = app.graphql("{ roles(first: 4) { nodes { matches(first: 2) { nodes { score } } } } }", json!({})).await;
    assert_eq!(cost(&body), 1 + 1 + 4 * (1 + 5_000 + 1 + 2), "{body}");
    let body = app.graphql("query ($r: ID!) { talentPool(roleId: $r) { qualified } }", json!({ "r": role })).await;
    assert_eq!(cost(&body), 1 + 10_000 + 1, "{body}");
    // A ranking per role of a large page is refused before anything runs.
    let body = app
        .graphql(
            "{ roles(first: 100) { nodes { matches(first: 100) { nodes { score candidate { fullName } } } } } }",
            json!({}),
        )
        .await;
    assert_eq!(first_error_code(&body), Some("QUERY_TOO_COMPLEX"), "{body}");
}
