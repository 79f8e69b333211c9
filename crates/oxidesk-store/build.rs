//! Rebuilds the crate when a migration is added: `sqlx::migrate!` embeds the migration folders
//! at compile time, and cargo does not otherwise watch for new files in them.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
