//! The arithmetic of a cart and an order, in kuruş: line totals, a coupon's discount
//! shared over the lines it applies to, shipping, and the VAT the prices include. Pure
//! functions: the cart shows and checkout charges the same numbers.

use crate::money::Money;

/// The VAT rate the shipping fee and the payment fee include (KDV on services).
pub const SERVICE_VAT_RATE: i64 = 20;

/// A line as it is priced now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PricedLine {
    pub unit_price: Money,
    pub quantity: i32,
    pub vat_rate: i32,
    /// Whether the coupon applies to this line.
    pub eligible: bool,
}

impl PricedLine {
    /// Unit price times quantity.
    pub fn total(&self) -> Money {
        Money::from_kurus(self.unit_price.kurus() * i64::from(self.quantity))
    }
}

/// What a coupon takes off, when it applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Deal {
    #[default]
    None,
    /// A percentage (1–100) of the eligible lines.
    Percent(i64),
    /// An amount, at most the eligible lines' total.
    Fixed(Money),
    /// No shipping fee.
    FreeShipping,
}

/// The shop's shipping terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Shipping {
    pub fee: Money,
    /// Orders of at least this much (after the discount) ship free.
    pub free_from: Option<Money>,
}

/// Every amount of a cart or an order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Totals {
    pub subtotal: Money,
    pub discount: Money,
    pub shipping: Money,
    pub payment_fee: Money,
    pub total: Money,
    pub vat_included: Money,
    /// Each line's share of the discount, in the lines' order.
    pub line_discounts: Vec<Money>,
    /// The VAT each line's price (after its discount) includes.
    pub line_vat: Vec<Money>,
}

/// Prices `lines` with `deal`, `shipping` and a payment fee. Amounts stay far below
/// `i64::MAX` (a line is at most 20 × 10,000,000 ₺, a cart at most 50 lines).
pub fn totals(lines: &[PricedLine], deal: Deal, shipping: Shipping, payment_fee: Money) -> Totals {
    let subtotal: i64 = lines.iter().map(|l| l.total().kurus()).sum();
    let eligible: i64 = lines
        .iter()
        .filter(|l| l.eligible)
        .map(|l| l.total().kurus())
        .sum();
    let discount = match deal {
        Deal::None | Deal::FreeShipping => 0,
        Deal::Percent(percent) => Money::from_kurus(eligible)
            .percent(percent.clamp(0, 100))
            .map_or(0, Money::kurus)
            .min(eligible),
        Deal::Fixed(amount) => amount.kurus().clamp(0, eligible),
    };
    let line_discounts = share(lines, discount, eligible);
    let shipping_fee = if lines.is_empty()
        || deal == Deal::FreeShipping
        || shipping
            .free_from
            .is_some_and(|from| subtotal - discount >= from.kurus())
    {
        0
    } else {
        shipping.fee.kurus()
    };
    let line_vat: Vec<Money> = lines
        .iter()
        .zip(&line_discounts)
        .map(|(line, off)| {
            Money::from_kurus(vat_in(
                line.total().kurus() - off.kurus(),
                line.vat_rate.into(),
            ))
        })
        .collect();
    let vat_included = line_vat.iter().map(|v| v.kurus()).sum::<i64>()
        + vat_in(shipping_fee + payment_fee.kurus(), SERVICE_VAT_RATE);
    Totals {
        subtotal: Money::from_kurus(subtotal),
        discount: Money::from_kurus(discount),
        shipping: Money::from_kurus(shipping_fee),
        payment_fee,
        total: Money::from_kurus(subtotal - discount + shipping_fee + payment_fee.kurus()),
        vat_included: Money::from_kurus(vat_included),
        line_discounts,
        line_vat,
    }
}

/// Shares `discount` over the eligible lines in proportion to their totals; the kuruş
/// left by rounding down go to the largest remainders, so the shares add up exactly.
fn share(lines: &[PricedLine], discount: i64, eligible: i64) -> Vec<Money> {
    let mut shares = vec![0_i64; lines.len()];
    if discount <= 0 || eligible <= 0 {
        return shares.into_iter().map(Money::from_kurus).collect();
    }
    let mut remainders = Vec::new();
    for (i, line) in lines.iter().enumerate().filter(|(_, l)| l.eligible) {
        let exact = i128::from(discount) * i128::from(line.total().kurus());
        let whole = exact / i128::from(eligible);
        shares[i] = i64::try_from(whole).unwrap_or(0);
        remainders.push((exact % i128::from(eligible), i));
    }
    let left = discount - shares.iter().sum::<i64>();
    remainders.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for (_, i) in remainders
        .into_iter()
        .take(usize::try_from(left).unwrap_or(0))
    {
        shares[i] += 1;
    }
    shares.into_iter().map(Money::from_kurus).collect()
}

