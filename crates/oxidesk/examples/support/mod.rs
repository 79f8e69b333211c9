//! What the benchmark examples share (`mod support;` in each; not an example itself).

use std::future::Future;
use std::process::ExitCode;

/// The examples' `main`: parses the arguments with `parse`, then runs `run` on a multi-thread
/// Tokio runtime (one worker per core, as `oxidesk serve` has). Bad arguments exit with 2, a
/// failed run with 1; each message goes to stderr after `name: `.
pub fn main<O, F>(
    name: &str,
    parse: impl FnOnce() -> Result<O, String>,
    run: impl FnOnce(O) -> F,
) -> ExitCode
where
    F: Future<Output = Result<(), String>>,
{
    let options = match parse() {
        Ok(options) => options,
        Err(message) => {
            eprintln!("{name}: {message}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("{name}: cannot start the async runtime: {error}");
            return ExitCode::from(1);
        }
    };
    match runtime.block_on(run(options)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{name}: {message}");
            ExitCode::from(1)
        }
    }
}
