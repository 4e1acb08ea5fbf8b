using Akka.Event;

namespace LinkActors.Host.Demo;

/// <summary>
/// Holds back the per-packet IP data trace while the demo's transfer runs (thousands of lines), and says
/// how many lines it held back. The ping before it keeps its trace: that part is worth reading.
/// </summary>
internal sealed class TransferTrace(DataTrace trace, LogBarrier barrier, ILoggingAdapter log)
{
    public Task BeginAsync() => trace.HideAsync(barrier, log, "transfer starting: its per-packet IP data trace is held back");

    public async Task EndAsync(TextWriter output)
    {
        long held = await trace.ShowAsync(barrier, log).ConfigureAwait(false);
        output.WriteLine($"transfer: {held} lines of per-packet IP data trace held back (`linkactors run --debug` shows every packet)");
    }
}
