//! Rebuilds the crate when a migration is added: `sqlx::migrate!` embeds the folder's files, and
//! a new file alone would not otherwise make cargo compile the crate again.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
