//! The vendors' documented flows, written against the generated clients as a service team
//! would write them. `examples/` runs them against the real APIs; `tests/flows.rs` runs them
//! against a mock server.

use vendor_clients::common::Decimal;
use vendor_clients::common::chrono::NaiveDate;
use vendor_clients::common::rust_decimal::Decimal as Exact;
use vendor_clients::common::uuid::Uuid;
use vendor_clients::{cegid, lagerkoll, lucca};

/// What a flow can fail with: a call, or an answer without what the next step needs.
pub type FlowError = Box<dyn std::error::Error + Send + Sync>;

/// What Lucca needs to know about an order.
#[derive(Debug, Clone)]
pub struct Order {
    /// The purchase to create (owner, nature, cost center, supplier, title...).
    pub purchase: lucca::models::PurchaseCreate,
    /// The delivery date; the VAT rates in force that day apply.
    pub cost_date: NaiveDate,
    /// The invoice date.
    pub invoice_date: NaiveDate,
    /// The amount before taxes, in euros.
    pub amount: Exact,
    /// The name of the VAT rate type to apply, such as `Normal`.
    pub rate_name: String,
}

/// Lucca's create-an-approved-order flow: fetch the VAT rates, create the purchase, attach a
/// one-time commitment taxed at the chosen rate, and open the approval request. Once the
/// approval workflow accepts that request, the order exists.
pub async fn lucca_approved_order(
    client: &lucca::Client,
    order: &Order,
) -> Result<lucca::models::CommitmentRequest, FlowError> {
    use lucca::models::{
        Commitment, CommitmentState, Currency, Money, OneTimeCommitment, TaxAmount, TaxedAmount,
    };

    let rates = lucca::client::ListVatRatesParams {
        date: order.cost_date,
        territory_id: "FR".into(),
    };
    let rate = client
        .list_vat_rates(&rates)
        .await?
        .into_iter()
        .find(|rate| {
            rate.rate_type.as_ref().and_then(|t| t.name.as_deref()) == Some(order.rate_name.as_str())
        })
        .ok_or_else(|| format!("no VAT rate named {} on {}", order.rate_name, order.cost_date))?;
    let (Some(percentage), Some(rate_type_id)) = (rate.percentage, rate.rate_type.and_then(|t| t.id)) else {
        return Err("the VAT rate has no percentage or no rate type".into());
    };

    let purchase = client.create_purchase(&order.purchase).await?;
    let purchase_id = purchase.id.ok_or("the created purchase has no id")?;

    let euros = |value: Exact| Money {
        value: Some(Decimal(value)),
        currency: Some(Currency::Eur),
    };
    let tax = (order.amount * percentage.0).round_dp(2);
    let commitment = Commitment::OneTimeCommitment(Box::new(OneTimeCommitment {
        cost_date: Some(order.cost_date),
        invoice_date: Some(order.invoice_date),
        amount_including_taxes: Some(TaxedAmount {
            excluding_taxes: Some(euros(order.amount)),
            taxes: Some(vec![TaxAmount {
                rate_type_id: Some(rate_type_id),
                value: Some(Decimal(tax)),
                currency: Some(Currency::Eur),
            }]),
            including_taxes: None,
        }),
        attachment_ids: Some(Vec::new()),
        state: Some(CommitmentState::Created),
        payment_method: Some(None),
        ..OneTimeCommitment::default()
    }));
    // Lucca answers 200 or 201 (its reference page and its guide disagree): the same body.
    let created = client
        .create_commitment(purchase_id, &commitment)
        .await?
        .into_body();
    let Commitment::OneTimeCommitment(created) = created else {
        return Err(format!("expected a one-time commitment back, got {:?}", created.tag()).into());
    };
    let commitment_id = created.id.ok_or("the created commitment has no id")?;

    Ok(client.create_commitment_request(commitment_id).await?)
}

/// Lagerkoll's incremental sync: fetch what changed since the last sync point, and return
/// the cost centers with the sync point to store for next time.
pub async fn lagerkoll_sync(
    client: &lagerkoll::Client,
    since: i64,
) -> Result<(Vec<lagerkoll::models::CostCenter>, i64), FlowError> {
    let params = lagerkoll::client::ListCostCentersParams { since: Some(since) };
    let answer = client.list_cost_centers(&params).await?;
    Ok((
        answer.cost_centers.unwrap_or_default(),
        answer.since.unwrap_or(since),
    ))
}

/// Cegid Loop's custom-format import: ask for a place in Loop's storage, upload the file
/// there with `PUT`, start the import from the stored file, and read its status once.
pub async fn cegid_import(
    client: &cegid::Client,
    dossier: &str,
    model: &str,
    file_name: &str,
    file: Vec<u8>,
) -> Result<(Uuid, cegid::models::ImportStatus), FlowError> {
    let deposit = client
        .get_file_url_deposit(&cegid::client::GetFileUrlDepositParams {
            filename: file_name.into(),
        })
        .await?;
    let (Some(upload), Some(uri)) = (deposit.deposit_url, deposit.uri) else {
        return Err("Loop answered without both an upload URL and a storage path".into());
    };
    let uploaded = client
        .http_client()
        .put(&upload)
        .header("x-ms-blob-type", "BlockBlob")
        .body(file)
        .send()
        .await?;
    if !uploaded.status().is_success() {
        return Err(format!("the upload was refused with status {}", uploaded.status()).into());
    }
    let request =
        cegid::models::ImportPersoRequest::ImportPersoFromUri(Box::new(cegid::models::ImportPersoFromUri {
            code_ibs: dossier.into(),
            uri,
            url: None,
            modele: model.into(),
            siret: None,
        }));
    let id = client.import_perso(&request).await?.accounting_import_request_id;
    let status = cegid::client::GetStatusParams {
        accounting_import_request_id: id,
    };
    Ok((id, client.get_status(&status).await?))
}
