//! The tenant's data: connectors, approvals and the application segments they refer to.

use std::time::{SystemTime, UNIX_EPOCH};

use crate::config::SimConfig;
use crate::data::{self, Generator};
use crate::model::Microtenant;
use crate::model::application::Segments;
use crate::model::approval::Approval;
use crate::model::connector::{Connector, Rendered};

pub(crate) fn now_secs() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// Which microtenants a request may see or touch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Scope {
    All,
    Only(u64),
}

impl Scope {
    pub(crate) fn allows(self, microtenant: u64) -> bool {
        match self {
            Scope::All => true,
            Scope::Only(id) => id == microtenant,
        }
    }
}

#[derive(Debug)]
pub(crate) struct ConnectorRecord {
    pub(crate) connector: Connector,
    pub(crate) rendered: Rendered,
}

impl ConnectorRecord {
    pub(crate) fn new(connector: Connector) -> Self {
        let rendered = connector.render();
        ConnectorRecord {
            connector,
            rendered,
        }
    }
}

#[derive(Debug)]
pub(crate) struct Store {
    generator: Generator,
    /// Sorted by id, which is also the listing order.
    pub(crate) connectors: Vec<ConnectorRecord>,
    /// Sorted by id.
    pub(crate) approvals: Vec<Approval>,
    pub(crate) segments: Segments,
    pub(crate) microtenants: Vec<Microtenant>,
    generated: usize,
    next_approval_id: u64,
}

impl Store {
    /// A fleet from `config`'s seed and sizes.
    pub(crate) fn generate(config: &SimConfig) -> Self {
        let (seed, connectors, approvals) = (config.seed, config.connectors, config.approvals);
        let mut generator = Generator::new(seed, now_secs(), connectors, config.future_fields);
        let connector_list = (0..connectors)
            .map(|i| ConnectorRecord::new(generator.connector(i)))
            .collect();
        let (segments, owners) = generator.segments(config.segments);
        let mut next_approval_id = 5600 + seed % 100;
        let approval_list = (0..approvals)
            .map(|i| {
                next_approval_id += 1 + seed.wrapping_add(i as u64) % 37;
                generator.approval(i, next_approval_id, &owners)
            })
            .collect();
        Store {
            generator,
            connectors: connector_list,
            approvals: approval_list,
            segments,
            microtenants: data::microtenants(),
            generated: connectors,
            next_approval_id,
        }
    }

    pub(crate) fn connector_index(&self, id: &str) -> Option<usize> {
        let id: u64 = id.parse().ok()?;
        self.connectors
            .binary_search_by_key(&id, |r| r.connector.id)
            .ok()
    }

    pub(crate) fn approval_index(&self, id: &str) -> Option<usize> {
        let id: u64 = id.parse().ok()?;
        self.approvals.binary_search_by_key(&id, |a| a.id).ok()
    }

    pub(crate) fn microtenant_name(&self, id: u64) -> Option<&str> {
        self.microtenants
            .iter()
            .find(|m| m.id == id)
            .map(|m| m.name.as_str())
    }

    /// A new connector with an id past every other, like an enrollment.
    pub(crate) fn insert_connector(&mut self) -> u64 {
        let mut connector = self.generator.connector(self.generated);
        self.generated += 1;
        let last = self.connectors.last().map_or(0, |r| r.connector.id);
        if connector.id <= last {
            connector.id = last + 1;
        }
        let id = connector.id;
        self.connectors.push(ConnectorRecord::new(connector));
        id
    }

    /// A new connector with an id below every other, so it lists first and
    /// shifts every other connector one place later.
    pub(crate) fn insert_connector_first(&mut self) -> u64 {
        let mut connector = self.generator.connector(self.generated);
        self.generated += 1;
        if let Some(first) = self.connectors.first() {
            connector.id = first.connector.id - 1;
        }
        let id = connector.id;
        self.connectors.insert(0, ConnectorRecord::new(connector));
        id
    }

    pub(crate) fn next_approval_id(&mut self) -> u64 {
        self.next_approval_id += 1;
        self.next_approval_id
    }
}
