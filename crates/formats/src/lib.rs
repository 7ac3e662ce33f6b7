//! What BZPEER writes for other programs to read: Atom feeds (`atom`), sitemaps and robots.txt
//! (`sitemap`), citation files (`cite`: BibTeX, RIS, CSL-JSON, an APA-like line), schema.org
//! JSON-LD and Google Scholar tags (`structured`), and the profile's and work's records in those
//! (`markup`). Pure, and the server's only: the browser never builds these.

pub mod atom;
pub mod cite;
pub mod markup;
pub mod sitemap;
pub mod structured;
