//! DKIM public keys from DNS — only when the user asks (`trawl keys fetch`,
//! `F` in the browser): nothing else in trawl touches the network. A key
//! fetched is kept in the project with the time it was fetched (see
//! [`crate::project::Store::add_dkim_key`]), so the verdict can be
//! reproduced after the domain rotates or withdraws it.
//!
//! The resolver is hickory's, as mail-auth ships it, on a small runtime of
//! its own. `/etc/resolv.conf` says which server to ask, unless
//! `TRAWL_DNS_SERVER` (`ip:port`) names one.

use std::net::SocketAddr;
use std::time::Duration;

use mail_auth::hickory_resolver::config::{NameServerConfigGroup, ResolverConfig, ResolverOpts};
use mail_auth::hickory_resolver::name_server::TokioConnectionProvider;
use mail_auth::hickory_resolver::proto::op::ResponseCode;
use mail_auth::hickory_resolver::proto::ProtoErrorKind;
use mail_auth::hickory_resolver::system_conf::read_system_conf;
use mail_auth::hickory_resolver::TokioResolver;

/// Names the DNS server to ask instead of the system's (`ip:port`).
pub const DNS_SERVER_ENV: &str = "TRAWL_DNS_SERVER";

/// How long one question may take, per attempt.
const TIMEOUT: Duration = Duration::from_secs(3);

/// What DNS said for one name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fetched {
    /// The DKIM key records published there.
    Keys(Vec<String>),
    /// No DKIM key is published there (any more).
    NoKey,
    /// The question could not be answered (no network, time out …).
    Failed(String),
}

pub struct Fetcher {
    runtime: tokio::runtime::Runtime,
    resolver: TokioResolver,
}

impl Fetcher {
    /// A resolver for the system's DNS server, or `TRAWL_DNS_SERVER`'s.
    pub fn new() -> Result<Fetcher, String> {
        let (config, mut options) = match std::env::var(DNS_SERVER_ENV) {
            Ok(addr) if !addr.is_empty() => {
                let at: SocketAddr = addr
                    .parse()
                    .map_err(|_| format!("{DNS_SERVER_ENV}={addr:?} is not ip:port"))?;
                let servers = NameServerConfigGroup::from_ips_clear(&[at.ip()], at.port(), true);
                (
                    ResolverConfig::from_parts(None, Vec::new(), servers),
                    ResolverOpts::default(),
                )
            }
            _ => read_system_conf().map_err(|e| format!("no DNS server configured: {e}"))?,
        };
        options.timeout = TIMEOUT;
        options.attempts = 2;
        // Every answer is kept in the project; none is needed twice.
        options.cache_size = 0;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| format!("cannot start the DNS client: {e}"))?;
        let resolver = {
            let _inside = runtime.enter();
            TokioResolver::builder_with_config(config, TokioConnectionProvider::default())
                .with_options(options)
                .build()
        };
        Ok(Fetcher { runtime, resolver })
    }

    /// The DKIM key records at `name` (`selector._domainkey.domain`).
    pub fn fetch(&self, name: &str) -> Fetched {
        let fqdn = format!("{}.", name.trim_end_matches('.'));
        match self.runtime.block_on(self.resolver.txt_lookup(fqdn)) {
            Ok(lookup) => {
                let keys: Vec<String> = lookup
                    .as_lookup()
                    .record_iter()
                    .filter_map(|r| r.data().as_txt())
                    .map(|txt| {
                        txt.txt_data()
                            .iter()
                            .map(|part| String::from_utf8_lossy(part))
                            .collect::<String>()
                    })
                    .filter(|record| record.contains("p="))
                    .collect();
                if keys.is_empty() {
                    Fetched::NoKey
                } else {
                    Fetched::Keys(keys)
                }
            }
            Err(e) => match e.kind() {
                // Only "no such name" or "no TXT there" say no key is
                // published; a refusal or a server failure says nothing.
                ProtoErrorKind::NoRecordsFound(none)
                    if matches!(
                        none.response_code,
                        ResponseCode::NXDomain | ResponseCode::NoError
                    ) =>
                {
                    Fetched::NoKey
                }
                ProtoErrorKind::NoRecordsFound(none) => {
                    Fetched::Failed(format!("the DNS server answered {}", none.response_code))
                }
                _ => Fetched::Failed(e.to_string()),
            },
        }
    }
}

/// The key names (`selector._domainkey.domain`, lower case) the
/// signatures of a raw message need.
pub fn key_names(raw: &[u8]) -> Vec<String> {
    super::dkim::check(raw, &|_| Vec::new())
        .iter()
        .filter(|c| !c.domain.is_empty() && !c.selector.is_empty())
        .map(super::dkim::Checked::key_name)
        .collect()
}

/// Every key name the signed messages of a dump need, sorted, once each.
pub fn wanted_names(root: &std::path::Path, docs: &[crate::model::Document]) -> Vec<String> {
    use rayon::prelude::*;
    let mut names: Vec<String> = docs
        .par_iter()
        .filter(|d| d.is_rfc822())
        .flat_map_iter(|d| {
            crate::ingest::read_document(root, &d.location)
                .map(|raw| key_names(&raw))
                .unwrap_or_default()
        })
        .collect();
    names.sort_unstable();
    names.dedup();
    names
}

/// Ask DNS for each of `names` and keep what it publishes in `store`
/// (source `dns`, with the time). `report` hears about each name.
pub fn fetch_into(
    fetcher: &Fetcher,
    store: &crate::project::Store,
    names: &[String],
    report: &mut dyn FnMut(&str, &Outcome),
) {
    for name in names {
        let outcome = match fetcher.fetch(name) {
            Fetched::Keys(records) => {
                let mut added = Vec::new();
                for record in &records {
                    match store.add_dkim_key(name, record, "dns") {
                        Ok(a) => added.push(a),
                        Err(e) => {
                            report(name, &Outcome::Failed(format!("not kept: {e}")));
                            return;
                        }
                    }
                }
                Outcome::Kept(added)
            }
            Fetched::NoKey => Outcome::NoKey,
            Fetched::Failed(e) => Outcome::Failed(e),
        };
        report(name, &outcome);
    }
}

/// What asking for one name did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The records published, each new, another for the name, or known.
    Kept(Vec<crate::project::KeyAdded>),
    NoKey,
    Failed(String),
}

impl Outcome {
    /// For a line of output: `new key`, `no key published`, ….
    pub fn describe(&self) -> String {
        use crate::project::KeyAdded;
        match self {
            Outcome::Kept(added) if added.iter().all(|a| *a == KeyAdded::Known) => {
                "key already kept, unchanged".into()
            }
            Outcome::Kept(added) if added.contains(&KeyAdded::Another) => {
                "a different key than the one kept (rotated?): both kept".into()
            }
            Outcome::Kept(_) => "new key kept".into(),
            Outcome::NoKey => "no key published (withdrawn or never there)".into(),
            Outcome::Failed(e) => format!("failed: {e}"),
        }
    }
}
