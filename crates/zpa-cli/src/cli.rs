//! The command line: global options (the connection's, and each also read
//! from the environment) and the commands.

use clap::{Args, Parser, Subcommand, ValueEnum};

use clap::builder::{PossibleValuesParser, TypedValueParser};
use zpa::{APPLICATION_TYPES, ApplicationType, ApprovalField, Direction, Field};

use crate::connection::Connection;

/// Manage ZPA App Connectors and Privileged Approvals.
#[derive(Debug, Parser)]
#[command(name = "zpa", version, propagate_version = true)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct Global {
    /// Which tenant and how: one option per setting of the client.
    #[command(flatten)]
    pub connection: Connection,
    /// Output format.
    #[arg(long, short, global = true, value_enum, default_value_t = Output::Table, env = "ZPA_OUTPUT")]
    pub output: Output,
    /// Write diagnostics to stderr: a level (error, warn, info, debug, trace)
    /// or per-target filters such as zpa=debug; warnings by default. Secrets
    /// are never written.
    #[arg(long, global = true, env = "ZPA_LOG", value_name = "FILTER")]
    pub log: Option<String>,
    /// Start a simulator with demo data in-process and use it (no credentials needed).
    #[cfg(feature = "simulator")]
    #[arg(long, global = true)]
    pub simulate: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Output {
    /// Aligned columns for a terminal.
    Table,
    /// The objects exactly as the API sent them (laid out anew); a list is
    /// one JSON array.
    Json,
    /// One object per line, exactly as the API sent it, written as pages arrive.
    Ndjson,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// App Connectors.
    #[command(subcommand)]
    Connectors(ConnectorCommand),
    /// Privileged approvals.
    #[command(subcommand)]
    Approvals(ApprovalCommand),
    /// Application segments (read-only): what approvals grant access to.
    #[command(subcommand)]
    Applications(ApplicationCommand),
    /// Serve these tools to AI agents over MCP (stdio): read-only unless
    /// --allow-writes names write tools.
    #[cfg(feature = "mcp")]
    Mcp(McpArgs),
    /// Print a shell completion script.
    Completions {
        /// bash, zsh, fish, elvish or powershell.
        shell: clap_complete::Shell,
    },
}

#[cfg(feature = "mcp")]
#[derive(Debug, Args)]
pub struct McpArgs {
    /// Write tools to offer besides the read-only ones: names, or patterns
    /// with * (zpa_update_*,zpa_create_privileged_approval; * for all).
    /// Deletes still ask the user first.
    #[arg(
        long,
        env = "ZPA_MCP_ALLOW_WRITES",
        value_delimiter = ',',
        value_name = "PATTERNS"
    )]
    pub allow_writes: Vec<String>,
}

#[derive(Debug, Args)]
pub struct Listing {
    /// Search expression, such as "controlChannelStatus EQ ZPN_STATUS_DISCONNECTED".
    #[arg(long)]
    pub search: Option<String>,
    /// Only this page (from 1); all pages when absent.
    #[arg(long)]
    pub page: Option<u32>,
    /// Items per page, 1 to 500.
    #[arg(long, default_value_t = 500)]
    pub page_size: u32,
}

#[derive(Debug, Args)]
pub struct Confirmation {
    /// Only show what would be deleted.
    #[arg(long)]
    pub dry_run: bool,
    /// Delete without asking.
    #[arg(long, short)]
    pub yes: bool,
}

#[derive(Debug, Subcommand)]
pub enum ConnectorCommand {
    /// List connectors (all pages unless --page is given).
    List(Listing),
    /// Show one connector, by id or by exact name.
    Get {
        /// Connector id.
        #[arg(required_unless_present = "name", conflicts_with = "name")]
        id: Option<String>,
        /// The connector's exact name (spaces and any characters allowed).
        #[arg(long)]
        name: Option<String>,
    },
    /// Change a connector's name, description or enabled state.
    Update {
        /// Connector id.
        id: String,
        #[arg(long)]
        name: Option<String>,
        #[arg(long)]
        description: Option<String>,
        #[arg(long)]
        enabled: Option<bool>,
    },
    /// Delete one connector.
    Delete {
        /// Connector id.
        id: String,
    },
    /// Delete several connectors in one request, after confirmation.
    BulkDelete {
        /// Connector ids.
        #[arg(required = true)]
        ids: Vec<String>,
        #[command(flatten)]
        confirmation: Confirmation,
    },
    /// Connectors disconnected for longer than a duration; optionally delete them.
    Stale {
        /// Such as 15d, 36h or "1d 12h".
        #[arg(long)]
        disconnected_for: String,
        /// Delete them (in one bulk delete, after confirmation).
        #[arg(long)]
        delete: bool,
        #[command(flatten)]
        confirmation: Confirmation,
    },
}

