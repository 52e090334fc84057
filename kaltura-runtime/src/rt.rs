//! What generated code uses from the runtime, under one short path (`rt::`), so that
//! generated names can never shadow runtime names.

pub use crate::client::Client;
pub use crate::codec::{
    decode_slice, decode_value, object_type, Decode, DecodeError, Encode, Fields, Json,
    ObjectWriter, Path,
};
pub use crate::enums::{IntEnum, StringEnum};
pub use crate::field::Field;
pub use crate::meta;
pub use crate::object::{upcast, AnyObject, KalturaObject, UnknownObject};
pub use crate::pagination::Paginated;
pub use crate::request::{CallOptions, FileParam, Output, Params, Request, ServedFile};
pub use crate::secret::Secret;
pub use crate::{
    __int_enum, __kaltura_any, __kaltura_class, __kaltura_copy, __kaltura_object, __kaltura_output,
    __kaltura_paginated, __kaltura_put, __kaltura_request, __string_enum,
};
pub use kaltura_ks as ks;
pub use std::collections::BTreeMap;
