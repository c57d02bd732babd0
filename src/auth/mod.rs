//! Identity and tenancy: password hashes, JWTs, the caller (`Viewer`), its organization
//! (`Tenant`), the skills it sees (`SkillScope`), permissions and GraphQL guards. The only
//! module that can make a `Tenant`, so every tenant-scoped query starts from a verified caller.
//! Signing in and managing recruiters and API clients is the `accounts` slice.

pub mod password;
pub mod permissions;
pub mod tenancy;
pub mod tokens;
pub mod viewer;

pub use permissions::{Permission, Scope};
pub use tenancy::{SkillScope, Tenant, TenantOwned};
pub use viewer::{Authentication, Viewer};
