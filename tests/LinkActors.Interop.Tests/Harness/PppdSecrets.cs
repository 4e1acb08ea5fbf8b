using System.Text;

namespace LinkActors.Interop.Tests.Harness;

/// <summary>One line of pppd's pap-secrets or chap-secrets: client, server, secret, allowed addresses.</summary>
public sealed record PppdSecret(string Client, string Server, string Secret, string Addresses = "*")
{
    public override string ToString() => $"PppdSecret {{ Client = {Client}, Server = {Server}, Secret = ***, Addresses = {Addresses} }}";
}

/// <summary>The contents of the guest's /etc/ppp/pap-secrets and /etc/ppp/chap-secrets.</summary>
public sealed record PppdSecrets(IReadOnlyList<PppdSecret> Pap, IReadOnlyList<PppdSecret> Chap)
{
    /// <summary>The same lines in both files.</summary>
    public static PppdSecrets Both(params PppdSecret[] lines) => new(lines, lines);

    public static string ToFileText(IEnumerable<PppdSecret> lines) =>
        string.Concat(lines.Select(l => $"\"{l.Client}\" \"{l.Server}\" \"{l.Secret}\" {l.Addresses}\n"));

    /// <summary>Base64, which survives the kernel command line (no spaces, no quotes).</summary>
    internal static string ToKernelArgument(IReadOnlyList<PppdSecret> lines) =>
        lines.Count == 0 ? "" : Convert.ToBase64String(Encoding.UTF8.GetBytes(ToFileText(lines)));

    public override string ToString() => $"PppdSecrets {{ Pap = {Pap.Count} lines, Chap = {Chap.Count} lines }}";
}
