//! What every generated class has in common, and the values that stand in for classes
//! this client does not know.

use crate::codec::{object_type, Decode, DecodeError, Encode, Fields, Json, ObjectWriter, Path};

/// A generated Kaltura class. Inherited properties are flattened into the struct.
pub trait KalturaObject: Sized + Clone + Default + std::fmt::Debug + Send + Sync + 'static {
    /// The wire name, sent as `objectType`.
    const OBJECT_TYPE: &'static str;
    /// The wire names of its properties, inherited ones included.
    const PROPERTIES: &'static [&'static str] = &[];

    /// Reads the class's properties; properties it does not know are ignored.
    fn decode_fields(fields: &mut Fields<'_>) -> Result<Self, DecodeError>;

    /// Writes the properties a client may send (never read-only ones).
    fn encode_fields(&self, out: &mut ObjectWriter);

    /// Decodes an object of this class from JSON.
    fn decode_object(value: Json, path: &Path<'_>) -> Result<Self, DecodeError> {
        let mut fields = Fields::new(value, path)?;
        Self::decode_fields(&mut fields)
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

struct FullCopy<'a, T>(&'a T);

impl<T: KalturaObject> Encode for FullCopy<'_, T> {
    fn encode(&self) -> Json {
        let mut out = ObjectWriter::full(T::OBJECT_TYPE);
        self.0.encode_fields(&mut out);
        out.finish()
    }
}

/// The properties of `value` that `T` (a base class of it) has.
pub fn upcast<T: KalturaObject, S: KalturaObject>(value: &S) -> T {
    // Every property of a base class exists in the subclass with the same type, so
    // this cannot fail; fall back to an empty value rather than panic all the same.
    T::decode_object(value.to_json(), &Path::Root).unwrap_or_default()
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
    pub fn decode(value: Json, path: &Path<'_>) -> Result<Self, DecodeError> {
        let object_type = object_type(&value).unwrap_or_default().to_string();
        let base = T::decode_object(value.clone(), path)?;
        Ok(UnknownObject {
            object_type,
            base,
            raw: value,
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
        (self.object_type() == Some(T::OBJECT_TYPE))
            .then(|| T::decode_object(self.0.clone(), &Path::Root))
    }

    pub fn from_object<T: KalturaObject>(object: &T) -> Self {
        AnyObject(object.encode_object())
    }
}

impl Decode for AnyObject {
    fn decode(value: Json, path: &Path<'_>) -> Result<Self, DecodeError> {
        match value {
            Json::Object(_) => Ok(AnyObject(value)),
            other => Err(path.error(format!(
                "expected an object, found {}",
                crate::codec::kind(&other)
            ))),
        }
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
        $( $(#[$m:meta])* $f:ident : $name:literal $($ro:ident)? ),* $(,)?
    }) => {
        impl $crate::object::KalturaObject for $t {
            const OBJECT_TYPE: &'static str = $wire;
            const PROPERTIES: &'static [&'static str] = &[$($name),*];
            fn decode_fields(
                fields: &mut $crate::codec::Fields<'_>,
            ) -> ::std::result::Result<Self, $crate::codec::DecodeError> {
                ::std::result::Result::Ok(Self { $( $(#[$m])* $f: fields.take($name)?, )* })
            }
            fn encode_fields(&self, out: &mut $crate::codec::ObjectWriter) {
                $( $(#[$m])* $crate::__kaltura_put!(out, $name, &self.$f $(, $ro)?); )*
            }
        }
        $crate::__kaltura_object!($t);
    };
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
            fn decode(
                value: $crate::codec::Json,
                path: &$crate::codec::Path<'_>,
            ) -> ::std::result::Result<Self, $crate::codec::DecodeError> {
                <$t as $crate::object::KalturaObject>::decode_object(value, path)
            }
        }
        impl $crate::codec::Encode for $t {
            fn encode(&self) -> $crate::codec::Json {
                <$t as $crate::object::KalturaObject>::encode_object(self)
            }
        }
        impl $crate::request::Output for $t {
            fn from_json(
                value: $crate::codec::Json,
            ) -> ::std::result::Result<Self, $crate::codec::DecodeError> {
                $crate::codec::decode_value(value)
            }
        }
    };
}

/// Implements a generated `…Any` enum from a table of its variants: each concrete class
/// (the base first, then every subclass, `#[cfg]`-gated by plugin) with its
/// `objectType`. Decoding picks the variant by `objectType` and keeps a name it does not
/// know as `Unknown`; encoding writes the variant's object; `From` wraps a class. The
/// enum itself stays written out, with its docs.
#[doc(hidden)]
#[macro_export]
macro_rules! __kaltura_any {
    ($any:ident : $base:ident = $base_wire:literal, $view:ident $fields:tt {
        $( $(#[$m:meta])* $t:ident = $wire:literal ),* $(,)?
    }) => {
        impl $any {
            /// The properties every subclass shares, borrowed without a copy:
            /// `entry.base().name`.
            pub fn base(&self) -> $view<'_> {
                match self {
                    Self::$base(v) => $crate::__kaltura_view!($view, v, $fields),
                    $( $(#[$m])* Self::$t(v) => $crate::__kaltura_view!($view, v, $fields), )*
                    Self::Unknown(u) => $crate::__kaltura_view!($view, u.base, $fields),
                }
            }
            /// The `objectType` of the value.
            pub fn object_type(&self) -> &str {
                match self {
                    Self::$base(_) => $base_wire,
                    $( $(#[$m])* Self::$t(_) => $wire, )*
                    Self::Unknown(u) => &u.object_type,
                }
            }
            /// The properties every subclass shares, as an owned copy of the base class.
            pub fn to_base(&self) -> $base {
                match self {
                    Self::$base(v) => (**v).clone(),
                    $( $(#[$m])* Self::$t(v) => $crate::object::upcast(&**v), )*
                    Self::Unknown(u) => u.base.clone(),
                }
            }
        }
        impl $crate::codec::Decode for $any {
            fn decode(
                value: $crate::codec::Json,
                path: &$crate::codec::Path<'_>,
            ) -> ::std::result::Result<Self, $crate::codec::DecodeError> {
                ::std::result::Result::Ok(match $crate::codec::object_type(&value) {
                    $( $(#[$m])* ::std::option::Option::Some($wire) => Self::$t(::std::boxed::Box::new(
                        $crate::object::KalturaObject::decode_object(value, path)?,
                    )), )*
                    ::std::option::Option::None | ::std::option::Option::Some($base_wire) => {
                        Self::$base(::std::boxed::Box::new(
                            $crate::object::KalturaObject::decode_object(value, path)?,
                        ))
                    }
                    ::std::option::Option::Some(_) => Self::Unknown(::std::boxed::Box::new(
                        $crate::object::UnknownObject::decode(value, path)?,
                    )),
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
        impl $crate::request::Output for $any {
            fn from_json(
                value: $crate::codec::Json,
            ) -> ::std::result::Result<Self, $crate::codec::DecodeError> {
                $crate::codec::decode_value(value)
            }
        }
        impl ::std::convert::From<$base> for $any {
            fn from(value: $base) -> Self {
                Self::$base(::std::boxed::Box::new(value))
            }
        }
        $(
            $(#[$m])*
            impl ::std::convert::From<$t> for $any {
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
