//! E-way bills: the canonical document, NIC's EWB JSON and the payloads of the actions on a bill.
