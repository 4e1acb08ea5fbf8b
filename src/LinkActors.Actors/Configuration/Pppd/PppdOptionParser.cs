namespace LinkActors.Actors.Configuration.Pppd;

/// <summary>
/// Reads pppd's options the way pppd does: /etc/ppp/options, then ~/.ppprc, then the command line,
/// where <c>call NAME</c> reads /etc/ppp/peers/NAME and <c>file F</c> reads F at the point they
/// appear; then /etc/ppp/options.TTY for the device chosen. Every option keeps its file and line.
/// </summary>
/// <remarks>
/// pppd gives options from the command line (and the files it calls) priority over the per-device
/// file for most options; they are put in that order here, so the last one given wins as in pppd.
/// Errors are <see cref="PppdConfigurationException"/>s naming the file and line.
/// </remarks>
public sealed class PppdOptionParser(PppdEnvironment environment)
{
    /// <summary>pppd has no limit and recurses until it crashes; a loop of includes gets a clear error here.</summary>
    private const int MaxIncludeDepth = 16;

    /// <summary><c>pppd call NAME [more options]</c>: what <c>linkactors call NAME</c> reads.</summary>
    public PppdOptionSet ParseCall(string peerName, IReadOnlyList<string>? moreOptions = null)
    {
        ArgumentNullException.ThrowIfNull(peerName);
        return Parse(["call", peerName, .. moreOptions ?? []]);
    }

    /// <summary>pppd's whole reading order for a command line such as <c>call NAME debug</c>.</summary>
    public PppdOptionSet Parse(IReadOnlyList<string> commandLine)
    {
        ArgumentNullException.ThrowIfNull(commandLine);
        var reader = new Reader(environment);
        var system = reader.ReadFile(PppdEnvironment.SystemOptionsPath, mustExist: false, includedFrom: null, depth: 0);
        var user = environment.HomeDirectory is { Length: > 0 } home
            ? reader.ReadFile(home.TrimEnd('/') + "/" + PppdEnvironment.UserOptionsName, mustExist: false, includedFrom: null, depth: 0)
            : [];
        var command = reader.ReadWords(commandLine.Select(w => (w, PppdSource.CommandLine)).ToList(), depth: 0);

        var device = system.Concat(user).Concat(command).LastOrDefault(o => o.Spec.Canonical is PppdOptionSpec.DeviceName);
        var tty = device is null ? [] : TtyOptionsFile(DevicePath(device.Name)) is { } ttyFile
            ? reader.ReadFile(ttyFile, mustExist: false, includedFrom: null, depth: 0)
            : [];
        return new PppdOptionSet([.. system, .. user, .. tty, .. command], reader.FilesRead);
    }

