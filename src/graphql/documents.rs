//! Parsed documents by query text: clients send the same few documents over and over (with
//! other variables), and parsing one costs more than copying the parsed tree. Only the parse is
//! cached — a pure function of the text. Everything that depends on the variables or the caller
//! (the cost model, the introspection checks, async-graphql's validation, execution) still runs
//! on every request, and no response is ever cached.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use async_graphql::ServerError;
use async_graphql::parser::types::ExecutableDocument;

/// Documents kept at most; when full, the cache starts over (a flood of distinct documents
/// costs one parse each, as without a cache).
const CAPACITY: usize = 512;
/// Longer documents are parsed every time, so the cache holds at most CAPACITY × this.
const MAX_QUERY_BYTES: usize = 16 * 1024;

/// A bounded map from query text to its parsed document.
#[derive(Default)]
pub struct DocumentCache {
    documents: Mutex<HashMap<Arc<str>, Arc<ExecutableDocument>>>,
}

impl DocumentCache {
    /// The parsed document of `query`, from the cache when it was parsed before. Errors are
    /// those of `async_graphql::Request::parsed_query`; unparseable documents are not kept.
    pub fn parse(&self, query: &str) -> Result<ExecutableDocument, ServerError> {
        if query.len() > MAX_QUERY_BYTES {
            return async_graphql::parser::parse_query(query).map_err(Into::into);
        }
        if let Some(document) = self.documents.lock().ok().and_then(|documents| documents.get(query).cloned()) {
            return Ok(ExecutableDocument::clone(&document));
        }
        let document = async_graphql::parser::parse_query(query)?;
        if let Ok(mut documents) = self.documents.lock() {
            if documents.len() >= CAPACITY {
                documents.clear();
            }
            documents.insert(Arc::from(query), Arc::new(document.clone()));
        }
        Ok(document)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cached_document_is_the_parsed_one() {
        let cache = DocumentCache::default();
        let query = "query ($n: Int!) { candidates(first: $n) { nodes { id } } }";
        let first = cache.parse(query).map(|d| format!("{d:?}"));
        let second = cache.parse(query).map(|d| format!("{d:?}"));
        assert!(first.is_ok());
        assert_eq!(first.ok(), second.ok());
    }

    #[test]
    fn unparseable_documents_are_errors_every_time() {
        let cache = DocumentCache::default();
        for _ in 0..2 {
            let error = cache.parse("query {").err().map(|e| e.message).unwrap_or_default();
            assert!(error.contains("expected"), "{error}");
        }
        assert!(cache.documents.lock().is_ok_and(|d| d.is_empty()));
    }

    #[test]
    fn the_cache_stays_bounded() {
        let cache = DocumentCache::default();
        for n in 0..CAPACITY * 2 + 3 {
            assert!(cache.parse(&format!("{{ f{n} }}")).is_ok());
        }
        assert!(cache.documents.lock().is_ok_and(|d| d.len() <= CAPACITY));
    }
}
