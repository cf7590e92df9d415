//! Printing objects as a table, JSON or NDJSON, streaming: a list is written
//! as it arrives and never held whole. JSON and NDJSON print each object as
//! the server sent it (every key, every value), only laid out anew.

use std::collections::BTreeMap;
use std::io::{self, BufWriter, IsTerminal, Stdout, Write};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde_json::value::RawValue;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};
use zpa::model::{
    ApplicationSegmentFields, ApprovalFields, CompactString, ConnectorFields, Id, Lossless,
    SegmentAppFields,
};

use crate::cli::Output;
use crate::json_text::{one_line, write_pretty};

/// An object that can be a table row.
pub trait Row {
    /// Column titles and their widths.
    const COLUMNS: &'static [(&'static str, usize)];
    /// The cells, in column order.
    fn cells(&self) -> Vec<String>;
    /// Whether the column titled `title` belongs in the briefest form of a
    /// listing, where every token counts (what an AI agent gets unless it
    /// asks for fields).
    fn brief(_title: &str) -> bool {
        true
    }
}

pub struct Printer {
    format: Output,
    out: BufWriter<Stdout>,
    items: u64,
    /// Whether lists may draw a progress bar on a terminal's stderr; not
    /// when `--log` writes there, which would tear the bar.
    may_show_progress: bool,
    progress: Option<ProgressBar>,
    /// The table header or `[` of a list, written with the first item or at
    /// the end, so that a listing that fails at once prints nothing.
    opening: Option<Vec<u8>>,
}

impl Printer {
    pub fn new(format: Output, may_show_progress: bool) -> Self {
        Printer {
            format,
            out: BufWriter::with_capacity(64 * 1024, io::stdout()),
            items: 0,
            may_show_progress,
            progress: None,
            opening: None,
        }
    }

    /// Starts a list: the table header, or the JSON array's opening bracket,
    /// written with the first item.
    /// A progress bar goes to stderr when stderr is a terminal.
    pub fn start_list<T: Row>(&mut self) -> io::Result<()> {
        if self.may_show_progress && io::stderr().is_terminal() {
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
            bar.set_style(
                ProgressStyle::with_template("{spinner} {pos}/{len} {per_sec}")
                    .expect("the template is valid"),
            );
            self.progress = Some(bar);
        }
        let mut opening = Vec::new();
        match self.format {
            Output::Table => {
                let titles: Vec<String> = T::COLUMNS
                    .iter()
                    .map(|(title, _)| title.to_string())
                    .collect();
                write_row(&mut opening, T::COLUMNS, &titles)?;
            }
            Output::Json => opening.push(b'['),
            Output::Ndjson => {}
        }
        self.opening = Some(opening);
        Ok(())
    }

    fn open(&mut self) -> io::Result<()> {
        match self.opening.take() {
            Some(opening) => self.out.write_all(&opening),
            None => Ok(()),
        }
    }

    /// Tells the progress bar how many items the listing has in all.
    pub fn expect_total(&self, total: u64) {
        if let Some(bar) = &self.progress {
            bar.set_length(total);
        }
    }

    pub fn item<T: Row>(&mut self, item: &Lossless<T>) -> io::Result<()> {
        self.open()?;
        match self.format {
            Output::Table => write_row(&mut self.out, T::COLUMNS, &item.cells())?,
            Output::Json => {
                self.out
                    .write_all(if self.items == 0 { b"\n" } else { b",\n" })?;
                self.out.write_all(one_line(item.json()).as_bytes())?;
            }
            Output::Ndjson => {
                self.out.write_all(one_line(item.json()).as_bytes())?;
                self.out.write_all(b"\n")?;
            }
        }
        self.items += 1;
        Ok(())
    }

    /// Hands what was printed so far to the terminal or the pipe; called
    /// after each page, so that output streams as pages arrive.
    pub fn flush_page(&mut self, items: u64) -> io::Result<()> {
        match &self.progress {
            Some(bar) => {
                bar.inc(items);
                bar.suspend(|| self.out.flush())
            }
            None => self.out.flush(),
        }
    }

