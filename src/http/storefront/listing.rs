//! A product list's query string: language, search, filters, sort and the position a
//! page starts after; read strictly (a bad value is a bad address) and written back
//! the same way for links and forms.

use serde::Serialize;

use super::texts::texts;
use crate::catalog::ProductOrder;
use crate::locale::Locale;
use crate::money::Money;

/// Which list a page shows.
pub enum ListKind {
    All,
    OnSale,
    Search,
    Category(String),
}

impl ListKind {
    fn default_order(&self) -> ProductOrder {
        match self {
            ListKind::OnSale => ProductOrder::Discount,
            _ => ProductOrder::Newest,
        }
    }
}

/// The sort orders as the query string names them.
const SORTS: [(&str, ProductOrder); 6] = [
    ("yeni", ProductOrder::Newest),
    ("fiyat-artan", ProductOrder::PriceAsc),
    ("fiyat-azalan", ProductOrder::PriceDesc),
    ("ad", ProductOrder::Name),
    ("indirim", ProductOrder::Discount),
    ("begenilen", ProductOrder::Favorites),
];

/// What a list's address asks for.
#[derive(Clone, Default)]
pub struct ListParams {
    pub locale: Locale,
    pub search: Option<String>,
    pub on_sale: bool,
    pub in_stock: bool,
    pub price_min: Option<Money>,
    pub price_max: Option<Money>,
    sort: Option<ProductOrder>,
    /// Where the page starts (an opaque cursor from the previous page's link).
    pub after: Option<String>,
}

/// A choice in the sort menu.
#[derive(Serialize)]
pub struct SortOption {
    value: &'static str,
    label: &'static str,
    selected: bool,
}

/// The filter form's fields, filled in with what the address asked for.
#[derive(Serialize)]
pub struct Form {
    action: String,
    lang: Option<&'static str>,
    search: String,
    show_on_sale: bool,
    on_sale: bool,
    in_stock: bool,
    price_min: String,
    price_max: String,
    sorts: Vec<SortOption>,
}

impl ListParams {
    /// Reads a query string; unknown names (tracking parameters) are ignored. A bad value
    /// answers the language to show the error page in.
    pub fn parse(query: &str) -> Result<ListParams, Locale> {
        let mut params = ListParams::default();
        let mut bad = false;
        for (name, value) in url::form_urlencoded::parse(query.as_bytes()) {
            match name.as_ref() {
                "lang" => {
                    params.locale = if value == "en" {
                        Locale::En
                    } else {
                        Locale::Tr
                    }
                }
                "q" => params.search = Some(value.trim().to_owned()),
                "indirimde" => params.on_sale = value == "1",
                "stokta" => params.in_stock = value == "1",
                "min" | "max" if value.trim().is_empty() => {}
                "min" => {
                    params.price_min = Money::parse_lira(&value).or_else(|| {
                        bad = true;
                        None
                    })
                }
                "max" => {
                    params.price_max = Money::parse_lira(&value).or_else(|| {
                        bad = true;
                        None
                    })
                }
                "sirala" => match SORTS.iter().find(|(key, _)| *key == value) {
                    Some((_, order)) => params.sort = Some(*order),
                    None => bad = true,
                },
                "sonra" if !value.is_empty() => params.after = Some(value.into_owned()),
                _ => {}
            }
        }
        if bad { Err(params.locale) } else { Ok(params) }
    }

    /// The same request in another language.
    pub fn in_locale(&self, locale: Locale) -> ListParams {
        ListParams {
            locale,
            ..self.clone()
        }
    }

    /// The order to list in: the one asked for, or the list's own.
    pub fn order(&self, kind: &ListKind) -> ProductOrder {
        self.sort.unwrap_or(kind.default_order())
    }

    /// `?…` for these parameters starting after `after` ("" when there are none);
    /// defaults are left out so that every page has one address.
    pub fn query_string(&self, kind: &ListKind, after: Option<&str>) -> String {
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        if let Some(search) = self.search.as_deref().filter(|s| !s.is_empty()) {
            query.append_pair("q", search);
        }
        if self.on_sale && !matches!(kind, ListKind::OnSale) {
            query.append_pair("indirimde", "1");
        }
        if self.in_stock {
            query.append_pair("stokta", "1");
        }
        if let Some(min) = self.price_min {
            query.append_pair("min", &min.decimal());
        }
        if let Some(max) = self.price_max {
            query.append_pair("max", &max.decimal());
        }
        if let Some(sort) = self.sort.filter(|sort| *sort != kind.default_order())
            && let Some((key, _)) = SORTS.iter().find(|(_, order)| *order == sort)
        {
            query.append_pair("sirala", key);
        }
        if let Some(after) = after {
            query.append_pair("sonra", after);
        }
        if self.locale == Locale::En {
            query.append_pair("lang", "en");
        }
        let query = query.finish();
        if query.is_empty() {
            query
        } else {
            format!("?{query}")
        }
    }

    /// The filter form of the list at `path`.
    pub fn form(&self, kind: &ListKind, path: &str) -> Form {
        let t = texts(self.locale);
        let order = self.order(kind);
        let label = |order| match order {
            ProductOrder::Newest => t.sort_newest,
            ProductOrder::PriceAsc => t.sort_price_asc,
            ProductOrder::PriceDesc => t.sort_price_desc,
            ProductOrder::Name => t.sort_name,
            ProductOrder::Discount => t.sort_discount,
            ProductOrder::Favorites => t.sort_favorites,
        };
        Form {
            action: path.to_owned(),
            lang: (self.locale == Locale::En).then_some("en"),
            search: self.search.clone().unwrap_or_default(),
            show_on_sale: !matches!(kind, ListKind::OnSale),
            on_sale: self.on_sale,
            in_stock: self.in_stock,
            price_min: self.price_min.map(Money::decimal).unwrap_or_default(),
            price_max: self.price_max.map(Money::decimal).unwrap_or_default(),
            sorts: SORTS
                .iter()
                .map(|(value, o)| SortOption {
                    value,
                    label: label(*o),
                    selected: *o == order,
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_query_string_is_written_back_as_it_was_read() {
        let query = "q=kupa&indirimde=1&stokta=1&min=10.50&max=200.00&sirala=fiyat-artan&lang=en";
        let params = ListParams::parse(query).unwrap_or_default();
        assert_eq!(
            params.query_string(&ListKind::All, None),
            format!("?{query}")
        );
    }

    #[test]
    fn defaults_and_unknown_names_leave_the_address_bare() {
        let params = ListParams::parse("utm_source=x&sirala=yeni&min=").unwrap_or_default();
        assert_eq!(params.query_string(&ListKind::All, None), "");
    }

    #[test]
    fn a_bad_price_or_sort_is_a_bad_address() {
        assert!(ListParams::parse("min=abc").is_err());
        assert!(ListParams::parse("sirala=random&lang=en").is_err_and(|l| l == Locale::En));
    }
}
