//! Grants an on-call engineer access to an application segment for the next
//! seven days, weekdays 09:00 to 17:00 in their time zone, and shows the UTC
//! crons the API stores.
//!
//! `cargo run -p zpa --example oncall_approval -- oncall@example.com America/Vancouver`
//! (against the tenant in `ZPA_*` variables when `ZPA_CUSTOMER_ID` is set,
//! with the application segment id in `ZPA_APP_ID`; otherwise against a
//! simulator started in-process).

use zpa::{ApprovalRequest, Client, Weekday, WorkingHours};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let email = args.next().unwrap_or_else(|| "oncall@example.com".into());
    let zone = args.next().unwrap_or_else(|| "America/Vancouver".into());

    let sim;
    let (zpa, app) = if std::env::var_os("ZPA_CUSTOMER_ID").is_some() {
        (Client::from_env()?, std::env::var("ZPA_APP_ID")?)
    } else {
        sim = zpa_sim::Sim::start(zpa_sim::SimConfig::default()).await?;
        let zpa = Client::builder()
            .base_url(sim.base_url())
            .customer_id(sim.customer_id())
            .token(sim.static_token())
            .build()?;
        (zpa, sim.application_ids()[0].clone())
    };

    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)?
        .as_secs() as i64;
    let hours = WorkingHours::new(
        [
            Weekday::Mon,
            Weekday::Tue,
            Weekday::Wed,
            Weekday::Thu,
            Weekday::Fri,
        ],
        "09:00",
        "17:00",
        zone,
    );
    let request = ApprovalRequest::new(email, [app], now, now + 7 * 86_400).working_hours(hours);
    let approval = zpa.approvals().create(&request).await?;

    let hours = approval.working_hours.clone().unwrap_or_default();
    println!(
        "approval {} for {}",
        approval.id,
        approval.email_ids.join(", ")
    );
    println!(
        "  local:      {} to {} {}",
        hours.start_time.unwrap_or_default(),
        hours.end_time.unwrap_or_default(),
        hours.time_zone.unwrap_or_default()
    );
    println!(
        "  start cron: {}",
        hours.start_time_cron.unwrap_or_default()
    );
    println!("  end cron:   {}", hours.end_time_cron.unwrap_or_default());
    Ok(())
}
