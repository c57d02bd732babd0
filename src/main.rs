//! The `talentgraph` command: parse the command line, set up logs, run the command.

use std::process::ExitCode;

use clap::Parser;

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
