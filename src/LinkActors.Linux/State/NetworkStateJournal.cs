using System.Text.Json;
using LinkActors.Linux.Files;

namespace LinkActors.Linux.State;

/// <summary>
/// The state file of one link (default /run/linkactors/LINK.json): rewritten atomically before every
/// change to the host, deleted once everything is undone. /run is emptied at boot, when the kernel has
/// forgotten the changes too.
/// </summary>
public sealed class NetworkStateJournal
{
    public const string DefaultDirectory = "/run/linkactors";

    private static readonly JsonSerializerOptions s_json = new() { WriteIndented = true };

    public NetworkStateJournal(string directory, string link)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentException.ThrowIfNullOrEmpty(link);
        Link = link;
        var safe = string.Concat(link.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_'));
        Path = System.IO.Path.Combine(directory, $"{safe}.json");
    }

    public string Link { get; }

    public string Path { get; }

    /// <summary>What a previous instance recorded; null when there is no state file.</summary>
    /// <exception cref="InvalidDataException">The file is not a state file (it is left in place for a human).</exception>
    public NetworkState? Read()
    {
        if (!File.Exists(Path))
            return null;
        try
        {
            return JsonSerializer.Deserialize<NetworkState>(File.ReadAllText(Path), s_json)
                ?? throw new InvalidDataException($"{Path} holds no state");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{Path} is not a LinkActors state file: {e.Message}", e);
        }
    }

    public void Write(NetworkState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        // A directory only we can write to: nobody can swap the file between our write and our rename.
        SafeFile.EnsurePrivateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        AtomicFile.Write(Path, JsonSerializer.Serialize(state, s_json));
    }

    public void Delete() => File.Delete(Path);
}
