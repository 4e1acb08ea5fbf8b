using System.Globalization;
using System.Net;
using System.Text;

namespace LinkActors.Actors.Configuration.Pppd;

/// <summary>
/// Writes a link as HOCON with every key of reference.conf spelled out, so that
/// <see cref="Settings.Create"/> reads back the same <see cref="LinkSettings"/>.
/// </summary>
internal static class PppdHoconWriter
{
    /// <summary>Whether the HOCON written for <paramref name="auth"/> holds a secret itself (not one it refers to in pppd's files).</summary>
    public static bool HoldsSecrets(AuthSettings auth) =>
        (auth.Password.Length > 0 && auth.PasswordFrom.Count == 0) || auth.Secrets.Count > 0;

    public static string Write(LinkSettings link, IEnumerable<string> comments)
    {
        var text = new StringBuilder();
        foreach (var comment in comments)
            foreach (var line in comment.Split('\n'))
                text.Append("# ").AppendLine(line.TrimEnd('\r'));
        var auth = link.Auth;
        if (HoldsSecrets(auth))
            text.AppendLine("# This file holds secrets (passwords): keep it readable by its owner only (chmod 600).");

        text.AppendLine($"linkactors.links.{Key(link.Name)} {{");
        Line(text, 1, "role", link.Role == LinkRole.Server ? "server" : "client");
        Line(text, 1, "required", Bool(link.Required));
        Line(text, 1, "device", Quote(link.Device));
        Line(text, 1, "speed", Int(link.Speed));
        Line(text, 1, "flow-control", link.FlowControl switch
        {
            FlowControl.Crtscts => "crtscts",
            FlowControl.Xonxoff => "xonxoff",
            _ => "none",
        });
        Line(text, 1, "local", Bool(link.Local));
        Line(text, 1, "lock", Bool(link.Lock));
        Line(text, 1, "lock-directory", Quote(link.LockDirectory));
        Chat(text, "connect", link.Connect);
        Chat(text, "disconnect", link.Disconnect);
        Line(text, 1, "passive", Bool(link.Passive));
        Line(text, 1, "silent", Bool(link.Silent));

        text.AppendLine("  auth {");
        Line(text, 2, "require", auth.Require switch
        {
            AuthRequirement.Pap => "pap",
            AuthRequirement.Chap => "chap",
            _ => "none",
        });
        Line(text, 2, "refuse-pap", Bool(auth.RefusePap));
        Line(text, 2, "refuse-chap", Bool(auth.RefuseChap));
        Line(text, 2, "user", Quote(auth.User));
        Line(text, 2, "password", Quote(auth.PasswordFrom.Count > 0 ? "" : auth.Password));
        Line(text, 2, "password-from", List(auth.PasswordFrom));
        Line(text, 2, "remote-name", Quote(auth.RemoteName));
        var secrets = auth.Secrets.Select(s =>
            $"{{ client = {Quote(s.Client)}, server = {Quote(s.Server)}, secret = {Quote(s.Secret)}, addresses = {List(s.Addresses)} }}");
        Line(text, 2, "secrets", auth.Secrets.Count == 0 ? "[]" : "[\n      " + string.Join(",\n      ", secrets) + "\n    ]");
        Line(text, 2, "timeout", Duration(auth.Timeout));
        Line(text, 2, "max-attempts", Int(auth.MaxAttempts));
        text.AppendLine("  }");

        var lcp = link.Lcp;
        text.AppendLine("  lcp {");
        Line(text, 2, "mru", Int(lcp.Mru));
        Line(text, 2, "mtu", Int(lcp.Mtu));
        Line(text, 2, "asyncmap", Quote("0x" + lcp.Asyncmap.ToString("X8", CultureInfo.InvariantCulture)));
        Line(text, 2, "default-asyncmap", Bool(lcp.DefaultAsyncmap));
        Line(text, 2, "accomp", Bool(lcp.Accomp));
        Line(text, 2, "pcomp", Bool(lcp.Pcomp));
        Line(text, 2, "magic", Bool(lcp.Magic));
        Counters(text, lcp.Counters);
        Line(text, 2, "echo-interval", Duration(lcp.EchoInterval));
        Line(text, 2, "echo-failure", Int(lcp.EchoFailure));
        Line(text, 2, "echo-adaptive", Bool(lcp.EchoAdaptive));
        text.AppendLine("  }");

        var ipcp = link.Ipcp;
        text.AppendLine("  ipcp {");
        Line(text, 2, "enabled", Bool(ipcp.Enabled));
        Line(text, 2, "local", Quote(Address(ipcp.Local)));
        Line(text, 2, "remote", Quote(Address(ipcp.Remote)));
        Line(text, 2, "noipdefault", Bool(ipcp.NoIpDefault));
        Line(text, 2, "accept-local", Bool(ipcp.AcceptLocal));
        Line(text, 2, "accept-remote", Bool(ipcp.AcceptRemote));
        Line(text, 2, "noremoteip", Bool(ipcp.NoRemoteIp));
        Line(text, 2, "usepeerdns", Bool(ipcp.UsePeerDns));
        Line(text, 2, "ms-dns", List(ipcp.MsDns.Select(Address).ToList()));
        Counters(text, ipcp.Counters);
        text.AppendLine("  }");

        text.AppendLine("  ipv6cp {");
        Line(text, 2, "enabled", Bool(link.Ipv6cp.Enabled));
        Counters(text, link.Ipv6cp.Counters);
        text.AppendLine("  }");

        Line(text, 1, "persist", Bool(link.Persist));
        Line(text, 1, "holdoff", Duration(link.Holdoff));
        Line(text, 1, "maxfail", Int(link.MaxFail));
        Line(text, 1, "connect-delay", Duration(link.ConnectDelay));
        Line(text, 1, "maxconnect", Duration(link.MaxConnect));
        Line(text, 1, "record", Quote(link.Record ?? ""));
        text.AppendLine("}");
        return text.ToString();
    }

