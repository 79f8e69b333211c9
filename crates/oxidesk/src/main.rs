//! The `oxidesk` binary: parse the command line and run it.

/// mimalloc instead of the system allocator: a list request allocates some thousand small
/// values (rows, views, JSON) and glibc's malloc/free was ~13 % of its CPU
/// (docs/PERFORMANCE.md "Allocator").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    oxidesk::cli::main()
}
