//! A worker binary that cannot be started (replaced or removed while
//! trawl runs) does not stop extraction: it happens in-process instead.
//! (A test file of its own: the worker binary is set once per process.)

use std::time::Duration;

use trawl::extract::worker::{extract_isolated, use_worker_binary};

#[test]
fn a_missing_worker_binary_falls_back_to_extracting_in_process() {
    use_worker_binary("/nonexistent/trawl-was-removed".into());
    let x = extract_isolated(
        b"a,b\n1,2\n".to_vec(),
        "t.csv".into(),
        Duration::from_secs(10),
    )
    .expect("extracted in-process");
    assert_eq!(x.kind, "csv");
}
