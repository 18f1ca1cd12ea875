//! A read-only pass over each vendor's API for the first sandbox session: every read
//! operation called once, and what the spec did not foresee reported: a status it does not
//! document, and each value it does not list (the clients' drift reports). Each example runs
//! it with `-- verify`; its findings are what `specs/UNVERIFIED.md` is checked against.

use std::fmt;
use std::sync::{Arc, Mutex};

use vendor_clients::common::Drift;
use vendor_clients::common::chrono::NaiveDate;
use vendor_clients::common::uuid::Uuid;
use vendor_clients::{cegid, lagerkoll, lucca};

/// What one verification run saw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finding {
    /// The call answered with a status its spec documents as success.
    Answered { operation: &'static str },
    /// The call answered with a success (or redirect) status its spec does not document, so
    /// the client could not read the answer.
    UndocumentedStatus { operation: &'static str, status: u16 },
    /// The call failed otherwise: a documented error, a body that does not match, no answer.
    Failed { operation: &'static str, error: String },
    /// A value a response carried that the spec does not list.
    Drift(Drift),
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Answered { operation } => write!(f, "ok        {operation}"),
            Self::UndocumentedStatus { operation, status } => {
                write!(
                    f,
                    "STATUS    {operation}: {status} is not documented; add it to the spec"
                )
            }
            Self::Failed { operation, error } => write!(f, "FAILED    {operation}: {error}"),
            Self::Drift(drift) => write!(
                f,
                "DRIFT     {}: {} {:?} `{}` of {} at {} is not in the spec",
                drift.operation, drift.status, drift.kind, drift.value, drift.type_name, drift.pointer
            ),
        }
    }
}

/// A vendor client's error, as far as verification tells errors apart.
pub trait VendorError: fmt::Display {
    /// The status of an answer the client kept raw (`Error::Status`): not a documented
    /// success, and not the documented error body.
    fn raw_status(&self) -> Option<u16>;
}

/// The same for every vendor module: each generated `Error` has the same `Status` variant.
macro_rules! vendor_error {
    ($($vendor:ident),*) => {$(
        impl VendorError for $vendor::Error {
            fn raw_status(&self) -> Option<u16> {
                match self {
                    Self::Status { status, .. } => Some(*status),
                    _ => None,
                }
            }
        }
    )*};
}

vendor_error!(lucca, lagerkoll, cegid);

/// The findings of a run, in the order they came: a drift observer feeds it too.
#[derive(Debug, Clone, Default)]
pub struct Findings(Arc<Mutex<Vec<Finding>>>);

impl Findings {
    fn push(&self, finding: Finding) {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .push(finding);
    }

    /// An observer for `with_drift_observer` that adds each drift report here.
    pub fn drift_observer(&self) -> impl Fn(&Drift) + Send + Sync + 'static {
        let findings = self.clone();
        move |drift| findings.push(Finding::Drift(drift.clone()))
    }

    /// Records how `operation` ended, and passes its answer on.
    pub fn outcome<T, E: VendorError>(&self, operation: &'static str, result: Result<T, E>) -> Option<T> {
        match result {
            Ok(answer) => {
                self.push(Finding::Answered { operation });
                Some(answer)
            }
            Err(error) => {
                // A raw error status is a failure the spec documents as `default` or not at
                // all; a raw success status is one it should list.
                self.push(match error.raw_status() {
                    Some(status) if status < 400 => Finding::UndocumentedStatus { operation, status },
                    _ => Finding::Failed {
                        operation,
                        error: error.to_string(),
                    },
                });
                None
            }
        }
    }

    /// Everything found so far.
    pub fn list(&self) -> Vec<Finding> {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }
}

/// Every Lucca read: cost centers, purchases, suppliers (a list each, and one of each where
/// the list holds one), and the VAT rates of `territory` on `day`.
pub async fn verify_lucca(client: lucca::Client, territory: &str, day: NaiveDate) -> Vec<Finding> {
    let findings = Findings::default();
    let client = client.with_drift_observer(findings.drift_observer());
    let cost_centers = findings.outcome(
        "listCostCenters",
        client.list_cost_centers(&Default::default()).await,
    );
    if let Some(id) = cost_centers.and_then(|list| list.items.first().and_then(|c| c.id)) {
        findings.outcome("getCostCenter", client.get_cost_center(id).await);
    }
    let purchases = findings.outcome("listPurchases", client.list_purchases(&Default::default()).await);
    if let Some(id) = purchases.and_then(|list| list.items.first().and_then(|p| p.id)) {
        findings.outcome("getPurchase", client.get_purchase(id).await);
    }
    let rates = lucca::client::ListVatRatesParams {
        date: day,
        territory_id: territory.to_owned(),
    };
    findings.outcome("listVatRates", client.list_vat_rates(&rates).await);
    findings.outcome("listSuppliers", client.list_suppliers(&Default::default()).await);
    findings.list()
}

/// Every Lagerkoll read: the full list of cost centers, and the first of them alone.
pub async fn verify_lagerkoll(client: lagerkoll::Client) -> Vec<Finding> {
    let findings = Findings::default();
    let client = client.with_drift_observer(findings.drift_observer());
    let list = findings.outcome(
        "listCostCenters",
        client.list_cost_centers(&Default::default()).await,
    );
    let first = list.and_then(|list| list.cost_centers.unwrap_or_default().first().and_then(|c| c.id));
    if let Some(id) = first {
        findings.outcome("getCostCenter", client.get_cost_center(id).await);
    }
    findings.list()
}

/// Every Cegid Loop read: a deposit location for `file_name` (nothing is uploaded), and the
/// status of the import `request`, when one is given.
pub async fn verify_cegid(client: cegid::Client, file_name: &str, request: Option<Uuid>) -> Vec<Finding> {
    let findings = Findings::default();
    let client = client.with_drift_observer(findings.drift_observer());
    let deposit = cegid::client::GetFileUrlDepositParams {
        filename: file_name.to_owned(),
    };
    findings.outcome("getFileUrlDeposit", client.get_file_url_deposit(&deposit).await);
    if let Some(id) = request {
        let status = cegid::client::GetStatusParams {
            accounting_import_request_id: id,
        };
        findings.outcome("getStatus", client.get_status(&status).await);
    }
    findings.list()
}
