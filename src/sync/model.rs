//! Values of a sync batch: its size limit, what happened to each item, and the checks that
//! concern the batch as a whole (one item per external reference and per email).

use std::collections::HashMap;
use std::hash::Hash;

use uuid::Uuid;

use crate::error::AppError;

/// The most items one upsert call takes: a thousand rows stay well inside one request's time
/// (bench/sync.sh) and one transaction's locks.
pub const MAX_BATCH: usize = 1_000;

/// Refuses a batch over [`MAX_BATCH`] items, before anything is read or written.
pub fn check_batch_size(items: usize) -> Result<(), AppError> {
    if items > MAX_BATCH {
        return Err(AppError::bad_input("input", format!("at most {MAX_BATCH} items a call; this one has {items}")));
    }
    Ok(())
}

/// Whether an event (by its name) removes its entity: an ATS that mirrors the entity deletes
/// its copy.
#[must_use]
pub fn is_removal(event_name: &str) -> bool {
    matches!(event_name, "candidate.erase" | "role.delete")
}

/// What an upsert did with one item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpsertStatus {
    /// No row had the item's external reference: a new one was created.
    Created,
    /// The row with the item's external reference differed and was changed.
    Updated,
    /// The row already held exactly this: nothing was written, no event recorded.
    Unchanged,
}

/// One applied item: the row it concerns and what happened to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Upserted {
    pub id: Uuid,
    pub status: UpsertStatus,
}

/// One item's answer: applied, or refused with every reason found.
pub type ItemOutcome = Result<Upserted, Vec<AppError>>;

/// For each item, the index of an earlier item with the same key, if any (`None` keys are
/// never duplicates): a batch names each external reference and email once, so that its
/// answer does not depend on which of two contradicting items would be written last.
#[must_use]
pub fn earlier_duplicates<K: Eq + Hash>(keys: impl IntoIterator<Item = Option<K>>) -> Vec<Option<usize>> {
    let mut first: HashMap<K, usize> = HashMap::new();
    keys.into_iter()
        .enumerate()
        .map(|(index, key)| {
            let key = key?;
            if let Some(earlier) = first.get(&key) {
                return Some(*earlier);
            }
            first.insert(key, index);
            None
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn batches_are_bounded() {
        assert!(check_batch_size(0).is_ok());
        assert!(check_batch_size(MAX_BATCH).is_ok());
        let refused = check_batch_size(MAX_BATCH + 1);
        assert!(matches!(refused, Err(AppError::BadUserInput { ref field, .. }) if field == &["input"]));
    }

    #[test]
    fn later_duplicates_point_at_the_first() {
        let keys = [Some("a"), None, Some("b"), Some("a"), None, Some("a")];
        assert_eq!(earlier_duplicates(keys), [None, None, None, Some(0), None, Some(0)]);
    }

    proptest! {
        #[test]
        fn each_key_is_kept_once(keys in proptest::collection::vec(proptest::option::of(0u8..5), 0..40)) {
            let duplicates = earlier_duplicates(keys.iter().copied());
            let kept: Vec<u8> = keys.iter().zip(&duplicates).filter(|(_, d)| d.is_none()).filter_map(|(k, _)| *k).collect();
            let mut distinct = kept.clone();
            distinct.sort_unstable();
            distinct.dedup();
            prop_assert_eq!(kept.len(), distinct.len());
            for (index, earlier) in duplicates.iter().enumerate() {
                if let Some(earlier) = earlier {
                    prop_assert!(*earlier < index);
                    prop_assert_eq!(keys[*earlier], keys[index]);
                }
            }
        }
    }
}
