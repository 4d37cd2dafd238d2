//! Categories: a tree at most three levels deep, read whole (it is small).

use std::collections::HashMap;

use super::{Catalog, Category, MAX_CATEGORY_DEPTH, TOPIC, slug};
use crate::db::categories::{self as rows, CategoryRow, NewCategory};
use crate::db::{Conn, is_unique_violation};
use crate::error::{AppError, AppResult};
use crate::text::clean_text;

/// Where a category goes: at the top, or under another one.
#[derive(Debug, Clone, Copy)]
pub enum Parent {
    Keep,
    Top,
    Under(i64),
}

impl Catalog {
    /// Every category, by name.
    pub async fn categories(&self) -> AppResult<Vec<Category>> {
        Ok(rows::all(&mut self.svc.db.read().await?.conn())
            .await?
            .into_iter()
            .map(Category::from)
            .collect())
    }

    /// The ids of a category and every category below it, found by slug.
    pub async fn category_branch(&self, slug: &str) -> AppResult<Option<Vec<i64>>> {
        let all = self.categories().await?;
        let Some(root) = all.iter().find(|c| c.slug == slug) else {
            return Ok(None);
        };
        Ok(Some(branch(&all, root.id)))
    }

    /// The ids of these categories and every category below them (unknown ids are
    /// left out).
    pub async fn category_branches(&self, roots: &[i64]) -> AppResult<Vec<i64>> {
        if roots.is_empty() {
            return Ok(Vec::new());
        }
        let all = rows::all(&mut self.svc.db.read().await?.conn()).await?;
        Ok(branches(&all, roots))
    }

    /// Creates a category at the top or under `parent_id`.
    pub async fn create_category(
        &self,
        name: &str,
        slug: Option<&str>,
        parent_id: Option<i64>,
    ) -> AppResult<Category> {
        let name = clean_text("name", name, 100, false)?;
        let now = self.svc.clock.now().into();
        let row = self
            .svc
            .db
            .transaction(async |tx| {
                let all = rows::all(&mut tx.conn()).await?;
                let depth = match parent_id {
                    None => 1,
                    Some(parent) => depth_under(&all, parent)?,
                };
                let slug = category_slug(&mut tx.conn(), &name, slug, None).await?;
                let new = NewCategory {
                    slug: &slug,
                    name: &name,
                    parent_id,
                    depth,
                    created_at: now,
                    updated_at: now,
                };
                let row = rows::insert(&mut tx.conn(), &new)
                    .await
                    .map_err(slug_conflict)?;
                self.svc.events.publish_on_commit(tx, TOPIC).await?;
                Ok::<_, AppError>(row)
            })
            .await?;
        Ok(row.into())
    }

    /// Renames a category, changes its slug or moves it (with its branch) elsewhere.
    pub async fn update_category(
        &self,
        id: i64,
        name: Option<&str>,
        slug: Option<&str>,
        parent: Parent,
    ) -> AppResult<Category> {
        let name = name
            .map(|name| clean_text("name", name, 100, false))
            .transpose()?;
        let now = self.svc.clock.now().into();
        let row = self
            .svc
            .db
            .transaction(async |tx| {
                let all = rows::all(&mut tx.conn()).await?;
                let current = all
                    .iter()
                    .find(|c| c.id == id)
                    .cloned()
                    .ok_or_else(no_such_category)?;
                let parent_id = match parent {
                    Parent::Keep => current.parent_id,
                    Parent::Top => None,
                    Parent::Under(parent) => Some(parent),
                };
                let depth = match parent_id {
                    None => 1,
                    Some(parent) if branch(&all, id).contains(&parent) => {
                        return Err(AppError::invalid(
                            "parentId",
                            "A category cannot be moved under itself or its own subcategories.",
                        ));
                    }
                    Some(parent) => depth_under(&all, parent)?,
                };
                let shift = depth - current.depth;
                let below = branch(&all, id);
                let deepest = below
                    .iter()
                    .filter_map(|b| all.iter().find(|c| c.id == *b))
                    .map(|c| c.depth + shift)
                    .max()
                    .unwrap_or(depth);
                if deepest > MAX_CATEGORY_DEPTH {
                    return Err(AppError::invalid(
                        "parentId",
                        format!("Categories go at most {MAX_CATEGORY_DEPTH} levels deep; this branch would go deeper."),
                    ));
                }
                let name = name.clone().unwrap_or(current.name.clone());
                let slug = match slug {
                    Some(asked) => category_slug(&mut tx.conn(), &name, Some(asked), Some(id)).await?,
                    None => current.slug.clone(),
                };
                let row = rows::update(&mut tx.conn(), id, (&slug, &name, parent_id, depth), now)
                    .await
                    .map_err(slug_conflict)?;
                if shift != 0 {
                    for child in below.iter().filter(|b| **b != id) {
                        if let Some(c) = all.iter().find(|c| c.id == *child) {
                            rows::set_depth(&mut tx.conn(), c.id, c.depth + shift).await?;
                        }
                    }
                }
                self.svc.events.publish_on_commit(tx, TOPIC).await?;
                Ok::<_, AppError>(row)
            })
            .await?;
        Ok(row.into())
    }

