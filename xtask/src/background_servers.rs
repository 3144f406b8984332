//! The project's server run in the background on free loopback ports, for
//! the browser tests and the benchmark: started in-process, stopped when
//! dropped.

use std::net::SocketAddr;
use std::path::PathBuf;

use tokio::runtime::Runtime;
use tokio::sync::watch;

use crate::process::{Result, XtaskError};
use crate::server::{self, Api, Isolation};
use crate::work_pool::Capacity;

pub struct BackgroundServers {
    runtime: Option<Runtime>,
    shutdown: watch::Sender<bool>,
    /// Each server's base URL (`http://127.0.0.1:PORT/`), in the order asked.
    pub urls: Vec<String>,
}

impl BackgroundServers {
    /// Serves `dist` once per `(isolation, api)` asked for; `/api/work` with
    /// its default capacity.
    pub fn start(dist: PathBuf, servers: &[(Isolation, Api)]) -> Result<Self> {
        let runtime = Runtime::new().map_err(|error| XtaskError::Setup(format!("tokio: {error}")))?;
        let (shutdown, shutdown_receiver) = watch::channel(false);
        let mut urls = Vec::new();
        for (isolation, api) in servers {
            let (bound_sender, bound_receiver) = std::sync::mpsc::channel::<SocketAddr>();
            let router = server::router(dist.clone(), *isolation, *api, Capacity::default());
            let mut stopped = shutdown_receiver.clone();
            runtime.spawn(async move {
                let stop = async move {
                    let _ = stopped.wait_for(|stop| *stop).await;
                };
                let bound = move |address| {
                    let _ = bound_sender.send(address);
                };
                if let Err(error) =
                    server::serve(router, SocketAddr::from(([127, 0, 0, 1], 0)), bound, stop).await
                {
                    eprintln!("xtask: a background server failed: {error}");
                }
            });
            let address = bound_receiver.recv().map_err(|_| {
                XtaskError::Setup(format!("the server ({isolation:?}, {api:?}) did not start"))
            })?;
            urls.push(format!("http://{address}/"));
        }
        Ok(BackgroundServers { runtime: Some(runtime), shutdown, urls })
    }
}

impl Drop for BackgroundServers {
    fn drop(&mut self) {
        let _ = self.shutdown.send(true);
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_timeout(std::time::Duration::from_secs(2));
        }
    }
}
