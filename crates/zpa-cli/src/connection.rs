//! The connection options: one per [`zpa::Setting`], whose option name,
//! environment variable, help and secrecy all come from the facade, shown
//! under their own heading in every command's help.

use clap::{Arg, ArgMatches, Args, Command, FromArgMatches};
use zpa::Setting;

/// The settings given on the command line or in the environment, in the
/// facade's order.
#[derive(Debug, Default)]
pub struct Connection(pub Vec<(Setting, String)>);

impl FromArgMatches for Connection {
    fn from_arg_matches(matches: &ArgMatches) -> Result<Self, clap::Error> {
        let mut connection = Connection::default();
        connection.update_from_arg_matches(matches)?;
        Ok(connection)
    }

    fn update_from_arg_matches(&mut self, matches: &ArgMatches) -> Result<(), clap::Error> {
        for setting in Setting::ALL {
            if let Some(value) = matches.get_one::<String>(setting.option()) {
                self.0.retain(|(given, _)| *given != setting);
                self.0.push((setting, value.clone()));
            }
        }
        Ok(())
    }
}

impl Args for Connection {
    fn augment_args(command: Command) -> Command {
        Setting::ALL.into_iter().fold(command, |command, setting| {
            command.arg(
                Arg::new(setting.option())
                    .long(setting.option())
                    .env(setting.env())
                    .hide_env_values(setting.is_secret())
                    .help(setting.help())
                    .global(true)
                    .help_heading("Connection"),
            )
        })
    }

    fn augment_args_for_update(command: Command) -> Command {
        Self::augment_args(command)
    }
}
