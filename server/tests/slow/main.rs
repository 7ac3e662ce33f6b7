//! The slow, process-level tests: database outages and restarts, many servers on one database,
//! two real processes, the embedded cluster, read replicas, fuzzing the router with 10,000
//! inputs, and load. `make test` runs them; `make test-fast` leaves them out.

#[path = "../common/helpers.rs"]
#[expect(dead_code, unused_imports, reason = "the helpers of every HTTP test; this target uses a few")]
mod helpers;
#[path = "../common/processes.rs"]
mod processes;

mod embedded;
mod fuzz;
mod fuzz_cases;
mod load;
mod outage;
mod read_replicas;
mod scale_out;
