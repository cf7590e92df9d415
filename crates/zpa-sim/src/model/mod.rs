//! The objects the simulator serves, in the shapes the seeds show.

pub(crate) mod application;
pub(crate) mod approval;
pub(crate) mod connector;

/// The Default microtenant, written `0` in `microtenantId`.
pub(crate) const DEFAULT_MICROTENANT: u64 = 0;

#[derive(Clone, Debug)]
pub(crate) struct Microtenant {
    pub(crate) id: u64,
    pub(crate) name: String,
}
