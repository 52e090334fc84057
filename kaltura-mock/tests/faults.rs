//! Faults on request, each as a client meets it on the wire.

use crate::common;
use common::*;
use kaltura_mock::{Fault, FaultRule};
use serde_json::json;
use std::time::{Duration, Instant};

#[tokio::test]
async fn latency_delays_the_answer() {
    let mock = builder()
        .fault(FaultRule::on(
            "system.ping",
            Fault::Latency(Duration::from_millis(300)),
        ))
        .start()
        .await
        .unwrap();
    let t = Instant::now();
    let v = json_call(&mock.url(), "system", "ping", json!({})).await;
    assert_eq!(v, true);
    assert!(t.elapsed() >= Duration::from_millis(300));
    assert_eq!(mock.requests()[0].fault.as_deref(), Some("latency 300ms"));
}

#[tokio::test]
async fn status_and_html_pages_then_normal_again() {
    let mock = builder()
        .fault(FaultRule::on("system.ping", Fault::Status(503)).times(1))
        .fault(FaultRule::on("system.getTime", Fault::Html(502)).times(1))
        .start()
        .await
        .unwrap();
    let url = mock.url();
    let got = call(&url, "system", "ping", json!({})).await;
    assert_eq!(got.status(), 503);
    assert!(got.body().is_empty());
    let got = call(&url, "system", "ping", json!({})).await;
    assert_eq!(got.status(), 200);
    let got = call(&url, "system", "getTime", json!({})).await;
    assert_eq!(got.status(), 502);
    assert!(got.text().starts_with("<!DOCTYPE html>"));
    let got = call(&url, "system", "getTime", json!({})).await;
    assert!(got.json().is_i64());
}

#[tokio::test]
async fn resets_closes_and_truncated_answers() {
    let mock = builder()
        .fault(FaultRule::on("system.ping", Fault::Reset))
        .fault(FaultRule::on("system.getTime", Fault::Close))
        .fault(FaultRule::on("media.list", Fault::Truncated))
        .start()
        .await
        .unwrap();
    let url = mock.url();
    assert!(matches!(
        call(&url, "system", "ping", json!({})).await,
        Got::Nothing(_)
    ));
    assert!(matches!(
        call(&url, "system", "getTime", json!({})).await,
        Got::Nothing(_)
    ));
    let ks = admin_ks(&url).await;
    match call(&url, "media", "list", json!({"ks": ks})).await {
        Got::Answer { short, body, .. } => {
            assert!(short, "the body is shorter than announced");
            assert!(serde_json::from_slice::<serde_json::Value>(&body).is_err());
        }
        Got::Nothing(why) => panic!("expected a cut answer: {why}"),
    }
    let faults: Vec<_> = mock.requests().iter().map(|r| r.fault.clone()).collect();
    assert_eq!(faults[0].as_deref(), Some("reset"));
    assert_eq!(faults[1].as_deref(), Some("close"));
    assert_eq!(faults.last().unwrap().as_deref(), Some("truncated"));
}

#[tokio::test]
async fn random_faults_follow_the_seed() {
    async fn run(seed: u64) -> Vec<bool> {
        let mock = builder()
            .fault(FaultRule::any(Fault::Status(500)).random(0.3))
            .seed(seed)
            .start()
            .await
            .unwrap();
        let mut out = Vec::new();
        for _ in 0..40 {
            out.push(
                call(&mock.url(), "system", "ping", json!({}))
                    .await
                    .status()
                    == 500,
            );
        }
        out
    }
    let a = run(11).await;
    assert_eq!(a, run(11).await, "the same seed, the same faults");
    assert_ne!(a, run(12).await);
    let hits = a.iter().filter(|x| **x).count();
    assert!((3..=25).contains(&hits), "{hits} of 40 at p=0.3");
}

#[tokio::test]
async fn a_fault_on_the_multirequest() {
    let mock = builder()
        .fault(FaultRule::parse("multirequest=status:504x1").unwrap())
        .start()
        .await
        .unwrap();
    let body = json!({"format": 1, "0": {"service": "system", "action": "ping"}});
    let got = send(
        &mock.url(),
        "/api_v3/service/multirequest",
        "application/json",
        body.to_string().as_bytes(),
    )
    .await;
    assert_eq!(got.status(), 504);
    let got = send(
        &mock.url(),
        "/api_v3/service/multirequest",
        "application/json",
        body.to_string().as_bytes(),
    )
    .await;
    assert_eq!(got.json(), json!([true]));
}
