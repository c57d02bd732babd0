//! GraphQL face of roles: output types, inputs, the `roles` / `role` queries and the role
//! mutations. Resolvers parse input, call the service, map the output.

mod input;
mod mutation;
mod query;
mod types;

pub use input::*;
pub use mutation::RoleMutation;
pub use query::RoleQuery;
pub use types::*;
