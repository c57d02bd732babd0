//! Which operations only introspect the schema, so the composition root can run them under a
//! deeper nesting limit: graphql-js's `getIntrospectionQuery()` (GraphiQL, Apollo, codegen)
//! nests `ofType` nine levels under `__schema { types { fields { type`, deeper than data
//! queries may go. The exemption keeps the circular attack
//! (`types { fields { type { fields { type { fields … } } } } }`) bounded: it applies only
//! while at most [`MAX_LIST_NESTING`] list fields of the introspection types nest on a path
//! (`ofType` and `type` are single objects, they do not fan out); other operations keep the
//! data limits.

use std::collections::{HashMap, HashSet};

use async_graphql::Name;
use async_graphql::Positioned;
use async_graphql::parser::types::{
    DocumentOperations, ExecutableDocument, FragmentDefinition, OperationDefinition, OperationType, Selection,
    SelectionSet,
};

/// List-valued fields of `__Schema`, `__Type`, `__Field` and `__Directive`: each multiplies the
/// work of what it selects.
const LIST_FIELDS: &[&str] =
    &["types", "fields", "args", "inputFields", "interfaces", "possibleTypes", "enumValues", "directives"];

/// Nested list fields on one path that `getIntrospectionQuery()` needs (`types` → `fields` →
/// `args`).
pub const MAX_LIST_NESTING: usize = 3;

/// Whether the operation `operation_name` of `document` selects only `__schema`, `__type` and
/// `__typename` at its root, with at most [`MAX_LIST_NESTING`] nested list fields.
#[must_use]
pub fn is_bounded_introspection(document: &ExecutableDocument, operation_name: Option<&str>) -> bool {
    let Some(operation) = operation(document, operation_name) else { return false };
    if operation.ty != OperationType::Query {
        return false;
    }
    let mut walk = Walk {
        fragments: &document.fragments,
        nesting: HashMap::new(),
        answered: HashMap::new(),
        visiting: HashSet::new(),
    };
    walk.root_is_introspection(&operation.selection_set.node)
        && walk.list_nesting(&operation.selection_set.node).is_some_and(|nesting| nesting <= MAX_LIST_NESTING)
}

/// Whether the operation `operation_name` of `document` selects `__schema` or `__type` at its
/// root (through fragments too): what a server with introspection off refuses.
#[must_use]
pub fn selects_introspection(document: &ExecutableDocument, operation_name: Option<&str>) -> bool {
    let Some(operation) = operation(document, operation_name) else { return false };
    let mut walk = Walk {
        fragments: &document.fragments,
        nesting: HashMap::new(),
        answered: HashMap::new(),
        visiting: HashSet::new(),
    };
    walk.root_mentions(&operation.selection_set.node, &["__schema", "__type"])
}

/// The operation a request runs: the named one, or the only one (a named operation alone in its
/// document is stored under its name).
fn operation<'a>(document: &'a ExecutableDocument, operation_name: Option<&str>) -> Option<&'a OperationDefinition> {
    let operation = match (&document.operations, operation_name) {
        (DocumentOperations::Single(operation), _) => operation,
        (DocumentOperations::Multiple(operations), Some(name)) => operations.get(name)?,
        (DocumentOperations::Multiple(operations), None) if operations.len() == 1 => operations.values().next()?,
        (DocumentOperations::Multiple(_), None) => return None,
    };
    Some(&operation.node)
}

/// One pass over a document, memoizing each fragment's list nesting so fragment fan-out costs
/// one visit per fragment; a fragment cycle (refused later by validation) ends the walk.
struct Walk<'a> {
    fragments: &'a HashMap<Name, Positioned<FragmentDefinition>>,
    nesting: HashMap<&'a str, usize>,
    /// Fragments already answered by `root_mentions` / `root_is_introspection` (one walk asks
    /// one of the two questions), so fan-out costs one visit per fragment there too.
    answered: HashMap<&'a str, bool>,
    visiting: HashSet<&'a str>,
}

