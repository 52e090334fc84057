//! One emitter per kind of item.

pub mod classes;
pub mod enums;
pub mod facade;
pub mod manifests;
pub mod metadata;
pub mod modules;
pub mod pagination;
pub mod services;
pub mod tables;