    pub fn end_list(&mut self) -> io::Result<()> {
        if let Some(bar) = self.progress.take() {
            bar.finish_and_clear();
        }
        self.open()?;
        match self.format {
            Output::Json if self.items == 0 => self.out.write_all(b"]\n")?,
            Output::Json => self.out.write_all(b"\n]\n")?,
            Output::Table | Output::Ndjson => {}
        }
        self.out.flush()
    }

    /// One object: `field  value` lines in a table, or the JSON object.
    pub fn one<T>(&mut self, item: &Lossless<T>) -> io::Result<()> {
        match self.format {
            Output::Table => {
                let fields: BTreeMap<String, &RawValue> = serde_json::from_str(item.json())?;
                let width = fields.keys().map(|k| k.width()).max().unwrap_or(0);
                for (key, value) in fields {
                    let shown = match serde_json::from_str::<String>(value.get()) {
                        Ok(text) => text,
                        Err(_) => one_line(value.get()).into_owned(),
                    };
                    writeln!(self.out, "{key:<width$}  {shown}")?;
                }
            }
            Output::Json => write_pretty(&mut self.out, item.json())?,
            Output::Ndjson => {
                self.out.write_all(one_line(item.json()).as_bytes())?;
                self.out.write_all(b"\n")?;
            }
        }
        self.out.flush()
    }
}

fn write_row(out: &mut impl Write, columns: &[(&str, usize)], cells: &[String]) -> io::Result<()> {
    let mut line = String::new();
    for (i, ((_, width), cell)) in columns.iter().zip(cells).enumerate() {
        let cell = fit(cell, *width);
        line.push_str(&cell);
        if i + 1 < columns.len() {
            line.extend(std::iter::repeat_n(' ', width - cell.width() + 2));
        }
    }
    writeln!(out, "{}", line.trim_end())
}

/// An optional text cell: empty when absent.
fn text(value: &Option<CompactString>) -> String {
    value.as_deref().unwrap_or_default().to_owned()
}

/// `text` cut to `width` terminal columns, with `…` where it was cut.
fn fit(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_owned();
    }
    let mut cut = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        cut.push(c);
        used += w;
    }
    cut.push('…');
    cut
}

impl Row for ConnectorFields {
    const COLUMNS: &'static [(&'static str, usize)] = &[
        ("ID", 18),
        ("NAME", 36),
        ("GROUP", 26),
        ("STATUS", 13),
        ("VERSION", 14),
        ("DISCONNECTED FOR", 17),
        ("ENABLED", 7),
        ("MICROTENANT", 20),
    ];

    fn cells(&self) -> Vec<String> {
        let status = self.control_channel_status.as_deref().unwrap_or("");
        vec![
            self.id.to_string(),
            self.name.to_string(),
            text(&self.app_connector_group_name),
            status
                .strip_prefix("ZPN_STATUS_")
                .unwrap_or(status)
                .to_owned(),
            text(&self.current_version),
            self.last_broker_disconnect_time_duration
                .map(|since| since.to_string())
                .unwrap_or_default(),
            self.enabled
                .map(|e| if e { "yes" } else { "no" })
                .unwrap_or("")
                .to_owned(),
            microtenant(&self.microtenant_id, &self.microtenant_name),
        ]
    }

    /// The jobs (which are down, since when, where; delete them) need
    /// neither the group, whose name the connector's mostly repeats, nor
    /// the version.
    fn brief(title: &str) -> bool {
        !matches!(title, "GROUP" | "VERSION")
    }
}

