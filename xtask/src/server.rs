//! The development server: `dist/` as static files, with or without the
//! cross-origin isolation headers, plus the latency endpoint `/api/delay`.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use axum::Router;
use axum::extract::RawQuery;
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tokio::net::TcpListener;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::delay_query;

/// Which response headers the server sends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Isolation {
    /// COOP, COEP and CORP on every response: the page is cross-origin isolated.
    Headers,
    /// No isolation headers, as on a plain static host or inside a tutorial's iframe.
    None,
}

/// What the server offers besides static files.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Api {
    /// `/api/delay` is served.
    Latency,
    /// Static files only, like GitHub Pages or `python3 -m http.server`.
    StaticOnly,
}

pub fn router(dist: PathBuf, isolation: Isolation, api: Api) -> Router {
    // Every reload sees the latest build; hashed file names keep it cheap.
    let static_files = ServeDir::new(dist).append_index_html_on_directories(true);
    let mut app = Router::new();
    if api == Api::Latency {
        app = app.route("/api/delay", get(delay));
    }
    let mut app = app.fallback_service(static_files).layer(SetResponseHeaderLayer::if_not_present(
        header::CACHE_CONTROL,
        HeaderValue::from_static("no-cache"),
    ));
    if isolation == Isolation::Headers {
        for (name, value) in [
            ("cross-origin-opener-policy", "same-origin"),
            ("cross-origin-embedder-policy", "require-corp"),
            ("cross-origin-resource-policy", "same-origin"),
        ] {
            app = app.layer(SetResponseHeaderLayer::if_not_present(
                HeaderName::from_static(name),
                HeaderValue::from_static(value),
            ));
        }
    }
    app
}

/// Binds `address` (port 0 picks a free port) and serves until `shutdown`
/// resolves. Returns the bound address once listening, through `on_bound`.
pub async fn serve(
    router: Router,
    address: SocketAddr,
    on_bound: impl FnOnce(SocketAddr),
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let listener = TcpListener::bind(address).await?;
    on_bound(listener.local_addr()?);
    axum::serve(listener, router).with_graceful_shutdown(shutdown).await
}

async fn delay(RawQuery(query): RawQuery) -> Response {
    let request = match delay_query::parse(query.as_deref().unwrap_or("")) {
        Ok(request) => request,
        Err(error) => {
            return with_api_headers((StatusCode::BAD_REQUEST, format!("{error}\n")).into_response());
        }
    };
    tokio::time::sleep(Duration::from_millis(request.delay_ms)).await;
    let status = StatusCode::from_u16(request.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    // usize holds 10 MiB on every platform this runs on.
    let body = vec![b'.'; request.body_bytes as usize];
    with_api_headers((status, [(header::CONTENT_TYPE, "application/octet-stream")], body).into_response())
}

/// The endpoint answers pages from any origin: tutorials fetch it too.
fn with_api_headers(mut response: Response) -> Response {
    let headers = response.headers_mut();
    for (name, value) in [
        (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"),
        (header::ACCESS_CONTROL_EXPOSE_HEADERS, "*"),
        // Resource Timing gives cross-origin callers the phases of each request.
        (HeaderName::from_static("timing-allow-origin"), "*"),
        (HeaderName::from_static("cross-origin-resource-policy"), "cross-origin"),
        (header::CACHE_CONTROL, "no-store"),
    ] {
        headers.insert(name, HeaderValue::from_static(value));
    }
    response
}
