//! What every generated class has in common, and the values that stand in for classes
//! this client does not know.

use crate::__kaltura_try as tri;
use crate::codec::{
    decode_json, decode_json_at, decode_raw, mismatch, object_type, object_type_of, Decode,
    DecodeError, Encode, Fail, Json, ObjectWriter, Path, Reader,
};
use std::borrow::Cow;
use std::fmt;

/// A generated Kaltura class. Inherited properties are flattened into the struct.
pub trait KalturaObject:
    Sized + Clone + Default + fmt::Debug + Decode + Send + Sync + 'static
{
    /// The wire name, sent as `objectType`.
    const OBJECT_TYPE: &'static str;
    /// The wire names of its properties, inherited ones included.
    const PROPERTIES: &'static [&'static str] = &[];

    /// Reads the class's properties from the members of a JSON object (the reader is
    /// inside it), in one pass, to its end; properties it does not know are skipped.
    fn decode_fields(r: &mut Reader<'_>, path: &Path<'_>) -> Result<Self, Fail>;

    /// Writes the properties a client may send (never read-only ones).
    fn encode_fields(&self, out: &mut ObjectWriter);

    /// Decodes an object of this class; any other JSON is refused, naming what came
    /// instead.
    fn decode_object(r: &mut Reader<'_>, path: &Path<'_>) -> Result<Self, Fail> {
        // `tri!`, not `?`, in what is compiled per class (see `__kaltura_try!`).
        if !tri!(r.object()) {
            return Err(mismatch(path, "an object", tri!(r.kind())));
        }
        Self::decode_fields(r, path)
    }

    /// Encodes this object with its `objectType`, as a request sends it.
    fn encode_object(&self) -> Json {
        let mut out = ObjectWriter::new(Self::OBJECT_TYPE);
        self.encode_fields(&mut out);
        out.finish()
    }

    /// Every property, read-only ones included, at every depth.
    fn to_json(&self) -> Json {
        crate::codec::encode_full(&FullCopy(self))
    }
}

/// The raw text of an object whose class its `objectType` decides, with that
/// `objectType`: the object is read twice, first skimmed (nothing is built), then
/// decoded as the class it names.
pub fn capture<'de>(
    r: &mut Reader<'de>,
    path: &Path<'_>,
) -> Result<(&'de str, Option<Cow<'de, str>>), Fail> {
    if r.peek()? != b'{' {
        return Err(mismatch(path, "an object", r.kind()?));
    }
    let raw = r.raw()?;
    Ok((raw, object_type_of(raw.as_bytes())))
}

struct FullCopy<'a, T>(&'a T);

impl<T: KalturaObject> Encode for FullCopy<'_, T> {
    fn encode(&self) -> Json {
        let mut out = ObjectWriter::full(T::OBJECT_TYPE);
        self.0.encode_fields(&mut out);
        out.finish()
    }
}

/// The properties of `value` that `T` (a base class of it) has, through a full JSON
/// copy. Generated `…Any` values copy field by field instead (`to_base()`).
pub fn upcast<T: KalturaObject, S: KalturaObject>(value: &S) -> T {
    // Every property of a base class exists in the subclass with the same type, so
    // this cannot fail; fall back to an empty value rather than panic all the same.
    decode_json(&value.to_json()).unwrap_or_default()
}

/// An object whose `objectType` names a class this client does not know (a newer
/// server, or a plugin not enabled as a cargo feature). It is decoded as the class the
/// schema declares, and the JSON it came from is kept.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct UnknownObject<T> {
    /// The `objectType` the server sent.
    pub object_type: String,
    /// The properties of the declared class.
    pub base: T,
    /// The whole object as received.
    pub raw: Json,
}

impl<T: KalturaObject> UnknownObject<T> {
    /// Decodes a JSON value as the declared class, keeping the value.
    pub fn decode(value: Json, path: &Path<'_>) -> Result<Self, DecodeError> {
        let object_type = object_type(&value).unwrap_or_default().to_string();
        let base = decode_json_at(&value, path)?;
        Ok(UnknownObject {
            object_type,
            base,
            raw: value,
        })
    }