    /// <summary>A link name as a HOCON key: quoted unless it is plain, as Settings reads it back.</summary>
    public static string Key(string name) =>
        name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_') ? name : Quote(name);

    /// <summary>A HOCON (JSON) string literal.</summary>
    public static string Quote(string value)
    {
        var text = new StringBuilder("\"");
        foreach (char c in value)
        {
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                case '\b': text.Append("\\b"); break;
                case '\f': text.Append("\\f"); break;
                default:
                    if (c < ' ' || c == 0x7F)
                        text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else
                        text.Append(c);
                    break;
            }
        }
        return text.Append('"').ToString();
    }

    private static void Chat(StringBuilder text, string key, ChatSettings chat)
    {
        text.AppendLine($"  {key} {{");
        Line(text, 2, "chat-file", Quote(chat.ChatFile ?? ""));
        Line(text, 2, "script", List(chat.Script));
        Line(text, 2, "timeout", Duration(chat.Timeout));
        Line(text, 2, "environment", Bool(chat.Environment));
        Line(text, 2, "phone", Quote(chat.Phone));
        Line(text, 2, "phone2", Quote(chat.Phone2));
        text.AppendLine("  }");
    }

    private static void Counters(StringBuilder text, CounterSettings counters)
    {
        Line(text, 2, "restart", Duration(counters.Restart));
        Line(text, 2, "max-configure", Int(counters.MaxConfigure));
        Line(text, 2, "max-terminate", Int(counters.MaxTerminate));
        Line(text, 2, "max-failure", Int(counters.MaxFailure));
    }

    private static void Line(StringBuilder text, int depth, string key, string value) =>
        text.Append(' ', depth * 2).Append(key).Append(" = ").AppendLine(value);

    private static string List(IReadOnlyList<string> items) => items.Count == 0 ? "[]" : "[" + string.Join(", ", items.Select(Quote)) + "]";

    private static string Bool(bool value) => value ? "true" : "false";

    private static string Int(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Address(IPAddress? address) => address?.ToString() ?? "";

    /// <summary>Whole seconds as "30s", anything finer in milliseconds: both read back exactly.</summary>
    private static string Duration(TimeSpan value)
    {
        long ms = (long)value.TotalMilliseconds;
        return ms % 1000 == 0 ? $"{ms / 1000}s" : $"{ms}ms";
    }
}
