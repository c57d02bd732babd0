//! The read-only skill taxonomy over GraphQL.

use std::collections::HashSet;

use serde_json::{Value, json};

use crate::helpers::{TestApp, first_error_code};
use crate::on_both_backends;

on_both_backends!(
    pages_forward_and_backward_without_gaps,
    aliases_resolve_to_one_skill,
    bad_paging_arguments_are_refused
);

const PAGE: &str = "query ($first: Int, $after: String, $last: Int, $before: String) {
  skills(first: $first, after: $after, last: $last, before: $before) {
    totalCount
    edges { cursor node { slug name } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}";

fn slugs(connection: &Value) -> Vec<String> {
    connection["edges"].as_array().unwrap().iter().map(|e| e["node"]["slug"].as_str().unwrap().to_owned()).collect()
}

async fn pages_forward_and_backward_without_gaps(app: TestApp) {
    let mut forward = Vec::new();
    let mut after = Value::Null;
    let total;
    loop {
        let body = app.graphql(PAGE, json!({ "first": 37, "after": after })).await;
        let connection = &body["data"]["skills"];
        forward.extend(slugs(connection));
        if !connection["pageInfo"]["hasNextPage"].as_bool().unwrap() {
            total = connection["totalCount"].as_u64().unwrap();
            break;
        }
        after = connection["pageInfo"]["endCursor"].clone();
    }
    assert!(total >= 150);
    assert_eq!(forward.len() as u64, total);
    assert_eq!(forward.iter().collect::<HashSet<_>>().len(), forward.len(), "duplicates");

    let mut backward = Vec::new();
    let mut before = Value::Null;
    loop {
        let body = app.graphql(PAGE, json!({ "last": 41, "before": before })).await;
        let connection = &body["data"]["skills"];
        let mut page = slugs(connection);
        page.extend(backward);
        backward = page;
        if !connection["pageInfo"]["hasPreviousPage"].as_bool().unwrap() {
            break;
        }
        before = connection["pageInfo"]["startCursor"].clone();
    }
    assert_eq!(backward, forward, "backward paging gives the same list");

    // Name order.
    let body = app.graphql(PAGE, json!({ "first": 100 })).await;
    let names: Vec<String> = body["data"]["skills"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["name"].as_str().unwrap().to_owned())
        .collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names.len(), 100);
    assert_eq!(names.first(), sorted.first());
}

async fn aliases_resolve_to_one_skill(app: TestApp) {
    let query = "query ($name: String!) { skill(name: $name) { slug name category aliases broader { slug } implies { slug } } }";
    for spelling in ["Apache Spark", "spark", "APACHE-SPARK", "apache_spark", "  apache   spark "] {
        let body = app.graphql(query, json!({ "name": spelling })).await;
        assert_eq!(body["data"]["skill"]["slug"], "apache-spark", "{spelling}: {body}");
    }
    let pyspark = app.graphql(query, json!({ "name": "pyspark" })).await;
    let implies: HashSet<&str> =
        pyspark["data"]["skill"]["implies"].as_array().unwrap().iter().map(|s| s["slug"].as_str().unwrap()).collect();
    assert!(implies.contains("python") && implies.contains("apache-spark"), "{pyspark}");
    let streaming = app.graphql(query, json!({ "name": "Spark Structured Streaming" })).await;
    assert_eq!(streaming["data"]["skill"]["broader"], json!([{ "slug": "apache-spark" }]));
    let unknown = app.graphql(query, json!({ "name": "Quantum Basket Weaving" })).await;
    assert_eq!(unknown["data"]["skill"], Value::Null);
    // Distinct spellings stay distinct.
    for (name, slug) in [("C++", "cpp"), ("C#", "c-sharp"), ("C", "c")] {
        let body = app.graphql(query, json!({ "name": name })).await;
        assert_eq!(body["data"]["skill"]["slug"], slug, "{name}");
    }
    let search = app.graphql("{ skills(search: \"SPARK\", first: 50) { totalCount nodes { slug } } }", json!({})).await;
    let found: HashSet<&str> =
        search["data"]["skills"]["nodes"].as_array().unwrap().iter().map(|s| s["slug"].as_str().unwrap()).collect();
    assert!(found.contains("apache-spark") && found.contains("pyspark"), "{search}");
    assert_eq!(search["data"]["skills"]["totalCount"].as_u64().unwrap() as usize, found.len());
    let databases = app.graphql("{ skills(category: DATABASE, first: 100) { nodes { category } } }", json!({})).await;
    let nodes = databases["data"]["skills"]["nodes"].as_array().unwrap();
    assert!(nodes.len() >= 10 && nodes.iter().all(|n| n["category"] == "DATABASE"));
}

