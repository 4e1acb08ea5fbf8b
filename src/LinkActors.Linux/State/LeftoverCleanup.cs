using LinkActors.Linux.Dns;
using LinkActors.Linux.Netlink;

namespace LinkActors.Linux.State;

/// <summary>
/// Undoes what a previous instance of a link recorded in its state file and did not undo (it crashed, or
/// was killed): deletes its interface if that interface is still there under the same name and index,
/// removes the routes it added, adds back the default routes it replaced, restores resolv.conf, and
/// deletes the state file. Every step is tried; what fails is reported, not thrown.
/// </summary>
public static class LeftoverCleanup
{
    private const int ENODEV = 19;
    private const int ESRCH = 3;
    private const int EEXIST = 17;

    /// <returns>One line per thing done or found impossible, for the log; empty when there was nothing to clean.</returns>
    /// <exception cref="InvalidDataException">The state file cannot be read; it is left for a human.</exception>
    public static IReadOnlyList<string> Run(NetworkStateJournal journal, RtNetlink netlink)
    {
        ArgumentNullException.ThrowIfNull(journal);
        ArgumentNullException.ThrowIfNull(netlink);
        var state = journal.Read();
        if (state is null)
            return [];
        var report = new List<string> { $"found {journal.Path} left by a previous instance" };
        foreach (var route in state.AddedRoutes)
            Try(report, $"removed route {route}", () => netlink.DeleteRoute(route.ToRoute()), ESRCH, ENODEV);
        if (state.Interface is { } name)
        {
            int index = 0;
            Try(report, null, () => index = netlink.GetLinkIndex(name), ENODEV);
            if (index == 0)
                report.Add($"interface {name} is already gone");
            else if (index != state.InterfaceIndex)
                report.Add($"interface {name} now has index {index}, not {state.InterfaceIndex}: someone else's, left alone");
            else
                Try(report, $"deleted interface {name}", () => netlink.DeleteLink(index), ENODEV);
        }
        foreach (var route in state.ReplacedRoutes)
            Try(report, $"restored route {route}", () => netlink.AddRoute(route.ToRoute()), EEXIST);
        if (state.ResolvConf is { } resolv)
        {
            try
            {
                ResolvConf.Restore(resolv.ToBackup());
                report.Add(resolv.PreviousContent is null ? $"removed {resolv.Path}" : $"restored {resolv.Path}");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                report.Add($"could not restore {resolv.Path}: {e.Message}");
            }
        }
        journal.Delete();
        return report;
    }

    /// <summary>Runs one step; an errno in <paramref name="alreadyDone"/> means the kernel already forgot it.</summary>
    private static void Try(List<string> report, string? done, Action step, params int[] alreadyDone)
    {
        try
        {
            step();
            if (done is not null)
                report.Add(done);
        }
        catch (NetlinkException e) when (alreadyDone.Contains(e.Errno))
        {
        }
        catch (NetlinkException e)
        {
            report.Add($"{done ?? e.Request}: not done: {e.Message}");
        }
    }
}
