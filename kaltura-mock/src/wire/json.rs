//! Answers in JSON: the result itself (an object with its `objectType`, a string, a
//! number, `null` for actions that return nothing), an error as a
//! `KalturaAPIException` object, a multirequest as an array of both.

use super::Outcome;
use crate::errors::ApiError;
use serde_json::{json, Value};

pub fn error_value(e: &ApiError) -> Value {
    let args: Vec<Value> = e
        .args
        .iter()
        .map(|(name, value)| json!({"objectType": "KalturaApiExceptionArg", "name": name, "value": value}))
        .collect();
    json!({
        "code": e.code,
        "message": e.message,
        "objectType": "KalturaAPIException",
        "args": args,
    })
}

fn value(outcome: &Outcome) -> Value {
    match outcome {
        Ok(v) => v.clone(),
        Err(e) => error_value(e),
    }
}

pub fn single(outcome: &Outcome) -> Vec<u8> {
    serde_json::to_vec(&value(outcome)).unwrap_or_else(|_| b"null".to_vec())
}

pub fn multi(outcomes: &[Outcome]) -> Vec<u8> {
    let all: Vec<Value> = outcomes.iter().map(value).collect();
    serde_json::to_vec(&all).unwrap_or_else(|_| b"[]".to_vec())
}
