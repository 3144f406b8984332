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

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::{Body, to_bytes};
    use axum::http::Request;
    use tower::ServiceExt;

    async fn get(router: Router, uri: &str) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
        let request = Request::get(uri).body(Body::empty()).expect("a valid request");
        let response = router.oneshot(request).await.expect("the router never fails");
        let (parts, body) = response.into_parts();
        let bytes = to_bytes(body, usize::MAX).await.expect("a readable body");
        (parts.status, parts.headers, bytes.to_vec())
    }

    fn dist_with_index() -> PathBuf {
        let dist = std::env::temp_dir().join(format!("overlap-server-test-{}", std::process::id()));
        std::fs::create_dir_all(&dist).expect("a temporary folder");
        std::fs::write(dist.join("index.html"), "<!doctype html><title>t</title>").expect("a written file");
        std::fs::write(dist.join("app.wasm"), b"\0asm").expect("a written file");
        dist
    }

    #[tokio::test(start_paused = true)]
    async fn isolation_headers_are_sent_only_when_asked_for() {
        let dist = dist_with_index();
        let (status, headers, _) = get(router(dist.clone(), Isolation::Headers, Api::Latency), "/").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(headers["cross-origin-opener-policy"], "same-origin");
        assert_eq!(headers["cross-origin-embedder-policy"], "require-corp");
        assert_eq!(headers["cross-origin-resource-policy"], "same-origin");

        let (_, headers, _) = get(router(dist.clone(), Isolation::Headers, Api::Latency), "/app.wasm").await;
        assert_eq!(headers[header::CONTENT_TYPE], "application/wasm");

        for (isolation, api) in [(Isolation::None, Api::Latency), (Isolation::None, Api::StaticOnly)] {
            let (status, headers, _) = get(router(dist.clone(), isolation, api), "/").await;
            assert_eq!(status, StatusCode::OK);
            for name in
                ["cross-origin-opener-policy", "cross-origin-embedder-policy", "cross-origin-resource-policy"]
            {
                assert!(!headers.contains_key(name), "{name} sent by {isolation:?}/{api:?}");
            }
        }
    }

    #[tokio::test(start_paused = true)]
    async fn the_latency_endpoint_waits_then_answers() {
        let dist = dist_with_index();
        let started = tokio::time::Instant::now();
        let (status, headers, body) = get(
            router(dist.clone(), Isolation::Headers, Api::Latency),
            "/api/delay?ms=250&bytes=7&status=503",
        )
        .await;
        assert_eq!(started.elapsed(), Duration::from_millis(250));
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(body, b".......");
        assert_eq!(headers[header::ACCESS_CONTROL_ALLOW_ORIGIN], "*");
        assert_eq!(headers["cross-origin-resource-policy"], "cross-origin");

        let (status, _, body) =
            get(router(dist.clone(), Isolation::Headers, Api::Latency), "/api/delay?ms=-5").await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(String::from_utf8_lossy(&body), "`ms` must be a whole number in 0..=30000; got `-5`\n");

        let (status, _, _) = get(router(dist, Isolation::None, Api::StaticOnly), "/api/delay?ms=1").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }
}
