//! `schema.graphql` is generated; it must match the code.

#[test]
fn schema_file_matches_the_code() {
    let expected = talentgraph::graphql::schema::sdl();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/schema.graphql");
    let actual = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        actual == expected,
        "schema.graphql is out of date: regenerate it with `cargo run -- export-schema > schema.graphql`"
    );
}

#[test]
fn every_type_and_field_of_ours_is_described() {
    let sdl = talentgraph::graphql::schema::sdl();
    // Each type or field line of ours is preceded by a description (a """ block or "...").
    let lines: Vec<&str> = sdl.lines().collect();
    for (index, line) in lines.iter().enumerate() {
        let trimmed = line.trim();
        if trimmed.starts_with("schema {") {
            break;
        }
        let declares = trimmed.starts_with("type ") || trimmed.starts_with("enum ") || trimmed.starts_with("input ");
        let is_field = line.starts_with('\t') && trimmed.contains(':') && !trimmed.starts_with('"');
        if (declares || is_field) && !trimmed.starts_with(')') {
            let previous = index.checked_sub(1).map_or("", |i| lines[i].trim());
            assert!(previous.ends_with('"'), "no description before `{trimmed}`");
        }
    }
}
