using System.Net;
using System.Text;
using LinkActors.Linux.Files;
using LinkActors.Linux.State;

namespace LinkActors.Linux.Dns;

/// <summary>What a resolv.conf path held before the link wrote it, so that teardown puts it back exactly.</summary>
/// <param name="Path">The file the link writes (pppd: /etc/ppp/resolv.conf).</param>
/// <param name="PreviousContent">Its content before, or null when it did not exist.</param>
/// <param name="CreatedDirectory">The directory did not exist and was created for the file; removed again when empty.</param>
public sealed record ResolvConfBackup(string Path, string? PreviousContent, bool CreatedDirectory)
{
    public override string ToString() =>
        $"ResolvConfBackup {{ Path = {Path}, PreviousContent = {(PreviousContent is null ? "none" : $"{PreviousContent.Length} chars")}, CreatedDirectory = {CreatedDirectory} }}";
}

/// <summary>
/// The DNS servers the peer gave (pppd `usepeerdns`, RFC 1877 §1.1 and §1.3) written as pppd writes them:
/// one "nameserver" line each, to a file of the link's own (the system resolver is pointed at it by the
/// distribution's ip-up hooks, not here). Writes are atomic (temporary file, then rename).
/// </summary>
public static class ResolvConf
{
    public const string DefaultPath = "/etc/ppp/resolv.conf";

    public static string Render(IPAddress? dns1, IPAddress? dns2)
    {
        var text = new StringBuilder();
        foreach (var server in new[] { dns1, dns2 })
            if (server is not null && !server.Equals(IPAddress.Any))
                text.Append("nameserver ").Append(server).Append('\n');
        return text.ToString();
    }

    /// <summary>Reads what is there now, before anything is written.</summary>
    public static ResolvConfBackup Capture(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!;
        return new ResolvConfBackup(path, File.Exists(path) ? File.ReadAllText(path) : null, !Directory.Exists(directory));
    }

    public static void Write(string path, string content)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        AtomicFile.Write(full, content, SafeFile.PublicRead);
    }

    /// <summary>Puts back what <paramref name="backup"/> saw: the old content, or no file (and no directory we created).</summary>
    public static void Restore(ResolvConfBackup backup)
    {
        ArgumentNullException.ThrowIfNull(backup);
        var full = System.IO.Path.GetFullPath(backup.Path);
        if (backup.PreviousContent is { } previous)
        {
            AtomicFile.Write(full, previous, SafeFile.PublicRead);
            return;
        }
        File.Delete(full);
        var directory = System.IO.Path.GetDirectoryName(full)!;
        if (backup.CreatedDirectory && Directory.Exists(directory) && !Directory.EnumerateFileSystemEntries(directory).Any())
            Directory.Delete(directory);
    }
}
