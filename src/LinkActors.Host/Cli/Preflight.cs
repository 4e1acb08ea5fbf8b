using LinkActors.Actors.Chat;
using LinkActors.Actors.Configuration;
using LinkActors.Ppp.Chat;

namespace LinkActors.Host.Cli;

/// <summary>What can be checked before any port is opened: the chat scripts must be readable and valid.</summary>
public static class Preflight
{
    /// <summary>The first problem as one line naming the file and key, or null.</summary>
    public static string? FindError(IReadOnlyList<LinkSettings> links, string source)
    {
        foreach (var link in links)
        {
            foreach (var (key, chat) in new[] { ("connect", link.Connect), ("disconnect", link.Disconnect) })
            {
                if (chat.IsEmpty)
                    continue;
                try
                {
                    ChatScriptLoader.Load(chat);
                }
                catch (ChatParseException e)
                {
                    return $"{source}: linkactors.links.{link.Name}.{key}: {e.Message}";
                }
            }
        }
        return null;
    }
}