impl Row for ApprovalFields {
    const COLUMNS: &'static [(&'static str, usize)] = &[
        ("ID", 8),
        ("EMAIL", 30),
        ("STATUS", 8),
        ("START (UTC)", 16),
        ("END (UTC)", 16),
        ("SEGMENTS", 30),
        ("WORKING HOURS", 44),
        ("MICROTENANT", 20),
    ];

    fn cells(&self) -> Vec<String> {
        let time = |t: Option<zpa::model::Int64String>| {
            t.and_then(|t| jiff::Timestamp::from_second(t.get()).ok())
                .map(|t| t.strftime("%Y-%m-%d %H:%M").to_string())
                .unwrap_or_default()
        };
        let hours = self
            .working_hours
            .as_ref()
            .map(|h| {
                format!(
                    "{} {}-{} {}",
                    h.days.join(","),
                    h.start_time.as_deref().unwrap_or(""),
                    h.end_time.as_deref().unwrap_or(""),
                    h.time_zone.as_deref().unwrap_or("")
                )
            })
            .unwrap_or_default();
        vec![
            self.id.to_string(),
            self.email_ids.join(","),
            self.status.map(|s| s.to_string()).unwrap_or_default(),
            time(self.start_time),
            time(self.end_time),
            self.applications
                .iter()
                .map(|segment| segment.name.as_deref().unwrap_or(segment.id.as_str()))
                .collect::<Vec<_>>()
                .join(", "),
            hours,
            microtenant(&self.microtenant_id, &self.microtenant_name),
        ]
    }
}

/// Where an object lives: its microtenant's name, else its id, else
/// Default (the API leaves both out there).
pub fn microtenant(id: &Option<Id>, name: &Option<CompactString>) -> String {
    match (name, id) {
        (Some(name), _) => name.to_string(),
        (None, Some(id)) => id.to_string(),
        (None, None) => "Default".to_owned(),
    }
}

impl Row for ApplicationSegmentFields {
    const COLUMNS: &'static [(&'static str, usize)] = &[
        ("ID", 18),
        ("NAME", 30),
        ("DOMAINS", 32),
        ("TCP PORTS", 11),
        ("MICROTENANT", 20),
        ("ENABLED", 7),
    ];

    fn cells(&self) -> Vec<String> {
        let ports: Vec<String> = self
            .tcp_port_range
            .iter()
            .map(|range| match (range.from, range.to) {
                (Some(from), Some(to)) if from != to => format!("{from}-{to}"),
                (Some(port), _) | (None, Some(port)) => port.to_string(),
                (None, None) => String::new(),
            })
            .collect();
        vec![
            self.id.to_string(),
            text(&self.name),
            self.domain_names.join(","),
            ports.join(","),
            microtenant(&self.microtenant_id, &self.microtenant_name),
            self.enabled
                .map(|e| if e { "yes" } else { "no" })
                .unwrap_or("")
                .to_owned(),
        ]
    }
}

impl Row for SegmentAppFields {
    const COLUMNS: &'static [(&'static str, usize)] = &[
        ("ID", 18),
        ("SEGMENT ID", 18),
        ("NAME", 30),
        ("PROTOCOL", 8),
        ("PORT", 5),
        ("DOMAIN", 30),
        ("MICROTENANT", 20),
    ];

    fn cells(&self) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.app_id.as_ref().map(Id::to_string).unwrap_or_default(),
            text(&self.name),
            text(&self.application_protocol),
            self.application_port
                .map(|port| port.to_string())
                .unwrap_or_default(),
            text(&self.domain),
            microtenant(&self.microtenant_id, &self.microtenant_name),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_cut_to_their_column() {
        assert_eq!(fit("short", 10), "short");
        assert_eq!(fit("exactly10!", 10), "exactly10!");
        assert_eq!(fit("much too long", 8), "much to…");
        assert_eq!(fit("日本語のコネクタ", 7), "日本語…");
    }

    #[test]
    fn rows_align_whatever_the_text() {
        let mut out = Vec::new();
        let columns = [("A", 4), ("B", 3)];
        write_row(&mut out, &columns, &["ü".into(), "x".into()]).unwrap();
        write_row(&mut out, &columns, &["日本".into(), "y".into()]).unwrap();
        write_row(&mut out, &columns, &["toolong".into(), "z".into()]).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "ü     x\n日本  y\ntoo…  z\n"
        );
    }
}
