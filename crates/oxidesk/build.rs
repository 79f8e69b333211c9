//! Rebuild when an embedded static file changes (`include_dir!` cannot tell cargo itself).

fn main() {
    println!("cargo:rerun-if-changed=static");
    println!("cargo:rerun-if-changed=example-apps");
    println!("cargo:rerun-if-changed=sdk");
}
