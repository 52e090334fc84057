//! One emitter per kind of item.

pub mod classes;
pub mod enums;
pub mod modules;
pub mod services;
