using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using LinkActors.Linux.Interop;
using Microsoft.Win32.SafeHandles;

namespace LinkActors.Linux.Tun;

/// <summary>
/// A point-to-point TUN interface (IFF_TUN | IFF_NO_PI): every read returns one IP packet, every write
/// injects one. Not persistent: disposing closes the descriptor, and the kernel deletes the interface.
/// </summary>
/// <remarks>
/// The kernel binds a TUN device, and the control socket used here for MTU and index, to the network
/// namespace of the thread that opens them; construct the device on a thread that is in the wanted namespace.
/// <see cref="Read"/> blocks a thread: run it on a dedicated one. <see cref="Dispose"/> wakes a blocked
/// reader (it returns 0), because closing a descriptor does not wake a read already blocked on it.
/// </remarks>
public sealed class TunDevice : IDisposable
{
    /// <summary>Default name pattern: the kernel replaces %d with the first free number.</summary>
    public const string DefaultNamePattern = "ppp%d";

    /// <summary>Enough for any packet a TUN interface can carry (its MTU is at most 65535).</summary>
    public const int MaxPacketSize = 65535;

    private const string CloneDevice = "/dev/net/tun";
    private const int IfNameSize = 16;          // IFNAMSIZ, including the terminating NUL
    private const int IfReqSize = 40;           // sizeof(struct ifreq) on LP64
    private const int IfReqUnionOffset = 16;    // ifr_flags / ifr_mtu / ifr_ifindex follow ifr_name
    private const short IFF_TUN = 0x0001;
    private const short IFF_NO_PI = 0x1000;
    private const nuint TUNSETIFF = 0x400454CA;   // _IOW('T', 202, int)
    private const nuint SIOCGIFMTU = 0x8921;
    private const nuint SIOCSIFMTU = 0x8922;
    private const nuint SIOCGIFINDEX = 0x8933;

    private readonly SafeFileHandle _tun;
    private readonly SafeFileHandle _wake;
    private readonly SafeFileHandle _control;
    private volatile bool _disposed;

    /// <summary>Creates the interface. <paramref name="namePattern"/> is a name or a pattern with %d.</summary>
    /// <exception cref="IOException">The clone device cannot be opened or TUNSETIFF is refused (permissions, name taken).</exception>
    public TunDevice(string namePattern = DefaultNamePattern)
    {
        ArgumentException.ThrowIfNullOrEmpty(namePattern);
        if (Encoding.ASCII.GetByteCount(namePattern) >= IfNameSize)
            throw new ArgumentException($"Interface name '{namePattern}' is longer than {IfNameSize - 1} characters.", nameof(namePattern));

        var fd = Libc.Open(CloneDevice, Libc.O_RDWR | Libc.O_NONBLOCK | Libc.O_CLOEXEC);
        if (fd < 0)
            throw new IOException($"Cannot open {CloneDevice}: {Libc.Describe(Libc.LastError)}");
        _tun = Libc.OwnDescriptor(fd);
        try
        {
            Name = Attach(_tun, namePattern);
            _control = OpenControlSocket();
            _wake = OpenWakeEvent();
            Index = ReadIndex(_control, Name);
        }
        catch
        {
            _control?.Dispose();
            _tun.Dispose();
            throw;
        }
    }

    /// <summary>The interface name the kernel chose, e.g. "ppp0".</summary>
    public string Name { get; }

    /// <summary>The interface index, for rtnetlink requests.</summary>
    public int Index { get; }

