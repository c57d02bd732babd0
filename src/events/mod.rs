//! Domain events, one source of truth: every change a service makes is recorded as a typed
//! [`model::DomainEvent`] in the same transaction, numbered per organization in commit order.
//! The audit trail reads them; webhooks and subscriptions will read them as an outbox.
//!
//! This slice knows `auth`, `error`, `pagination`, `values` (LIKE patterns) and `entity`, and no
//! other slice: services import it, never the other way round.

pub mod model;
pub mod service;
