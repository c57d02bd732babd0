//! GraphQL face of candidates: output types, inputs, the `candidates` / `candidate` queries, the
//! candidate mutations and the data-protection export.

mod input;
mod mutation;
mod query;
mod types;

pub use input::*;
pub use mutation::CandidateMutation;
pub use query::CandidateQuery;
pub use types::*;