    /// <summary>The interface MTU.</summary>
    public int Mtu
    {
        get
        {
            Span<byte> request = stackalloc byte[IfReqSize];
            InterfaceRequest(_control, Name, SIOCGIFMTU, request, "read the MTU of");
            return BinaryPrimitives.ReadInt32LittleEndian(request[IfReqUnionOffset..]);
        }
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 68);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, MaxPacketSize);
            Span<byte> request = stackalloc byte[IfReqSize];
            BinaryPrimitives.WriteInt32LittleEndian(request[IfReqUnionOffset..], value);
            InterfaceRequest(_control, Name, SIOCSIFMTU, request, "set the MTU of");
        }
    }

    /// <summary>
    /// Blocks until one IP packet arrives and copies it into <paramref name="packet"/>; returns its length,
    /// or 0 once the device is disposed. A packet longer than the buffer is truncated by the kernel, so pass
    /// a buffer of at least the MTU.
    /// </summary>
    public unsafe int Read(Span<byte> packet)
    {
        if (_disposed)
            return 0;
        var tunAdded = false;
        var wakeAdded = false;
        try
        {
            _tun.DangerousAddRef(ref tunAdded);
            _wake.DangerousAddRef(ref wakeAdded);
            var fds = stackalloc Libc.PollFd[2];
            while (true)
            {
                fds[0] = new Libc.PollFd { Fd = (int)_tun.DangerousGetHandle(), Events = Libc.POLLIN };
                fds[1] = new Libc.PollFd { Fd = (int)_wake.DangerousGetHandle(), Events = Libc.POLLIN };
                if (Libc.Poll(fds, 2, -1) < 0)
                {
                    var errno = Libc.LastError;
                    if (errno == Errno.EINTR)
                        continue;
                    throw new IOException($"poll on {Name} failed: {Libc.Describe(errno)}");
                }
                if (_disposed || fds[1].Revents != 0)
                    return 0;
                if ((fds[0].Revents & (Libc.POLLERR | Libc.POLLHUP | Libc.POLLNVAL)) != 0 && (fds[0].Revents & Libc.POLLIN) == 0)
                    throw new IOException($"TUN device {Name} reported poll events 0x{fds[0].Revents:x}.");
                fixed (byte* buffer = packet)
                {
                    var n = Libc.Read(_tun, buffer, (nuint)packet.Length);
                    if (n >= 0)
                        return (int)n;
                    var errno = Libc.LastError;
                    if (errno is Errno.EAGAIN or Errno.EINTR)
                        continue;
                    throw new IOException($"read from {Name} failed: {Libc.Describe(errno)}");
                }
            }
        }
        catch (ObjectDisposedException)
        {
            return 0;
        }
        finally
        {
            if (wakeAdded)
                _wake.DangerousRelease();
            if (tunAdded)
                _tun.DangerousRelease();
        }
    }

    /// <summary>Injects one IP packet, as if it had arrived on the interface; never waits.</summary>
    /// <returns>false when the kernel has no room for it now (EAGAIN): the packet is not written, and IP recovers
    /// a lost packet as it does any other. A caller that must not stall (an actor's Receive) drops and counts it.</returns>
    /// <exception cref="IOException">The kernel refused the packet (e.g. EIO while the interface is down).</exception>
    /// <exception cref="ObjectDisposedException">The device is disposed.</exception>
    public unsafe bool TryWrite(ReadOnlySpan<byte> packet)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        while (true)
        {
            nint n;
            fixed (byte* buffer = packet)
                n = Libc.Write(_tun, buffer, (nuint)packet.Length);
            if (n >= 0)
                return true;
            var errno = Libc.LastError;
            if (errno == Errno.EINTR)
                continue;
            if (errno == Errno.EAGAIN)
                return false;
            throw new IOException($"write of {packet.Length} bytes to {Name} failed: {Libc.Describe(errno)}");
        }
    }

    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        SignalWake();
        _control.Dispose();
        _tun.Dispose();
        _wake.Dispose();
    }

    public override string ToString() => $"TunDevice {{ Name = {Name}, Index = {Index} }}";

    private unsafe void SignalWake()
    {
        ulong one = 1;
        try
        {
            _ = Libc.Write(_wake, (byte*)&one, sizeof(ulong));
        }
        catch (ObjectDisposedException)
        {
            // Already closed: no reader can be waiting on it.
        }
    }

    private static unsafe string Attach(SafeFileHandle tun, string namePattern)
    {
        Span<byte> request = stackalloc byte[IfReqSize];
        request.Clear();
        Encoding.ASCII.GetBytes(namePattern, request[..(IfNameSize - 1)]);
        BinaryPrimitives.WriteInt16LittleEndian(request[IfReqUnionOffset..], IFF_TUN | IFF_NO_PI);
        fixed (byte* pointer = request)
        {
            if (Libc.Ioctl(tun, TUNSETIFF, pointer) < 0)
                throw new IOException($"TUNSETIFF '{namePattern}' failed: {Libc.Describe(Libc.LastError)}");
        }
        var name = request[..IfNameSize];
        var end = name.IndexOf((byte)0);
        return Encoding.ASCII.GetString(end < 0 ? name : name[..end]);
    }

    private static SafeFileHandle OpenControlSocket()
    {
        var fd = Libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM | Libc.SOCK_CLOEXEC, 0);
        if (fd < 0)
            throw new IOException($"Cannot open an interface control socket: {Libc.Describe(Libc.LastError)}");
        return Libc.OwnDescriptor(fd);
    }

    private static SafeFileHandle OpenWakeEvent()
    {
        var fd = Libc.EventFd(0, Libc.EFD_CLOEXEC | Libc.EFD_NONBLOCK);
        if (fd < 0)
            throw new IOException($"Cannot create an eventfd: {Libc.Describe(Libc.LastError)}");
        return Libc.OwnDescriptor(fd);
    }

    private static int ReadIndex(SafeFileHandle control, string name)
    {
        Span<byte> request = stackalloc byte[IfReqSize];
        InterfaceRequest(control, name, SIOCGIFINDEX, request, "read the index of");
        return BinaryPrimitives.ReadInt32LittleEndian(request[IfReqUnionOffset..]);
    }

    private static unsafe void InterfaceRequest(SafeFileHandle control, string name, nuint command, Span<byte> request, string what)
    {
        request[..IfNameSize].Clear();
        Encoding.ASCII.GetBytes(name, request[..(IfNameSize - 1)]);
        fixed (byte* pointer = request)
        {
            if (Libc.Ioctl(control, command, pointer) < 0)
                throw new IOException($"Cannot {what} {name}: {Libc.Describe(Libc.LastError)}");
        }
    }
}
