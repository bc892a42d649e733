//! Search: the query language ([`query`]), the project's full-text index
//! ([`fulltext`]) and the evaluation of a query against a workspace
//! ([`eval`]).

pub mod bench;
pub mod eval;
pub mod fulltext;
pub mod query;
pub mod quick;
