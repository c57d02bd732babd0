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
    encode_parts(kind, &[id])
}

/// `kind:hex:hex…` base64url-encoded, built without intermediate strings: a page of 50
/// candidates with their skills encodes ~450 ids, and `format!` plus a second buffer per id
/// was a tenth of the request's instructions.
fn encode_parts(kind: &str, ids: &[Uuid]) -> ID {
    let mut raw = Vec::with_capacity(kind.len() + ids.len() * 33);
    raw.extend_from_slice(kind.as_bytes());
    for id in ids {
        let mut hex = [0_u8; uuid::fmt::Simple::LENGTH];
        raw.push(b':');
        raw.extend_from_slice(id.simple().encode_lower(&mut hex).as_bytes());
    }
    ID(URL_SAFE_NO_PAD.encode(raw))
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
    encode_parts(kind, &[first, second])
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
    fn ids_keep_the_encoding_clients_stored() {
        let (first, second) = (Uuid::from_u128(0x0123_4567_89ab_cdef_0123_4567_89ab_cdef), Uuid::from_u128(7));
        assert_eq!(encode("Skill", first).0, URL_SAFE_NO_PAD.encode(format!("Skill:{}", first.simple())));
        assert_eq!(
            encode_pair("CandidateSkill", first, second).0,
            URL_SAFE_NO_PAD.encode(format!("CandidateSkill:{}:{}", first.simple(), second.simple()))
        );
        assert_eq!(decode_pair("CandidateSkill", &encode_pair("CandidateSkill", first, second)), Some((first, second)));
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
