//! Three-state object properties: Kaltura distinguishes "leave as is" (unset), "clear"
//! (null) and a value, and so does [`Field`].

use crate::reference::ResultRef;

/// An object property: unset (not sent, not received), explicitly null (sent as
/// `<name>__null` to clear the value on the server), a value, or, in a request of a
/// multirequest, a reference to an earlier call's result that the server fills in.
///
/// A reference goes wherever a value goes, whatever the property's type:
/// `category_id: found.path(("objects", 0, "id")).into()` (see
/// [`Handle`](crate::multirequest::Handle)).
///
/// To pass a value read from one result into the next call, prefer
/// [`Field::required`], which fails naming the property when the server sent
/// nothing, over `unwrap_or_default()`, which would send `0` or an empty id.
/// `Field` is not `Copy` (a reference is not); [`Field::copied`] and
/// [`Field::required`] read a value without moving it out of its object.
#[derive(Clone, PartialEq, Eq, Hash, Default)]
pub enum Field<T> {
    #[default]
    Unset,
    Null,
    Set(T),
    /// A reference to an earlier result of the same multirequest
    /// (`{2:result:objects:0:id}` on the wire). Sending a request that holds one on its
    /// own, or in another multirequest, fails before anything is sent.
    Ref(ResultRef),
}

/// A value of an action's number or boolean parameter (`category_id: i64` is
/// `impl Into<Arg<i64>>`): the value itself, or, in a multirequest, a reference to an
/// earlier call's result (`client.category_entry().delete(entry_id, found.path(("objects", 0, "id")))`).
#[derive(Debug, Clone, PartialEq)]
pub enum Arg<T> {
    Value(T),
    Ref(ResultRef),
}

impl<T> From<T> for Arg<T> {
    fn from(v: T) -> Self {
        Arg::Value(v)
    }
}

/// The narrower integers an `impl Into<i64>` parameter took, kept working.
macro_rules! widen {
    ($to:ty: $($from:ty),*) => {
        $(impl From<$from> for Arg<$to> {
            fn from(v: $from) -> Self {
                Arg::Value(v.into())
            }
        })*
    };
}
widen!(i64: i8, i16, i32, u8, u16, u32);
widen!(f64: f32, i8, i16, i32, u8, u16, u32);

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

    /// The value, or `T`'s default when unset or null (`0`, `""`, an empty list). To
    /// pass a value on to another call, use [`Field::required`] instead: a default
    /// would be sent as if the server had given it.
    pub fn unwrap_or_default(self) -> T
    where
        T: Default,
    {
        self.into_option().unwrap_or_default()
    }

    /// The value, or `default` when unset or null.
    pub fn unwrap_or(self, default: T) -> T {
        self.into_option().unwrap_or(default)
    }

    /// The value by reference, or `default`: `entry.name.get_or("")` gives a `&str`.
    pub fn get_or<'a, D: ?Sized>(&'a self, default: &'a D) -> &'a D
    where
        T: AsRef<D>,
    {
        self.as_ref().map_or(default, |v| v.as_ref())
    }

    /// A copy of the value, for numbers, booleans and int enums.
    pub fn copied(&self) -> Option<T>
    where
        T: Copy,
    {
        self.as_ref().copied()
    }

    /// Whether this is a reference to an earlier result of a multirequest.
    pub fn is_ref(&self) -> bool {
        matches!(self, Field::Ref(_))
    }

    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Field<U> {
        match self {
            Field::Set(v) => Field::Set(f(v)),
            Field::Null => Field::Null,
            Field::Unset => Field::Unset,
            Field::Ref(r) => Field::Ref(r),
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

impl From<&String> for Field<String> {
    fn from(v: &String) -> Self {
        Field::Set(v.clone())
    }
}

/// Secret-named properties (`token`, `password`, ...) take text as any string
/// property does: `token: upload.id.into()`.
impl From<String> for Field<crate::Secret> {
    fn from(v: String) -> Self {
        Field::Set(v.into())
    }
}

impl From<&str> for Field<crate::Secret> {
    fn from(v: &str) -> Self {
        Field::Set(v.into())
    }
}

impl From<&String> for Field<crate::Secret> {
    fn from(v: &String) -> Self {
        Field::Set(v.into())
    }
}

/// A boxed property (a class that contains itself, such as eSearch operators) takes
/// the plain value: `search_operator: KalturaESearchEntryOperator { .. }.into()`.
impl<T> From<T> for Field<Box<T>> {
    fn from(v: T) -> Self {
        Field::Set(Box::new(v))
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
            Field::Ref(r) => write!(f, "Ref({r})"),
        }
    }
}

/// The value as it prints; nothing for an unset or null field, so that
/// `println!("{}", entry.name)` shows the name or an empty string, and the token of a
/// reference (`{1:result:id}`). The alternate form passes through: `{:#}` of an enum
/// field prints the constant's name (`READY`).
impl<T: std::fmt::Display> std::fmt::Display for Field<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Field::Set(v) => v.fmt(f),
            Field::Ref(r) => r.fmt(f),
            Field::Unset | Field::Null => Ok(()),
        }
    }
}

/// A list property iterates over its items, none when unset or null:
/// `for entry in page.objects { .. }`.
impl<T> IntoIterator for Field<Vec<T>> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;
    fn into_iter(self) -> Self::IntoIter {
        self.unwrap_or_default().into_iter()
    }
}

impl<'a, T> IntoIterator for &'a Field<Vec<T>> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.as_ref().map_or(&[][..], Vec::as_slice).iter()
    }
}

impl<T> Field<Vec<T>> {
    /// The items of a list property, none when unset or null.
    pub fn iter(&self) -> std::slice::Iter<'_, T> {
        self.into_iter()
    }

    /// How many items a list property holds (0 when unset or null).
    pub fn len(&self) -> usize {
        self.as_ref().map_or(0, Vec::len)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::Field;

    #[test]
    fn reading_values_back_is_short() {
        let name: Field<String> = "intro".into();
        assert_eq!(name.get_or(""), "intro");
        assert_eq!(Field::<String>::Null.get_or("-"), "-");
        assert_eq!(
            format!("[{name}] [{}]", Field::<String>::Unset),
            "[intro] []"
        );
        assert_eq!(Field::Set(7i64).copied(), Some(7));
        assert_eq!(Field::<i64>::Null.unwrap_or_default(), 0);
        assert_eq!(Field::<i64>::Unset.unwrap_or(-1), -1);
        let list: Field<Vec<i64>> = vec![1, 2, 3].into();
        assert_eq!(list.len(), 3);
        assert_eq!((&list).into_iter().sum::<i64>(), 6);
        assert_eq!(list.into_iter().collect::<Vec<_>>(), [1, 2, 3]);
        assert_eq!(Field::<Vec<i64>>::Null.into_iter().count(), 0);
        assert!(Field::<Vec<i64>>::Unset.is_empty());
    }
}
