//! `zpa applications ...`: application segments, read-only.

use anyhow::Result;
use zpa::{ApplicationRef, Client};

use crate::cli::ApplicationCommand;
use crate::failure::api;
use crate::listing;
use crate::output::Printer;

pub async fn run(zpa: &Client, command: ApplicationCommand, printer: &mut Printer) -> Result<()> {
    let applications = zpa.applications();
    match command {
        ApplicationCommand::List {
            listing: options,
            application_type: None,
        } => {
            let list = listing::apply(applications.list(), &options);
            listing::print(
                list,
                options.page,
                printer,
                "listing application segments",
                |_| {},
            )
            .await
        }
        ApplicationCommand::List {
            listing: options,
            application_type: Some(application_type),
        } => {
            let list = listing::apply(applications.of_type(application_type), &options);
            let what = format!("listing {application_type} applications");
            listing::print(list, options.page, printer, &what, |_| {}).await
        }
        ApplicationCommand::Get { segment } => {
            let found = match ApplicationRef::from(segment.as_str()) {
                ApplicationRef::Id(id) => api(
                    || format!("getting application segment {id}"),
                    applications.get(&id).await,
                )?,
                ApplicationRef::Name(name) => api(
                    || format!("finding application segment {name:?}"),
                    applications.by_name(&name).await,
                )?,
            };
            Ok(printer.one(&found)?)
        }
    }
}
