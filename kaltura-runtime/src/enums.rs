//! Generated enums are open: servers add values with plugins and releases, so every
//! enum has an `Unknown` variant that keeps the raw value and sends it back unchanged.

/// An enum whose wire values are integers (`enumType="int"`).
pub trait IntEnum: Sized {
    /// Never fails: values without a name become `Unknown(value)`.
    fn from_i64(value: i64) -> Self;
    fn to_i64(&self) -> i64;
    /// The API's name of the constant (`READY`); `None` for an unknown value.
    fn const_name(&self) -> Option<&'static str>;
}

/// An enum whose wire values are strings (`enumType="string"`).
pub trait StringEnum: Sized {
    /// Never fails: values without a name become `Unknown(value)`.
    fn from_wire(value: &str) -> Self;
    fn as_wire(&self) -> &str;
    /// The API's name of the constant (`CREATED_AT_DESC`); `None` for an unknown value.
    fn const_name(&self) -> Option<&'static str>;
}

#[doc(hidden)]
#[macro_export]
macro_rules! __int_enum {
    ($t:ty) => {
        impl $crate::codec::Decode for $t {
            #[inline]
            fn decode(
                r: &mut $crate::codec::Reader<'_>,
                path: &$crate::codec::Path<'_>,
            ) -> ::std::result::Result<Self, $crate::codec::Fail> {
                // Int enums also arrive as numeric strings.
                let value = $crate::__kaltura_try!(<i64 as $crate::codec::Decode>::decode(r, path));
                ::std::result::Result::Ok(<$t as $crate::enums::IntEnum>::from_i64(value))
            }
        }
        impl $crate::codec::Encode for $t {
            #[inline]
            fn encode(&self) -> $crate::codec::Json {
                $crate::codec::Json::from(<$t as $crate::enums::IntEnum>::to_i64(self))
            }
        }
        impl $t {
            /// The API's name of the constant (`READY`), `None` for a value this client
            /// does not know. `{:#}` prints it too (and the number when unknown).
            #[inline]
            pub fn name(&self) -> ::std::option::Option<&'static str> {
                <$t as $crate::enums::IntEnum>::const_name(self)
            }
        }
        impl ::std::fmt::Display for $t {
            /// The wire value (`2`); with `{:#}`, the constant's name (`READY`).
            #[inline]
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match <$t as $crate::enums::IntEnum>::const_name(self) {
                    ::std::option::Option::Some(name) if f.alternate() => f.write_str(name),
                    _ => ::std::fmt::Display::fmt(&<$t as $crate::enums::IntEnum>::to_i64(self), f),
                }
            }
        }
        impl ::std::convert::From<i64> for $t {
            #[inline]
            fn from(value: i64) -> Self {
                <$t as $crate::enums::IntEnum>::from_i64(value)
            }
        }
        $crate::__kaltura_output!($t);
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __string_enum {
    ($t:ty) => {
        impl $crate::codec::Decode for $t {
            #[inline]
            fn decode(
                r: &mut $crate::codec::Reader<'_>,
                path: &$crate::codec::Path<'_>,
            ) -> ::std::result::Result<Self, $crate::codec::Fail> {
                let value = $crate::__kaltura_try!(
                    <::std::string::String as $crate::codec::Decode>::decode(r, path)
                );
                ::std::result::Result::Ok(<$t as $crate::enums::StringEnum>::from_wire(&value))
            }
        }
        impl $crate::codec::Encode for $t {
            #[inline]
            fn encode(&self) -> $crate::codec::Json {
                $crate::codec::Json::String(
                    <$t as $crate::enums::StringEnum>::as_wire(self).to_string(),
                )
            }
        }
        impl $t {
            /// The API's name of the constant (`CREATED_AT_DESC`), `None` for a value
            /// this client does not know. `{:#}` prints it too (and the value when
            /// unknown).
            #[inline]
            pub fn name(&self) -> ::std::option::Option<&'static str> {
                <$t as $crate::enums::StringEnum>::const_name(self)
            }
        }
        impl ::std::fmt::Display for $t {
            /// The wire value (`-createdAt`); with `{:#}`, the constant's name.
            #[inline]
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match <$t as $crate::enums::StringEnum>::const_name(self) {
                    ::std::option::Option::Some(name) if f.alternate() => f.write_str(name),
                    _ => f.write_str(<$t as $crate::enums::StringEnum>::as_wire(self)),
                }
            }
        }
        /// String properties that take this enum's values (`orderBy` and its kin).
        impl ::std::convert::From<$t> for $crate::field::Field<::std::string::String> {
            #[inline]
            fn from(value: $t) -> Self {
                $crate::field::Field::Set(
                    <$t as $crate::enums::StringEnum>::as_wire(&value).to_string(),
                )
            }
        }
        impl ::std::convert::From<$t> for ::std::string::String {
            #[inline]
            fn from(value: $t) -> Self {
                <$t as $crate::enums::StringEnum>::as_wire(&value).to_string()
            }
        }
        impl ::std::str::FromStr for $t {
            type Err = ::std::convert::Infallible;
            #[inline]
            fn from_str(s: &str) -> ::std::result::Result<Self, Self::Err> {
                Ok(<$t as $crate::enums::StringEnum>::from_wire(s))
            }
        }
        impl ::std::convert::From<&str> for $t {
            #[inline]
            fn from(value: &str) -> Self {
                <$t as $crate::enums::StringEnum>::from_wire(value)
            }
        }
        $crate::__kaltura_output!($t);
    };
}
