//! BZPEER's core: the domain's types and rules (`domain`), records as pages and the API show them
//! (`model`), and the one error every server function returns (`error`). Pure and compiled for both
//! the server and the browser; the `sqlx` feature adds the database's decoding of these types and
//! the one mapping from database errors.

pub mod domain;
pub mod error;
pub mod model;
