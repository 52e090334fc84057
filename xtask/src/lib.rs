//! Project automation, as a library so that the workspace's tests can run the same code
//! in-process (`cargo xtask codegen --check` and the tests compare the same way).

pub mod cli;
pub mod codegen;
pub mod input;
pub mod output;
pub mod schema_diff;
pub mod schema_load;
pub mod update_schema;
