using System.Buffers.Binary;
using System.Globalization;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using LinkActors.Linux.Files;

namespace LinkActors.Host.Management;

/// <summary>
/// The control socket: the management endpoint on a Unix domain socket in the daemon's runtime
/// directory (systemd's RUNTIME_DIRECTORY, /run/linkactors), mode 0660 and group <c>linkactors</c> when
/// that group exists. Who may connect is decided by the kernel from the file's mode, so the socket
/// needs no token; the CLI uses it by default and talks only to a socket served by root, by the
/// <c>linkactors</c> user or by itself (SO_PEERCRED of the connection).
/// </summary>
public static partial class ControlSocket
{
    public const string FileName = "control.sock";

    /// <summary>Set by systemd from the unit's RuntimeDirectory= (colon-separated when several).</summary>
    public const string RuntimeDirectoryVariable = "RUNTIME_DIRECTORY";

    /// <summary>The service's user and group (made by the Debian package).</summary>
    public const string ServiceAccount = "linkactors";

    public const string SystemRuntimeDirectory = "/run/linkactors";

    /// <summary>rw-rw---- : the owner and the group may connect, nobody else.</summary>
    public const UnixFileMode Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite;

    /// <summary>sun_path holds 108 bytes with its terminating zero.</summary>
    public const int MaxPathBytes = 107;

    private const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute;

    /// <summary>
    /// The daemon's runtime directory: RUNTIME_DIRECTORY (systemd) when set, else /run/linkactors for
    /// root, else $XDG_RUNTIME_DIR/linkactors; null when there is none (no control socket then).
    /// </summary>
    public static string? RuntimeDirectory(Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        if (environment(RuntimeDirectoryVariable) is { Length: > 0 } systemd)
            return systemd.Split(':')[0];
        if (SafeFile.EffectiveUserId == 0)
            return SystemRuntimeDirectory;
        return environment("XDG_RUNTIME_DIR") is { Length: > 0 } user ? Path.Combine(user, "linkactors") : null;
    }

    /// <summary>Where the daemon puts its control socket when the configuration does not say.</summary>
    public static string? DefaultPath(Func<string, string?>? environment = null) =>
        RuntimeDirectory(environment) is { } directory ? Path.Combine(directory, FileName) : null;

    /// <summary>Where the CLI looks for a daemon's socket, first found first used.</summary>
    public static IEnumerable<string> CandidatePaths(Func<string, string?>? environment = null)
    {
        if (DefaultPath(environment) is { } own)
            yield return own;
        yield return Path.Combine(SystemRuntimeDirectory, FileName);
    }

    /// <summary>
    /// Before the endpoint listens: the directory exists (made 0750 when missing), nothing but a stale
    /// socket is at the path, and no daemon answers on it. A stale socket is removed.
    /// </summary>
    /// <exception cref="ManagementUnavailableException">The socket is taken, or something else is at its path.</exception>
    public static void Prepare(string path, bool removeStale)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (OperatingSystem.IsWindows())
            throw new PlatformNotSupportedException("the control socket is Unix only");
        string directory = Path.GetDirectoryName(path) ?? "/";
        try
        {
            if (!SafeFile.Exists(directory))
            {
                Directory.CreateDirectory(directory, DirectoryMode);
                SetGroup(directory);
            }
            if (SafeFile.IsSymbolicLink(directory))
                throw Unavailable(path, $"{directory} is a symbolic link, not a directory of ours");
            if (!SafeFile.Exists(path))
                return;
            if (!SafeFile.IsSocket(path))
                throw Unavailable(path, "something that is not a socket is at that path; remove it or choose linkactors.management.socket");
            using (var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
            {
                try
                {
                    probe.Connect(new UnixDomainSocketEndPoint(path));
                    throw Unavailable(path, "the socket is already in use (another daemon listens on it)");
                }
                catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
                {
                    // Nobody listens: left behind by a daemon that did not stop cleanly.
                }
            }
            if (removeStale)
                File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or SocketException)
        {
            throw Unavailable(path, e.Message);
        }
    }

    /// <summary>Once listening: mode 0660 and group linkactors (when it exists).</summary>
    public static void Secure(string path)
    {
        if (OperatingSystem.IsWindows())
            throw new PlatformNotSupportedException("the control socket is Unix only");
        File.SetUnixFileMode(path, Mode);
        SetGroup(path);
    }

    /// <summary>On the way out: the socket goes (only a socket; anything else at the path is left).</summary>
    public static void Remove(string path)
    {
        try
        {
            if (SafeFile.IsSocket(path))
                File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A leftover is removed by the next daemon.
        }
    }

    /// <summary>
    /// Connects to the socket and checks who serves it before anything is sent: root, the linkactors
    /// user, or the user running the CLI.
    /// </summary>
    /// <exception cref="UnverifiedEndpointException">Someone else serves the socket.</exception>
    public static async ValueTask<Stream> ConnectVerifiedAsync(string path, CancellationToken cancel)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cancel).ConfigureAwait(false);
            uint uid = PeerUserId(socket);
            if (!IsTrustedServer(uid))
                throw new UnverifiedEndpointException(string.Create(CultureInfo.InvariantCulture,
                    $"refusing to use the control socket {path}: it is served by user {uid}, not by root or the {ServiceAccount} user (another program may have put it there)"));
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>The user id of the process at the other end (SO_PEERCRED: struct ucred { pid, uid, gid }).</summary>
    public static uint PeerUserId(Socket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        Span<byte> credentials = stackalloc byte[12];
        int length = socket.GetRawSocketOption(SolSocket, SoPeerCred, credentials);
        if (length < 12)
            throw new UnverifiedEndpointException("cannot tell who serves the control socket (SO_PEERCRED gave no credentials)");
        return BinaryPrimitives.ReadUInt32LittleEndian(credentials[4..]);
    }

    public static bool IsTrustedServer(uint uid) =>
        uid == 0 || uid == SafeFile.EffectiveUserId || (AccountId("/etc/passwd", ServiceAccount) is { } service && uid == service);

    /// <summary>The id of a user (/etc/passwd) or group (/etc/group) by name; null when there is none.</summary>
    public static uint? AccountId(string file, string name)
    {
        try
        {
            foreach (var line in File.ReadLines(file))
            {
                var fields = line.Split(':');
                if (fields.Length >= 3 && fields[0] == name && uint.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out uint id))
                    return id;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
        return null;
    }

    private static void SetGroup(string path)
    {
        if (AccountId("/etc/group", ServiceAccount) is not { } group)
            return;
        // Only root or a member of the group may do this; anyone else keeps their own group.
        _ = chown(path, uint.MaxValue, group);
    }

    private static ManagementUnavailableException Unavailable(string path, string reason) =>
        new($"management endpoint: cannot listen on the control socket {path}: {reason}");

    private const int SolSocket = 1;
    private const int SoPeerCred = 17;

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int chown(string path, uint owner, uint group);
}
