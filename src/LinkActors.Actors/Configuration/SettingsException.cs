namespace LinkActors.Actors.Configuration;

/// <summary>A configuration that cannot be used: names the source, the key and the reason.</summary>
public sealed class SettingsException : Exception
{
    public SettingsException(string source, string key, string reason)
        : base($"{source}: {key}: {reason}")
    {
        Source = source;
        Key = key;
        Reason = reason;
    }

    public SettingsException() : this("configuration", "?", "invalid") { }

    public SettingsException(string message) : base(message)
    {
        Source = "configuration";
        Key = "?";
        Reason = message;
    }

    public SettingsException(string message, Exception innerException) : base(message, innerException)
    {
        Source = "configuration";
        Key = "?";
        Reason = message;
    }

    public new string Source { get; }
    public string Key { get; }
    public string Reason { get; }
}
