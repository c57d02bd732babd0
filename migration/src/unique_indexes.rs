//! Unique indexes that services turn into refusals at an input field. The migrations create
//! them from these constants, and the server recognizes a violation of each on both backends
//! (PostgreSQL names the index in its error, SQLite its table and columns). Migrations are
//! append-only: a changed index is a new migration with a new constant, never an edit here.

/// A unique index as a migration created it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UniqueIndex {
    /// The index name (PostgreSQL reports it as the violated constraint).
    pub name: &'static str,
    /// The table it is on.
    pub table: &'static str,
    /// Its columns in order (SQLite reports them as `table.column, ...`).
    pub columns: &'static [&'static str],
}

/// One role per external source and id in an organization.
pub const ROLES_EXTERNAL: UniqueIndex = UniqueIndex {
    name: "uq_roles_external",
    table: "roles",
    columns: &["organization_id", "external_source", "external_id"],
};

/// One candidate per email in an organization.
pub const CANDIDATES_EMAIL: UniqueIndex =
    UniqueIndex { name: "uq_candidates_email", table: "candidates", columns: &["organization_id", "email"] };

/// One candidate per external source and id in an organization.
pub const CANDIDATES_EXTERNAL: UniqueIndex = UniqueIndex {
    name: "uq_candidates_external",
    table: "candidates",
    columns: &["organization_id", "external_source", "external_id"],
};
