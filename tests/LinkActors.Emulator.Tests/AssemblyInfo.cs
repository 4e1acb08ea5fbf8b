// Timing tests (guard time, baud limit, latency) measure wall-clock time: run them one at a time so a
// busy machine's other tests do not skew them.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
