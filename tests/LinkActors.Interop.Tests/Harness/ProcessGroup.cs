using System.Globalization;
using System.Runtime.InteropServices;

namespace LinkActors.Interop.Tests.Harness;

/// <summary>
/// Ends a process group: the socat started under setsid leads one, and user-mode-linux's kernel and
/// its helper processes stay in it, so signalling the group reaches every process the run started.
/// </summary>
internal static partial class ProcessGroup
{
    private const int SigKill = 9;
    private const int SigTerm = 15;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    public static void Terminate(int groupId) => Kill(-groupId, SigTerm);

    public static void KillAll(int groupId) => Kill(-groupId, SigKill);

    /// <summary>Whether any process still belongs to the group (read from /proc: field 5 of stat is the group).</summary>
    public static bool IsAlive(int groupId)
    {
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out _))
                continue;
            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(directory, "stat"));
            }
            catch (IOException)
            {
                continue;
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }
            // The command name in parentheses may hold spaces: count fields after its closing parenthesis.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            // fields[0] is the state: a zombie has already ended and only waits for its parent.
            if (fields.Length > 2 && fields[0] != "Z" && fields[2] == groupId.ToString(CultureInfo.InvariantCulture))
                return true;
        }
        return false;
    }
}
