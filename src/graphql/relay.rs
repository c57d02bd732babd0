//! Relay cursor connections: `PageInfo` and the connection types built from a service's
//! [`crate::pagination::Page`].

use async_graphql::SimpleObject;

/// Where a page sits in its list.
#[derive(Debug, Clone, SimpleObject)]
pub struct PageInfo {
    /// Whether more items follow `endCursor`.
    pub has_next_page: bool,
    /// Whether items precede `startCursor`.
    pub has_previous_page: bool,
    /// Cursor of the first edge, to page backwards with `before`.
    pub start_cursor: Option<String>,
    /// Cursor of the last edge, to page forwards with `after`.
    pub end_cursor: Option<String>,
}

/// Declares a Relay connection type `$connection` with edge type `$edge` over node type
/// `$node`, plus `$connection::from_page`. (A macro, not generics: async-graphql derives output
/// types for generic structs only per concrete instantiation.)
#[macro_export]
macro_rules! connection_type {
    ($connection:ident, $edge:ident, $node:ty) => {
        #[doc = concat!("A `", stringify!($node), "` with its cursor.")]
        #[derive(Debug, Clone, async_graphql::SimpleObject)]
        pub struct $edge {
            /// Opaque position of this item, for `after` / `before`.
            pub cursor: String,
            /// The item.
            pub node: $node,
        }

        #[doc = concat!("A page of `", stringify!($node), "` items, Relay style, with the size of the whole filtered list.")]
        #[derive(Debug, Clone, async_graphql::SimpleObject)]
        #[graphql(complex)]
        pub struct $connection {
            /// The items of this page, without cursors.
            pub nodes: Vec<$node>,
            /// Where this page sits in the list.
            pub page_info: $crate::graphql::relay::PageInfo,
            /// How many items the whole list holds under the given filters.
            pub total_count: u64,
            /// Each node's cursor, in the same order.
            #[graphql(skip)]
            pub cursors: Vec<String>,
        }

        #[async_graphql::ComplexObject]
        impl $connection {
            /// The items of this page with their cursors.
            async fn edges(&self) -> Vec<$edge> {
                // Built only when selected: most clients read `nodes`, and a page's nodes are
                // then served by reference instead of copied into edges as well.
                self.nodes
                    .iter()
                    .zip(&self.cursors)
                    .map(|(node, cursor)| $edge { cursor: cursor.clone(), node: node.clone() })
                    .collect()
            }
        }

        impl $connection {
            /// Builds the connection from a service page, each item's cursor, and the total
            /// count (computed only when the client selected `totalCount`).
            pub fn from_page<T>(
                page: $crate::pagination::Page<T>,
                total_count: Option<u64>,
                cursor: impl Fn(&T) -> String,
                node: impl Fn(T) -> $node,
            ) -> Self {
                let cursors: Vec<String> = page.items.iter().map(cursor).collect();
                let page_info = $crate::graphql::relay::PageInfo {
                    has_next_page: page.has_next_page,
                    has_previous_page: page.has_previous_page,
                    start_cursor: cursors.first().cloned(),
                    end_cursor: cursors.last().cloned(),
                };
                Self {
                    nodes: page.items.into_iter().map(node).collect(),
                    page_info,
                    total_count: total_count.unwrap_or(0),
                    cursors,
                }
            }
        }
    };
}
