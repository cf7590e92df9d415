//! The escape hatch: a request to any path of the tenant's API, for the
//! endpoints this crate does not wrap, sent the way its own are (token,
//! pacing, retries, merged GETs, the same errors).

use bytes::Bytes;
use progenitor_client::{
    ClientHooks, ClientInfo, Error as WireError, OperationInfo, ResponseValue,
};
use reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderMap, HeaderValue};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::client::Client;
use crate::error::{Error, Result, excerpt};
use crate::input::Input;

/// A request to a path the crate does not wrap, from [`Client::request`].
///
/// ```no_run
/// # async fn run(zpa: zpa::Client) -> zpa::Result<()> {
/// use zpa::Method;
///
/// // Connector groups, which this crate has no type for.
/// let groups: serde_json::Value = zpa
///     .request(Method::GET, "/appConnectorGroup")?
///     .query("page", "1")
///     .send()
///     .await?
///     .json()?;
/// # Ok(()) }
/// ```
#[derive(Debug)]
#[must_use = "a request does nothing until it is sent"]
pub struct Request<'a> {
    client: &'a Client,
    method: reqwest::Method,
    path: String,
    query: Vec<(String, String)>,
    body: Option<Bytes>,
}

/// The answer to a [`Request`]: a success status, its headers and body.
/// (Error statuses are [`Error`]s, as for every other call.)
#[derive(Debug)]
pub struct Response {
    status: u16,
    headers: HeaderMap,
    body: Bytes,
}

impl Client {
    /// A request to `path` under the tenant: `/appConnectorGroup` is sent
    /// to `{base}/mgmtconfig/v1/admin/customers/{customerId}/appConnectorGroup`;
    /// a path that starts with `/mgmtconfig/` is taken as it is, with
    /// `{customerId}` replaced (for other versions of the API). The
    /// microtenant of this handle is added to the query.
    pub fn request(&self, method: reqwest::Method, path: &str) -> Result<Request<'_>> {
        let invalid = |why: &str| Error::invalid(Input::Request, format!("{path:?} {why}"));
        if !path.starts_with('/') {
            return Err(invalid("does not start with /"));
        }
        if path.contains(['?', '#']) || path.split('/').any(|segment| segment == "..") {
            return Err(invalid(
                "is not a plain path (give query parameters with .query())",
            ));
        }
        let customer = self.customer_id();
        let path = match path.strip_prefix("/mgmtconfig/") {
            Some(_) => path.replace("{customerId}", customer),
            None => format!("/mgmtconfig/v1/admin/customers/{customer}{path}"),
        };
        Ok(Request {
            client: self,
            method,
            path,
            query: Vec::new(),
            body: None,
        })
    }
}

impl Request<'_> {
    /// Adds a query parameter.
    pub fn query(mut self, name: impl Into<String>, value: impl ToString) -> Self {
        self.query.push((name.into(), value.to_string()));
        self
    }

    /// Sends `body` as JSON.
    pub fn json(mut self, body: &impl Serialize) -> Result<Self> {
        let json = serde_json::to_vec(body)
            .map_err(|error| Error::invalid(Input::Request, format!("the body: {error}")))?;
        self.body = Some(Bytes::from(json));
        Ok(self)
    }

    /// Sends the request. A `POST` is not sent twice, as for every call.
    pub async fn send(self) -> Result<Response> {
        let Request {
            client,
            method,
            path,
            mut query,
            body,
        } = self;
        if let Some(id) = &client.microtenant {
            query.retain(|(name, _)| name != "microtenantId");
            query.push(("microtenantId".to_owned(), id.to_string()));
        }
        let answer = client
            .send(|wire, _customer, _microtenant| {
                let mut request = wire
                    .client()
                    .request(method.clone(), format!("{}{path}", wire.baseurl()))
                    .header(ACCEPT, HeaderValue::from_static("application/json"))
                    .query(&query);
                if let Some(body) = &body {
                    request = request
                        .header(CONTENT_TYPE, HeaderValue::from_static("application/json"))
                        .body(body.clone());
                }
                Box::pin(async move {
                    let mut request = request.build()?;
                    let info = OperationInfo {
                        operation_id: "request",
                    };
                    wire.pre(&mut request, &info).await?;
                    let result = wire.exec(request, &info).await;
                    wire.post(&result, &info).await?;
                    let response = result?;
                    let status = response.status();
                    match status.as_u16() {
                        200..=299 => {
                            let headers = response.headers().clone();
                            let body = response
                                .bytes()
                                .await
                                .map_err(WireError::ResponseBodyError)?;
                            Ok(ResponseValue::new(body, status, headers))
                        }
                        400..=599 => Err(WireError::ErrorResponse(
                            ResponseValue::from_response(response).await?,
                        )),
                        _ => Err(WireError::UnexpectedResponse(response)),
                    }
                })
            })
            .await?;
        Ok(Response {
            status: answer.status().as_u16(),
            headers: answer.headers().clone(),
            body: answer.into_inner(),
        })
    }
}

impl Response {
    /// The HTTP status (2xx).
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The body as sent (decompressed).
    pub fn bytes(&self) -> &Bytes {
        &self.body
    }

    /// The body decoded from JSON.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T> {
        serde_json::from_slice(&self.body).map_err(|error| Error::Decode {
            status: self.status,
            message: error.to_string(),
            excerpt: excerpt(&self.body),
            source: Box::new(error),
        })
    }
}
