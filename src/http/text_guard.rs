//! Control characters stop at the edge. A NUL byte in a string (`"a\u0000b"`) is refused by
//! PostgreSQL as an internal error and stored as is by SQLite; other C0 characters have no place
//! in recruiting data either. Every string a request carries — in variables and in the
//! document's literals, of any operation or fragment — is checked once before execution; tab,
//! line feed and carriage return stay allowed (multi-line texts such as descriptions and notes).
//! The walk is linear in the size of the request (fragments are visited once, not expanded).

use async_graphql::parser::types::{Directive, ExecutableDocument, Field, Selection, SelectionSet};
use async_graphql::{Positioned, Value};

/// Whether `text` holds a C0 control character other than tab, line feed or carriage return
/// (or DEL).
#[must_use]
pub fn has_control_characters(text: &str) -> bool {
    text.chars().any(|c| (c.is_ascii_control() && !matches!(c, '\t' | '\n' | '\r')) || c == '\u{7f}')
}

/// The first variable (`$name`) whose value holds a control character.
#[must_use]
pub fn in_variables(variables: &async_graphql::Variables) -> Option<String> {
    variables.iter().find(|(_, value)| in_const(value)).map(|(name, _)| format!("${name}"))
}

/// The first argument (by name) or variable default (`$name`) of the document whose literal
/// holds a control character.
#[must_use]
pub fn in_document(document: &ExecutableDocument) -> Option<String> {
    for (_, operation) in document.operations.iter() {
        for definition in &operation.node.variable_definitions {
            if let Some(default) = &definition.node.default_value
                && in_const(&default.node)
            {
                return Some(format!("${}", definition.node.name.node));
            }
        }
        if let Some(argument) =
            in_directives(&operation.node.directives).or_else(|| in_selection_set(&operation.node.selection_set.node))
        {
            return Some(argument);
        }
    }
    document.fragments.values().find_map(|fragment| {
        in_directives(&fragment.node.directives).or_else(|| in_selection_set(&fragment.node.selection_set.node))
    })
}

fn in_const(value: &Value) -> bool {
    match value {
        Value::String(text) => has_control_characters(text),
        Value::List(items) => items.iter().any(in_const),
        Value::Object(fields) => fields.iter().any(|(key, value)| has_control_characters(key) || in_const(value)),
        _ => false,
    }
}

/// The argument (of a field or directive) whose literal holds a control character. Variables
/// inside literals are checked with the variables, so they count as null here.
fn in_arguments<'a>(arguments: impl IntoIterator<Item = (&'a str, Value)>) -> Option<String> {
    arguments.into_iter().find(|(_, value)| in_const(value)).map(|(name, _)| name.to_owned())
}

fn literals(field: &Field) -> impl Iterator<Item = (&str, Value)> {
    field.arguments.iter().map(|(name, value)| {
        (name.node.as_str(), value.node.clone().into_const_with(|_| Ok::<_, ()>(Value::Null)).unwrap_or_default())
    })
}

fn in_directives(directives: &[Positioned<Directive>]) -> Option<String> {
    directives.iter().find_map(|directive| {
        in_arguments(directive.node.arguments.iter().map(|(name, value)| {
            (name.node.as_str(), value.node.clone().into_const_with(|_| Ok::<_, ()>(Value::Null)).unwrap_or_default())
        }))
    })
}

fn in_selection_set(set: &SelectionSet) -> Option<String> {
    set.items.iter().find_map(|selection| match &selection.node {
        Selection::Field(field) => in_arguments(literals(&field.node))
            .or_else(|| in_directives(&field.node.directives))
            .or_else(|| in_selection_set(&field.node.selection_set.node)),
        Selection::FragmentSpread(spread) => in_directives(&spread.node.directives),
        Selection::InlineFragment(inline) => {
            in_directives(&inline.node.directives).or_else(|| in_selection_set(&inline.node.selection_set.node))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(query: &str, variables: serde_json::Value) -> Option<String> {
        let document = async_graphql::parser::parse_query(query).ok()?;
        in_variables(&async_graphql::Variables::from_json(variables)).or_else(|| in_document(&document))
    }

    #[test]
    fn control_characters_are_found_anywhere() {
        assert!(has_control_characters("a\u{0}b") && has_control_characters("\u{1b}[31m"));
        assert!(!has_control_characters("line one\nline two\tand a tab, crème brûlée"));
        assert_eq!(check(r#"{ login(email: "a\u0000b@a.test") }"#, serde_json::json!({})).as_deref(), Some("email"));
        assert_eq!(
            check(
                "query ($f: F) { candidates(filter: $f) { totalCount } }",
                serde_json::json!({ "f": { "search": "a\u{0}" } })
            )
            .as_deref(),
            Some("$f")
        );
        assert_eq!(
            check(r#"{ ...F } fragment F on Query { skill(name: "x\u0007") { id } }"#, serde_json::json!({}))
                .as_deref(),
            Some("name")
        );
        assert_eq!(check(r#"{ skill(name: "Apache\tSpark") { id } }"#, serde_json::json!({ "v": ["ok"] })), None);
    }
}
