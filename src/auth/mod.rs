//! Authentication: password hashing now; tokens, sign-in and guards come with the auth issue.

pub mod password;
