//! The `talentgraph` command: parse the command line, set up logs, run the command.

use std::process::ExitCode;

use clap::Parser;

/// mimalloc instead of the system allocator: a request allocates many small objects (rows,
/// GraphQL values), and glibc's malloc/free was a fifth of the server's CPU in a profile of
/// the nested-candidates query (`bench/nested.sh`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = talentgraph::cli::Cli::parse();
    talentgraph::telemetry::init(cli.log_format());
    match talentgraph::cli::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            // One line an operator can act on; the cause chain is joined with ": ".
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