    /// Deletes a category that holds no products and no subcategories.
    pub async fn delete_category(&self, id: i64) -> AppResult<()> {
        self.svc
            .db
            .transaction(async |tx| {
                let all = rows::all(&mut tx.conn()).await?;
                let current = all.iter().find(|c| c.id == id).ok_or_else(no_such_category)?;
                let products = rows::product_count(&mut tx.conn(), id).await?;
                if products > 0 {
                    return Err(AppError::conflict(format!(
                        "“{}” still holds {products} product(s); move them to another category first.",
                        current.name
                    )));
                }
                if all.iter().any(|c| c.parent_id == Some(id)) {
                    return Err(AppError::conflict(format!(
                        "“{}” has subcategories; move or delete them first.",
                        current.name
                    )));
                }
                rows::delete(&mut tx.conn(), id).await?;
                self.svc.events.publish_on_commit(tx, TOPIC).await?;
                Ok::<_, AppError>(())
            })
            .await
    }
}

/// The error for a category that does not exist.
pub fn no_such_category() -> AppError {
    AppError::not_found("There is no category with this id.")
}

/// The depth of a new child of `parent`.
fn depth_under(all: &[CategoryRow], parent: i64) -> AppResult<i32> {
    let parent = all
        .iter()
        .find(|c| c.id == parent)
        .ok_or_else(|| AppError::invalid("parentId", "There is no category with this id."))?;
    if parent.depth >= MAX_CATEGORY_DEPTH {
        return Err(AppError::invalid(
            "parentId",
            format!("Categories go at most {MAX_CATEGORY_DEPTH} levels deep."),
        ));
    }
    Ok(parent.depth + 1)
}

/// The ids of the categories `roots` and every category below them, from the rows of
/// all categories (for callers inside a transaction, which must not take a second
/// connection); unknown roots are left out.
pub fn branches(all: &[CategoryRow], roots: &[i64]) -> Vec<i64> {
    let mut found: Vec<i64> = Vec::new();
    for root in roots.iter().filter(|r| all.iter().any(|c| c.id == **r)) {
        for id in branch(all, *root) {
            if !found.contains(&id) {
                found.push(id);
            }
        }
    }
    found
}

/// A category and everything below it.
fn branch<C: Node>(all: &[C], root: i64) -> Vec<i64> {
    let mut children: HashMap<i64, Vec<i64>> = HashMap::new();
    for c in all {
        if let Some(parent) = c.parent() {
            children.entry(parent).or_default().push(c.id());
        }
    }
    let mut found = vec![root];
    let mut i = 0;
    while i < found.len() {
        if let Some(kids) = children.get(&found[i]) {
            found.extend(
                kids.iter()
                    .copied()
                    .filter(|k| !found.contains(k))
                    .collect::<Vec<_>>(),
            );
        }
        i += 1;
    }
    found
}

/// A node of the category tree (a row or a domain category).
trait Node {
    fn id(&self) -> i64;
    fn parent(&self) -> Option<i64>;
}

impl Node for CategoryRow {
    fn id(&self) -> i64 {
        self.id
    }
    fn parent(&self) -> Option<i64> {
        self.parent_id
    }
}

impl Node for Category {
    fn id(&self) -> i64 {
        self.id
    }
    fn parent(&self) -> Option<i64> {
        self.parent_id
    }
}

async fn category_slug(
    conn: &mut Conn<'_>,
    name: &str,
    asked: Option<&str>,
    id: Option<i64>,
) -> AppResult<String> {
    if let Some(asked) = asked {
        let asked = asked.trim();
        if !slug::is_valid(asked) {
            return Err(AppError::invalid(
                "slug",
                "A slug is lower-case letters and digits joined by hyphens.",
            ));
        }
        if rows::slug_taken(conn, asked, id).await? {
            return Err(AppError::invalid("slug", "Another category has this slug."));
        }
        return Ok(asked.to_owned());
    }
    let base = slug::from_name(name).unwrap_or_else(|| "kategori".to_owned());
    let mut n = 1;
    loop {
        let candidate = if n == 1 {
            base.clone()
        } else {
            format!("{base}-{n}")
        };
        if !rows::slug_taken(conn, &candidate, id).await? {
            return Ok(candidate);
        }
        n += 1;
    }
}

fn slug_conflict(e: diesel::result::Error) -> AppError {
    if is_unique_violation(&e) {
        AppError::conflict("Another category took this slug at the same moment; try again.")
    } else {
        e.into()
    }
}
