namespace LinkActors.Ppp.Chat;

/// <summary>Where a script came from, so that an error can name a line or an argument.</summary>
public enum ChatSourceKind
{
    /// <summary>A chat file: positions are line numbers.</summary>
    File,

    /// <summary>A list of words (HOCON, a command line): positions are 1-based word numbers.</summary>
    Argument,
}

/// <summary>A script chat would refuse; exit code 1 in chat's terms.</summary>
public sealed class ChatParseException : Exception
{
    public ChatParseException(string reason, int position, ChatSourceKind sourceKind)
        : base(Format(reason, position, sourceKind))
    {
        Reason = reason;
        Position = position;
        SourceKind = sourceKind;
    }

    public ChatParseException()
        : this("invalid chat script", 0, ChatSourceKind.File)
    {
    }

    public ChatParseException(string message)
        : this(message, 0, ChatSourceKind.File)
    {
    }

    public ChatParseException(string message, Exception innerException)
        : base(message, innerException)
    {
        Reason = message;
    }

    /// <summary>What is wrong, without the position.</summary>
    public string Reason { get; }

    /// <summary>Line number (file) or word number (arguments), 1-based; 0 when unknown.</summary>
    public int Position { get; }

    /// <summary>Line number when the script came from a file, else 0.</summary>
    public int Line => SourceKind == ChatSourceKind.File ? Position : 0;

    /// <summary>Whether <see cref="Position"/> counts lines or words.</summary>
    public ChatSourceKind SourceKind { get; }

    private static string Format(string reason, int position, ChatSourceKind sourceKind) =>
        position <= 0 ? reason : sourceKind == ChatSourceKind.File ? $"line {position}: {reason}" : $"argument {position}: {reason}";
}
