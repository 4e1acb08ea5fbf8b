namespace LinkActors.Actors.Configuration.Pppd;

/// <summary>
/// A pppd configuration that cannot be used, as one line naming the file and line, the way pppd
/// reports it: <c>/etc/ppp/peers/x:3: unrecognized option 'foo'</c>.
/// </summary>
public sealed class PppdConfigurationException : Exception
{
    public PppdConfigurationException(PppdSource where, string reason)
        : base($"{where}: {reason}")
    {
        Where = where;
        Reason = reason;
    }

    public PppdConfigurationException()
        : this(PppdSource.CommandLine, "invalid pppd configuration")
    {
    }

    public PppdConfigurationException(string message)
        : this(PppdSource.CommandLine, message)
    {
    }

    public PppdConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Where = PppdSource.CommandLine;
        Reason = message;
    }

    /// <summary>The file and line (or the command line) the problem is in.</summary>
    public PppdSource Where { get; }

    /// <summary>What is wrong, without the place.</summary>
    public string Reason { get; }
}