/// The VAT a price of `gross` kuruş includes at `rate` %, to the nearest kuruş.
fn vat_in(gross: i64, rate: i64) -> i64 {
    if gross <= 0 || rate <= 0 {
        return 0;
    }
    let scaled = i128::from(gross) * i128::from(rate);
    let divisor = i128::from(100 + rate);
    i64::try_from((scaled * 2 + divisor) / (divisor * 2)).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(kurus: i64, quantity: i32, vat_rate: i32, eligible: bool) -> PricedLine {
        PricedLine {
            unit_price: Money::from_kurus(kurus),
            quantity,
            vat_rate,
            eligible,
        }
    }

    const FLAT: Shipping = Shipping {
        fee: Money::from_kurus(4_990),
        free_from: Some(Money::from_kurus(50_000)),
    };

    #[test]
    fn a_cart_below_the_threshold_pays_shipping_and_its_vat_is_included() {
        let t = totals(&[line(12_000, 2, 20, true)], Deal::None, FLAT, Money::ZERO);
        assert_eq!(t.subtotal.kurus(), 24_000);
        assert_eq!(t.shipping.kurus(), 4_990);
        assert_eq!(t.total.kurus(), 28_990);
        // 24,000 × 20/120 = 4,000; 4,990 × 20/120 = 831.67
        assert_eq!(t.vat_included.kurus(), 4_000 + 832);
    }

    #[test]
    fn the_threshold_counts_after_the_discount() {
        let lines = [line(50_000, 1, 20, true)];
        assert_eq!(
            totals(&lines, Deal::None, FLAT, Money::ZERO)
                .shipping
                .kurus(),
            0
        );
        let t = totals(&lines, Deal::Percent(10), FLAT, Money::ZERO);
        assert_eq!(t.discount.kurus(), 5_000);
        assert_eq!(
            t.shipping.kurus(),
            4_990,
            "45,000 after the discount is below 50,000"
        );
    }

    #[test]
    fn a_limited_coupon_discounts_only_its_lines_and_the_shares_add_up() {
        let lines = [
            line(3_333, 1, 20, true),
            line(6_667, 1, 10, true),
            line(10_000, 1, 20, false),
        ];
        let t = totals(
            &lines,
            Deal::Fixed(Money::from_kurus(1_001)),
            FLAT,
            Money::ZERO,
        );
        assert_eq!(t.discount.kurus(), 1_001);
        let shares: Vec<i64> = t.line_discounts.iter().map(|m| m.kurus()).collect();
        assert_eq!(shares.iter().sum::<i64>(), 1_001);
        assert_eq!(
            shares[2], 0,
            "the line the coupon is not for keeps its price"
        );
        assert_eq!(shares, vec![334, 667, 0]);
    }

    #[test]
    fn a_total_is_never_negative() {
        let lines = [line(1_000, 1, 20, true), line(9_000, 1, 20, false)];
        let fixed = totals(
            &lines,
            Deal::Fixed(Money::from_kurus(50_000)),
            FLAT,
            Money::ZERO,
        );
        assert_eq!(
            fixed.discount.kurus(),
            1_000,
            "capped at the eligible lines"
        );
        let full = totals(
            &[line(1_000, 3, 20, true)],
            Deal::Percent(100),
            FLAT,
            Money::ZERO,
        );
        assert_eq!(full.discount.kurus(), 3_000);
        assert_eq!(full.total.kurus(), 4_990, "only shipping is left");
        let over = totals(
            &[line(1_000, 1, 20, true)],
            Deal::Percent(150),
            FLAT,
            Money::ZERO,
        );
        assert_eq!(
            over.discount.kurus(),
            1_000,
            "a percent above 100 counts as 100"
        );
    }

    #[test]
    fn free_shipping_and_the_payment_fee() {
        let lines = [line(1_000, 1, 20, true)];
        let t = totals(&lines, Deal::FreeShipping, FLAT, Money::from_kurus(1_500));
        assert_eq!((t.discount.kurus(), t.shipping.kurus()), (0, 0));
        assert_eq!(t.total.kurus(), 2_500);
    }

    #[test]
    fn an_empty_cart_costs_nothing() {
        let t = totals(&[], Deal::None, FLAT, Money::ZERO);
        assert_eq!(t.total, Money::ZERO);
        assert_eq!(t.vat_included, Money::ZERO);
    }
}
