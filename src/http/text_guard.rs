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
    let control = |value: &Value| matches!(value, Value::String(text) if has_control_characters(text));
    variables.iter().find(|(_, value)| in_const(value, &control)).map(|(name, _)| format!("${name}"))
}

/// The first argument (by name) or variable default (`$name`) of the document whose literal
/// holds a control character.
#[must_use]
pub fn in_document(document: &ExecutableDocument) -> Option<String> {
    find_in_document(document, &|value| matches!(value, Value::String(text) if has_control_characters(text)))
}

/// The first argument (by name) or variable default of the document holding an integer literal
/// outside 32 bits. GraphQL's `Int` is 32-bit, but async-graphql's validation lets such a
/// literal through and only its parser refuses it, during execution, when (and if) the field
/// runs. No input of this API accepts such a magnitude (its `Float` inputs are scores and
/// weights), so the literal is refused before execution whatever its argument's type.
#[must_use]
pub fn out_of_range_integer(document: &ExecutableDocument) -> Option<String> {
    find_in_document(
        document,
        &|value| matches!(value, Value::Number(n) if n.as_i64().is_some_and(|n| i32::try_from(n).is_err()) || n.as_u64().is_some_and(|n| i32::try_from(n).is_err())),
    )
}

type Flaw<'f> = &'f dyn Fn(&Value) -> bool;

fn find_in_document(document: &ExecutableDocument, flawed: Flaw<'_>) -> Option<String> {
    for (_, operation) in document.operations.iter() {
        for definition in &operation.node.variable_definitions {
            if let Some(default) = &definition.node.default_value
                && in_const(&default.node, flawed)
            {
                return Some(format!("${}", definition.node.name.node));
            }
        }
        if let Some(argument) = in_directives(&operation.node.directives, flawed)
            .or_else(|| in_selection_set(&operation.node.selection_set.node, flawed))
        {
            return Some(argument);
        }
    }
    document.fragments.values().find_map(|fragment| {
        in_directives(&fragment.node.directives, flawed)
            .or_else(|| in_selection_set(&fragment.node.selection_set.node, flawed))
    })
}

/// Whether `value` or anything inside it is flawed (object keys count as strings).
fn in_const(value: &Value, flawed: Flaw<'_>) -> bool {
    flawed(value)
        || match value {
            Value::List(items) => items.iter().any(|item| in_const(item, flawed)),
            Value::Object(fields) => {
                fields.iter().any(|(key, value)| flawed(&Value::String(key.to_string())) || in_const(value, flawed))
            }
            _ => false,
        }
}

/// The argument (of a field or directive) whose literal is flawed. Variables inside literals are
/// checked with the variables, so they count as null here.
fn in_arguments<'a>(arguments: impl IntoIterator<Item = (&'a str, Value)>, flawed: Flaw<'_>) -> Option<String> {
    arguments.into_iter().find(|(_, value)| in_const(value, flawed)).map(|(name, _)| name.to_owned())
}

fn literals(field: &Field) -> impl Iterator<Item = (&str, Value)> {
    field.arguments.iter().map(|(name, value)| {
        (name.node.as_str(), value.node.clone().into_const_with(|_| Ok::<_, ()>(Value::Null)).unwrap_or_default())
    })
}

fn in_directives(directives: &[Positioned<Directive>], flawed: Flaw<'_>) -> Option<String> {
    directives.iter().find_map(|directive| {
        in_arguments(
            directive.node.arguments.iter().map(|(name, value)| {
                (
                    name.node.as_str(),
                    value.node.clone().into_const_with(|_| Ok::<_, ()>(Value::Null)).unwrap_or_default(),
                )
            }),
            flawed,
        )
    })
}

fn in_selection_set(set: &SelectionSet, flawed: Flaw<'_>) -> Option<String> {
    set.items.iter().find_map(|selection| match &selection.node {
        Selection::Field(field) => in_arguments(literals(&field.node), flawed)
            .or_else(|| in_directives(&field.node.directives, flawed))
            .or_else(|| in_selection_set(&field.node.selection_set.node, flawed)),
        Selection::FragmentSpread(spread) => in_directives(&spread.node.directives, flawed),
        Selection::InlineFragment(inline) => in_directives(&inline.node.directives, flawed)
            .or_else(|| in_selection_set(&inline.node.selection_set.node, flawed)),
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

    #[test]
    fn integers_past_32_bits_are_found_anywhere() {
        let find = |query: &str| out_of_range_integer(&async_graphql::parser::parse_query(query).unwrap());
        assert_eq!(find("{ skills(first: 2147483647) { totalCount } }"), None);
        assert_eq!(find("{ skills(first: -2147483648, after: \"99999999999\") { totalCount } }"), None);
        assert_eq!(find("{ skills(first: 2147483648) { totalCount } }").as_deref(), Some("first"));
        assert_eq!(find("{ a { b { c(first: -2147483649) { d } } } }").as_deref(), Some("first"));
        assert_eq!(find("{ c(filter: { years: [1, 99999999999] }) { d } }").as_deref(), Some("filter"));
        assert_eq!(find("query ($n: Int = 99999999999) { c(n: $n) }").as_deref(), Some("$n"));
        assert_eq!(find("{ c(score: 99.5) }"), None);
    }
}
