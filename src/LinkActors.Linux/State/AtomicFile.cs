using System.Text;

namespace LinkActors.Linux.State;

/// <summary>Replaces a file in one step: write a temporary file beside it, flush it to disk, rename it over.</summary>
internal static class AtomicFile
{
    public static void Write(string path, string content)
    {
        var temporary = $"{path}.{Environment.ProcessId}.tmp";
        try
        {
            using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
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
