#![no_main]

#[path = "../harness/input.rs"]
#[allow(dead_code)]
mod input;
#[path = "../harness/ks.rs"]
#[allow(dead_code)]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::roundtrip(data));
