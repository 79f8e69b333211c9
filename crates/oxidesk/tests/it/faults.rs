//! Under overload and faults: load shedding, and PostgreSQL going away and coming back.

mod client;
mod overload;
mod postgres;
mod webhooks;
