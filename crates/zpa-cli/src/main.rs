//! `zpa`: manage ZPA App Connectors and Privileged Approvals from a terminal.
#![forbid(unsafe_code)]

mod applications;
mod approvals;
mod cli;
mod confirm;
mod connect;
mod connection;
mod connectors;
mod failure;
mod json_text;
mod listing;
mod logging;
#[cfg(feature = "mcp")]
mod mcp;
mod output;

use std::process::ExitCode;

use clap::{CommandFactory, Parser};

use cli::{Cli, Command};
use output::Printer;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {}", failure::one_line(&error));
            ExitCode::from(failure::exit_code(&error))
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    // Warnings show without --log: the client falling back from a shared
    // rate limit, or dropping a field it could not read, is worth knowing.
    logging::init(cli.global.log.as_deref().unwrap_or("warn"))?;
    let mut printer = Printer::new(cli.global.output, cli.global.log.is_none());
    match cli.command {
        Command::Completions { shell } => {
            clap_complete::generate(shell, &mut Cli::command(), "zpa", &mut std::io::stdout());
            Ok(())
        }
        Command::Connectors(command) => {
            let (zpa, _sim) = connect::client(&cli.global).await?;
            connectors::run(&zpa, command, &mut printer).await
        }
        Command::Approvals(command) => {
            let (zpa, _sim) = connect::client(&cli.global).await?;
            approvals::run(&zpa, command, &mut printer).await
        }
        Command::Applications(command) => {
            let (zpa, _sim) = connect::client(&cli.global).await?;
            applications::run(&zpa, command, &mut printer).await
        }
        #[cfg(feature = "mcp")]
        Command::Mcp(args) => {
            let allowed = mcp::allowed(args.allow_writes)?;
            let (zpa, _sim) = connect::client(&cli.global).await?;
            mcp::serve(zpa, allowed).await
        }
    }
}
