using LinkActors.Linux.Dns;
using LinkActors.Linux.Interop;
using LinkActors.Linux.Netlink;

namespace LinkActors.Linux.State;

/// <summary>One step of an undo: what it was, and whether it could not be done.</summary>
public readonly record struct UndoStep(string Text, bool Failed);

/// <summary>
/// The one way a link's host changes are taken back, from what its <see cref="NetworkState"/> recorded:
/// by the route actor on the way down (its own journal) and by the next start after a crash
/// (<see cref="LeftoverCleanup"/>). Steps run in a fixed order: the routes we added are removed, the
/// interface is deleted (crash cleanup only: a running link's interface belongs to its TUN actor), the
/// default routes we replaced are added back, resolv.conf is restored. Every step is tried; an errno that
/// means the kernel already forgot the change counts as done.
/// </summary>
public static class HostUndo
{
    /// <param name="deleteInterface">Also delete the recorded interface when it still has the recorded index.</param>
    /// <param name="report">Each step done or failed, in order (a step already done by the kernel is not reported).</param>
    /// <returns>What is still recorded because it could not be undone; <see cref="NetworkState.IsEmpty"/>
    /// apart from the interface when everything was.</returns>
    public static NetworkState Replay(NetworkState state, RtNetlink netlink, bool deleteInterface, Action<UndoStep> report)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(netlink);
        ArgumentNullException.ThrowIfNull(report);
        var added = state.AddedRoutes.Where(route =>
            !Step(report, $"removed route {route}", () => netlink.DeleteRoute(route.ToRoute()), Errno.ESRCH, Errno.ENODEV)).ToList();
        if (deleteInterface && state.Interface is { } name)
            DeleteInterface(name, state.InterfaceIndex, netlink, report);
        var replaced = state.ReplacedRoutes.Where(route =>
            !Step(report, $"restored route {route}", () => netlink.AddRoute(route.ToRoute()), Errno.EEXIST)).ToList();
        var resolv = state.ResolvConf;
        if (state.ResolvConf is { } saved)
        {
            try
            {
                ResolvConf.Restore(saved.ToBackup());
                report(new UndoStep(saved.PreviousContent is null ? $"removed {saved.Path}" : $"restored {saved.Path}", false));
                resolv = null;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                report(new UndoStep($"could not restore {saved.Path}: {e.Message}", true));
            }
        }
        return state with { AddedRoutes = added, ReplacedRoutes = replaced, ResolvConf = resolv };
    }

    private static void DeleteInterface(string name, int recordedIndex, RtNetlink netlink, Action<UndoStep> report)
    {
        int index = 0;
        Step(report, null, () => index = netlink.GetLinkIndex(name), Errno.ENODEV);
        if (index == 0)
            report(new UndoStep($"interface {name} is already gone", false));
        else if (index != recordedIndex)
            report(new UndoStep($"interface {name} now has index {index}, not {recordedIndex}: someone else's, left alone", false));
        else
            Step(report, $"deleted interface {name}", () => netlink.DeleteLink(index), Errno.ENODEV);
    }

    /// <returns>false when the step failed.</returns>
    private static bool Step(Action<UndoStep> report, string? done, Action step, params int[] alreadyDone)
    {
        try
        {
            step();
            if (done is not null)
                report(new UndoStep(done, false));
            return true;
        }
        catch (NetlinkException e) when (alreadyDone.Contains(e.Errno))
        {
            return true;
        }
        catch (NetlinkException e)
        {
            report(new UndoStep($"{done ?? e.Request}: not done: {e.Message}", true));
            return false;
        }
    }
}
