use clap::error::ErrorKind;
use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = match vastplan::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) => {
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        Err(e)
            if matches!(
                e.kind(),
                ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand | ErrorKind::MissingSubcommand
            ) =>
        {
            // No command: one line naming them, like every other input error.
            let names: Vec<String> = <vastplan::cli::Cli as clap::CommandFactory>::command()
                .get_subcommands()
                .map(|c| c.get_name().to_string())
                .filter(|n| n != "help")
                .collect();
            eprintln!(
                "error: a command is required: {} (see --help)",
                names.join(", ")
            );
            return ExitCode::from(2);
        }
        Err(e) => {
            // Bad input is one line: clap's first line names the flag; the usage block
            // after it is what `--help` is for.
            // A headline ending in a colon ("required arguments were not provided:") is
            // continued by the indented lines under it, which name the flags.
            let text = e.render().to_string();
            let mut lines = text.lines().filter(|l| !l.trim().is_empty());
            let mut first = lines.next().unwrap_or("error: bad arguments").to_string();
            if first.ends_with(':') {
                let more: Vec<&str> = lines
                    .take_while(|l| l.starts_with(' '))
                    .map(str::trim)
                    .collect();
                first = format!("{first} {}", more.join(", "));
            }
            eprintln!("{first} (see --help)");
            return ExitCode::from(2);
        }
    };
    match vastplan::cli::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        // The reader of our output went away (`| head`): it has what it wanted, and a
        // message about it would only be noise.
        Err(_) if vastplan::output::stdout_closed() => ExitCode::SUCCESS,
        Err(_) if vastplan::output::stdout_failed().is_some() => {
            let why = vastplan::output::stdout_failed().unwrap_or_default();
            eprintln!("error: cannot write standard output: {why}");
            ExitCode::from(2)
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(e.exit_code() as u8)
        }
    }
}
