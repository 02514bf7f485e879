"""Services of allocation, one module per workflow: packages (packages, schemes, allocation runs, Scheme
Orders), business_cases (optimisation business cases), minor_changes (minor post-allocation changes), lot1 (the
client taking Lot 1), membership (membership changes), periodic (Periodic Instructions for the PMP). Import each
name from the module that defines it."""
