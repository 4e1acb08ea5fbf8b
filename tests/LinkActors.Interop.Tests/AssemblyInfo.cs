// Every test boots a user-mode-linux guest: one at a time keeps the machine's load sane and the timings honest.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

// pppd runs in user-mode-linux, which exists only on Linux hosts.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