    /// Decodes an object captured from an answer (see [`capture`]).
    pub fn decode_raw(raw: &str, object_type: &str, path: &Path<'_>) -> Result<Self, Fail> {
        let base = tri!(decode_raw(raw, path));
        let Ok(raw) = serde_json::from_str(raw) else {
            return Err(Fail::Syntax);
        };
        Ok(UnknownObject {
            object_type: object_type.to_string(),
            base,
            raw,
        })
    }

    /// Sends the declared class's properties under the unknown `objectType` (in a
    /// [full copy](crate::codec::encode_full), the JSON as received).
    pub fn encode(&self) -> Json {
        if crate::codec::encoding_full() {
            return self.raw.clone();
        }
        let mut out = ObjectWriter::new(&self.object_type);
        self.base.encode_fields(&mut out);
        out.finish()
    }
}

crate::__kaltura_output!(AnyObject);

/// A value declared as `KalturaObjectBase`: any object at all. Kept as JSON; read it
/// as a concrete class with [`AnyObject::downcast`].
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AnyObject(pub Json);

impl AnyObject {
    pub fn object_type(&self) -> Option<&str> {
        object_type(&self.0)
    }

    /// Decodes the object as `T` when its `objectType` is `T`'s.
    pub fn downcast<T: KalturaObject>(&self) -> Option<Result<T, DecodeError>> {
        (self.object_type() == Some(T::OBJECT_TYPE)).then(|| decode_json(&self.0))
    }

    pub fn from_object<T: KalturaObject>(object: &T) -> Self {
        AnyObject(object.encode_object())
    }
}

impl Decode for AnyObject {
    fn decode(r: &mut Reader<'_>, path: &Path<'_>) -> Result<Self, Fail> {
        if r.peek()? != b'{' {
            return Err(mismatch(path, "an object", r.kind()?));
        }
        Json::decode(r, path).map(AnyObject)
    }
}

impl Encode for AnyObject {
    fn encode(&self) -> Json {
        self.0.clone()
    }
}

