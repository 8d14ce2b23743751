//! Wide tables of features: one row per user or item, one column per attribute. Each row
//! becomes the `(id, feature, weight)` triples a long table would hold, so the rest of a read
//! (interning, merging in file order) is the long table's. The one place of the naming rule:
//! a categorical cell `v` of column `c` is the feature `c:v` (weight 1), a numeric cell `x` of
//! column `c` the feature `c` with weight `x`; empty (or null) cells are no feature.

use std::path::Path;

use crate::chunk::Chunk;
use crate::columns::{shown_all, Column};
use crate::error::{Error, Result, RowProblem};
use crate::interner::KeyKind;
use crate::values;

/// The columns of a wide table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WideColumns {
    /// The column of user or item ids.
    pub id: Column,
    /// Columns whose values are features (`column:value`, weight 1).
    pub categorical: Vec<Column>,
    /// Columns whose numbers are the weights of a feature named after the column.
    pub numeric: Vec<Column>,
    /// Splits a categorical cell into several values (`action|space`); empty parts are ignored.
    pub separator: Option<char>,
}

/// How an attribute column becomes features.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Categorical,
    Numeric,
}

/// An attribute column resolved: its position and the name its features take.
#[derive(Debug, Clone)]
pub struct Attribute {
    pub position: usize,
    /// The header name, or the position as text in a file without a header.
    pub name: String,
    pub kind: Kind,
}

/// [`WideColumns`] resolved to positions.
#[derive(Debug, Clone)]
pub struct WideResolved {
    pub id: usize,
    /// In file order, so that feature names are first seen in file order.
    pub attributes: Vec<Attribute>,
    pub separator: Option<char>,
    /// Each column's name in messages, by position.
    pub shown: Vec<String>,
}

impl WideColumns {
    pub fn resolve(
        &self,
        file: &Path,
        names: Option<&[String]>,
        count: usize,
    ) -> Result<WideResolved> {
        if self.categorical.is_empty() && self.numeric.is_empty() {
            return Err(Error::InvalidArg(
                "a wide table needs at least one categorical or numeric column".into(),
            ));
        }
        let id = self.id.resolve(file, names, count)?;
        let name_of = |p: usize| match names {
            Some(n) => n[p].clone(),
            None => p.to_string(),
        };
        let mut attributes = Vec::new();
        for (kind, columns) in [
            (Kind::Categorical, &self.categorical),
            (Kind::Numeric, &self.numeric),
        ] {
            for c in columns {
                let position = c.resolve(file, names, count)?;
                if position == id
                    || attributes
                        .iter()
                        .any(|a: &Attribute| a.position == position)
                {
                    return Err(Error::InvalidArg(format!(
                        "{}: column {} is given twice (as the id, categorical or numeric); give each column once",
                        file.display(),
                        c.shown(names, position)
                    )));
                }
                let name = name_of(position);
                attributes.push(Attribute {
                    position,
                    name,
                    kind,
                });
            }
        }
        attributes.sort_by_key(|a| a.position);
        Ok(WideResolved {
            id,
            attributes,
            separator: self.separator,
            shown: shown_all(names, count),
        })
    }
}

/// The features of one row, gathered before any is kept, so that a bad cell drops the whole
/// row (with `skip_invalid`) rather than part of it.
#[derive(Debug, Default)]
pub struct RowFeatures {
    names: Vec<u8>,
    ends: Vec<usize>,
    weights: Vec<f32>,
}

impl RowFeatures {
    pub fn clear(&mut self) {
        self.names.clear();
        self.ends.clear();
        self.weights.clear();
    }

    fn push(&mut self, parts: &[&[u8]], weight: f32) {
        for p in parts {
            self.names.extend_from_slice(p);
        }
        self.ends.push(self.names.len());
        self.weights.push(weight);
    }

    /// The features `column:value` of a categorical cell (UTF-8 text), one per value.
    pub fn categorical(
        &mut self,
        column: &str,
        cell: &[u8],
        separator: Option<char>,
    ) -> std::result::Result<(), RowProblem> {
        let text = values::text(cell)?;
        let mut add = |value: &str| {
            if !value.is_empty() {
                self.push(&[column.as_bytes(), b":", value.as_bytes()], 1.0);
            }
        };
        match separator {
            Some(s) => text.split(s).for_each(add),
            None => add(text),
        }
        Ok(())
    }

    /// The feature `column` weighing `weight`, which must be finite (as an `f32`).
    pub fn numeric(&mut self, column: &str, weight: f64) -> std::result::Result<(), RowProblem> {
        let w = weight as f32;
        if !w.is_finite() {
            values::finite(w, || weight.to_string())?;
        }
        self.push(&[column.as_bytes()], w);
        Ok(())
    }

    /// A numeric cell as text: empty (or blank) is no feature.
    pub fn numeric_text(
        &mut self,
        column: &str,
        cell: &[u8],
    ) -> std::result::Result<(), RowProblem> {
        if values::text(cell)?.trim().is_empty() {
            return Ok(());
        }
        let w = values::weight(cell)?;
        self.push(&[column.as_bytes()], w);
        Ok(())
    }

    /// Adds the row of `id` to `chunk`: its features, or only its id when it has none (so
    /// that an unknown id is reported even without features).
    pub fn commit(&self, chunk: &mut Chunk, id: (KeyKind, &[u8])) {
        let mut start = 0;
        let features = self.ends.iter().zip(&self.weights).map(|(&end, &w)| {
            let name = &self.names[start..end];
            start = end;
            (name, w)
        });
        chunk.push_features(id, features);
    }
}
