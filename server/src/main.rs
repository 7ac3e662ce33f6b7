//! The `server` binary: serve the site (the default), import metadata, or reset the database.

fn main() -> std::process::ExitCode {
    server::cli::main()
}
