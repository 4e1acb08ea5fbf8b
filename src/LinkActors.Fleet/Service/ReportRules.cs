using System.Security.Cryptography;
using System.Text;
using LinkActors.Fleet.Wire;

namespace LinkActors.Fleet.Service;

/// <summary>What the fleet accepts from a device: names, sizes and counts within bounds. A report outside them is
/// refused with the reason, and nothing of it is kept.</summary>
public static class ReportRules
{
    public const int MaxReportBytes = 16 * 1024;
    public const int MaxLinks = 16;
    public const int MaxEvents = 64;
    public const int MaxAcks = 64;
    public const int MaxText = 512;
    /// <summary>A command's outcome may say more: the doctor's full explanation, asked for by an operator.</summary>
    public const int MaxAckDetail = 4096;
    public const int MaxName = 64;
    public const int MaxTags = 16;

    /// <summary>Device ids and link names: letters, digits, '.', '_', '-'; 1 to 64 of them.</summary>
    public static bool IsName(string? name) =>
        name is { Length: > 0 and <= MaxName } && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');

    public static string? Check(DeviceReport? report)
    {
        if (report is null)
            return "the body is not a report";
        if (report.Seq <= 0)
            return "seq must be a positive number";
        if (report.Links is null)
            return "links is missing";
        if (report.Links.Count > MaxLinks)
            return $"at most {MaxLinks} links";
        if (report.Why is not { Length: > 0 and <= 32 })
            return "why must be a short word (change, heartbeat, ack, retry)";
        foreach (var link in report.Links)
        {
            if (link is null || !IsName(link.Name))
                return "a link name must be 1 to 64 letters, digits, '.', '_' or '-'";
            if (TooLong(link.Phase) || TooLong(link.Local) || TooLong(link.Remote) || TooLong(link.Reg) || TooLong(link.Op) || TooLong(link.Tech)
                || TooLong(link.Doctor) || TooLong(link.Severity) || TooLong(link.Failure?.Code) || TooLong(link.Failure?.Text))
                return $"link {link.Name}: a text field is longer than {MaxText} characters";
        }
        if (report.Acks is { Count: > MaxAcks })
            return $"at most {MaxAcks} acks";
        if (report.Acks?.Any(a => a is null || !IsName(a.Id) || a.Outcome is not ("done" or "failed" or "refused") || a.Detail is { Length: > MaxAckDetail }) == true)
            return "an ack needs a command id and an outcome of done, failed or refused";
        if (report.Events is { Count: > MaxEvents })
            return $"at most {MaxEvents} events";
        if (report.Events?.Any(e => e is null || TooLong(e.Link) || TooLong(e.Kind) || TooLong(e.Text)) == true)
            return $"an event has a text field longer than {MaxText} characters";
        return null;
    }

    private static bool TooLong(string? text) => text is { Length: > MaxText };

    public static byte[] HashToken(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    /// <summary>A new device token: 32 random bytes, URL-safe base64.</summary>
    public static string NewToken() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>Constant-time comparison of two hashes (a wrong token takes as long as a nearly right one).</summary>
    public static bool SameHash(byte[]? expected, byte[] presented) =>
        expected is not null && CryptographicOperations.FixedTimeEquals(expected, presented);
}
