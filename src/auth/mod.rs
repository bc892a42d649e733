//! Authenticity evidence: DKIM signatures checked offline (and against
//! keys the user supplies), and what the headers say of the way a message
//! travelled.

pub mod dkim;
pub mod fetch;
pub mod hops;
pub mod keys;
pub mod provenance;

/// The domain of an address or Message-ID (`local@domain`), lower case.
pub(crate) fn domain_of(addr: &str) -> Option<String> {
    addr.rsplit_once('@')
        .map(|(_, d)| d.trim_end_matches('>').to_ascii_lowercase())
        .filter(|d| !d.is_empty())
}

/// `domain` is `parent` or below it (`mail.example.org` in `example.org`).
pub(crate) fn within(domain: &str, parent: &str) -> bool {
    !parent.is_empty()
        && (domain == parent
            || domain
                .strip_suffix(parent)
                .is_some_and(|rest| rest.ends_with('.')))
}
