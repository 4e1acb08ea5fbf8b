using System.Text;
using LinkActors.Linux.Files;

namespace LinkActors.Linux.State;

/// <summary>Replaces a file in one step: write a temporary file beside it, flush it to disk, rename it over.</summary>
internal static class AtomicFile
{
    public static void Write(string path, string content, UnixFileMode mode = SafeFile.OwnerOnly)
    {
        var temporary = $"{path}.{Environment.ProcessId}.tmp";
        try
        {
            // Created fresh and private (0600, O_CREAT|O_EXCL): a link planted at the temporary name is not followed.
            using (var stream = SafeFile.CreateTemporary(temporary, mode))
            {
                stream.Write(Encoding.UTF8.GetBytes(content));
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }
}
