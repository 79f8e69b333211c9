//! One page of a list and the keyset cursor of the next.

/// One page of a list, with the cursor of the next page when there is one.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    /// The items, in the list's order.
    pub items: Vec<T>,
    /// Where the next page starts; `None` on the last page.
    pub next: Option<Cursor>,
}

/// A keyset pagination cursor: the sort key and id of the last item of a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    /// The sort key (a time, or the id again when the list is in id order).
    pub key: i64,
    /// The id, which breaks ties.
    pub id: i64,
}

impl Cursor {
    /// Opaque text for URLs: `key.id`.
    pub fn encode(self) -> String {
        format!("{}.{}", self.key, self.id)
    }

    /// Parses [`Cursor::encode`]'s text.
    pub fn decode(text: &str) -> Option<Self> {
        let (key, id) = text.split_once('.')?;
        Some(Self {
            key: key.parse().ok()?,
            id: id.parse().ok()?,
        })
    }
}

/// Cuts a list fetched with `limit + 1` rows down to `limit`, with the cursor of the last item.
pub(crate) fn paginate<T>(mut items: Vec<T>, limit: i64, key: impl Fn(&T) -> Cursor) -> Page<T> {
    let limit = usize::try_from(limit).unwrap_or(0);
    let next = if items.len() > limit {
        items.truncate(limit);
        items.last().map(key)
    } else {
        None
    };
    Page { items, next }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip() {
        let c = Cursor {
            key: 1_700_000_000,
            id: 42,
        };
        assert_eq!(Cursor::decode(&c.encode()), Some(c));
        assert_eq!(Cursor::decode("nope"), None);
        assert_eq!(Cursor::decode("1.x"), None);
    }

    #[test]
    fn paginate_keeps_limit_and_points_at_the_last_item() {
        let page = paginate(vec![5, 4, 3], 2, |n| Cursor { key: *n, id: *n });
        assert_eq!(page.items, vec![5, 4]);
        assert_eq!(page.next, Some(Cursor { key: 4, id: 4 }));
        let last = paginate(vec![5, 4], 2, |n| Cursor { key: *n, id: *n });
        assert_eq!(last.next, None);
    }
}
