//! `zpa connectors ...`

use anyhow::Result;
use zpa::{Client, Connector, ConnectorUpdate, Connectors, ZpaDuration};

use crate::cli::ConnectorCommand;
use crate::confirm::confirm;
use crate::failure::{InputError, api};
use crate::listing;
use crate::output::Printer;

pub async fn run(zpa: &Client, command: ConnectorCommand, printer: &mut Printer) -> Result<()> {
    let connectors = zpa.connectors();
    match command {
        ConnectorCommand::List(options) => {
            let list = listing::apply(connectors.list(), &options);
            listing::print(list, options.page, printer, "listing connectors", |_| {}).await
        }
        ConnectorCommand::Get { id: Some(id), .. } => {
            let connector = api(
                || format!("getting connector {id}"),
                connectors.get(&id).await,
            )?;
            Ok(printer.one(&connector)?)
        }
        ConnectorCommand::Get { name, .. } => {
            let name = name.unwrap_or_default();
            let connector = api(
                || format!("finding connector {name:?}"),
                connectors.by_name(&name).await,
            )?;
            Ok(printer.one(&connector)?)
        }
        ConnectorCommand::Update {
            id,
            name,
            description,
            enabled,
        } => {
            let update = ConnectorUpdate {
                name,
                description,
                enabled,
            };
            api(
                || format!("updating connector {id}"),
                connectors.update(&id, &update).await,
            )?;
            eprintln!("updated connector {id}");
            Ok(())
        }
        ConnectorCommand::Delete { id } => {
            api(
                || format!("deleting connector {id}"),
                connectors.delete(&id).await,
            )?;
            eprintln!("deleted connector {id}");
            Ok(())
        }
        ConnectorCommand::BulkDelete { ids, confirmation } => {
            if confirm(&ids, "connectors", &confirmation)? {
                bulk_delete(zpa, &ids).await?;
            }
            Ok(())
        }
        ConnectorCommand::Stale {
            disconnected_for,
            delete,
            confirmation,
        } => {
            let age: ZpaDuration = disconnected_for
                .parse()
                .map_err(|e| InputError(format!("invalid --disconnected-for: {e}")))?;
            let mut stale = Vec::new();
            let mut managed = 0;
            let keep = |c: &Connector| match (delete, Connectors::deletable(c)) {
                (false, _) => {}
                (true, false) => managed += 1,
                (true, true) => stale.push(c.clone()),
            };
            // The facade refuses an absurd age as a search it cannot send;
            // here it is the option's.
            let listed = listing::print(
                connectors.stale(age),
                None,
                printer,
                "listing stale connectors",
                keep,
            )
            .await;
            if let Err(error) = listed {
                return Err(match error.downcast_ref::<InputError>() {
                    Some(InputError(reason)) => InputError(reason.replacen(
                        "invalid --search: ",
                        "invalid --disconnected-for: ",
                        1,
                    ))
                    .into(),
                    None => error,
                });
            }
            if delete {
                if managed > 0 {
                    eprintln!("leaving out {managed} connectors that Zscaler manages");
                }
                if stale.is_empty() {
                    eprintln!("no connector disconnected for more than {age}");
                    return Ok(());
                }
                let targets: Vec<String> = stale
                    .iter()
                    .map(|c| format!("{}  {}", c.id, c.name))
                    .collect();
                if confirm(&targets, "connectors", &confirmation)? {
                    let what = || format!("deleting {} stale connectors", stale.len());
                    let deleted = api(what, zpa.connectors().delete_listed(&stale).await)?;
                    eprintln!("deleted {deleted} connectors");
                }
            }
            Ok(())
        }
    }
}

async fn bulk_delete<I: AsRef<str>>(zpa: &Client, ids: &[I]) -> Result<()> {
    let what = || format!("bulk deleting {} connectors", ids.len());
    api(what, zpa.connectors().bulk_delete(ids).await)?;
    eprintln!("deleted {} connectors", ids.len());
    Ok(())
}
