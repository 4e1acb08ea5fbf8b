using LinkActors.Linux.Interop;

namespace LinkActors.Linux.Netlink;

/// <summary>The kernel refused an rtnetlink request: the errno it answered, and its extended-ack text when it gave one.</summary>
public sealed class NetlinkException : IOException
{
    public NetlinkException(string request, int errno, string? kernelMessage)
        : base(Format(request, errno, kernelMessage))
    {
        Request = request;
        Errno = errno;
        KernelMessage = kernelMessage;
    }

    public NetlinkException() : this("netlink request", 0, null) { }

    public NetlinkException(string message) : base(message) => Request = message;

    public NetlinkException(string message, Exception innerException) : base(message, innerException) => Request = message;

    /// <summary>What was asked, e.g. "RTM_NEWADDR 192.0.2.1 peer 192.0.2.2/32 on ifindex 7".</summary>
    public string Request { get; }

    /// <summary>The positive errno, e.g. 19 for ENODEV.</summary>
    public int Errno { get; }

    /// <summary>The symbolic errno, e.g. "ENODEV".</summary>
    public string ErrnoName => Libc.ErrnoName(Errno);

    /// <summary>The kernel's own explanation (NETLINK_EXT_ACK), if it sent one.</summary>
    public string? KernelMessage { get; }

    private static string Format(string request, int errno, string? kernelMessage) =>
        kernelMessage is { Length: > 0 }
            ? $"{request} failed: {Libc.Describe(errno)}: {kernelMessage}"
            : $"{request} failed: {Libc.Describe(errno)}";
}
