using LinkActors.Host.Management;

namespace LinkActors.Host.Doctor;

/// <summary>Gathers a link's <see cref="DoctorFacts"/> from a running daemon: its status and events, and its
/// status again after <c>sample</c>, so that the doctor can see whether traffic flows each way.</summary>
public static class DoctorFactsReader
{
    public static async Task<(DoctorFacts? Facts, ErrorView? Error)> ReadAsync(ManagementClient client, string link, TimeSpan sample, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(client);
        var first = await client.LinkAsync(link, cancel).ConfigureAwait(false);
        if (!first.Ok)
            return (null, first.Error ?? new ErrorView($"HTTP {first.Status}", link));
        var view = first.Value!;
        TrafficView? earlier = null;
        if (sample > TimeSpan.Zero && view.IsUp)
        {
            await Task.Delay(sample, cancel).ConfigureAwait(false);
            var second = await client.LinkAsync(link, cancel).ConfigureAwait(false);
            if (second.Ok && second.Value!.Attempts == view.Attempts)
            {
                earlier = view.Traffic;
                view = second.Value;
            }
        }
        var events = await client.EventsAsync(link, 0, cancel).ConfigureAwait(false);
        return (new DoctorFacts(view, events.Value?.Events ?? [], earlier, earlier is null ? null : sample), null);
    }
}
