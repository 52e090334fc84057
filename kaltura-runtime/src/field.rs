//! Three-state object properties: Kaltura distinguishes "leave as is" (unset), "clear"
//! (null) and a value, and so does [`Field`].

/// An object property: unset (not sent, not received), explicitly null (sent as
/// `<name>__null` to clear the value on the server), or a value.
#[derive(Clone, PartialEq, Eq, Hash, Default)]
pub enum Field<T> {
    #[default]
    Unset,
    Null,
    Set(T),
}

impl<T> Field<T> {
    /// The value, if one is set.
    pub fn as_ref(&self) -> Option<&T> {
        match self {
            Field::Set(v) => Some(v),
            _ => None,
        }
    }

    pub fn as_mut(&mut self) -> Option<&mut T> {
        match self {
            Field::Set(v) => Some(v),
            _ => None,
        }
    }

    /// The value, if one is set.
    pub fn into_option(self) -> Option<T> {
        match self {
            Field::Set(v) => Some(v),
            _ => None,
        }
    }

    pub fn is_set(&self) -> bool {
        matches!(self, Field::Set(_))
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Field::Null)
    }

    pub fn is_unset(&self) -> bool {
        matches!(self, Field::Unset)
    }

    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Field<U> {
        match self {
            Field::Set(v) => Field::Set(f(v)),
            Field::Null => Field::Null,
            Field::Unset => Field::Unset,
        }
    }
}

impl<T: std::ops::Deref> Field<T> {
    /// The value by reference to its target (`Field<String>` gives `Option<&str>`).
    pub fn as_deref(&self) -> Option<&T::Target> {
        self.as_ref().map(|v| &**v)
    }
}

impl<T> From<T> for Field<T> {
    fn from(v: T) -> Self {
        Field::Set(v)
    }
}

impl From<&str> for Field<String> {
    fn from(v: &str) -> Self {
        Field::Set(v.to_string())
    }
}

impl<T> From<Option<T>> for Field<T> {
    /// `None` is "unset", not "null": use [`Field::Null`] to clear a value.
    fn from(v: Option<T>) -> Self {
        v.map_or(Field::Unset, Field::Set)
    }
}

impl<T: std::fmt::Debug> std::fmt::Debug for Field<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Field::Unset => f.write_str("Unset"),
            Field::Null => f.write_str("Null"),
            Field::Set(v) => v.fmt(f),
        }
    }
}
