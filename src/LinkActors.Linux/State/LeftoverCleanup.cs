using LinkActors.Linux.Netlink;

namespace LinkActors.Linux.State;

/// <summary>
/// Undoes what a previous instance of a link recorded in its state file and did not undo (it crashed, or
/// was killed), through <see cref="HostUndo"/>, the same code a running link undoes with: removes the
/// routes it added, deletes its interface if that interface is still there under the same name and index,
/// adds back the default routes it replaced, restores resolv.conf, and deletes the state file. Every step
/// is tried; what fails is reported, not thrown.
/// </summary>
public static class LeftoverCleanup
{
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
        HostUndo.Replay(state, netlink, deleteInterface: true, step => report.Add(step.Text));
        journal.Delete();
        return report;
    }
}
