using LinkActors.Actors.Configuration;
using LinkActors.Ppp.Chat;

namespace LinkActors.Actors.Chat;

/// <summary>
/// Builds a <see cref="ChatScript"/> from configured <see cref="ChatSettings"/>: reads the chat file
/// (the I/O the pure parser leaves to its caller) or takes the inline words. Every failure is a
/// <see cref="ChatParseException"/>, chat(8)'s exit code 1, so the caller reports one kind of error.
/// </summary>
public static class ChatScriptLoader
{
    /// <summary>
    /// Loads the script. <paramref name="environment"/> is what -E substitutes from; when null and
    /// the settings ask for substitution, the process environment is read.
    /// </summary>
    public static ChatScript Load(ChatSettings settings, IReadOnlyDictionary<string, string>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var options = new ChatOptions
        {
            Timeout = settings.Timeout,
            SubstituteEnvironment = settings.Environment,
            Environment = settings.Environment ? environment ?? ProcessEnvironment() : new Dictionary<string, string>(),
            PhoneNumber = settings.Phone.Length == 0 ? null : settings.Phone,
            PhoneNumber2 = settings.Phone2.Length == 0 ? null : settings.Phone2,
        };

        if (settings.ChatFile is not { } path)
        {
            return ChatScript.FromArguments(settings.Script, options);
        }

        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            // chat -f fails the same way ("open failed"), with exit code 1.
            throw new ChatParseException($"cannot read the chat file {path}: {e.Message}", e);
        }

        return ChatScript.Parse(text, options);
    }

    private static Dictionary<string, string> ProcessEnvironment()
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            if (entry.Key is string key && entry.Value is string value)
            {
                variables[key] = value;
            }
        }

        return variables;
    }
}
