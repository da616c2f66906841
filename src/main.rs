use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = vastplan::cli::Cli::parse();
    match vastplan::cli::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(e.exit_code() as u8)
        }
    }
}