impl<'a> Walk<'a> {
    fn fragment(&self, name: &str) -> Option<&'a SelectionSet> {
        self.fragments.get(name).map(|fragment| &fragment.node.selection_set.node)
    }

    /// Whether a root field of `set` (through fragments) is one of `names`.
    fn root_mentions(&mut self, set: &'a SelectionSet, names: &[&str]) -> bool {
        set.items.iter().any(|selection| match &selection.node {
            Selection::Field(field) => names.contains(&field.node.name.node.as_str()),
            Selection::InlineFragment(inline) => self.root_mentions(&inline.node.selection_set.node, names),
            Selection::FragmentSpread(spread) => {
                let name = spread.node.fragment_name.node.as_str();
                if let Some(answer) = self.answered.get(name) {
                    return *answer;
                }
                let Some(fragment) = self.fragment(name) else { return false };
                if !self.visiting.insert(name) {
                    return false;
                }
                let answer = self.root_mentions(fragment, names);
                self.visiting.remove(name);
                self.answered.insert(name, answer);
                answer
            }
        })
    }

    fn root_is_introspection(&mut self, set: &'a SelectionSet) -> bool {
        set.items.iter().all(|selection| match &selection.node {
            Selection::Field(field) => ["__schema", "__type", "__typename"].contains(&field.node.name.node.as_str()),
            Selection::InlineFragment(inline) => self.root_is_introspection(&inline.node.selection_set.node),
            Selection::FragmentSpread(spread) => {
                let name = spread.node.fragment_name.node.as_str();
                if let Some(answer) = self.answered.get(name) {
                    return *answer;
                }
                let Some(fragment) = self.fragment(name) else { return false };
                if !self.visiting.insert(name) {
                    return false;
                }
                let answer = self.root_is_introspection(fragment);
                self.visiting.remove(name);
                self.answered.insert(name, answer);
                answer
            }
        })
    }

    /// The most list fields nested on one path below `set`; `None` on a fragment cycle.
    fn list_nesting(&mut self, set: &'a SelectionSet) -> Option<usize> {
        let mut deepest = 0;
        for selection in &set.items {
            let nesting = match &selection.node {
                Selection::Field(field) => {
                    let own = usize::from(LIST_FIELDS.contains(&field.node.name.node.as_str()));
                    own + self.list_nesting(&field.node.selection_set.node)?
                }
                Selection::InlineFragment(inline) => self.list_nesting(&inline.node.selection_set.node)?,
                Selection::FragmentSpread(spread) => {
                    let name = spread.node.fragment_name.node.as_str();
                    if let Some(nesting) = self.nesting.get(name) {
                        *nesting
                    } else {
                        let fragment = self.fragment(name)?;
                        if !self.visiting.insert(name) {
                            return None;
                        }
                        let nesting = self.list_nesting(fragment);
                        self.visiting.remove(name);
                        let nesting = nesting?;
                        self.nesting.insert(name, nesting);
                        nesting
                    }
                }
            };
            deepest = deepest.max(nesting);
        }
        Some(deepest)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bounded(query: &str) -> bool {
        is_bounded_introspection(&async_graphql::parser::parse_query(query).unwrap(), None)
    }

    #[test]
    fn only_bounded_introspection_is_exempt() {
        assert!(bounded(include_str!("../../tests/api/fixtures/introspection.graphql")));
        assert!(bounded("{ __type(name: \"Query\") { fields { name type { ofType { ofType { name } } } } } }"));
        assert!(!bounded("{ __schema { types { name } } me { id } }"), "data fields keep the data limits");
        assert!(!bounded("{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }"));
        assert!(!bounded("mutation { __typename }"));
        assert!(!bounded("query A { __typename } query B { __schema { description } }"), "which one runs is unknown");
        assert!(!bounded("{ ...A } fragment A on Query { ...A }"));
        assert!(bounded(
            "{ ...A } fragment A on Query { __schema { types { ...B ...B } } } fragment B on __Type { name }"
        ));
    }

    #[test]
    fn introspection_is_found_through_fragments() {
        let fan_out: Vec<String> =
            (0..40).map(|i| format!("fragment F{i} on Query {{ ...F{} ...F{} }}", i + 1, i + 1)).collect();
        let fan_out = fan_out.join(" ");
        let bomb = format!("{{ ...F0 }} {fan_out} fragment F40 on Query {{ __typename }}");
        let started = std::time::Instant::now();
        assert!(!selects_introspection(&async_graphql::parser::parse_query(&bomb).unwrap(), None));
        assert!(is_bounded_introspection(&async_graphql::parser::parse_query(&bomb).unwrap(), None));
        assert!(started.elapsed() < std::time::Duration::from_secs(1), "2^40 spreads walked once each");
        let selects = |query: &str| selects_introspection(&async_graphql::parser::parse_query(query).unwrap(), None);
        assert!(selects(
            "{ me { id } ... on Query { ...F } } fragment F on Query { t: __type(name: \"Query\") { name } }"
        ));
        assert!(!selects("{ __typename me { id } }"));
        assert!(!selects("{ ...A } fragment A on Query { ...A }"));
    }
}
