//! Bringing the catalogue in: importers of public metadata files (`import`: arXiv snapshots,
//! OpenAlex works, authors and institutions), harvesters of their live sources (`harvest`:
//! OpenAlex's API, arXiv's OAI-PMH), and the synthetic catalogue for demos and benchmarks
//! (`generate`). Every write goes through `db::writes::catalogue` and `db::writes::bulk`.

pub mod generate;
pub mod harvest;
pub mod import;

pub(crate) use bzpeer_core::domain;
