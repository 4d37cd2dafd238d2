//! Request counts and latencies in the Prometheus text format, kept in memory.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Mutex;
use std::time::Duration;

/// Upper bounds (seconds) of the latency histogram buckets.
const BUCKETS: [f64; 11] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];
/// Operation names are chosen by clients: past this many, new names are counted as "other".
const MAX_OPERATIONS: usize = 200;

#[derive(Default)]
struct Histogram {
    count: u64,
    sum: f64,
    buckets: [u64; BUCKETS.len()],
}

impl Histogram {
    fn observe(&mut self, seconds: f64) {
        self.count += 1;
        self.sum += seconds;
        for (bound, n) in BUCKETS.iter().zip(self.buckets.iter_mut()) {
            if seconds <= *bound {
                *n += 1;
            }
        }
    }
}

/// The server's counters.
#[derive(Default)]
pub struct Metrics {
    graphql: Mutex<BTreeMap<(String, &'static str), Histogram>>,
    http: Mutex<BTreeMap<(String, u16), u64>>,
}

impl Metrics {
    /// Records one GraphQL operation (query, mutation or subscription start).
    pub fn observe_graphql(&self, operation: &str, outcome: &'static str, elapsed: Duration) {
        let mut map = self.graphql.lock().unwrap_or_else(|e| e.into_inner());
        let valid = !operation.is_empty()
            && operation.len() <= 64
            && operation
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_');
        let known = map.keys().any(|(op, _)| op == operation);
        let name = if valid && (known || map.len() < MAX_OPERATIONS) {
            operation
        } else {
            "other"
        };
        map.entry((name.to_owned(), outcome))
            .or_default()
            .observe(elapsed.as_secs_f64());
    }

    /// Records one HTTP response by route.
    pub fn observe_http(&self, route: &str, status: u16) {
        let mut map = self.http.lock().unwrap_or_else(|e| e.into_inner());
        *map.entry((route.to_owned(), status)).or_default() += 1;
    }

    /// The Prometheus exposition text.
    pub fn render(&self) -> String {
        let mut out = String::new();
        out.push_str(
            "# HELP vitrin_graphql_requests_total GraphQL operations by name and outcome.\n",
        );
        out.push_str("# TYPE vitrin_graphql_requests_total counter\n");
        let graphql = self.graphql.lock().unwrap_or_else(|e| e.into_inner());
        for ((op, outcome), h) in graphql.iter() {
            let _ = writeln!(
                out,
                "vitrin_graphql_requests_total{{operation=\"{op}\",outcome=\"{outcome}\"}} {}",
                h.count
            );
        }
        out.push_str("# HELP vitrin_graphql_request_duration_seconds GraphQL operation latency.\n");
        out.push_str("# TYPE vitrin_graphql_request_duration_seconds histogram\n");
        for ((op, outcome), h) in graphql.iter() {
            let labels = format!("operation=\"{op}\",outcome=\"{outcome}\"");
            for (bound, n) in BUCKETS.iter().zip(h.buckets.iter()) {
                let _ = writeln!(
                    out,
                    "vitrin_graphql_request_duration_seconds_bucket{{{labels},le=\"{bound}\"}} {n}"
                );
            }
            let _ = writeln!(
                out,
                "vitrin_graphql_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {}",
                h.count
            );
            let _ = writeln!(
                out,
                "vitrin_graphql_request_duration_seconds_sum{{{labels}}} {}",
                h.sum
            );
            let _ = writeln!(
                out,
                "vitrin_graphql_request_duration_seconds_count{{{labels}}} {}",
                h.count
            );
        }
        drop(graphql);
        out.push_str("# HELP vitrin_http_responses_total HTTP responses by route and status.\n");
        out.push_str("# TYPE vitrin_http_responses_total counter\n");
        for ((route, status), n) in self.http.lock().unwrap_or_else(|e| e.into_inner()).iter() {
            let _ = writeln!(
                out,
                "vitrin_http_responses_total{{route=\"{route}\",status=\"{status}\"}} {n}"
            );
        }
        out
    }
}

/// Appends one counter family with a single value to exposition `text`.
pub fn counter(text: &mut String, name: &str, help: &str, value: u64) {
    let _ = writeln!(text, "# HELP {name} {help}");
    let _ = writeln!(text, "# TYPE {name} counter");
    let _ = writeln!(text, "{name} {value}");
}

/// Appends one gauge family with a value per `label` value to exposition `text`.
pub fn gauges(text: &mut String, name: &str, help: &str, label: &str, values: &[(&str, i64)]) {
    let _ = writeln!(text, "# HELP {name} {help}");
    let _ = writeln!(text, "# TYPE {name} gauge");
    for (value_label, value) in values {
        let _ = writeln!(text, "{name}{{{label}=\"{value_label}\"}} {value}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_counts_and_cumulative_buckets() {
        let m = Metrics::default();
        m.observe_graphql("Me", "ok", Duration::from_millis(3));
        m.observe_graphql("Me", "ok", Duration::from_millis(30));
        m.observe_graphql("bad name\"}", "error", Duration::from_millis(1));
        let text = m.render();
        assert!(text.contains("vitrin_graphql_requests_total{operation=\"Me\",outcome=\"ok\"} 2"));
        assert!(text.contains("operation=\"Me\",outcome=\"ok\",le=\"0.005\"} 1"));
        assert!(text.contains("operation=\"Me\",outcome=\"ok\",le=\"0.05\"} 2"));
        assert!(text.contains("operation=\"other\",outcome=\"error\""));
        assert!(!text.contains("bad name"));
    }
}
