//! The `oxidesk` binary: parse the command line and run it.

fn main() -> std::process::ExitCode {
    oxidesk::cli::main()
}
