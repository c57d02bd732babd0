//! Keyset pagination for services: checked page arguments, opaque cursors, and `fetch_page`.
//! No GraphQL here; `graphql::relay` turns a [`Page`] into a connection.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::AppError;

/// The largest page a client may ask for.
pub const MAX_PAGE_SIZE: i32 = 100;
/// The page size when a client gives neither `first` nor `last`.
pub const DEFAULT_PAGE_SIZE: i32 = 20;

/// Checked pagination arguments with decoded cursors of key type `K`.
#[derive(Debug, Clone)]
pub struct PageArgs<K> {
    /// Items after this key (exclusive).
    pub after: Option<K>,
    /// Items before this key (exclusive).
    pub before: Option<K>,
    /// How many items, and from which end.
    pub take: Take,
}

/// Which end of the (filtered, ordered) list a page is taken from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Take {
    /// The first `n` items (after `after`).
    First(u64),
    /// The last `n` items (before `before`).
    Last(u64),
}

impl<K: DeserializeOwned> PageArgs<K> {
    /// Checks `first`/`after`/`last`/`before` as a client sent them.
    pub fn parse(
        first: Option<i32>,
        after: Option<&str>,
        last: Option<i32>,
        before: Option<&str>,
    ) -> Result<Self, AppError> {
        let size = |name: &str, value: i32| -> Result<u64, AppError> {
            if value < 0 {
                Err(AppError::bad_input(name, format!("`{name}` must not be negative")))
            } else if value > MAX_PAGE_SIZE {
                Err(AppError::bad_input(name, format!("`{name}` must be at most {MAX_PAGE_SIZE}, got {value}")))
            } else {
                Ok(u64::from(value.unsigned_abs()))
            }
        };
        let take = match (first, last) {
            (Some(_), Some(_)) => {
                return Err(AppError::bad_input("last", "give `first` or `last`, not both"));
            }
            (Some(first), None) => Take::First(size("first", first)?),
            (None, Some(last)) => Take::Last(size("last", last)?),
            (None, None) if before.is_some() => Take::Last(u64::from(DEFAULT_PAGE_SIZE.unsigned_abs())),
            (None, None) => Take::First(u64::from(DEFAULT_PAGE_SIZE.unsigned_abs())),
        };
        Ok(Self {
            after: after.map(|c| decode_cursor(c, "after")).transpose()?,
            before: before.map(|c| decode_cursor(c, "before")).transpose()?,
            take,
        })
    }
}

impl<K> PageArgs<K> {
    /// The same page with cursors converted to another key type (for lists whose key depends
    /// on the chosen ordering); a cursor that does not convert is refused at its argument.
    pub fn map_cursors<L>(self, convert: impl Fn(K) -> Option<L>) -> Result<PageArgs<L>, AppError> {
        let refuse = |field: &str| AppError::bad_input(field, format!("`{field}` is a cursor of a different ordering"));
        Ok(PageArgs {
            after: self.after.map(|k| convert(k).ok_or_else(|| refuse("after"))).transpose()?,
            before: self.before.map(|k| convert(k).ok_or_else(|| refuse("before"))).transpose()?,
            take: self.take,
        })
    }
}

/// The opaque cursor of a sort key.
#[must_use]
pub fn encode_cursor<K: Serialize>(key: &K) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(key).unwrap_or_default())
}

fn decode_cursor<K: DeserializeOwned>(cursor: &str, field: &str) -> Result<K, AppError> {
    URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .ok_or_else(|| AppError::bad_input(field, format!("`{field}` is not a cursor this list gave out")))
}

/// One page of a list, as a service returns it.
#[derive(Debug, Clone)]
pub struct Page<T> {
    /// The items, in list order.
    pub items: Vec<T>,
    /// Whether items exist past the page's end.
    pub has_next_page: bool,
    /// Whether items exist before the page's start.
    pub has_previous_page: bool,
}

impl<T> Page<T> {
    /// The same page with each item converted.
    pub fn map<U>(self, convert: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(convert).collect(),
            has_next_page: self.has_next_page,
            has_previous_page: self.has_previous_page,
        }
    }
}

/// Runs a keyset-paginated query for `args`, fetching one extra row to learn whether more
/// items lie beyond the page.
pub async fn fetch_page<M, K>(
    mut cursor: sea_orm::Cursor<sea_orm::SelectModel<M>>,
    args: &PageArgs<K>,
    db: &impl sea_orm::ConnectionTrait,
) -> Result<Page<M>, AppError>
where
    M: sea_orm::FromQueryResult + Send + Sync,
    K: sea_orm::sea_query::IntoValueTuple + Clone,
{
    if let Some(after) = &args.after {
        cursor.after(after.clone());
    }
    if let Some(before) = &args.before {
        cursor.before(before.clone());
    }
    Ok(match args.take {
        Take::First(n) => {
            let mut items = cursor.first(n + 1).all(db).await?;
            let has_next_page = items.len() as u64 > n;
            items.truncate(n as usize);
            Page { items, has_next_page, has_previous_page: args.after.is_some() }
        }
        Take::Last(n) => {
            let fetched = cursor.last(n + 1).all(db).await?;
            let has_previous_page = fetched.len() as u64 > n;
            // The extra row, when there is one, is the first: it only tells that more precede.
            let items = fetched.into_iter().skip(usize::from(has_previous_page)).collect();
            Page { items, has_next_page: args.before.is_some(), has_previous_page }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    type Args = PageArgs<(String, u32)>;

    #[test]
    fn defaults_and_bounds() {
        assert_eq!(Args::parse(None, None, None, None).map(|a| a.take).ok(), Some(Take::First(20)));
        assert_eq!(Args::parse(Some(100), None, None, None).map(|a| a.take).ok(), Some(Take::First(100)));
        assert!(Args::parse(Some(101), None, None, None).is_err());
        assert!(Args::parse(Some(-1), None, None, None).is_err());
        assert!(Args::parse(Some(1), None, Some(1), None).is_err());
    }

    #[test]
    fn cursors_round_trip_and_garbage_is_refused() {
        let cursor = encode_cursor(&("Kafka".to_owned(), 7_u32));
        let args = Args::parse(Some(5), Some(&cursor), None, None).ok();
        assert_eq!(args.and_then(|a| a.after), Some(("Kafka".to_owned(), 7)));
        let error = Args::parse(Some(5), Some("nope"), None, None).err();
        assert_eq!(error.map(|e| e.code()), Some("BAD_USER_INPUT"));
    }
}
