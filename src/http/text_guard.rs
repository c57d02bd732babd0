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

/// What a literal may not hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flaw {
    /// A C0 control character other than tab and line breaks (or DEL).
    ControlCharacter,
    /// An integer outside 32 bits. GraphQL's `Int` is 32-bit, but async-graphql's validation
    /// lets such a literal through and only its parser refuses it, during execution, when (and
    /// if) the field runs. No input of this API accepts such a magnitude (its `Float` inputs are
    /// scores and weights), so it is refused before execution whatever its argument's type.
    IntegerPast32Bits,
}

impl Flaw {
    /// The refusal of argument (or variable) `at` for this flaw.
    #[must_use]
    pub fn message(self, at: &str) -> String {
        match self {
            Self::ControlCharacter => {
                format!("`{at}` contains a control character (only tab and line breaks are allowed in text)")
            }
            Self::IntegerPast32Bits => format!("`{at}` holds an integer outside 32 bits (GraphQL's Int)"),
        }
    }
}

fn control_character(value: &Value) -> Option<Flaw> {
    matches!(value, Value::String(text) if has_control_characters(text)).then_some(Flaw::ControlCharacter)
}

fn any_flaw(value: &Value) -> Option<Flaw> {
    let past_32_bits = |n: &async_graphql::Number| {
        n.as_i64().is_some_and(|n| i32::try_from(n).is_err()) || n.as_u64().is_some_and(|n| i32::try_from(n).is_err())
    };
    match value {
        Value::Number(n) if past_32_bits(n) => Some(Flaw::IntegerPast32Bits),
        _ => control_character(value),
    }
}

/// The first variable (`$name`) whose value holds a control character (variables are parsed
/// by their declared types, which refuse out-of-range integers themselves).
#[must_use]
pub fn in_variables(variables: &async_graphql::Variables) -> Option<String> {
    variables
        .iter()
        .find(|(_, value)| in_const(value, &control_character).is_some())
        .map(|(name, _)| format!("${name}"))
}

/// The first argument (by name) or variable default (`$name`) of the document whose literal has
/// a [`Flaw`], with it: one walk, linear in the document.
#[must_use]
pub fn in_document(document: &ExecutableDocument) -> Option<(String, Flaw)> {
    let check: Check<'_> = &any_flaw;
    for (_, operation) in document.operations.iter() {
        for definition in &operation.node.variable_definitions {
            if let Some(flaw) =
                definition.node.default_value.as_ref().and_then(|default| in_const(&default.node, check))
            {
                return Some((format!("${}", definition.node.name.node), flaw));
            }
        }
        if let Some(found) = in_directives(&operation.node.directives, check)
            .or_else(|| in_selection_set(&operation.node.selection_set.node, check))
        {
            return Some(found);
        }
    }
    document.fragments.values().find_map(|fragment| {
        in_directives(&fragment.node.directives, check)
            .or_else(|| in_selection_set(&fragment.node.selection_set.node, check))
    })
}

type Check<'f> = &'f dyn Fn(&Value) -> Option<Flaw>;

/// The flaw of `value` or of anything inside it (object keys count as strings).
fn in_const(value: &Value, check: Check<'_>) -> Option<Flaw> {
    check(value).or_else(|| match value {
        Value::List(items) => items.iter().find_map(|item| in_const(item, check)),
        Value::Object(fields) => fields
            .iter()
            .find_map(|(key, value)| check(&Value::String(key.to_string())).or_else(|| in_const(value, check))),
        _ => None,
    })
}

/// The argument (of a field or directive) whose literal is flawed. Variables inside literals are
/// checked with the variables, so they count as null here.
fn in_arguments<'a>(arguments: impl IntoIterator<Item = (&'a str, Value)>, check: Check<'_>) -> Option<(String, Flaw)> {
    arguments.into_iter().find_map(|(name, value)| in_const(&value, check).map(|flaw| (name.to_owned(), flaw)))
}

fn literals(field: &Field) -> impl Iterator<Item = (&str, Value)> {
    field.arguments.iter().map(|(name, value)| {
        (name.node.as_str(), value.node.clone().into_const_with(|_| Ok::<_, ()>(Value::Null)).unwrap_or_default())
    })
}

fn in_directives(directives: &[Positioned<Directive>], check: Check<'_>) -> Option<(String, Flaw)> {
    directives.iter().find_map(|directive| {
        in_arguments(
            directive.node.arguments.iter().map(|(name, value)| {
                (
                    name.node.as_str(),
                    value.node.clone().into_const_with(|_| Ok::<_, ()>(Value::Null)).unwrap_or_default(),
                )
            }),
            check,
        )
    })
}

fn in_selection_set(set: &SelectionSet, check: Check<'_>) -> Option<(String, Flaw)> {
    set.items.iter().find_map(|selection| match &selection.node {
        Selection::Field(field) => in_arguments(literals(&field.node), check)
            .or_else(|| in_directives(&field.node.directives, check))
            .or_else(|| in_selection_set(&field.node.selection_set.node, check)),
        Selection::FragmentSpread(spread) => in_directives(&spread.node.directives, check),
        Selection::InlineFragment(inline) => in_directives(&inline.node.directives, check)
            .or_else(|| in_selection_set(&inline.node.selection_set.node, check)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(query: &str, variables: serde_json::Value) -> Option<String> {
        let document = async_graphql::parser::parse_query(query).ok()?;
        in_variables(&async_graphql::Variables::from_json(variables))
            .or_else(|| in_document(&document).filter(|(_, flaw)| *flaw == Flaw::ControlCharacter).map(|(at, _)| at))
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
        let find = |query: &str| {
            in_document(&async_graphql::parser::parse_query(query).unwrap()).map(|(at, flaw)| {
                assert_eq!(flaw, Flaw::IntegerPast32Bits, "{query}");
                at
            })
        };
        assert_eq!(find("{ skills(first: 2147483647) { totalCount } }"), None);
        assert_eq!(find("{ skills(first: -2147483648, after: \"99999999999\") { totalCount } }"), None);
        assert_eq!(find("{ skills(first: 2147483648) { totalCount } }").as_deref(), Some("first"));
        assert_eq!(find("{ a { b { c(first: -2147483649) { d } } } }").as_deref(), Some("first"));
        assert_eq!(find("{ c(filter: { years: [1, 99999999999] }) { d } }").as_deref(), Some("filter"));
        assert_eq!(find("query ($n: Int = 99999999999) { c(n: $n) }").as_deref(), Some("$n"));
        assert_eq!(find("{ c(score: 99.5) }"), None);
    }
}