#[derive(Debug, Args)]
pub struct ApprovalSpec {
    /// The user's email address.
    #[arg(long)]
    pub email: String,
    /// Application segment: its id, or its exact name (repeat for several).
    /// A value of digits alone is an id.
    #[arg(long = "app", required = true, value_name = "ID|NAME")]
    pub apps: Vec<String>,
    /// Start: RFC 3339 (2026-11-24T09:00:00Z) or epoch seconds.
    #[arg(long)]
    pub start: String,
    /// End: RFC 3339 or epoch seconds.
    #[arg(long)]
    pub end: String,
    #[command(flatten)]
    pub hours: HoursArgs,
}

/// What to change in an approval: only the options given.
#[derive(Debug, Args)]
pub struct ApprovalEdit {
    /// Grant it to this email address instead.
    #[arg(long)]
    pub email: Option<String>,
    /// Application segment, by id or exact name (repeat for several):
    /// replaces the approval's.
    #[arg(long = "app", value_name = "ID|NAME")]
    pub apps: Vec<String>,
    /// New start: RFC 3339 or epoch seconds.
    #[arg(long)]
    pub start: Option<String>,
    /// New end: RFC 3339 or epoch seconds.
    #[arg(long)]
    pub end: Option<String>,
    #[command(flatten)]
    pub hours: HoursArgs,
    /// Remove the working hours: access at any time of day.
    #[arg(long, conflicts_with_all = ["days", "hours", "time_zone"])]
    pub no_hours: bool,
}

/// Daily working hours of an approval.
#[derive(Debug, Args)]
pub struct HoursArgs {
    /// Working days, such as MON,TUE,WED (default MON to FRI with --hours).
    #[arg(long, value_delimiter = ',')]
    pub days: Vec<String>,
    /// Daily working hours, local time: 09:00-17:00.
    #[arg(long)]
    pub hours: Option<String>,
    /// IANA time zone of the working hours, such as America/Vancouver.
    #[arg(long)]
    pub time_zone: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum ApprovalCommand {
    /// List approvals.
    List {
        #[command(flatten)]
        listing: Listing,
        #[arg(long, help = one_of("Field to sort by", ApprovalField::ALL.iter().map(|f| f.name())))]
        sort_by: Option<String>,
        #[arg(long, requires = "sort_by", help = one_of("Sort direction (default asc)", Direction::ALL.map(Direction::as_str)))]
        sort_dir: Option<String>,
    },
    /// Show one approval by id, or every approval of a user by email.
    Get {
        /// Approval id.
        #[arg(required_unless_present = "email", conflicts_with = "email")]
        id: Option<String>,
        /// The user's email address.
        #[arg(long)]
        email: Option<String>,
    },
    /// Grant a user time-boxed access to application segments.
    Create(ApprovalSpec),
    /// Change an approval: only what the options give (read, change, write).
    Update {
        /// Approval id.
        id: String,
        #[command(flatten)]
        edit: ApprovalEdit,
    },
    /// Delete one approval.
    Delete {
        /// Approval id.
        id: String,
    },
    /// Delete every expired approval.
    DeleteExpired,
}

#[derive(Debug, Subcommand)]
pub enum ApplicationCommand {
    /// List application segments (all pages unless --page is given), or
    /// with --type the applications of one type across segments.
    List {
        #[command(flatten)]
        listing: Listing,
        /// List the applications of this type instead, each with its
        /// segment's id (SEGMENT ID).
        #[arg(long = "type", value_name = "TYPE", value_parser = application_types())]
        application_type: Option<ApplicationType>,
    },
    /// Show one application segment, by id or by exact name.
    Get {
        /// The segment's id (digits), or its exact name (any characters).
        #[arg(value_name = "ID|NAME")]
        segment: String,
    },
}

/// The facade's application types, by the API's names.
fn application_types() -> impl TypedValueParser<Value = ApplicationType> {
    PossibleValuesParser::new(APPLICATION_TYPES.map(|t| t.to_string()))
        .try_map(|name| name.parse::<ApplicationType>())
}

/// Help for an option whose values are the facade's words (fields,
/// directions); the facade reads them, so errors stay one line in its terms.
fn one_of<'a>(what: &str, names: impl IntoIterator<Item = &'a str>) -> String {
    let names: Vec<_> = names.into_iter().collect();
    format!("{what}: {}.", names.join(", "))
}
