//! `zpa connectors ...`

use anyhow::Result;
use futures::TryStreamExt;
use zpa::model::ConnectorFields;
use zpa::{Client, Connector, ConnectorUpdate, Connectors, ZpaDuration};

use crate::cli::{ConnectorCommand, Listing};
use crate::confirm::confirm;
use crate::failure::{InputError, api};
use crate::output::Printer;

pub async fn run(zpa: &Client, command: ConnectorCommand, printer: &mut Printer) -> Result<()> {
    let connectors = zpa.connectors();
    match command {
        ConnectorCommand::List(listing) => list(zpa, &listing, printer).await,
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
            print_all(
                connectors.stale(age),
                printer,
                "listing stale connectors",
                keep,
            )
            .await?;
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

async fn list(zpa: &Client, listing: &Listing, printer: &mut Printer) -> Result<()> {
    let mut list = zpa.connectors().list().page_size(listing.page_size);
    if let Some(search) = &listing.search {
        list = list.search(search);
    }
    match listing.page {
        Some(page) => {
            let page = api(
                || format!("listing connectors (page {page})"),
                list.page(page).await,
            )?;
            printer.start_list::<ConnectorFields>()?;
            printer.expect_total(page.items.len() as u64);
            for connector in &page.items {
                printer.item(connector)?;
            }
            printer.flush_page(page.items.len() as u64)?;
            Ok(printer.end_list()?)
        }
        None => print_all(list, printer, "listing connectors", |_| {}).await,
    }
}

/// Prints every connector of `list` as pages arrive, showing each to `seen`.
async fn print_all(
    list: zpa::ListConnectors,
    printer: &mut Printer,
    what: &str,
    mut seen: impl FnMut(&Connector),
) -> Result<()> {
    let mut pages = list.pages();
    printer.start_list::<ConnectorFields>()?;
    while let Some(page) = api(|| what.to_owned(), pages.try_next().await)? {
        if page.page == 1 {
            let total = page
                .total_count
                .unwrap_or(u64::from(page.total_pages) * page.items.len() as u64);
            printer.expect_total(total);
        }
        for connector in &page.items {
            printer.item(connector)?;
            seen(connector);
        }
        printer.flush_page(page.items.len() as u64)?;
    }
    Ok(printer.end_list()?)
}