    /// <summary>The options of one file and the files it includes.</summary>
    public IReadOnlyList<PppdOption> ParseFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return new Reader(environment).ReadFile(PppdEnvironment.Absolute(path), mustExist: true, includedFrom: null, depth: 0);
    }

    /// <summary>pppd's device name: a bare name is under /dev.</summary>
    public static string DevicePath(string word) => word.StartsWith('/') ? word : "/dev/" + word;

    /// <summary>/etc/ppp/options.ttyS0 for /dev/ttyS0 (slashes below /dev become dots); none for /dev/tty.</summary>
    private static string? TtyOptionsFile(string devicePath)
    {
        string name = devicePath.StartsWith("/dev/", StringComparison.Ordinal) ? devicePath[5..] : devicePath.TrimStart('/');
        return name is "" or "tty" ? null : PppdEnvironment.TtyOptionsPrefix + name.Replace('/', '.');
    }

    private sealed class Reader(PppdEnvironment environment)
    {
        private readonly List<string> _filesRead = [];
        private bool _pluginSeen;

        public IReadOnlyList<string> FilesRead => _filesRead;

        public List<PppdOption> ReadFile(string path, bool mustExist, PppdOption? includedFrom, int depth)
        {
            // A file that cannot be read is reported where it was asked for, or as itself when pppd reads it unasked.
            var where = includedFrom?.Source ?? new PppdSource(path, 0);
            string prefix = includedFrom is null ? "" : $"{includedFrom.Name} {includedFrom.Argument}: ";
            if (depth > MaxIncludeDepth)
                throw new PppdConfigurationException(where, $"{prefix}options files include one another more than {MaxIncludeDepth} deep (a loop?)");
            string resolved = environment.Resolve(path);
            if (Directory.Exists(resolved))
                throw new PppdConfigurationException(where, $"{prefix}cannot read options file {path}: it is a directory");
            if (!File.Exists(resolved))
            {
                if (!mustExist)
                    return [];
                throw new PppdConfigurationException(where, $"{prefix}cannot open options file {path}: no such file");
            }
            string text;
            try
            {
                text = File.ReadAllText(resolved);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new PppdConfigurationException(where, $"{prefix}cannot read options file {path}: {e.Message}");
            }
            _filesRead.Add(path);
            var words = PppdWordReader.Read(text, path).Select(w => (w.Text, new PppdSource(path, w.Line))).ToList();
            return ReadWords(words, depth);
        }

        public List<PppdOption> ReadWords(IReadOnlyList<(string Text, PppdSource Source)> words, int depth)
        {
            var options = new List<PppdOption>();
            for (int i = 0; i < words.Count; i++)
            {
                var (name, source) = words[i];
                var spec = PppdOptionTable.Find(name) ?? Wild(name)
                    ?? (_pluginSeen ? PppdOptionTable.PluginOption(name) : throw new PppdConfigurationException(source, $"unrecognized option '{name}'"));
                if (i + spec.Arguments >= words.Count)
                {
                    string end = source.Line > 0 ? "the file ends before its argument" : "the command line ends before its argument";
                    throw new PppdConfigurationException(source, $"too few parameters for option '{name}' ({end})");
                }
                var arguments = words.Skip(i + 1).Take(spec.Arguments).Select(w => w.Text).ToList();
                i += spec.Arguments;
                var option = new PppdOption(spec, name, arguments, source);
                options.Add(option);
                switch (spec.Canonical)
                {
                    case "file":
                        options.AddRange(ReadFile(PppdEnvironment.Absolute(arguments[0]), mustExist: true, option, depth + 1));
                        break;
                    case "call":
                        options.AddRange(ReadFile(PeersFile(option), mustExist: true, option, depth + 1));
                        break;
                    case "plugin":
                        _pluginSeen = true;
                        break;
                }
            }
            return options;
        }

        /// <summary>As pppd: the name may not start with '/' nor contain a ".." component, so it stays in the peers directory.</summary>
        private static string PeersFile(PppdOption call)
        {
            string name = call.Arguments[0];
            bool escapes = name.Length == 0 || name.StartsWith('/') || name.Split('/').Any(part => part == "..");
            if (escapes)
                throw new PppdConfigurationException(call.Source, $"call {PppdQuoting.Quote(name)}: the name may not be empty, start with / or contain ..");
            return PppdEnvironment.PeersDirectory + name;
        }

        /// <summary>
        /// A device, a speed or an address pair. pppd takes a device only if it exists; LinkActors
        /// waits for a device to appear (a USB modem plugged in later), so any /dev path is one, and
        /// a bare name is one if it starts with "tty" or exists in /dev.
        /// </summary>
        private PppdOptionSpec? Wild(string word)
        {
            if (word.Length == 0)
                return null;
            if (word.StartsWith("/dev/", StringComparison.Ordinal))
                return PppdOptionTable.Device;
            if (word.StartsWith('/'))
            {
                // Outside /dev (a pty link under /run, say) the path must exist, or a stray word would become the device.
                return File.Exists(environment.Resolve(word)) ? PppdOptionTable.Device : null;
            }
            if (!word.Contains('/', StringComparison.Ordinal) && !word.Contains(':', StringComparison.Ordinal)
                && (word.StartsWith("tty", StringComparison.Ordinal) || Path.Exists(environment.Resolve("/dev/" + word))))
                return PppdOptionTable.Device;
            if (word.All(char.IsAsciiDigit) && word.Any(c => c != '0'))
                return PppdOptionTable.Speed;
            if (word.Contains(':', StringComparison.Ordinal))
                return PppdOptionTable.Addresses;
            return null;
        }
    }
}