/// Implements [`KalturaObject`] (and the codec traits) for a generated class from a
/// table of its properties: `field: "wireName"`, with `read_only` after the wire name
/// of a property the server never accepts. A table keeps the generated files small;
/// the struct itself stays written out, with its docs.
#[doc(hidden)]
#[macro_export]
macro_rules! __kaltura_class {
    ($t:ident = $wire:literal {
        $( $(#[cfg($c:meta)])? $f:ident : $name:literal $($ro:ident)? ),* $(,)?
    }) => {
        impl $crate::object::KalturaObject for $t {
            const OBJECT_TYPE: &'static str = $wire;
            const PROPERTIES: &'static [&'static str] = &[$($name),*];
            #[inline]
            fn decode_fields(
                r: &mut $crate::codec::Reader<'_>,
                path: &$crate::codec::Path<'_>,
            ) -> ::std::result::Result<Self, $crate::codec::Fail> {
                // One slot per property: the runtime matches each key against the names
                // once and reads into the slot it names, so this function holds no match
                // and no decoding call per property.
                let mut out = <Self as ::std::default::Default>::default();
                $crate::__kaltura_try!($crate::codec::read_properties(r, path, Self::PROPERTIES, &mut [
                    $( $crate::__kaltura_slot!(out.$f $(, $c)?), )*
                ]));
                ::std::result::Result::Ok(out)
            }
            #[inline]
            fn encode_fields(&self, out: &mut $crate::codec::ObjectWriter) {
                $( $(#[cfg($c)])? $crate::__kaltura_put!(out, $name, &self.$f $(, $ro)?); )*
            }
        }
        $crate::__kaltura_object!($t);
    };
}

/// The slot of one property in a class's decoder (see `__kaltura_class!`): the field,
/// or, for a field behind a feature that is off, a slot that skips the value.
#[doc(hidden)]
#[macro_export]
macro_rules! __kaltura_slot {
    ($out:ident . $f:ident) => {
        &mut $out.$f as &mut dyn $crate::codec::Slot
    };
    ($out:ident . $f:ident, $c:meta) => {{
        #[cfg($c)]
        let slot: &mut dyn $crate::codec::Slot = &mut $out.$f;
        #[cfg(not($c))]
        let slot = $crate::codec::skipping_slot();
        slot
    }};
}

#[doc(hidden)]
#[macro_export]
macro_rules! __kaltura_put {
    ($out:ident, $name:literal, $value:expr) => {
        $out.put($name, $value)
    };
    ($out:ident, $name:literal, $value:expr, read_only) => {
        $out.put_read_only($name, $value)
    };
}

/// Implements the codec traits of a generated class.
#[doc(hidden)]
#[macro_export]
macro_rules! __kaltura_object {
    ($t:ty) => {
        impl $crate::codec::Decode for $t {
            #[inline]
            fn decode(
                r: &mut $crate::codec::Reader<'_>,
                path: &$crate::codec::Path<'_>,
            ) -> ::std::result::Result<Self, $crate::codec::Fail> {
                <$t as $crate::object::KalturaObject>::decode_object(r, path)
            }
        }
        impl $crate::codec::Encode for $t {
            #[inline]
            fn encode(&self) -> $crate::codec::Json {
                <$t as $crate::object::KalturaObject>::encode_object(self)
            }
        }
        impl $crate::response::Output for $t {
            const CLASS: ::std::option::Option<(&'static str, &'static [&'static str])> =
                ::std::option::Option::Some((
                    <$t as $crate::object::KalturaObject>::OBJECT_TYPE,
                    <$t as $crate::object::KalturaObject>::PROPERTIES,
                ));
            #[inline]
            fn from_slice(json: &[u8]) -> ::std::result::Result<Self, $crate::codec::ReadError> {
                $crate::codec::decode_slice(json)
            }
        }
    };
}

/// Implements a generated `…Any` enum from a table of its variants: each concrete class
/// (the base first, then every subclass, `#[cfg]`-gated by plugin) with its
/// `objectType`. Decoding picks the variant by `objectType` and keeps a name it does not
/// know as `Unknown`; encoding writes the variant's object; `From` wraps a class. The
/// enum itself stays written out, with its docs.
///
/// Decoding, encoding and cloning are the only functions here without `#[inline]`, and
/// `Clone` is written out rather than derived (a derived one is inline): they reach
/// every subclass, and through each class's `relatedObjects` (a map of list responses)
/// every class of the API, and most programs use all three (the list_videos example
/// does). Not inline, they are compiled once, in the crate that defines the enum;
/// inline, every program and test binary compiled them for the whole API again
/// (list_videos: 9.6 s, now 0.8 s). `PartialEq` reaches as far, but few programs
/// compare objects, so it stays derived (compiled here, it added 5 s).
#[doc(hidden)]
#[macro_export]
macro_rules! __kaltura_any {
    ($any:ident : $base:ident = $base_wire:literal, $view:ident $fields:tt {
        $( $(#[$m:meta])* $t:ident = $wire:literal ),* $(,)?
    }) => {
        impl $any {
            /// The properties every subclass shares, borrowed without a copy:
            /// `entry.base().name`.
            #[inline]
            pub fn base(&self) -> $view<'_> {
                match self {
                    Self::$base(v) => $crate::__kaltura_view!($view, v, $fields),
                    $( $(#[$m])* Self::$t(v) => $crate::__kaltura_view!($view, v, $fields), )*
                    Self::Unknown(u) => $crate::__kaltura_view!($view, u.base, $fields),
                }
            }
            /// The `objectType` of the value.
            #[inline]
            pub fn object_type(&self) -> &str {
                match self {
                    Self::$base(_) => $base_wire,
                    $( $(#[$m])* Self::$t(_) => $wire, )*
                    Self::Unknown(u) => &u.object_type,
                }
            }
            /// The properties every subclass shares, as an owned copy of the base class,
            /// cloned field by field.
            #[inline]
            pub fn to_base(&self) -> $base {
                match self {
                    Self::$base(v) => (**v).clone(),
                    Self::Unknown(u) => u.base.clone(),
                    #[allow(unreachable_patterns)]
                    other => {
                        let view = other.base();
                        let mut out = <$base as ::std::default::Default>::default();
                        $crate::__kaltura_copy!(out, view, $fields);
                        out
                    }
                }
            }
        }
        impl $crate::codec::Decode for $any {
            fn decode(
                r: &mut $crate::codec::Reader<'_>,
                path: &$crate::codec::Path<'_>,
            ) -> ::std::result::Result<Self, $crate::codec::Fail> {
                use ::std::boxed::Box;
                use ::std::option::Option::{None, Some};
                use $crate::__kaltura_try as tri;
                let (raw, object_type) = tri!($crate::object::capture(r, path));
                ::std::result::Result::Ok(match object_type.as_deref() {
                    None | Some($base_wire) => {
                        Self::$base(Box::new(tri!($crate::codec::decode_raw(raw, path))))
                    }
                    $( $(#[$m])* Some($wire) => {
                        Self::$t(Box::new(tri!($crate::codec::decode_raw(raw, path))))
                    } )*
                    Some(other) => Self::Unknown(Box::new(tri!(
                        $crate::object::UnknownObject::decode_raw(raw, other, path)
                    ))),
                })
            }
        }
        impl $crate::codec::Encode for $any {
            fn encode(&self) -> $crate::codec::Json {
                match self {
                    Self::$base(v) => $crate::object::KalturaObject::encode_object(&**v),
                    $( $(#[$m])* Self::$t(v) => $crate::object::KalturaObject::encode_object(&**v), )*
                    Self::Unknown(u) => u.encode(),
                }
            }
        }
        impl ::std::clone::Clone for $any {
            fn clone(&self) -> Self {
                // `Box::new` of a clone, not `Box::clone`: the latter instantiates four
                // allocation helpers per class (2% less memory for kaltura-api's build).
                use ::std::boxed::Box;
                use ::std::clone::Clone;
                match self {
                    Self::$base(v) => Self::$base(Box::new(Clone::clone(&**v))),
                    $( $(#[$m])* Self::$t(v) => Self::$t(Box::new(Clone::clone(&**v))), )*
                    Self::Unknown(u) => Self::Unknown(Box::new(Clone::clone(&**u))),
                }
            }
        }
        $crate::__kaltura_output!($any);
        impl ::std::convert::From<$base> for $any {
            #[inline]
            fn from(value: $base) -> Self {
                Self::$base(::std::boxed::Box::new(value))
            }
        }
        $(
            $(#[$m])*
            impl ::std::convert::From<$t> for $any {
                #[inline]
                fn from(value: $t) -> Self {
                    Self::$t(::std::boxed::Box::new(value))
                }
            }
        )*
    };
}

/// The borrowed view of shared properties, from one value (see `__kaltura_any!`).
#[doc(hidden)]
#[macro_export]
macro_rules! __kaltura_view {
    ($view:ident, $v:expr, { $( $(#[$m:meta])* $f:ident ),* $(,)? }) => {
        $view { $( $(#[$m])* $f: &$v.$f, )* _marker: ::std::marker::PhantomData }
    };
}

/// Clones the fields of a borrowed view into an owned base value (see `__kaltura_any!`).
#[doc(hidden)]
#[macro_export]
macro_rules! __kaltura_copy {
    ($out:ident, $view:ident, { $( $(#[$m:meta])* $f:ident ),* $(,)? }) => {
        $( $(#[$m])* { $out.$f = ::std::clone::Clone::clone($view.$f); } )*
    };
}