async fn bad_paging_arguments_are_refused(app: TestApp) {
    for (variables, field) in [
        (json!({ "first": 101 }), "first"),
        (json!({ "first": -1 }), "first"),
        (json!({ "first": 1, "last": 1 }), "last"),
        (json!({ "first": 1, "after": "not-a-cursor" }), "after"),
    ] {
        let body = app.graphql(PAGE, variables.clone()).await;
        assert_eq!(first_error_code(&body), Some("BAD_USER_INPUT"), "{variables}: {body}");
        assert_eq!(body["errors"][0]["extensions"]["field"], json!([field]), "{variables}: {body}");
        assert_eq!(body["data"]["skills"], Value::Null);
    }
    let body = app.graphql("{ skills(search: \"  \") { totalCount } }", json!({})).await;
    assert_eq!(first_error_code(&body), Some("BAD_USER_INPUT"));
}

mod organization_skills {
    use entity::RecruiterRole::{Admin, Viewer};
    use serde_json::{Value, json};

    use crate::helpers::{TestApp, first_error_code};
    use crate::on_both_backends;

    on_both_backends!(organizations_add_their_own_skills_and_aliases);

    const CREATE: &str = "mutation ($input: CreateSkillInput!) { createSkill(input: $input) { skill { id name slug builtin escoUri aliases broader { slug } implies { slug } } userErrors { field code message } } }";

    async fn organizations_add_their_own_skills_and_aliases(app: TestApp) {
        let input = json!({ "name": "Acme Flow", "category": "FRAMEWORK", "aliases": ["acmeflow", "AF pipelines"], "broader": ["spark"], "implies": ["scala"], "escoUri": "http://data.europa.eu/esco/skill/example" });
        let created = app.graphql(CREATE, json!({ "input": input })).await;
        let skill = &created["data"]["createSkill"]["skill"];
        assert_eq!(skill["builtin"], false, "{created}");
        assert_eq!(skill["slug"], "acme-flow");
        assert_eq!(skill["broader"], json!([{ "slug": "apache-spark" }]));
        assert_eq!(skill["implies"], json!([{ "slug": "scala" }]));
        // It resolves in Acme, by any spelling, and can be required by a role.
        let resolved = app.graphql("{ skill(name: \"ACMEFLOW\") { name } }", json!({})).await;
        assert_eq!(resolved["data"]["skill"]["name"], "Acme Flow");
        let role = crate::roles::create_role(
            &app,
            json!({ "title": "Flow engineer", "requirements": [{ "skill": "af pipelines" }] }),
        )
        .await;
        assert_eq!(role["role"]["requirements"][0]["skill"]["name"], "Acme Flow");
        // Globex does not see it.
        let globex = app
            .graphql_as(
                &app.globex,
                Admin,
                "{ skill(name: \"acmeflow\") { name } skills(search: \"acme flow\") { totalCount } }",
                json!({}),
            )
            .await;
        assert_eq!(globex["data"]["skill"], Value::Null, "{globex}");
        assert_eq!(globex["data"]["skills"]["totalCount"], 0);

        // Spellings already taken are refused, at their field, and nothing is created.
        for (input, field) in [
            (json!({ "name": "Spark", "category": "FRAMEWORK" }), json!(["input", "name"])),
            (json!({ "name": "Other", "category": "TOOL", "aliases": ["kafka"] }), json!(["input", "aliases", "0"])),
            (
                json!({ "name": "Other", "category": "TOOL", "broader": ["Nonexistent Thing"] }),
                json!(["input", "broader", "0"]),
            ),
            (json!({ "name": "  ", "category": "TOOL" }), json!(["input", "name"])),
        ] {
            let body = app.graphql(CREATE, json!({ "input": input })).await;
            assert_eq!(body["data"]["createSkill"]["userErrors"][0]["field"], field, "{body}");
        }
        let count = app.graphql("{ skills(search: \"other\") { totalCount } }", json!({})).await;
        assert_eq!(count["data"]["skills"]["totalCount"], 0);

        let alias = "mutation ($skill: String!, $alias: String!) { addSkillAlias(input: { skill: $skill, alias: $alias }) { skill { name aliases } userErrors { field code message } } }";
        let added = app.graphql(alias, json!({ "skill": "Apache Spark", "alias": "Funken" })).await;
        assert!(
            added["data"]["addSkillAlias"]["skill"]["aliases"].as_array().unwrap().contains(&json!("Funken")),
            "{added}"
        );
        assert_eq!(
            app.graphql("{ skill(name: \"funken\") { slug } }", json!({})).await["data"]["skill"]["slug"],
            "apache-spark"
        );
        let globex_funken = app.graphql_as(&app.globex, Admin, "{ skill(name: \"funken\") { slug } }", json!({})).await;
        assert_eq!(globex_funken["data"]["skill"], Value::Null, "an organization's alias is its own");
        let taken = app.graphql(alias, json!({ "skill": "rust", "alias": "pyspark" })).await;
        assert_eq!(taken["data"]["addSkillAlias"]["userErrors"][0]["field"], json!(["input", "alias"]));
        let viewer =
            app.graphql_as(&app.acme, Viewer, CREATE, json!({ "input": { "name": "X", "category": "TOOL" } })).await;
        assert_eq!(first_error_code(&viewer), Some("FORBIDDEN"));
    }
}
