using Akka.Event;
using Serilog.Core;
using Serilog.Events;

namespace LinkActors.Host;

/// <summary>
/// Akka's log events reach Serilog through a logger actor's mailbox; the actor system stops that
/// actor when it terminates, and whatever is still queued is lost. A daemon that exits right after a
/// failure would lose exactly the lines that explain it. The barrier is a Serilog sink that sees every
/// event: the daemon logs one last line (its exit reason) and waits until that line has been written,
/// which the mailbox's order guarantees means every line before it was written too.
/// </summary>
public sealed class LogBarrier : ILogEventSink
{
    private readonly Lock _gate = new();
    private readonly List<(string Marker, TaskCompletionSource Written)> _waiting = [];

    public void Emit(Serilog.Events.LogEvent logEvent)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        lock (_gate)
        {
            if (_waiting.Count == 0)
                return;
            string text = logEvent.RenderMessage();
            for (int i = _waiting.Count - 1; i >= 0; i--)
            {
                if (!text.Contains(_waiting[i].Marker, StringComparison.Ordinal))
                    continue;
                _waiting[i].Written.TrySetResult();
                _waiting.RemoveAt(i);
            }
        }
    }

    /// <summary>A task that completes once a message containing <paramref name="marker"/> has been written.
    /// Call before logging the message.</summary>
    public Task WhenWritten(string marker)
    {
        ArgumentException.ThrowIfNullOrEmpty(marker);
        var written = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
            _waiting.Add((marker, written));
        return written.Task;
    }

    /// <summary>Logs <paramref name="message"/> through <paramref name="log"/> and waits, at most
    /// <paramref name="timeout"/>, until it (and so everything logged before it) has been written.</summary>
    public async Task LogAndFlushAsync(ILoggingAdapter log, string message, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(log);
        var written = WhenWritten(message);
        log.Info(message);
        await Task.WhenAny(written, Task.Delay(timeout)).ConfigureAwait(false);
    }
}
