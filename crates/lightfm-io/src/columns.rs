//! Which columns of a file to read, by name or by position.

use std::path::Path;

use crate::error::{Error, Result};
use crate::table::Table;
use crate::wide::{WideColumns, WideResolved};

/// A column: by its header name, or by its 0-based position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Column {
    Name(String),
    Index(usize),
}

impl Column {
    /// The position of this column among `names` (`None` for a file without a header) in a
    /// file of `count` columns.
    pub fn resolve(&self, file: &Path, names: Option<&[String]>, count: usize) -> Result<usize> {
        match self {
            Column::Index(i) if *i < count => Ok(*i),
            Column::Index(i) => Err(Error::InvalidArg(format!(
                "{}: column {i} does not exist; the file has {count} columns (0 to {})",
                file.display(),
                count.saturating_sub(1)
            ))),
            Column::Name(name) => {
                let Some(names) = names else {
                    return Err(Error::InvalidArg(format!(
                        "{}: column {name:?} is given by name but the file is read without a header; pass its 0-based index or read the header",
                        file.display()
                    )));
                };
                names
                    .iter()
                    .position(|n| n == name)
                    .ok_or_else(|| Error::MissingColumn {
                        file: file.to_path_buf(),
                        column: name.clone(),
                        available: describe(names),
                    })
            }
        }
    }

    /// How error messages name it.
    pub fn shown(&self, names: Option<&[String]>, index: usize) -> String {
        match names.and_then(|n| n.get(index)) {
            Some(name) => format!("{name:?}"),
            None => index.to_string(),
        }
    }
}

/// How error messages name each of a file's `count` columns, by position.
pub fn shown_all(names: Option<&[String]>, count: usize) -> Vec<String> {
    (0..count)
        .map(|i| Column::Index(i).shown(names, i))
        .collect()
}

fn describe(names: &[String]) -> String {
    if names.is_empty() {
        return "no columns".into();
    }
    let shown: Vec<String> = names.iter().take(20).map(|n| format!("{n:?}")).collect();
    let more = if names.len() > 20 { ", ..." } else { "" };
    format!("columns {}{more}", shown.join(", "))
}

/// The columns a table read takes: two id columns, an optional weight and timestamp.
#[derive(Debug, Clone)]
pub struct TableColumns {
    /// The user and item columns (or id and feature).
    pub keys: [Column; 2],
    pub weight: Option<Column>,
    pub timestamp: Option<Column>,
}

/// [`TableColumns`] resolved to positions, with their names for messages.
#[derive(Debug, Clone)]
pub struct Resolved {
    pub keys: [usize; 2],
    pub weight: Option<usize>,
    pub timestamp: Option<usize>,
    /// Each column's name in messages, by position.
    pub shown: Vec<String>,
}

impl TableColumns {
    pub fn resolve(&self, file: &Path, names: Option<&[String]>, count: usize) -> Result<Resolved> {
        let one = |c: &Column| c.resolve(file, names, count);
        let keys = [one(&self.keys[0])?, one(&self.keys[1])?];
        let weight = self.weight.as_ref().map(one).transpose()?;
        let timestamp = self.timestamp.as_ref().map(one).transpose()?;
        Ok(Resolved {
            keys,
            weight,
            timestamp,
            shown: shown_all(names, count),
        })
    }
}

/// The columns of a read: a long table's (two ids, weight, timestamp) or a wide table's.
#[derive(Debug, Clone, Copy)]
pub enum Layout<'a> {
    Long(&'a TableColumns),
    Wide(&'a WideColumns),
}

/// A [`Layout`] resolved against a file's columns.
#[derive(Debug, Clone)]
pub enum Plan {
    Long(Resolved),
    Wide(WideResolved),
}

impl Layout<'_> {
    pub fn resolve(self, file: &Path, names: Option<&[String]>, count: usize) -> Result<Plan> {
        Ok(match self {
            Layout::Long(c) => Plan::Long(c.resolve(file, names, count)?),
            Layout::Wide(c) => Plan::Wide(c.resolve(file, names, count)?),
        })
    }
}

impl Plan {
    /// The positions of the columns read.
    pub fn positions(&self) -> Vec<usize> {
        match self {
            Plan::Long(r) => [Some(r.keys[0]), Some(r.keys[1]), r.weight, r.timestamp]
                .into_iter()
                .flatten()
                .collect(),
            Plan::Wide(w) => std::iter::once(w.id)
                .chain(w.attributes.iter().map(|a| a.position))
                .collect(),
        }
    }

    /// Reserves `table` room for about `rows` rows of the file.
    pub fn reserve(&self, table: &mut Table, rows: usize) -> Result<()> {
        let max = lightfm_core::sparse::MAX_DIM;
        match self {
            Plan::Long(r) => {
                table.reserve(rows.min(max), r.weight.is_some(), r.timestamp.is_some())
            }
            // At least an entry per attribute column, unless cells are empty.
            Plan::Wide(w) => table.reserve(
                rows.saturating_mul(w.attributes.len()).min(max),
                true,
                false,
            ),
        }
    }
}
