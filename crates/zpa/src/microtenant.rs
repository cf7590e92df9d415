//! Microtenant scoping: every operation takes an optional `microtenantId`,
//! which a [`Client`](crate::Client) handle adds when it has one.

use zpa_client::builder;
use zpa_client::wire::Id;

pub(crate) trait Scoped: Sized {
    fn with_microtenant(self, id: Id) -> Self;

    /// Adds `microtenantId` when the handle is scoped.
    fn scoped(self, microtenant: &Option<Id>) -> Self {
        match microtenant {
            Some(id) => self.with_microtenant(id.clone()),
            None => self,
        }
    }
}

macro_rules! scoped {
    ($($operation:ident),+ $(,)?) => {
        $(
            impl Scoped for builder::$operation<'_> {
                fn with_microtenant(self, id: Id) -> Self {
                    self.microtenant_id(id)
                }
            }
        )+
    };
}

scoped!(
    GetConnector,
    ListConnectors,
    UpdateConnector,
    DeleteConnector,
    BulkDeleteConnectors,
    CreateApproval,
    GetApproval,
    ListApprovals,
    UpdateApproval,
    DeleteApproval,
    DeleteExpiredApprovals,
    GetApplication,
    ListApplications,
    ListApplicationsByType,
);
