//! Opaque global ids (Relay): the type name and the row id, base64url-encoded, so that
//! `node(id:)` can tell what an id names and clients never build ids themselves.

use async_graphql::ID;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use uuid::Uuid;

use crate::error::AppError;

/// The global id of the row `id` of GraphQL type `kind`.
#[must_use]
pub fn encode(kind: &str, id: Uuid) -> ID {
    ID(URL_SAFE_NO_PAD.encode(format!("{kind}:{}", id.simple())))
}

/// The row id inside a global id given as the argument `field` (dot-separated path), which must
/// name a `kind`. A malformed id, or the id of another type, is a refusal of that argument
/// (BAD_USER_INPUT): no object could ever have it, unlike a well-formed id of nothing.
pub fn decode(kind: &'static str, id: &ID, field: &str) -> Result<Uuid, AppError> {
    match decode_any(id) {
        Some((named, uuid)) if named == kind => Ok(uuid),
        Some((named, _)) => {
            Err(AppError::bad_input(field, format!("expected the id of a {kind}, got one of a {named}")))
        }
        None => Err(AppError::bad_input(field, format!("not a valid {kind} id"))),
    }
}

/// The type name and row id inside a global id, if it is well formed.
#[must_use]
pub fn decode_any(id: &ID) -> Option<(String, Uuid)> {
    let bytes = URL_SAFE_NO_PAD.decode(id.as_str()).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let (kind, raw) = text.split_once(':')?;
    Some((kind.to_owned(), Uuid::try_parse(raw).ok()?))
}

/// The type name inside a global id, if it is well formed.
#[must_use]
pub fn kind_of(id: &ID) -> Option<String> {
    let text = String::from_utf8(URL_SAFE_NO_PAD.decode(id.as_str()).ok()?).ok()?;
    text.split_once(':').map(|(kind, _)| kind.to_owned())
}

/// The global id of a row with a two-part key (a candidate's skill: candidate and skill).
#[must_use]
pub fn encode_pair(kind: &str, first: Uuid, second: Uuid) -> ID {
    ID(URL_SAFE_NO_PAD.encode(format!("{kind}:{}:{}", first.simple(), second.simple())))
}

/// The two row ids inside a two-part global id of `kind`.
#[must_use]
pub fn decode_pair(kind: &str, id: &ID) -> Option<(Uuid, Uuid)> {
    let text = String::from_utf8(URL_SAFE_NO_PAD.decode(id.as_str()).ok()?).ok()?;
    let mut parts = text.splitn(3, ':');
    if parts.next()? != kind {
        return None;
    }
    Some((Uuid::try_parse(parts.next()?).ok()?, Uuid::try_parse(parts.next()?).ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_keep_their_type() {
        let uuid = Uuid::now_v7();
        let id = encode("Skill", uuid);
        assert_eq!(decode("Skill", &id, "id").ok(), Some(uuid));
        assert!(
            matches!(decode("Role", &id, "input.roleId"), Err(AppError::BadUserInput { field, .. }) if field == ["input", "roleId"])
        );
    }

    #[test]
    fn garbage_is_a_refusal_of_its_argument() {
        for raw in ["", "x", "!!!", "U2tpbGw6", "Um9sZTpub3QtYS11dWlk"] {
            let refused = decode("Skill", &ID(raw.to_owned()), "id");
            assert!(
                matches!(&refused, Err(AppError::BadUserInput { field, .. }) if *field == ["id"]),
                "{raw}: {refused:?}"
            );
        }
    }
}
