//! Asking before destructive commands: show what goes, then ask on the
//! terminal; refuse when there is no terminal to ask and no `--yes`.

use std::io::{self, BufRead, IsTerminal, Write};

use anyhow::Result;

use crate::cli::Confirmation;
use crate::failure::InputError;

/// Whether to go ahead with deleting `targets` (one line each, on stderr).
pub fn confirm(targets: &[String], what: &str, options: &Confirmation) -> Result<bool> {
    eprintln!("{} {what} to delete:", targets.len());
    for target in targets {
        eprintln!("  {target}");
    }
    if options.dry_run {
        eprintln!("dry run: nothing deleted");
        return Ok(false);
    }
    if options.yes {
        return Ok(true);
    }
    if !io::stdin().is_terminal() {
        return Err(InputError(format!(
            "refusing to delete {} {what} without confirmation: no terminal to ask; pass --yes",
            targets.len()
        ))
        .into());
    }
    eprint!("Delete {} {what}? [y/N] ", targets.len());
    io::stderr().flush()?;
    let mut answer = String::new();
    io::stdin().lock().read_line(&mut answer)?;
    let yes = matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes");
    if !yes {
        eprintln!("cancelled: nothing deleted");
    }
    Ok(yes)
}
